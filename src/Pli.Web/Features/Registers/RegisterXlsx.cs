using System.Globalization;
using ClosedXML.Excel;
using Pli.Domain.Common;

namespace Pli.Web.Features.Registers;

/// <summary>
/// A register as an Excel workbook: one sheet per table, the register's title, consultation and date of
/// generation above a bold, frozen, filtered header row; instants as real dates in Paris time, counts and
/// sizes as numbers, every text a text (a name typed as "=…" never becomes a formula).
/// </summary>
public static class RegisterXlsx
{
    /// <summary>The header row: three lines of the register's identity, then the table's title.</summary>
    public const int HeaderRow = 5;

    private const string DateFormat = "dd/mm/yyyy hh:mm:ss";
    private const double MaxColumnWidth = 60;

    public static async Task WriteAsync(RegisterDocument register, Stream output, CultureInfo culture, CancellationToken cancellationToken = default)
    {
        ArgumentNullException.ThrowIfNull(register);
        // ClosedXML writes synchronously through System.IO.Packaging, which seeks: the workbook is built in memory
        // (a register of some thousand lines is some hundred kilobytes) and copied to the response asynchronously.
        using var buffer = new MemoryStream();
        using (var workbook = Build(register, culture, cancellationToken))
        {
            workbook.SaveAs(buffer);
        }
        buffer.Position = 0;
        await buffer.CopyToAsync(output, cancellationToken);
    }

    internal static XLWorkbook Build(RegisterDocument register, CultureInfo culture, CancellationToken cancellationToken)
    {
        var workbook = new XLWorkbook();
        try
        {
            workbook.Properties.Title = $"{register.Title} — {register.ConsultationReference}";
            workbook.Properties.Subject = register.ConsultationTitle;
            workbook.Properties.Author = "Pli";
            workbook.Properties.Created = ParisTime.ToParis(register.GeneratedUtc).DateTime;
            var names = new HashSet<string>(StringComparer.OrdinalIgnoreCase);
            foreach (var table in register.Tables)
            {
                var sheet = workbook.Worksheets.Add(SheetName(table.Title, names));
                Fill(sheet, register, table, culture, cancellationToken);
            }
            return workbook;
        }
        catch
        {
            workbook.Dispose();
            throw;
        }
    }

    private static void Fill(IXLWorksheet sheet, RegisterDocument register, RegisterTable table, CultureInfo culture, CancellationToken cancellationToken)
    {
        Text(sheet.Cell(1, 1), register.Title).Style.Font.SetBold(true).Font.SetFontSize(14);
        Text(sheet.Cell(2, 1), RegistersTexts.Format(culture, "Consultation", register.ConsultationReference, register.ConsultationTitle));
        Text(sheet.Cell(3, 1), RegistersTexts.Format(culture, "GeneratedAt", ParisTime.Format(register.GeneratedUtc, culture, seconds: true))
            + " " + RegistersTexts.Get("DatesInParisTime", culture));
        Text(sheet.Cell(4, 1), table.Title).Style.Font.SetBold(true);

        var widths = table.Columns.Select(c => (double)Math.Min(MaxColumnWidth, c.Header.Length + 2)).ToArray();
        for (var c = 0; c < table.Columns.Count; c++)
        {
            Text(sheet.Cell(HeaderRow, c + 1), table.Columns[c].Header);
        }
        var header = sheet.Range(HeaderRow, 1, HeaderRow, table.Columns.Count);
        header.Style.Font.SetBold(true);
        header.Style.Fill.SetBackgroundColor(XLColor.FromArgb(0xE8, 0xEC, 0xF1));

        var r = HeaderRow + 1;
        foreach (var row in table.Rows)
        {
            cancellationToken.ThrowIfCancellationRequested();
            for (var c = 0; c < row.Count; c++)
            {
                var cell = sheet.Cell(r, c + 1);
                var value = row[c];
                switch (value.Kind)
                {
                    case RegisterCellKind.Instant:
                        // Excel has no time zones: the date is Paris wall-clock time, as the header's line 3 says.
                        cell.SetValue(ParisTime.ToParis(value.Utc!.Value).DateTime);
                        cell.Style.NumberFormat.Format = DateFormat;
                        widths[c] = Math.Max(widths[c], 20);
                        break;
                    case RegisterCellKind.Number:
                        cell.SetValue(value.Number);
                        cell.Style.NumberFormat.Format = "0";
                        break;
                    case RegisterCellKind.Size:
                        cell.SetValue(value.Number);
                        cell.Style.NumberFormat.Format = "#,##0";
                        widths[c] = Math.Max(widths[c], 14);
                        break;
                    case RegisterCellKind.Text:
                    default:
                        Text(cell, value.Text);
                        // The longest line of the cell, not its whole text: a question of ten lines wraps.
                        var longest = value.Text.Split('\n').Max(l => l.Length);
                        widths[c] = Math.Min(MaxColumnWidth, Math.Max(widths[c], longest + 2));
                        if (value.Text.Contains('\n', StringComparison.Ordinal) || longest > MaxColumnWidth)
                        {
                            cell.Style.Alignment.SetWrapText(true);
                        }
                        break;
                }
                cell.Style.Alignment.SetVertical(XLAlignmentVerticalValues.Top);
            }
            r++;
        }
        // Measured from the text rather than by ClosedXML's AdjustToContents, which needs System.Drawing (not on Linux).
        for (var c = 0; c < widths.Length; c++)
        {
            sheet.Column(c + 1).Width = widths[c];
        }
        sheet.SheetView.FreezeRows(HeaderRow);
        sheet.Range(HeaderRow, 1, Math.Max(HeaderRow, r - 1), table.Columns.Count).SetAutoFilter();
    }

    /// <summary>A text, kept a text: a value such as "=HYPERLINK(…)" is neither a formula nor turned into one when edited.</summary>
    private static IXLCell Text(IXLCell cell, string value)
    {
        cell.SetValue(value);
        cell.DataType = XLDataType.Text;
        if (RegisterCsv.LooksLikeFormula(value))
        {
            cell.Style.IncludeQuotePrefix = true;
        }
        return cell;
    }

    /// <summary>At most 31 characters, none of : \ / ? * [ ], unique in the workbook.</summary>
    private static string SheetName(string title, HashSet<string> taken)
    {
        var clean = new string([.. title.Select(c => c is ':' or '\\' or '/' or '?' or '*' or '[' or ']' ? '-' : c)]).Trim();
        var name = clean.Length > 31 ? clean[..31] : clean;
        for (var i = 2; !taken.Add(name); i++)
        {
            var suffix = $" ({i})";
            name = (clean.Length > 31 - suffix.Length ? clean[..(31 - suffix.Length)] : clean) + suffix;
        }
        return name;
    }
}

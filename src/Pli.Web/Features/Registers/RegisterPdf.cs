using System.Globalization;
using PdfSharp.Drawing;
using PdfSharp.Pdf;
using Pli.Domain.Common;
using Pli.Web.Features.Deposits.Receipts;
using Pli.Web.Infrastructure.Pdf;

namespace Pli.Web.Features.Registers;

/// <summary>
/// A register as a PDF to print or keep: landscape A4, the register's identity at the top, each table with
/// its header row repeated on every page it runs onto, cells wrapped (a row taller than a page goes on over
/// the next), "Page x / y" at the foot of every page. Fonts are the receipt's (embedded DejaVu).
/// </summary>
public static class RegisterPdf
{
    public static async Task WriteAsync(RegisterDocument register, Stream output, CultureInfo culture, CancellationToken cancellationToken = default)
    {
        ArgumentNullException.ThrowIfNull(register);
        // PDFsharp saves synchronously and seeks (its cross-reference table): rendered into memory, copied asynchronously.
        using var buffer = new MemoryStream();
        using (var document = Render(register, culture, cancellationToken))
        {
            document.Save(buffer, closeStream: false);
        }
        buffer.Position = 0;
        await buffer.CopyToAsync(output, cancellationToken);
    }

    internal static PdfDocument Render(RegisterDocument register, CultureInfo culture, CancellationToken cancellationToken)
    {
        ReceiptFonts.EnsureRegistered();
        var document = new PdfDocument();
        try
        {
            document.Info.Title = $"{register.Title} — {register.ConsultationReference}";
            document.Info.Subject = register.ConsultationTitle;
            document.Info.Author = "Pli";
            document.Info.Creator = "Pli";
            document.Info.CreationDate = register.GeneratedUtc;
            document.Language = culture.Name;
            var generated = RegistersTexts.Format(culture, "GeneratedAt", ParisTime.Format(register.GeneratedUtc, culture, seconds: true));
            using var layout = new Layout(document, $"{register.Title} — {register.ConsultationReference}");
            layout.Heading(register.Title, layout.TitleFont);
            layout.Paragraph(RegistersTexts.Format(culture, "Consultation", register.ConsultationReference, register.ConsultationTitle));
            layout.Paragraph(generated);
            foreach (var table in register.Tables)
            {
                layout.Heading(table.Title, layout.SectionFont);
                if (table.Rows.Count == 0)
                {
                    layout.Paragraph(RegistersTexts.Get("TableEmpty", culture));
                    continue;
                }
                layout.Table(table, culture, cancellationToken);
            }
            layout.Finish(generated, (page, count) => RegistersTexts.Format(culture, "PageOf", page, count));
            return document;
        }
        catch
        {
            document.Dispose();
            throw;
        }
    }

    private sealed class Layout : IDisposable
    {
        private static readonly double PageWidth = XUnit.FromMillimeter(297).Point;
        private static readonly double PageHeight = XUnit.FromMillimeter(210).Point;
        private const double Margin = 32;
        private const double Padding = 3;
        private const double FooterHeight = 22;
        private static readonly XColor Navy = XColor.FromArgb(0x1E, 0x3A, 0x5F);
        private static readonly XColor Ink = XColor.FromArgb(0x1A, 0x1A, 0x1A);
        private static readonly XColor Muted = XColor.FromArgb(0x55, 0x5B, 0x63);
        private static readonly XColor Rule = XColor.FromArgb(0xA9, 0xB4, 0xC0);
        private static readonly XColor Shade = XColor.FromArgb(0xE8, 0xEC, 0xF1);
        private static readonly XColor Zebra = XColor.FromArgb(0xF7, 0xF8, 0xFA);

        public readonly XFont TitleFont = new(ReceiptFonts.Sans, 15, XFontStyleEx.Bold);
        public readonly XFont SectionFont = new(ReceiptFonts.Sans, 11, XFontStyleEx.Bold);
        private readonly XFont _body = new(ReceiptFonts.Sans, 9);
        private readonly XFont _cell = new(ReceiptFonts.Sans, 7.5);
        private readonly XFont _cellBold = new(ReceiptFonts.Sans, 7.5, XFontStyleEx.Bold);
        private readonly XFont _mono = new(ReceiptFonts.Mono, 6.6);
        private readonly XFont _small = new(ReceiptFonts.Sans, 7);
        private readonly PdfDocument _document;
        private readonly string _runningHeader;
        private XGraphics _graphics;
        private double _y;

        public Layout(PdfDocument document, string runningHeader)
        {
            _document = document;
            _runningHeader = runningHeader;
            _graphics = NewPageGraphics();
        }

        private static double Left => Margin;
        private static double Width => PageWidth - 2 * Margin;
        private static double Bottom => PageHeight - Margin - FooterHeight;

        /// <summary>Cells of every font share one line height, so that a row taller than a page splits at the same line in every column.</summary>
        private double LineHeight => Math.Max(_cell.GetHeight(), _mono.GetHeight());

        public void Heading(string text, XFont font)
        {
            EnsureSpace(font.GetHeight() + 4 * LineHeight);
            _y += 4;
            foreach (var line in Wrap(text, font, Width))
            {
                _graphics.DrawString(line, font, new XSolidBrush(Navy), Left, _y, XStringFormats.TopLeft);
                _y += font.GetHeight();
            }
            _y += 4;
        }

        public void Paragraph(string text)
        {
            foreach (var line in Wrap(text, _body, Width))
            {
                EnsureSpace(_body.GetHeight());
                _graphics.DrawString(line, _body, new XSolidBrush(Ink), Left, _y, XStringFormats.TopLeft);
                _y += _body.GetHeight();
            }
            _y += 4;
        }

        public void Table(RegisterTable table, CultureInfo culture, CancellationToken cancellationToken)
        {
            var widths = Widths(table, culture);
            // Counts and sizes align right, as figures in a column are read.
            var right = table.Columns.Select((_, i) => table.Rows.Count > 0 && table.Rows[0][i].Kind is RegisterCellKind.Number or RegisterCellKind.Size).ToArray();
            var headers = table.Columns.Select((c, i) => Wrap(c.Header, _cellBold, widths[i] - 2 * Padding)).ToArray();
            var headerHeight = headers.Max(h => h.Count) * LineHeight + 2 * Padding;
            EnsureSpace(headerHeight + LineHeight + 2 * Padding);
            DrawHeader();
            var index = 0;
            foreach (var row in table.Rows)
            {
                cancellationToken.ThrowIfCancellationRequested();
                var cells = row.Select((cell, i) => Wrap(cell.Display(culture), Font(table.Columns[i]), widths[i] - 2 * Padding)).ToArray();
                var lines = cells.Max(c => c.Count);
                var height = lines * LineHeight + 2 * Padding;
                // A row is kept whole when it fits on a page; a longer one (a long question) flows over several.
                if (_y + height > Bottom && height <= Bottom - TopOfPage - headerHeight)
                {
                    NewPage();
                    DrawHeader();
                }
                var from = 0;
                while (from < lines)
                {
                    var room = (int)Math.Floor((Bottom - _y - 2 * Padding) / LineHeight);
                    if (room < 1)
                    {
                        NewPage();
                        DrawHeader();
                        continue;
                    }
                    var count = Math.Min(room, lines - from);
                    var slice = cells.Select(c => c.Skip(from).Take(count).ToList()).ToArray();
                    DrawRow(widths, slice, count * LineHeight + 2 * Padding, table.Columns, index % 2 == 1 ? Zebra : null, right);
                    from += count;
                }
                index++;
            }
            _y += 8;

            void DrawHeader() => DrawRow(widths, headers, headerHeight, table.Columns, Shade, alignRight: null);
        }

        public void Finish(string footer, Func<int, int, string> pageLabel)
        {
            _graphics.Dispose();
            var count = _document.PageCount;
            for (var i = 0; i < count; i++)
            {
                using var graphics = XGraphics.FromPdfPage(_document.Pages[i], XGraphicsPdfPageOptions.Append);
                var top = PageHeight - Margin - FooterHeight + 8;
                graphics.DrawLine(new XPen(Rule, 0.5), Left, top, Left + Width, top);
                var brush = new XSolidBrush(Muted);
                graphics.DrawString(footer, _small, brush, Left, top + 4, XStringFormats.TopLeft);
                graphics.DrawString(pageLabel(i + 1, count), _small, brush, new XRect(Left, top + 4, Width, _small.GetHeight()), XStringFormats.TopRight);
            }
        }

        public void Dispose() => _graphics.Dispose();

        private XFont Font(RegisterColumn column) => column.Monospace ? _mono : _cell;

        /// <summary>A monospace column (a digest) is as wide as its longest value; the others share the rest by their weight.</summary>
        private double[] Widths(RegisterTable table, CultureInfo culture)
        {
            var widths = new double[table.Columns.Count];
            var fixedTotal = 0.0;
            for (var i = 0; i < widths.Length; i++)
            {
                if (table.Columns[i].Monospace)
                {
                    var longest = table.Rows.Select(r => r[i].Display(culture)).DefaultIfEmpty("").MaxBy(s => s.Length) ?? "";
                    widths[i] = Math.Min(Width * 0.4, Math.Max(Measure(table.Columns[i].Header, _cellBold), Measure(longest, _mono)) + 2 * Padding + 2);
                    fixedTotal += widths[i];
                }
            }
            var weights = table.Columns.Where(c => !c.Monospace).Sum(c => c.Width);
            for (var i = 0; i < widths.Length; i++)
            {
                if (!table.Columns[i].Monospace)
                {
                    widths[i] = (Width - fixedTotal) * table.Columns[i].Width / weights;
                }
            }
            return widths;
        }

        /// <summary>A row of cells; without <paramref name="alignRight"/>, the header row (bold).</summary>
        private void DrawRow(double[] widths, IReadOnlyList<List<string>> cells, double height, IReadOnlyList<RegisterColumn> columns, XColor? fill, bool[]? alignRight)
        {
            var pen = new XPen(Rule, 0.5);
            var brush = new XSolidBrush(Ink);
            var x = Left;
            for (var i = 0; i < widths.Length; i++)
            {
                if (fill is { } colour)
                {
                    _graphics.DrawRectangle(pen, new XSolidBrush(colour), x, _y, widths[i], height);
                }
                else
                {
                    _graphics.DrawRectangle(pen, x, _y, widths[i], height);
                }
                var font = alignRight is null ? _cellBold : Font(columns[i]);
                var format = alignRight is not null && alignRight[i] ? XStringFormats.TopRight : XStringFormats.TopLeft;
                var y = _y + Padding;
                foreach (var line in cells[i])
                {
                    if (line.Length > 0)
                    {
                        _graphics.DrawString(line, font, brush, new XRect(x + Padding, y, widths[i] - 2 * Padding, LineHeight), format);
                    }
                    y += LineHeight;
                }
                x += widths[i];
            }
            _y += height;
        }

        private List<string> Wrap(string text, XFont font, double width) => PdfTextWrap.Wrap(_graphics, text, font, width);

        private double Measure(string text, XFont font) => PdfTextWrap.Measure(_graphics, text, font);

        private double TopOfPage => Margin + 18;

        private void EnsureSpace(double height)
        {
            if (_y + height > Bottom)
            {
                NewPage();
            }
        }

        private void NewPage()
        {
            _graphics.Dispose();
            _graphics = NewPageGraphics();
        }

        private XGraphics NewPageGraphics()
        {
            var page = _document.AddPage();
            page.Width = XUnit.FromPoint(PageWidth);
            page.Height = XUnit.FromPoint(PageHeight);
            var graphics = XGraphics.FromPdfPage(page);
            graphics.DrawString(_runningHeader, _small, new XSolidBrush(Muted), new XRect(Left, Margin - 14, Width, _small.GetHeight()), XStringFormats.TopRight);
            _y = TopOfPage;
            return graphics;
        }
    }
}

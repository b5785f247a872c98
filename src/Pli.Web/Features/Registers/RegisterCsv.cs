using System.Globalization;
using System.Text;

namespace Pli.Web.Features.Registers;

/// <summary>
/// A register as CSV the way French spreadsheets open it: UTF-8 with a byte order mark, ';' between cells,
/// every cell quoted, CRLF. Written as it goes: nothing is held in memory but the writer's buffer.
/// A register of several tables gives them one after the other, an empty line and the table's title between.
/// </summary>
public static class RegisterCsv
{
    private static readonly UTF8Encoding Utf8 = new(encoderShouldEmitUTF8Identifier: false);

    public static async Task WriteAsync(RegisterDocument register, Stream output, CultureInfo culture, CancellationToken cancellationToken = default)
    {
        ArgumentNullException.ThrowIfNull(register);
        await output.WriteAsync(Encoding.UTF8.Preamble.ToArray(), cancellationToken);
        await using var writer = new StreamWriter(output, Utf8, bufferSize: 16 * 1024, leaveOpen: true);
        for (var t = 0; t < register.Tables.Count; t++)
        {
            var table = register.Tables[t];
            if (t > 0)
            {
                await writer.WriteAsync("\r\n".AsMemory(), cancellationToken);
                await LineAsync(writer, [table.Title], cancellationToken);
            }
            await LineAsync(writer, table.Columns.Select(c => c.Header), cancellationToken);
            foreach (var row in table.Rows)
            {
                await LineAsync(writer, row.Select(c => Text(c, culture)), cancellationToken);
            }
        }
        await writer.FlushAsync(cancellationToken);
    }

    /// <summary>
    /// Quoted, quotes doubled; a cell a spreadsheet would run as a formula (=, +, -, @, tab, CR) is prefixed
    /// with an apostrophe: a question or a company name is typed by a stranger, and the register is opened by the buyer.
    /// </summary>
    public static string Cell(string value)
    {
        if (LooksLikeFormula(value))
        {
            value = "'" + value;
        }
        return "\"" + value.Replace("\"", "\"\"", StringComparison.Ordinal) + "\"";
    }

    /// <summary>What a spreadsheet could take for a formula: the XLSX export marks these cells as text too.</summary>
    public static bool LooksLikeFormula(string value) =>
        value.Length > 0 && value[0] is '=' or '+' or '-' or '@' or '\t' or '\r';

    /// <summary>Instants as read (Paris time with its zone); counts and sizes as plain integers (bytes), for a spreadsheet to add up.</summary>
    private static string Text(RegisterCell cell, CultureInfo culture) => cell.Kind switch
    {
        RegisterCellKind.Number or RegisterCellKind.Size => cell.Number.ToString(CultureInfo.InvariantCulture),
        _ => cell.Display(culture),
    };

    private static async Task LineAsync(StreamWriter writer, IEnumerable<string> cells, CancellationToken cancellationToken)
    {
        var first = true;
        foreach (var cell in cells)
        {
            if (!first)
            {
                await writer.WriteAsync(";".AsMemory(), cancellationToken);
            }
            await writer.WriteAsync(Cell(cell).AsMemory(), cancellationToken);
            first = false;
        }
        await writer.WriteAsync("\r\n".AsMemory(), cancellationToken);
    }
}

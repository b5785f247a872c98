using System.Globalization;
using System.Text;
using ClosedXML.Excel;
using Pli.Web.Features.Registers;

namespace Pli.Web.Tests.Features.Registers;

/// <summary>The three exports of one register, written without the app: what each format must hold.</summary>
public sealed class RegisterFormatTests
{
    private static readonly CultureInfo French = CultureInfo.GetCultureInfo("fr-FR");
    private static readonly DateTime Winter = new(2026, 12, 1, 10, 59, 59, DateTimeKind.Utc);

    private static RegisterDocument Sample(int rows, string company = "=HYPERLINK(\"http://x\")") => new(
        RegisterKind.Deposits, "Registre des dépôts", "2026-R-01", "Travaux du groupe scolaire", Winter,
        [
            new RegisterTable("Plis reçus",
                [new("Entreprise", 2), new("Horodatage", 1.5), new("Nombre", 0.5), new("Taille (octets)"), new("Empreinte SHA-256", Monospace: true)],
                [.. Enumerable.Range(1, rows).Select(i => (IReadOnlyList<RegisterCell>)
                [
                    i == 1 ? company : $"Entreprise n° {i}",
                    RegisterCell.At(Winter.AddSeconds(i)),
                    RegisterCell.Count(i),
                    RegisterCell.Bytes(1_234_567),
                    new string('a', 64),
                ])]),
        ]);

    private static async Task<byte[]> WriteAsync(RegisterFormat format, RegisterDocument register)
    {
        using var output = new MemoryStream();
        switch (format)
        {
            case RegisterFormat.Csv:
                await RegisterCsv.WriteAsync(register, output, French);
                break;
            case RegisterFormat.Xlsx:
                await RegisterXlsx.WriteAsync(register, output, French);
                break;
            default:
                await RegisterPdf.WriteAsync(register, output, French);
                break;
        }
        return output.ToArray();
    }

    [Fact]
    public async Task Csv_HasABomSemicolonsAndParisTimes_AndDefusesAFormula()
    {
        var bytes = await WriteAsync(RegisterFormat.Csv, Sample(2));

        Assert.Equal(Encoding.UTF8.Preamble.ToArray(), bytes[..3]);
        var lines = Encoding.UTF8.GetString(bytes[3..]).Split("\r\n");
        Assert.Equal("\"Entreprise\";\"Horodatage\";\"Nombre\";\"Taille (octets)\";\"Empreinte SHA-256\"", lines[0]);
        Assert.StartsWith("\"'=HYPERLINK(\"\"http://x\"\")\";\"01/12/2026 12:00:00 (heure de Paris, UTC+01:00)\";\"1\";\"1234567\";", lines[1], StringComparison.Ordinal);
    }

    [Theory]
    [InlineData("+SUM(A1)")]
    [InlineData("-1+2")]
    [InlineData("@cmd")]
    public void Csv_DefusesEveryFormulaLead(string value) =>
        Assert.Equal($"\"'{value}\"", RegisterCsv.Cell(value));

    [Fact]
    public async Task Xlsx_HeaderIsBoldFrozenAndFiltered_DatesAreParisDates_SizesAreNumbers_AFormulaStaysText()
    {
        var bytes = await WriteAsync(RegisterFormat.Xlsx, Sample(3));

        using var workbook = new XLWorkbook(new MemoryStream(bytes));
        var sheet = workbook.Worksheet(1);
        Assert.Equal("Plis reçus", sheet.Name);
        Assert.Equal("Registre des dépôts", sheet.Cell(1, 1).GetString());
        Assert.Contains("2026-R-01", sheet.Cell(2, 1).GetString(), StringComparison.Ordinal);
        Assert.Equal("Plis reçus", sheet.Cell(4, 1).GetString());
        Assert.Contains("heure de Paris", sheet.Cell(3, 1).GetString(), StringComparison.Ordinal);
        var header = sheet.Row(RegisterXlsx.HeaderRow);
        Assert.Equal("Entreprise", header.Cell(1).GetString());
        Assert.True(header.Cell(1).Style.Font.Bold);
        Assert.Equal(RegisterXlsx.HeaderRow, sheet.SheetView.SplitRow);
        Assert.True(sheet.AutoFilter.IsEnabled);
        Assert.Equal(RegisterXlsx.HeaderRow, sheet.AutoFilter.Range.FirstRow().RowNumber());
        var first = sheet.Row(RegisterXlsx.HeaderRow + 1);
        Assert.False(first.Cell(1).HasFormula);
        Assert.Equal(XLDataType.Text, first.Cell(1).DataType);
        Assert.Equal("=HYPERLINK(\"http://x\")", first.Cell(1).GetString());
        Assert.Equal(XLDataType.DateTime, first.Cell(2).DataType);
        Assert.Equal(new DateTime(2026, 12, 1, 12, 0, 0), first.Cell(2).GetDateTime());
        Assert.Equal(XLDataType.Number, first.Cell(4).DataType);
        Assert.Equal(1_234_567, first.Cell(4).GetDouble());
    }

    [Fact]
    public async Task Pdf_OfFiveHundredRows_HasSeveralPages_EachWithTheHeaderAndItsNumber()
    {
        var bytes = await WriteAsync(RegisterFormat.Pdf, Sample(500, company: "Entreprise n° 1"));

        var pages = (await RegisterScenario.PdfTextAsync(bytes)).Split('\f', StringSplitOptions.RemoveEmptyEntries)
            .Where(p => p.Trim().Length > 0).ToList();
        Assert.True(pages.Count > 3, $"{pages.Count} page(s)");
        Assert.All(pages.Select((text, i) => (text, i)), p =>
        {
            Assert.Contains("Empreinte SHA-256", p.text, StringComparison.Ordinal);
            Assert.Contains($"Page {p.i + 1} / {pages.Count}", p.text, StringComparison.Ordinal);
        });
        var all = System.Text.RegularExpressions.Regex.Replace(string.Join('\n', pages), @"\s+", " ");
        Assert.Contains("Entreprise n° 500", all, StringComparison.Ordinal);
        Assert.Contains("01/12/2026 12:00:01 (heure de Paris, UTC+01:00)", all, StringComparison.Ordinal);
    }

    [Fact]
    public async Task Pdf_ARowTallerThanAPage_GoesOnOverTheNext()
    {
        var register = new RegisterDocument(RegisterKind.Questions, "Registre des questions", "R", "T", Winter,
        [
            new RegisterTable("Questions", [new("N°", 0.3), new("Question", 3)],
                [[RegisterCell.Count(1), string.Join('\n', Enumerable.Range(1, 200).Select(i => $"Ligne {i} de la question"))]]),
        ]);

        var text = await RegisterScenario.PdfTextAsync(await WriteAsync(RegisterFormat.Pdf, register));

        Assert.Contains("Ligne 1 de la question", text, StringComparison.Ordinal);
        Assert.Contains("Ligne 200 de la question", text, StringComparison.Ordinal);
        Assert.Contains("Page 2 / ", text, StringComparison.Ordinal);
    }
}

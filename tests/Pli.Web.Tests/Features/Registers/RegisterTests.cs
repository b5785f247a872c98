using System.Net;
using System.Text;
using ClosedXML.Excel;
using Microsoft.EntityFrameworkCore;
using Pli.Web.Features.Demo;
using Pli.Web.Features.Registers;
using Pli.Web.Tests.Features.Dce;
using Pli.Web.Tests.Infrastructure;

namespace Pli.Web.Tests.Features.Registers;

public abstract class RegisterTests(PliApp app)
{
    public static TheoryData<string, string> EveryExport()
    {
        var data = new TheoryData<string, string>();
        foreach (var register in (string[])["retraits", "questions", "depots", "messages"])
        {
            foreach (var format in (string[])["csv", "xlsx", "pdf"])
            {
                data.Add(register, format);
            }
        }
        return data;
    }

    /// <summary>A text that each register holds in <see cref="RegisterScenario"/>.</summary>
    private static string Expected(string register) => register switch
    {
        "retraits" => "DCE complet",
        "questions" => "Le lot comprend-il la dépose ?",
        "depots" => RegisterScenario.FileName,
        _ => "complement.pdf",
    };

    [Theory]
    [MemberData(nameof(EveryExport))]
    public async Task Export_ReturnsTheRegisterInItsFormat_AndIsAudited(string register, string format)
    {
        var sample = await RegisterScenario.CreateAsync(app);
        using var agent = app.Browser();
        await agent.SignInAsDemoAgentAsync();

        using var response = await agent.GetAsync(sample.Export(register, format));

        Assert.Equal(HttpStatusCode.OK, response.StatusCode);
        var bytes = await response.Content.ReadAsByteArrayAsync();
        var expectedType = format switch
        {
            "csv" => "text/csv",
            "xlsx" => "application/vnd.openxmlformats-officedocument.spreadsheetml.sheet",
            _ => "application/pdf",
        };
        Assert.Equal(expectedType, response.Content.Headers.ContentType!.MediaType);
        Assert.EndsWith($".{format}", response.Content.Headers.ContentDisposition!.FileNameStar, StringComparison.Ordinal);
        Assert.Contains(Expected(register), await TextOfAsync(format, bytes), StringComparison.Ordinal);
        var audit = await app.WithDb(db => db.AuditEntries.AsNoTracking()
            .Where(a => a.ConsultationId == sample.ConsultationId && a.Action == RegisterEndpoints.ExportedAction).ToListAsync());
        var entry = Assert.Single(audit);
        Assert.Equal($"register:{register}", entry.Target);
        Assert.StartsWith($"format:{format} ", entry.Detail, StringComparison.Ordinal);
    }

    [Fact]
    public async Task DepositsCsv_DefusesACompanyNameThatIsAFormula()
    {
        var sample = await RegisterScenario.CreateAsync(app);
        using var agent = app.Browser();
        await agent.SignInAsDemoAgentAsync();

        using var response = await agent.GetAsync(sample.Export("depots", "csv"));

        var bytes = await response.Content.ReadAsByteArrayAsync();
        Assert.Equal(Encoding.UTF8.Preamble.ToArray(), bytes[..3]);
        var text = Encoding.UTF8.GetString(bytes[3..]);
        Assert.StartsWith("\"N° du pli\";\"Entreprise\";", text, StringComparison.Ordinal);
        Assert.Contains("\"'=HYPERLINK(\"\"http://x\"\")\"", text, StringComparison.Ordinal);
        Assert.DoesNotContain(";\"=HYPERLINK", text, StringComparison.Ordinal);
    }

    [Fact]
    public async Task DepositsXlsx_KeepsACompanyNameThatIsAFormulaAsText_AndTheLateDepositHorsDelai()
    {
        var sample = await RegisterScenario.CreateAsync(app);
        using var agent = app.Browser();
        await agent.SignInAsDemoAgentAsync();

        using var response = await agent.GetAsync(sample.Export("depots", "xlsx"));

        using var workbook = new XLWorkbook(new MemoryStream(await response.Content.ReadAsByteArrayAsync()));
        var sheet = workbook.Worksheet(1);
        var rows = sheet.RowsUsed().Where(r => r.RowNumber() > RegisterXlsx.HeaderRow).ToList();
        Assert.Equal(3, rows.Count);
        Assert.All(rows, r =>
        {
            Assert.False(r.Cell(2).HasFormula);
            Assert.Equal(RegisterScenario.FormulaCompany, r.Cell(2).GetString());
        });
        var late = Assert.Single(rows, r => r.Cell(1).GetString() == sample.LateNumber);
        Assert.Equal("Hors délai", late.Cell(6).GetString());
        Assert.Equal(Pli.Domain.Common.ParisTime.ToParis(sample.DeadlineUtc.AddSeconds(2)).DateTime, late.Cell(4).GetDateTime());
        Assert.Equal(2, workbook.Worksheet(2).RowsUsed().Count(r => r.RowNumber() > RegisterXlsx.HeaderRow && r.Cell(1).GetString() == sample.LateNumber));
    }

    [Fact]
    public async Task ExchangesExport_NeverHoldsTheMessagesText()
    {
        var sample = await RegisterScenario.CreateAsync(app);
        using var agent = app.Browser();
        await agent.SignInAsDemoAgentAsync();

        foreach (var format in (string[])["csv", "xlsx", "pdf"])
        {
            using var response = await agent.GetAsync(sample.Export("messages", format));
            var text = await TextOfAsync(format, await response.Content.ReadAsByteArrayAsync());

            Assert.Contains("demande.pdf", text, StringComparison.Ordinal);
            Assert.DoesNotContain(RegisterScenario.MessageText, text, StringComparison.Ordinal);
            Assert.DoesNotContain(RegisterScenario.ReplyText, text, StringComparison.Ordinal);
        }
    }

    [Fact]
    public async Task DepositsPage_BeforeTheDeadline_ListsOnTimeLateAndWithdrawnDeposits_WithTheirFiles()
    {
        var sample = await RegisterScenario.CreateAsync(app);
        using var agent = app.Browser();
        await agent.SignInAsDemoAgentAsync();

        var page = await agent.GetPageAsync(sample.Path("depots"));

        Assert.Equal("3", page.QuerySelector("#compte-plis")!.TextContent.Trim());
        Assert.Equal("1", page.QuerySelector("#compte-hors-delai")!.TextContent.Trim());
        Assert.Equal("1", page.QuerySelector("#compte-retires")!.TextContent.Trim());
        var late = page.QuerySelector($"#pli-{sample.LateNumber}")!;
        Assert.Contains("Hors délai", late.TextContent, StringComparison.Ordinal);
        Assert.Matches(@"\d{2}/\d{2}/\d{4} \d{2}:\d{2}:\d{2} \(heure de Paris, UTC\+0[12]:00\)", late.QuerySelectorAll("td")[1].TextContent);
        Assert.Contains("Retiré", page.QuerySelector($"#pli-{sample.WithdrawnNumber}")!.TextContent, StringComparison.Ordinal);
        Assert.Contains("Dans les délais", page.QuerySelector($"#pli-{sample.OnTimeNumber}")!.TextContent, StringComparison.Ordinal);
        var files = page.QuerySelector($"#fichiers-{sample.OnTimeNumber}")!.TextContent;
        Assert.Contains(RegisterScenario.FileName, files, StringComparison.Ordinal);
        Assert.Contains(sample.FileSha256, files, StringComparison.Ordinal);
        Assert.NotNull(page.QuerySelector($"a#export-pdf[href='{sample.Export("depots", "pdf")}']"));
    }

    [Fact]
    public async Task DepositsPage_EncodesACompanyNameThatIsMarkup()
    {
        var sample = await RegisterScenario.CreateAsync(app);
        await app.WithDb(async db =>
        {
            var deposit = await db.Deposits.FirstAsync(d => d.Number == sample.OnTimeNumber);
            var company = await db.Companies.SingleAsync(c => c.Id == deposit.CompanyId);
            db.Entry(company).Property(c => c.Name).CurrentValue = "<script>alert(1)</script>";
            await db.SaveChangesAsync();
        });
        using var agent = app.Browser();
        await agent.SignInAsDemoAgentAsync();

        using var response = await agent.GetAsync(sample.Path("depots"));
        var html = await response.Content.ReadAsStringAsync();

        Assert.DoesNotContain("<script>alert(1)</script>", html, StringComparison.Ordinal);
        Assert.Contains("&lt;script&gt;alert(1)&lt;/script&gt;", html, StringComparison.Ordinal);
    }

    [Fact]
    public async Task EveryRegisterPage_LinksToItsThreeExports()
    {
        var sample = await RegisterScenario.CreateAsync(app);
        using var agent = app.Browser();
        await agent.SignInAsDemoAgentAsync();

        foreach (var register in (string[])["retraits", "questions", "depots", "messages"])
        {
            var page = await agent.GetPageAsync(sample.Path(register));
            foreach (var format in (string[])["csv", "xlsx", "pdf"])
            {
                Assert.NotNull(page.QuerySelector($"a#export-{format}[href='{sample.Export(register, format)}']"));
            }
        }
    }

    [Fact]
    public async Task BackofficeConsultationPage_LinksToTheDepositsRegister()
    {
        var sample = await RegisterScenario.CreateAsync(app);
        using var agent = app.Browser();
        await agent.SignInAsDemoAgentAsync();

        var page = await agent.GetPageAsync($"/acheteur/consultations/{sample.ConsultationId}");

        Assert.Equal(sample.Path("depots"), page.QuerySelector("#lien-registre-depots")!.GetAttribute("href"));
    }

    [Fact]
    public async Task AgentOfAnotherOrganisation_Gets404_ForEveryPageAndExport_AndNothingIsAudited()
    {
        var sample = await RegisterScenario.CreateAsync(app);
        var email = await DceScenario.CreateOtherBuyerAgentAsync(app);
        using var other = app.Browser();
        await other.SignInAsync(email, DemoData.Password, DemoData.TotpSecret);

        foreach (var register in (string[])["retraits", "questions", "depots", "messages"])
        {
            using var page = await other.GetAsync(sample.Path(register));
            Assert.Equal(HttpStatusCode.NotFound, page.StatusCode);
            foreach (var format in (string[])["csv", "xlsx", "pdf"])
            {
                using var export = await other.GetAsync(sample.Export(register, format));
                Assert.Equal(HttpStatusCode.NotFound, export.StatusCode);
            }
        }
        Assert.False(await app.WithDb(db => db.AuditEntries.AnyAsync(a => a.ConsultationId == sample.ConsultationId && a.Action == RegisterEndpoints.ExportedAction)));
    }

    [Fact]
    public async Task CompanyUser_IsRefused_TheDepositsPageAndEveryExport()
    {
        var sample = await RegisterScenario.CreateAsync(app);
        using var company = app.Browser();
        await company.SignInAsDemoCompanyAsync();

        using var page = await company.GetAsync(sample.Path("depots"));
        Assert.Equal(HttpStatusCode.NotFound, page.StatusCode);
        foreach (var register in (string[])["retraits", "questions", "depots", "messages"])
        {
            using var export = await company.GetAsync(sample.Export(register, "csv"));
            Assert.Equal(HttpStatusCode.NotFound, export.StatusCode);
        }
        Assert.False(await app.WithDb(db => db.AuditEntries.AnyAsync(a => a.ConsultationId == sample.ConsultationId && a.Action == RegisterEndpoints.ExportedAction)));
    }

    [Fact]
    public async Task NotSignedIn_IsSentToSignIn()
    {
        var sample = await RegisterScenario.CreateAsync(app);
        using var browser = app.Browser();

        using var response = await browser.GetAsync(sample.Export("depots", "pdf"));

        Assert.Equal(HttpStatusCode.Redirect, response.StatusCode);
        Assert.Contains("/compte/connexion", response.Headers.Location!.OriginalString, StringComparison.Ordinal);
    }

    [Theory]
    [InlineData("depots", "docx")]
    [InlineData("dce", "csv")]
    public async Task UnknownRegisterOrFormat_Gets404(string register, string format)
    {
        var sample = await RegisterScenario.CreateAsync(app);
        using var agent = app.Browser();
        await agent.SignInAsDemoAgentAsync();

        using var response = await agent.GetAsync(sample.Export(register, format));

        Assert.Equal(HttpStatusCode.NotFound, response.StatusCode);
    }

    private static async Task<string> TextOfAsync(string format, byte[] bytes)
    {
        switch (format)
        {
            case "csv":
                Assert.Equal(Encoding.UTF8.Preamble.ToArray(), bytes[..3]);
                var csv = Encoding.UTF8.GetString(bytes[3..]);
                Assert.Contains("\";\"", csv.Split("\r\n")[0], StringComparison.Ordinal);
                return csv;
            case "xlsx":
                using (var workbook = new XLWorkbook(new MemoryStream(bytes)))
                {
                    return string.Join('\n', workbook.Worksheets.SelectMany(s => s.CellsUsed()).Select(c => c.GetString()));
                }
            default:
                return await RegisterScenario.PdfTextAsync(bytes);
        }
    }
}

public sealed class RegisterTestsOnSqlite(SqliteApp app) : RegisterTests(app), IClassFixture<SqliteApp>;

public sealed class RegisterTestsOnPostgres(PostgresApp app) : RegisterTests(app), IClassFixture<PostgresApp>;

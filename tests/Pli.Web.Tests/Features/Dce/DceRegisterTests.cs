using System.Net;
using System.Text.RegularExpressions;
using Pli.Web.Features.Demo;
using Pli.Web.Tests.Infrastructure;

namespace Pli.Web.Tests.Features.Dce;

public abstract partial class DceRegisterTests(PliApp app)
{
    [Fact]
    public async Task BuyerAgent_SeesIdentifiedAndAnonymousLinesWithCounts()
    {
        var sample = await DceScenario.CreateAsync(app);
        using (var company = app.Browser())
        {
            await company.SignInAsDemoCompanyAsync();
            using var zip = await company.GetAsync(sample.ZipPath);
            await zip.Content.ReadAsByteArrayAsync();
            using var file = await company.GetAsync(sample.FilePath(DceScenario.Bpu));
        }
        using (var anonymous = app.Browser())
        {
            using var confirm = await anonymous.SubmitFormAsync(sample.PagePath, new Dictionary<string, string> { ["Understood"] = "true" }, "#confirmation-anonyme");
            using var file = await anonymous.GetAsync(sample.FilePath("RC.pdf"));
        }
        using var agent = app.Browser();
        await agent.SignInAsDemoAgentAsync();

        var page = await agent.GetPageAsync(sample.RegisterPath);

        Assert.Equal("2", page.QuerySelector("#compte-identifies")!.TextContent.Trim());
        Assert.Equal("1", page.QuerySelector("#compte-entreprises")!.TextContent.Trim());
        Assert.Equal("1", page.QuerySelector("#compte-anonymes")!.TextContent.Trim());
        var rows = page.QuerySelectorAll("#registre tbody tr").Select(r => r.QuerySelectorAll("td").Select(td => td.TextContent.Trim()).ToList()).ToList();
        Assert.Equal(3, rows.Count);
        Assert.All(rows, r => Assert.Matches(ParisSecond(), r[0]));
        var identified = rows.Where(r => r[1].Contains("BTP Démo SARL", StringComparison.Ordinal)).ToList();
        Assert.Equal(2, identified.Count);
        Assert.All(identified, r =>
        {
            Assert.Contains("44321010900015", r[1], StringComparison.Ordinal);
            Assert.Contains("Camille Candidate", r[2], StringComparison.Ordinal);
            Assert.Contains(DemoData.CompanyEmail, r[2], StringComparison.Ordinal);
        });
        Assert.Contains(identified, r => r[3] == "DCE complet");
        Assert.Contains(identified, r => r[3] == DceScenario.Bpu);
        var anonymousRow = Assert.Single(rows, r => r[1] == "Anonyme");
        Assert.Equal("RC.pdf", anonymousRow[3]);
        Assert.DoesNotContain("Camille", anonymousRow[2], StringComparison.Ordinal);
    }

    [Fact]
    public async Task BuyerAgent_OnAnEmptyRegister_SeesZeroCounts()
    {
        var sample = await DceScenario.CreateAsync(app);
        using var agent = app.Browser();
        await agent.SignInAsDemoAgentAsync();

        var page = await agent.GetPageAsync(sample.RegisterPath);

        Assert.Equal("0", page.QuerySelector("#compte-identifies")!.TextContent.Trim());
        Assert.Null(page.QuerySelector("#registre"));
    }

    [Fact]
    public async Task AgentOfAnotherOrganisation_Gets404()
    {
        var sample = await DceScenario.CreateAsync(app);
        var email = await DceScenario.CreateOtherBuyerAgentAsync(app);
        using var browser = app.Browser();
        await browser.SignInAsync(email, DemoData.Password, DemoData.TotpSecret);

        using var response = await browser.GetAsync(sample.RegisterPath);

        Assert.Equal(HttpStatusCode.NotFound, response.StatusCode);
    }

    [Fact]
    public async Task CompanyUser_Gets404()
    {
        var sample = await DceScenario.CreateAsync(app);
        using var browser = app.Browser();
        await browser.SignInAsDemoCompanyAsync();

        using var response = await browser.GetAsync(sample.RegisterPath);

        Assert.Equal(HttpStatusCode.NotFound, response.StatusCode);
    }

    [Fact]
    public async Task NotSignedIn_IsSentToSignIn()
    {
        var sample = await DceScenario.CreateAsync(app);
        using var browser = app.Browser();

        using var response = await browser.GetAsync(sample.RegisterPath);

        Assert.Equal(HttpStatusCode.Redirect, response.StatusCode);
        Assert.Contains("/compte/connexion", response.Headers.Location!.OriginalString, StringComparison.Ordinal);
    }

    [Fact]
    public async Task UnknownConsultation_Gets404()
    {
        using var agent = app.Browser();
        await agent.SignInAsDemoAgentAsync();

        using var response = await agent.GetAsync($"/acheteur/consultations/{Guid.NewGuid()}/retraits");

        Assert.Equal(HttpStatusCode.NotFound, response.StatusCode);
    }

    /// <summary>"01/06/2026 10:00:00 (heure de Paris, UTC+02:00)": Paris time, to the second, with the zone.</summary>
    [GeneratedRegex(@"^\d{2}/\d{2}/\d{4} \d{2}:\d{2}:\d{2} \(heure de Paris, UTC\+0[12]:00\)$")]
    private static partial Regex ParisSecond();
}

public sealed class DceRegisterTestsOnSqlite(SqliteApp app) : DceRegisterTests(app), IClassFixture<SqliteApp>;

public sealed class DceRegisterTestsOnPostgres(PostgresApp app) : DceRegisterTests(app), IClassFixture<PostgresApp>;

using System.Net;
using System.Net.Http.Json;
using Pli.Web.Tests.Infrastructure;

namespace Pli.Web.Tests.Features.Backoffice;

public abstract class CpvSearchTests(PliApp app)
{
    private sealed record Suggestion(string Code, string Label);

    [Fact]
    public async Task Api_Agent_GetsMatchingCodesAsJson()
    {
        using var browser = app.Browser();
        await browser.SignInAsDemoAgentAsync();

        using var response = await browser.GetAsync("/api/cpv?q=construction%20routes");

        Assert.Equal(HttpStatusCode.OK, response.StatusCode);
        var suggestions = await response.Content.ReadFromJsonAsync<Suggestion[]>();
        Assert.Contains(suggestions!, s => s.Code == "45233120-6" && s.Label == "Travaux de construction de routes");
        Assert.True(suggestions!.Length <= 20);
    }

    [Fact]
    public async Task Api_Anonymous_Gets401()
    {
        using var browser = app.Browser();

        using var response = await browser.GetAsync("/api/cpv?q=route");

        Assert.Equal(HttpStatusCode.Unauthorized, response.StatusCode);
    }

    [Fact]
    public async Task Api_Company_IsRefused()
    {
        using var browser = app.Browser();
        await browser.SignInAsDemoCompanyAsync();

        using var response = await browser.GetAsync("/api/cpv?q=route");

        Assert.Contains(response.StatusCode, new[] { HttpStatusCode.NotFound, HttpStatusCode.Forbidden });
    }

    [Fact]
    public async Task Page_WithoutJavaScript_ListsMatches()
    {
        using var browser = app.Browser();
        await browser.SignInAsDemoAgentAsync();

        var page = await browser.GetPageAsync("/acheteur/cpv?q=nettoyage%20batiments");

        Assert.Contains(page.QuerySelectorAll("main table tbody th"), th => th.TextContent.Trim() == "90911200-8");
    }
}

public sealed class CpvSearchTestsOnSqlite(SqliteApp app) : CpvSearchTests(app), IClassFixture<SqliteApp>;

public sealed class CpvSearchTestsOnPostgres(PostgresApp app) : CpvSearchTests(app), IClassFixture<PostgresApp>;

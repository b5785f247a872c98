using System.Net;
using System.Text.Json;
using System.Text.RegularExpressions;
using AngleSharp.Html.Dom;
using Microsoft.EntityFrameworkCore;
using Microsoft.Extensions.DependencyInjection;
using Pli.Web.Features.Portal;
using Pli.Web.Tests.Infrastructure;

namespace Pli.Web.Tests.Features.Portal;

/// <summary>
/// The portal counts matches up to <see cref="PortalSearch.CountCap"/> (1,000): 1,001 consultations say
/// "plafonnement", the first 1,000 of them also "exactitude".
/// </summary>
public abstract partial class PortalCountCapTests(PliApp app)
{
    private const int Seeded = PortalSearch.CountCap + 1;

    protected async Task SeedAsync()
    {
        if (!await app.WithDb(db => db.Consultations.AnyAsync(c => c.Reference == "CAP-0000")))
        {
            await ConsultationBuilder.SeedManyAsync(app, "CAP", Seeded, i => i < PortalSearch.CountCap ? "Plafonnement exactitude" : "Plafonnement");
        }
    }

    private async Task<IHtmlDocument> PageAsync(string url)
    {
        await SeedAsync();
        using var browser = app.Browser();
        return await browser.GetPageAsync(url);
    }

    private async Task<JsonDocument> JsonAsync(string url)
    {
        await SeedAsync();
        using var browser = app.Browser();
        using var response = await browser.GetAsync(url);
        Assert.Equal(HttpStatusCode.OK, response.StatusCode);
        return JsonDocument.Parse(await response.Content.ReadAsStringAsync());
    }

    /// <summary>The announced count, its non-breaking spaces (French thousands) as plain ones.</summary>
    private static string Status(IHtmlDocument page) =>
        Spaces().Replace(page.QuerySelector("#nombre-resultats[role=status]")!.TextContent, " ").Trim();

    [GeneratedRegex(@"[\s\u00a0\u202f]+")]
    private static partial Regex Spaces();

    private static IReadOnlyList<string> Links(IHtmlDocument page, string? rel = null) =>
        [.. page.QuerySelectorAll("nav.pagination a").Where(a => rel is null || a.GetAttribute("rel") == rel).Select(a => a.GetAttribute("href")!)];

    [Fact]
    public async Task Search_MatchingMoreThanTheCap_SaysMoreThanTheCapAndAsksToRefine()
    {
        var page = await PageAsync("/?q=plafonnement");

        var status = Status(page);
        Assert.StartsWith("Plus de 1 000 consultations trouvées — Page 1", status, StringComparison.Ordinal);
        Assert.Contains("Précisez votre recherche", status, StringComparison.Ordinal);
        Assert.DoesNotContain(" sur ", status, StringComparison.Ordinal);
        Assert.Equal([.. Enumerable.Range(0, 20).Select(i => $"CAP-{i:D4}")], PortalPage.References(page));
    }

    [Fact]
    public async Task Search_MatchingMoreThanTheCap_InEnglish_SaysMoreThanTheCap()
    {
        var page = await PageAsync("/?q=plafonnement&culture=en-GB");

        Assert.StartsWith("More than 1,000 consultations found — Page 1", Status(page), StringComparison.Ordinal);
        Assert.Contains("Refine your search", Status(page), StringComparison.Ordinal);
    }

    [Fact]
    public async Task Search_MatchingExactlyTheCap_ShowsTheExactCount()
    {
        var page = await PageAsync("/?q=plafonnement+exactitude");

        var status = Status(page);
        Assert.Equal("1 000 consultations trouvées — Page 1 sur 50", status);
        Assert.Contains("/?q=plafonnement%20exactitude&page=50", Links(page));
    }

    [Fact]
    public async Task Paging_BeyondTheCap_NextLinksReachTheLastResult()
    {
        var first = await PageAsync("/?q=plafonnement");
        var fiftieth = await PageAsync("/?q=plafonnement&page=50");
        var last = await PageAsync("/?q=plafonnement&page=51");

        // The last page is not known from the first: no link claims to be it; "next" is there.
        Assert.Equal(["/?q=plafonnement&page=2"], Links(first, "next"));
        Assert.DoesNotContain("/?q=plafonnement&page=51", Links(first));
        Assert.Equal(["/?q=plafonnement&page=51"], Links(fiftieth, "next"));
        Assert.Equal(["CAP-1000"], PortalPage.References(last));
        Assert.Empty(Links(last, "next"));
        Assert.Equal("1 001 consultations trouvées — Page 51 sur 51", Status(last));
    }

    [Fact]
    public async Task Api_MatchingMoreThanTheCap_SaysTheTotalIsCapped()
    {
        using var capped = await JsonAsync("/api/consultations?q=plafonnement");
        using var exact = await JsonAsync("/api/consultations?q=plafonnement+exactitude");
        using var last = await JsonAsync("/api/consultations?q=plafonnement&page=11&pageSize=100");

        Assert.Equal(1000, capped.RootElement.GetProperty("total").GetInt32());
        Assert.True(capped.RootElement.GetProperty("totalIsCapped").GetBoolean());
        Assert.True(capped.RootElement.GetProperty("hasNextPage").GetBoolean());
        Assert.Equal(1000, exact.RootElement.GetProperty("total").GetInt32());
        Assert.False(exact.RootElement.GetProperty("totalIsCapped").GetBoolean());
        Assert.Equal(["CAP-1000"], [.. last.RootElement.GetProperty("items").EnumerateArray().Select(i => i.GetProperty("reference").GetString()!)]);
        Assert.Equal(Seeded, last.RootElement.GetProperty("total").GetInt32());
        Assert.False(last.RootElement.GetProperty("hasNextPage").GetBoolean());
    }

    [Fact]
    public async Task Api_EmptyPageRightAfterTheLastMatch_CountsTheExactTotal()
    {
        // Page 51 of 1,000 matches starts at the cap and holds nothing: no row carries the count, it is read apart.
        using var after = await JsonAsync("/api/consultations?q=plafonnement+exactitude&page=51");

        Assert.Empty(after.RootElement.GetProperty("items").EnumerateArray());
        Assert.Equal(1000, after.RootElement.GetProperty("total").GetInt32());
        Assert.False(after.RootElement.GetProperty("totalIsCapped").GetBoolean());
        Assert.False(after.RootElement.GetProperty("hasNextPage").GetBoolean());
    }

    [Fact]
    public async Task Search_TwoWordsWithinTheCap_PagesInTheDeadlineOrderWithTheExactCount()
    {
        var second = await PageAsync("/?q=plafonnement+exactitude&page=2");
        var last = await PageAsync("/?q=plafonnement+exactitude&page=50");

        Assert.Equal("1 000 consultations trouvées — Page 2 sur 50", Status(second));
        Assert.Equal([.. Enumerable.Range(20, 20).Select(i => $"CAP-{i:D4}")], PortalPage.References(second));
        Assert.Equal(["/?q=plafonnement%20exactitude&page=3"], Links(second, "next"));
        Assert.Equal([.. Enumerable.Range(980, 20).Select(i => $"CAP-{i:D4}")], PortalPage.References(last));
        Assert.Empty(Links(last, "next"));
    }

    [Fact]
    public async Task Search_TwoWordsBeyondTheCap_SaysMoreThanTheCapAndPagesToTheLastResult()
    {
        // "cap" is in every reference: the two words match all 1,001.
        var first = await PageAsync("/?q=plafonnement+cap");
        using var api = await JsonAsync("/api/consultations?q=plafonnement+cap&page=2&pageSize=100");
        using var last = await JsonAsync("/api/consultations?q=plafonnement+cap&page=11&pageSize=100");

        Assert.StartsWith("Plus de 1 000 consultations trouvées — Page 1", Status(first), StringComparison.Ordinal);
        Assert.Equal([.. Enumerable.Range(0, 20).Select(i => $"CAP-{i:D4}")], PortalPage.References(first));
        Assert.Equal(["/?q=plafonnement%20cap&page=2"], Links(first, "next"));
        Assert.Equal(1000, api.RootElement.GetProperty("total").GetInt32());
        Assert.True(api.RootElement.GetProperty("totalIsCapped").GetBoolean());
        Assert.True(api.RootElement.GetProperty("hasNextPage").GetBoolean());
        Assert.Equal("CAP-0100", api.RootElement.GetProperty("items")[0].GetProperty("reference").GetString());
        Assert.Equal(["CAP-1000"], [.. last.RootElement.GetProperty("items").EnumerateArray().Select(i => i.GetProperty("reference").GetString()!)]);
        Assert.Equal(Seeded, last.RootElement.GetProperty("total").GetInt32());
        Assert.False(last.RootElement.GetProperty("totalIsCapped").GetBoolean());
    }

    [Fact]
    public async Task Search_TwoWords_OrdersTiesAsOneWordDoes()
    {
        // Two buyers give the same references the same deadlines: only the id tells them apart, and a search of one
        // word and one of two must cut the same pages (bench/README.md, "Portal": two words may be read another way).
        if (!await app.WithDb(db => db.Consultations.AnyAsync(c => c.Reference == "EGAL-0000")))
        {
            await ConsultationBuilder.SeedManyAsync(app, "EGAL", 15, _ => "Égalité départage");
            await ConsultationBuilder.SeedManyAsync(app, "EGAL", 15, _ => "Égalité départage");
        }

        async Task<List<Guid>> IdsAsync(string q, int page)
        {
            using var json = await JsonAsync($"/api/consultations?q={q}&page={page}&pageSize=20");
            return [.. json.RootElement.GetProperty("items").EnumerateArray().Select(i => i.GetProperty("id").GetGuid())];
        }

        var oneWord = (await IdsAsync("egalite", 1)).Concat(await IdsAsync("egalite", 2)).ToList();
        var twoWords = (await IdsAsync("egalite+departage", 1)).Concat(await IdsAsync("egalite+departage", 2)).ToList();

        Assert.Equal(30, oneWord.Distinct().Count());
        Assert.Equal(oneWord, twoWords);
    }

    [Fact]
    public async Task Search_PageBeyondTheCap_SaysMoreThanTheCapWithoutCounting()
    {
        var page = await PageAsync("/?q=plafonnement&page=60");

        Assert.StartsWith("Plus de 1 000 consultations trouvées — Page 60", Status(page), StringComparison.Ordinal);
        Assert.Empty(PortalPage.References(page));
        Assert.Contains("/?q=plafonnement", Links(page, "prev")[0], StringComparison.Ordinal);
    }
}

public sealed class PortalCountCapTestsOnSqlite(SqliteApp app) : PortalCountCapTests(app), IClassFixture<SqliteApp>;

public sealed class PortalCountCapTestsOnPostgres(PostgresApp app) : PortalCountCapTests(app), IClassFixture<PostgresApp>
{
    [Fact]
    public async Task Search_OverTheCap_LeavesThePlannerSettingOfTheConnectionAsItWas()
    {
        await SeedAsync();
        await using var scope = app.Services.CreateAsyncScope();
        var consultations = scope.ServiceProvider.GetRequiredService<PublicConsultations>();
        var db = scope.ServiceProvider.GetRequiredService<Pli.Web.Infrastructure.Data.PliDbContext>();
        await db.Database.OpenConnectionAsync();

        var listing = await consultations.SearchAsync(new PortalCriteria { Words = ["plafonnement", "cap"], CountCap = PortalSearch.CountCap });
        var setting = await db.Database.SqlQueryRaw<string>("SELECT current_setting('enable_bitmapscan') AS \"Value\"").SingleAsync();

        Assert.True(listing.TotalIsCapped);
        Assert.Equal(PortalSearch.DefaultPageSize, listing.Items.Count);
        Assert.Equal("on", setting);
    }
}

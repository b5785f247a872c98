using Pli.Web.Tests.Infrastructure;

namespace Pli.Web.Tests.Features.Portal;

public abstract class PortalHomeTests(PliApp app)
{
    [Fact]
    public async Task Get_Home_ListsDemoConsultationsNearestDeadlineFirst()
    {
        using var browser = app.Browser();

        var page = await browser.GetPageAsync("/");

        var references = PortalPage.References(page);
        Assert.Equal(["2026-FCS-0107", "2026-TRV-0042", "2026-SRV-0213"], references.Where(r => r.StartsWith("2026-", StringComparison.Ordinal)));
    }

    [Fact]
    public async Task Get_Home_ShowsBuyerProcedureNatureLotsAndParisDeadlineWithZone()
    {
        using var browser = app.Browser();

        var page = await browser.GetPageAsync("/");

        var card = PortalPage.Card(page, "2026-TRV-0042");
        Assert.Contains("Reconstruction de l'échangeur de la Barasse", card, StringComparison.Ordinal);
        Assert.Contains("Métropole Démo", card, StringComparison.Ordinal);
        Assert.Contains("Appel d'offres ouvert", card, StringComparison.Ordinal);
        Assert.Contains("Travaux", card, StringComparison.Ordinal);
        Assert.Contains("3 lots", card, StringComparison.Ordinal);
        Assert.Contains("Ouvrages d'art", card, StringComparison.Ordinal);
        Assert.Contains("01/07/2026 12:00 (heure de Paris, UTC+02:00)", card, StringComparison.Ordinal);
    }

    [Fact]
    public async Task Get_Home_TitleLinksToTheStableConsultationUrl()
    {
        using var browser = app.Browser();
        var id = await ConsultationBuilder.IdOfAsync(app, "2026-SRV-0213");

        var page = await browser.GetPageAsync("/");

        Assert.Contains(page.QuerySelectorAll(".consultation h3 a"), a => a.GetAttribute("href") == $"/consultations/{id}");
    }

    [Fact]
    public async Task Get_Home_InEnglish_ShowsEnglishLabelsAndParisZone()
    {
        using var browser = app.Browser();

        var page = await browser.GetPageAsync("/?culture=en-GB");

        var card = PortalPage.Card(page, "2026-TRV-0042");
        Assert.Contains("Open procedure", card, StringComparison.Ordinal);
        Assert.Contains("(Paris time, UTC+02:00)", card, StringComparison.Ordinal);
    }

    [Fact]
    public async Task Get_Home_DoesNotListDrafts()
    {
        var draft = await new ConsultationBuilder(app).Title("Brouillon invisible").Draft().SaveAsync();
        using var browser = app.Browser();

        var page = await browser.GetPageAsync("/");

        Assert.DoesNotContain(draft.Reference, PortalPage.References(page));
    }

    [Fact]
    public async Task Get_Home_PagesTwentyAtATimeWithAccessibleLinks()
    {
        var buyer = await ConsultationBuilder.CreateBuyerAsync(app, "Ville de Pagination");
        for (var i = 0; i < 25; i++)
        {
            await new ConsultationBuilder(app).Buyer(buyer).Reference($"PAGE-{i:D2}").DeadlineIn(TimeSpan.FromDays(60 + i)).SaveAsync();
        }
        using var browser = app.Browser();

        var first = await browser.GetPageAsync($"/?buyer={buyer}");
        var second = await browser.GetPageAsync($"/?buyer={buyer}&page=2");

        Assert.Equal([.. Enumerable.Range(0, 20).Select(i => $"PAGE-{i:D2}")], PortalPage.References(first));
        Assert.Equal([.. Enumerable.Range(20, 5).Select(i => $"PAGE-{i:D2}")], PortalPage.References(second));
        var nav = first.QuerySelector("nav.pagination")!;
        Assert.False(string.IsNullOrEmpty(nav.GetAttribute("aria-label")));
        Assert.Equal($"/?buyer={buyer}", nav.QuerySelector("a[aria-current=page]")!.GetAttribute("href"));
        Assert.Contains(nav.QuerySelectorAll("a"), a => a.GetAttribute("href") == $"/?buyer={buyer}&page=2" && a.GetAttribute("rel") == "next");
        Assert.Contains("25 consultations", first.QuerySelector("#nombre-resultats")!.TextContent, StringComparison.Ordinal);
    }

    [Fact]
    public async Task Get_Home_PageBeyondTheLast_SaysSoWithoutError()
    {
        using var browser = app.Browser();

        var page = await browser.GetPageAsync("/?page=500");

        Assert.Empty(PortalPage.References(page));
        Assert.Contains("n'existe pas", page.QuerySelector("main")!.TextContent, StringComparison.Ordinal);
    }
}

public sealed class PortalHomeTestsOnSqlite(SqliteApp app) : PortalHomeTests(app), IClassFixture<SqliteApp>;

public sealed class PortalHomeTestsOnPostgres(PostgresApp app) : PortalHomeTests(app), IClassFixture<PostgresApp>;

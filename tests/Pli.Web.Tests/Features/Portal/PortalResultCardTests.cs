using System.Net;
using System.Text.Json;
using Pli.Web.Tests.Infrastructure;

namespace Pli.Web.Tests.Features.Portal;

/// <summary>
/// The list reads result cards (a few columns and the lots, not whole rows) with the page and its count in one query,
/// and renders the buyer select from options encoded once: what a visitor sees stays what the whole rows gave.
/// </summary>
public abstract class PortalResultCardTests(PliApp app)
{
    [Fact]
    public async Task Card_WithLots_ShowsThemInNumberOrderWithTheirCount()
    {
        var consultation = await new ConsultationBuilder(app).Title("Carte à lots vérifiée")
            .Lot("Gros œuvre").Lot("Charpente").Lot("Électricité").SaveAsync();
        using var browser = app.Browser();

        var page = await browser.GetPageAsync("/?q=carte+lots+verifiee");

        var card = page.QuerySelector(".consultation .lots")!;
        Assert.Equal("3 lots", card.QuerySelector(".lot-count")!.TextContent.Trim());
        Assert.Equal(["Lot n° 1 : Gros œuvre", "Lot n° 2 : Charpente", "Lot n° 3 : Électricité"],
            [.. card.QuerySelectorAll("li").Select(li => li.TextContent.Trim())]);
        Assert.Equal([consultation.Reference], PortalPage.References(page));
    }

    [Fact]
    public async Task Search_OverSeveralPages_PageListsTheSameConsultationsInTheSameOrderAsTheApi()
    {
        await ConsultationBuilder.SeedManyAsync(app, "CARD", 45, i => i % 2 == 0 ? "Concordance paire" : "Concordance impaire");
        using var browser = app.Browser();

        var pages = new List<string>();
        var api = new List<string>();
        for (var number = 1; number <= 2; number++)
        {
            pages.AddRange(PortalPage.References(await browser.GetPageAsync($"/?q=concordance&page={number}")));
            using var response = await browser.GetAsync($"/api/consultations?q=concordance&page={number}");
            Assert.Equal(HttpStatusCode.OK, response.StatusCode);
            using var json = JsonDocument.Parse(await response.Content.ReadAsStringAsync());
            api.AddRange(json.RootElement.GetProperty("items").EnumerateArray().Select(i => i.GetProperty("reference").GetString()!));
            Assert.Equal(45, json.RootElement.GetProperty("total").GetInt32());
        }

        Assert.Equal([.. Enumerable.Range(0, 40).Select(i => $"CARD-{i:D4}")], pages);
        Assert.Equal(pages, api);
    }

    [Fact]
    public async Task BuyerSelect_BuyerNameWithMarkup_IsEncoded()
    {
        await new ConsultationBuilder(app).NewBuyer("<script>alert('acheteur')</script> Ville Balisée").SaveAsync();
        using var browser = app.Browser();

        using var response = await browser.GetAsync("/");
        var html = await response.Content.ReadAsStringAsync();
        var page = await browser.GetPageAsync("/");

        Assert.DoesNotContain("<script>alert('acheteur')", html, StringComparison.Ordinal);
        Assert.Contains("<script>alert('acheteur')</script> Ville Balisée",
            page.QuerySelectorAll("select#buyer option").Select(o => o.TextContent));
    }

    [Fact]
    public async Task BuyerSelect_ChosenBuyer_IsTheOnlySelectedOption()
    {
        var chosen = await new ConsultationBuilder(app).NewBuyer("Ville Choisie Seule").SaveAsync();
        await new ConsultationBuilder(app).NewBuyer("Ville Pas Choisie").SaveAsync();
        using var browser = app.Browser();

        // Typed in capitals: a GUID is the same whatever its case.
        var page = await browser.GetPageAsync($"/?buyer={chosen.OrganisationId.ToString().ToUpperInvariant()}");

        var selected = page.QuerySelectorAll("select#buyer option[selected]").Select(o => o.GetAttribute("value")).ToList();
        Assert.Equal([chosen.OrganisationId.ToString()], selected);
        Assert.Equal([chosen.Reference], PortalPage.References(page));
    }

    [Fact]
    public async Task BuyerSelect_NoBuyerChosen_SelectsNoBuyer()
    {
        await new ConsultationBuilder(app).NewBuyer("Ville Non Présélectionnée").SaveAsync();
        using var browser = app.Browser();

        var page = await browser.GetPageAsync("/?buyer=" + Guid.NewGuid());

        Assert.Empty(page.QuerySelectorAll("select#buyer option[selected]"));
    }
}

public sealed class PortalResultCardTestsOnSqlite(SqliteApp app) : PortalResultCardTests(app), IClassFixture<SqliteApp>;

public sealed class PortalResultCardTestsOnPostgres(PostgresApp app) : PortalResultCardTests(app), IClassFixture<PostgresApp>;

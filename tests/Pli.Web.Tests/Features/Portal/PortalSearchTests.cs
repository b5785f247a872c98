using System.Net;
using AngleSharp.Dom;
using Pli.Domain.Consultations;
using Pli.Web.Tests.Infrastructure;

namespace Pli.Web.Tests.Features.Portal;

public abstract class PortalSearchTests(PliApp app)
{
    [Theory]
    [InlineData("quixotine", true)]
    [InlineData("QUIXOT", true)]
    [InlineData("barnabe", true)]
    [InlineData("l'École quixotine", true)]
    [InlineData("Quixotine-Barnabé", true)]
    [InlineData("vorpal etud", true)]
    [InlineData("qxb 0007", true)]
    [InlineData("rehab hydrofuge", true)]
    [InlineData("ixotine", false)]
    [InlineData("arnabe", false)]
    [InlineData("eau", false)]
    [InlineData("quixotine eau", false)]
    [InlineData("d’ l’ ---", true)]
    public async Task Search_ByKeywords_FindsWordsByTheirStartOnEveryDatabase(string q, bool found)
    {
        // "eau" is only inside "bureau" and "réseau"; "ixotine" and "arnabe" only inside words. Lone letters and
        // hyphens are no words: the search is then no keyword search at all, and lists the buyer's consultation.
        var buyer = await ConsultationBuilder.CreateBuyerAsync(app, "Ville des mots " + Guid.NewGuid().ToString("N")[..6]);
        await new ConsultationBuilder(app).Buyer(buyer).Reference("2026-QXB-0007")
            .Title("Réhabilitation de l'École Quixotine-Barnabé").Object("Bureau d'études Vorpalix, réseau").Lot("Enduit hydrofuge").SaveAsync();
        using var browser = app.Browser();

        var page = await browser.GetPageAsync($"/?q={Uri.EscapeDataString(q)}&buyer={buyer}");
        using var response = await browser.GetAsync($"/api/consultations?q={Uri.EscapeDataString(q)}&buyer={buyer}");
        using var json = System.Text.Json.JsonDocument.Parse(await response.Content.ReadAsStringAsync());

        string[] expected = found ? ["2026-QXB-0007"] : [];
        Assert.Equal(expected, PortalPage.References(page));
        Assert.Equal(expected, json.RootElement.GetProperty("items").EnumerateArray().Select(i => i.GetProperty("reference").GetString()));
    }

    [Theory]
    [InlineData("/?reference=2026-TRV-0042")]
    [InlineData("/?reference=%20%202026-trv-0042%20")]
    [InlineData("/?q=2026-TRV-0042")]
    public async Task Search_ByExactReference_RedirectsToTheConsultation(string url)
    {
        var id = await ConsultationBuilder.IdOfAsync(app, "2026-TRV-0042");
        using var browser = app.Browser();

        using var response = await browser.GetAsync(url);

        Assert.Equal(HttpStatusCode.Redirect, response.StatusCode);
        Assert.Equal($"/consultations/{id}", response.Headers.Location!.OriginalString);
    }

    [Fact]
    public async Task Search_ByAccentedReferenceInAnotherCase_RedirectsOnEveryDatabase()
    {
        // SQLite's upper() folds ASCII only: the comparison reads a key computed by .NET instead.
        var consultation = await new ConsultationBuilder(app).Reference("2026-éco-été").SaveAsync();
        using var browser = app.Browser();

        using var response = await browser.GetAsync("/?reference=" + Uri.EscapeDataString("2026-ÉCO-ÉTÉ"));

        Assert.Equal(HttpStatusCode.Redirect, response.StatusCode);
        Assert.Equal($"/consultations/{consultation.Id}", response.Headers.Location!.OriginalString);
    }

    [Fact]
    public async Task Search_ByReferenceSharedByTwoBuyers_ListsBothInsteadOfRedirecting()
    {
        var first = await new ConsultationBuilder(app).Reference("PARTAGE-2026-01").NewBuyer("Commune A").SaveAsync();
        var second = await new ConsultationBuilder(app).Reference("PARTAGE-2026-01").NewBuyer("Commune B").SaveAsync();
        using var browser = app.Browser();

        var page = await browser.GetPageAsync("/?reference=partage-2026-01");

        Assert.Equal(["PARTAGE-2026-01", "PARTAGE-2026-01"], PortalPage.References(page));
        Assert.Contains(page.QuerySelectorAll(".consultation h3 a"), a => a.GetAttribute("href") == $"/consultations/{first.Id}");
        Assert.Contains(page.QuerySelectorAll(".consultation h3 a"), a => a.GetAttribute("href") == $"/consultations/{second.Id}");
        Assert.Contains("Plusieurs acheteurs", page.QuerySelector("main")!.TextContent, StringComparison.Ordinal);
    }

    [Fact]
    public async Task Search_ByReferenceSharedByTwoBuyers_WithBuyerChosen_Redirects()
    {
        var first = await new ConsultationBuilder(app).Reference("PARTAGE-2026-02").NewBuyer("Commune C").SaveAsync();
        await new ConsultationBuilder(app).Reference("PARTAGE-2026-02").NewBuyer("Commune D").SaveAsync();
        using var browser = app.Browser();

        using var response = await browser.GetAsync($"/?reference=PARTAGE-2026-02&buyer={first.OrganisationId}");

        Assert.Equal(HttpStatusCode.Redirect, response.StatusCode);
        Assert.Equal($"/consultations/{first.Id}", response.Headers.Location!.OriginalString);
    }

    [Fact]
    public async Task Search_ByReferenceOfADraft_DoesNotRevealIt()
    {
        var draft = await new ConsultationBuilder(app).Draft().SaveAsync();
        using var browser = app.Browser();

        var page = await browser.GetPageAsync($"/?reference={draft.Reference}");

        Assert.Empty(PortalPage.References(page));
        Assert.Contains($"Aucune consultation publiée ne porte la référence « {draft.Reference} »", page.QuerySelector("main")!.TextContent, StringComparison.Ordinal);
    }

    [Theory]
    [InlineData("echangeur")]
    [InlineData("ECHANGEUR barasse")]
    [InlineData("Échangeur")]
    [InlineData("signalisation")]
    public async Task Search_ByKeywords_IgnoresAccentsAndCaseAndReadsLotTitles(string q)
    {
        using var browser = app.Browser();

        var page = await browser.GetPageAsync($"/?q={Uri.EscapeDataString(q)}");

        Assert.Equal(["2026-TRV-0042"], PortalPage.References(page));
    }

    [Fact]
    public async Task Search_ByKeywords_RequiresEveryWord()
    {
        using var browser = app.Browser();

        var page = await browser.GetPageAsync("/?q=echangeur+mobilier");

        Assert.Empty(PortalPage.References(page));
        Assert.Contains("Aucune consultation ne correspond à votre recherche", page.QuerySelector("main")!.TextContent, StringComparison.Ordinal);
    }

    [Theory]
    [InlineData("Bouches-du-Rhône")]
    [InlineData("bouches du rhone")]
    [InlineData("  BOUCHES-DU-RHONE ")]
    [InlineData("du rhône")]
    public async Task Filter_ByPlace_IgnoresAccentsCaseAndHyphens(string place)
    {
        var buyer = await ConsultationBuilder.CreateBuyerAsync(app, "Département du Lieu");
        var matching = await new ConsultationBuilder(app).Buyer(buyer).Place("Marseille, Bouches-du-Rhône (13)").SaveAsync();
        await new ConsultationBuilder(app).Buyer(buyer).Place("Lyon, Rhône (69)").SaveAsync();
        await new ConsultationBuilder(app).Buyer(buyer).Place("Bouches de l'Escaut").SaveAsync();
        using var browser = app.Browser();

        var page = await browser.GetPageAsync($"/?buyer={buyer}&place={Uri.EscapeDataString(place)}");

        Assert.Equal([matching.Reference], PortalPage.References(page));
        Assert.Equal(place, page.QuerySelector<AngleSharp.Html.Dom.IHtmlInputElement>("#place")!.Value);
    }

    [Fact]
    public async Task Filter_ByPlace_KeepsItInThePaginationLinks()
    {
        var buyer = await ConsultationBuilder.CreateBuyerAsync(app, "Ville des Pages du Lieu");
        for (var i = 0; i < 21; i++)
        {
            await new ConsultationBuilder(app).Buyer(buyer).Place("Saint-Étienne").DeadlineIn(TimeSpan.FromDays(60 + i)).SaveAsync();
        }
        using var browser = app.Browser();

        var page = await browser.GetPageAsync($"/?buyer={buyer}&place=saint+etienne");

        Assert.Contains("21 consultations", page.QuerySelector("#nombre-resultats")!.TextContent, StringComparison.Ordinal);
        var next = page.QuerySelector("nav.pagination a[rel=next]")!.GetAttribute("href")!;
        Assert.Equal($"/?buyer={buyer}&place=saint%20etienne&page=2", next);
        Assert.Single(PortalPage.References(await browser.GetPageAsync(next)));
    }

    [Fact]
    public async Task Filter_ByBuyer_ListsOnlyThatBuyersConsultations()
    {
        var other = await new ConsultationBuilder(app).NewBuyer("Ville de Filtre").SaveAsync();
        var demo = await ConsultationBuilder.DemoBuyerIdAsync(app);
        using var browser = app.Browser();

        var otherPage = await browser.GetPageAsync($"/?buyer={other.OrganisationId}");
        var demoPage = await browser.GetPageAsync($"/?buyer={demo}");

        Assert.Equal([other.Reference], PortalPage.References(otherPage));
        Assert.Equal(["2026-FCS-0107", "2026-TRV-0042", "2026-SRV-0213"], PortalPage.References(demoPage));
    }

    [Fact]
    public async Task Filter_BuyerSelect_OffersBuyersWithPublishedConsultations()
    {
        var other = await new ConsultationBuilder(app).NewBuyer("Ville Sélectionnable").SaveAsync();
        var draftOnly = await new ConsultationBuilder(app).NewBuyer("Ville Sans Publication").Draft().SaveAsync();
        using var browser = app.Browser();

        var page = await browser.GetPageAsync("/");

        var options = page.QuerySelectorAll("select#buyer option").Select(o => o.GetAttribute("value")).ToList();
        Assert.Contains(other.OrganisationId.ToString(), options);
        Assert.DoesNotContain(draftOnly.OrganisationId.ToString(), options);
        Assert.NotNull(page.QuerySelector("label[for=buyer]"));
    }

    [Theory]
    [InlineData("nature=travaux", "2026-TRV-0042")]
    [InlineData("nature=Fournitures", "2026-FCS-0107")]
    [InlineData("nature=services", "2026-SRV-0213")]
    [InlineData("procedure=ProcedureAdaptee", "2026-FCS-0107")]
    [InlineData("cpv=45", "2026-TRV-0042")]
    [InlineData("cpv=45000000", "2026-TRV-0042")]
    [InlineData("cpv=45233120", "2026-TRV-0042")]
    [InlineData("cpv=45233120-6", "2026-TRV-0042")]
    [InlineData("cpv=39", "2026-FCS-0107")]
    [InlineData("deadlineFrom=2026-06-22&deadlineTo=2026-06-22", "2026-FCS-0107")]
    [InlineData("deadlineFrom=2026-06-23&deadlineTo=01/07/2026", "2026-TRV-0042")]
    [InlineData("deadlineFrom=2026-07-02", "2026-SRV-0213")]
    [InlineData("place=aix+en+provence", "2026-FCS-0107")]
    [InlineData("place=AUBAGNE", "2026-SRV-0213")]
    [InlineData("place=13011", "2026-TRV-0042")]
    public async Task Filter_OnDemoData_KeepsOnlyMatchingConsultations(string query, string expected)
    {
        var demo = await ConsultationBuilder.DemoBuyerIdAsync(app);
        using var browser = app.Browser();

        var page = await browser.GetPageAsync($"/?buyer={demo}&{query}");

        Assert.Equal([expected], PortalPage.References(page));
    }

    [Fact]
    public async Task Filter_ByProcedure_AppelOffresOuvert_KeepsBothOpenProcedures()
    {
        var demo = await ConsultationBuilder.DemoBuyerIdAsync(app);
        using var browser = app.Browser();

        var page = await browser.GetPageAsync($"/?buyer={demo}&procedure=AppelOffresOuvert");

        Assert.Equal(["2026-TRV-0042", "2026-SRV-0213"], PortalPage.References(page));
    }

    [Theory]
    [InlineData("nature=bois", "nature", "La nature « bois » n'existe pas")]
    [InlineData("nature=1", "nature", "n'existe pas")]
    [InlineData("procedure=Gre", "procedure", "Le type de procédure « Gre » n'existe pas")]
    [InlineData("cpv=4", "cpv", "Le code CPV « 4 » n'est pas valide")]
    [InlineData("cpv=abc", "cpv", "n'est pas valide")]
    [InlineData("deadlineFrom=31/02/2026", "deadlineFrom", "La date « 31/02/2026 » n'est pas valide")]
    [InlineData("deadlineTo=demain", "deadlineTo", "n'est pas valide")]
    [InlineData("deadlineFrom=2026-08-01&deadlineTo=2026-07-01", "deadlineTo", "La date de début doit précéder")]
    [InlineData("buyer=pas-un-identifiant", "buyer", "L'acheteur choisi n'est pas valide")]
    [InlineData("reference=REFERENCE-BIEN-TROP-LONGUE-POUR-ETRE-UNE-REFERENCE-DE-CONSULTATION", "reference", "au plus 50 caractères")]
    [InlineData("q=un+deux+trois+quatre+cinq+six+sept+huit+neuf+dix+onze", "q", "Saisissez au plus 10 mots-clés")]
    [InlineData("place=Marseille-Marseille-Marseille-Marseille-Marseille-Marseille-Marseille-Marseille-Marseille-Marseille-Marseille", "place", "Le lieu d'exécution recherché compte au plus 100 caractères")]
    public async Task Filter_WithInvalidValue_ShowsAClearMessageLinkedToTheField(string query, string field, string message)
    {
        using var browser = app.Browser();

        var page = await browser.GetPageAsync($"/?{query}");

        Assert.Contains(message, PortalPage.Errors(page), StringComparison.Ordinal);
        Assert.NotNull(page.QuerySelector($"#erreurs a[href='#{field}']"));
        Assert.NotNull(page.QuerySelector($"#{field}[aria-invalid=true]"));
        Assert.Empty(PortalPage.References(page));
    }

    [Theory]
    [InlineData("0")]
    [InlineData("-1")]
    [InlineData("99999999999")]
    [InlineData("deux")]
    public async Task Get_Home_WithInvalidPageNumber_ShowsAClearMessage(string number)
    {
        using var browser = app.Browser();

        var page = await browser.GetPageAsync($"/?page={number}");

        Assert.Contains("Le numéro de page doit être un nombre entier entre 1 et", PortalPage.Errors(page), StringComparison.Ordinal);
    }

    [Fact]
    public async Task Filter_WithAllValues_KeepsThemInTheForm()
    {
        var demo = await ConsultationBuilder.DemoBuyerIdAsync(app);
        using var browser = app.Browser();

        var page = await browser.GetPageAsync($"/?q=echangeur&buyer={demo}&nature=travaux&procedure=AppelOffresOuvert&cpv=45&place=marseille&deadlineFrom=2026-06-01&deadlineTo=2026-12-31");

        Assert.Equal(["2026-TRV-0042"], PortalPage.References(page));
        Assert.Equal("marseille", page.QuerySelector<AngleSharp.Html.Dom.IHtmlInputElement>("#place")!.Value);
        Assert.Equal("echangeur", page.QuerySelector<AngleSharp.Html.Dom.IHtmlInputElement>("#q")!.Value);
        Assert.Equal(demo.ToString(), page.QuerySelector<AngleSharp.Html.Dom.IHtmlSelectElement>("#buyer")!.Value);
        Assert.Equal("travaux", page.QuerySelector<AngleSharp.Html.Dom.IHtmlSelectElement>("#nature")!.Value);
        Assert.Equal("AppelOffresOuvert", page.QuerySelector<AngleSharp.Html.Dom.IHtmlSelectElement>("#procedure")!.Value);
        Assert.Equal("2026-06-01", page.QuerySelector<AngleSharp.Html.Dom.IHtmlInputElement>("#deadlineFrom")!.Value);
    }

    [Fact]
    public async Task SearchForm_IsAGetFormThatWorksWithoutJavaScript()
    {
        using var browser = app.Browser();

        var page = await browser.GetPageAsync("/");

        var form = page.QuerySelector<AngleSharp.Html.Dom.IHtmlFormElement>("form[role=search]")!;
        Assert.Equal("get", form.Method, ignoreCase: true);
        foreach (var name in new[] { "reference", "q", "buyer", "nature", "procedure", "cpv", "place", "deadlineFrom", "deadlineTo" })
        {
            Assert.NotNull(form.QuerySelector($"[name={name}]#{name}"));
            Assert.NotNull(page.QuerySelector($"label[for={name}]"));
        }
    }

    [Fact]
    public async Task Search_WithNatureFilterOnOtherBuyer_UsesTheEnumOfTheDomain()
    {
        var works = await new ConsultationBuilder(app).NewBuyer("Ville aux Travaux").Nature(Nature.Travaux).Cpv("45000000-7").SaveAsync();
        using var browser = app.Browser();

        var page = await browser.GetPageAsync($"/?buyer={works.OrganisationId}&nature=travaux&cpv=45");

        Assert.Equal([works.Reference], PortalPage.References(page));
    }
}

public sealed class PortalSearchTestsOnSqlite(SqliteApp app) : PortalSearchTests(app), IClassFixture<SqliteApp>;

public sealed class PortalSearchTestsOnPostgres(PostgresApp app) : PortalSearchTests(app), IClassFixture<PostgresApp>;

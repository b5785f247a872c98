using System.Net;
using Microsoft.EntityFrameworkCore;
using Pli.Domain.Alerts;
using Pli.Web.Tests.Features.Portal;
using Pli.Web.Tests.Infrastructure;

namespace Pli.Web.Tests.Features.Alerts;

/// <summary>Saving the portal's search, listing, changing and deleting saved searches; each refusal with the check it proves.</summary>
public abstract class SavedSearchPageTests(PliApp app)
{
    private readonly AlertScenario _alerts = new(app);

    [Fact]
    public async Task PortalResults_ForACompanyUser_OfferToSaveTheSearchWithItsCriteria()
    {
        var (user, browser) = await _alerts.SignedInUserAsync();
        using var _ = browser;
        var word = AlertScenario.UniqueWord();

        var results = await browser.GetPageAsync($"/?q={word}&nature=travaux&cpv=45&page=2");
        var link = results.QuerySelector("a#enregistrer-recherche")!;
        var savePage = await browser.GetPageAsync(link.GetAttribute("href")!);

        Assert.Equal($"/alertes/enregistrer?q={word}&nature=travaux&cpv=45", link.GetAttribute("href"));
        Assert.Contains("Enregistrer cette recherche (alerte)", link.TextContent, StringComparison.Ordinal);
        var criteria = savePage.QuerySelector(".criteria")!.TextContent;
        Assert.Contains(word, criteria, StringComparison.Ordinal);
        Assert.Contains("Travaux", criteria, StringComparison.Ordinal);
        Assert.Empty(await _alerts.SearchesOfAsync(user.Id));
    }

    [Fact]
    public async Task Save_WithAPlace_StoresItAndShowsItAmongTheCriteria()
    {
        var (user, browser) = await _alerts.SignedInUserAsync();
        using var _ = browser;

        var results = await browser.GetPageAsync("/?place=Bouches-du-Rh%C3%B4ne&nature=travaux");
        var link = results.QuerySelector("a#enregistrer-recherche")!.GetAttribute("href")!;
        await AlertScenario.SaveOkAsync(browser, link[(link.IndexOf('?', StringComparison.Ordinal) + 1)..], "Travaux du 13");

        var saved = await _alerts.OnlySearchOfAsync(user.Id);
        Assert.Equal("nature=travaux&place=Bouches-du-Rh%C3%B4ne", saved.Criteria);
        var row = (await browser.GetPageAsync("/alertes")).QuerySelector($"#alerte-{saved.Id}")!;
        var criteria = row.QuerySelectorAll(".criteria dt").Zip(row.QuerySelectorAll(".criteria dd"), (dt, dd) => (dt.TextContent, dd.TextContent));
        Assert.Contains(("Lieu d'exécution", "Bouches-du-Rhône"), criteria);
    }

    [Fact]
    public async Task PortalResults_ForAVisitor_HaveNoSaveButton()
    {
        using var browser = app.Browser();

        var results = await browser.GetPageAsync("/?q=voirie");

        Assert.Null(results.QuerySelector("a#enregistrer-recherche"));
    }

    [Fact]
    public async Task Save_FromThePortalCriteria_StoresTheSameCriteriaAndListsThem()
    {
        var (user, browser) = await _alerts.SignedInUserAsync();
        using var _ = browser;
        var buyer = await ConsultationBuilder.DemoBuyerIdAsync(app);

        await AlertScenario.SaveOkAsync(browser, $"q=voirie&buyer={buyer}&procedure=AppelOffresOuvert&cpv=45", "Voirie métropole");

        var saved = await _alerts.OnlySearchOfAsync(user.Id);
        Assert.Equal("Voirie métropole", saved.Name);
        Assert.Equal($"q=voirie&buyer={buyer}&procedure=AppelOffresOuvert&cpv=45", saved.Criteria);
        Assert.True(saved.DailyDigest);
        var list = await browser.GetPageAsync("/alertes");
        var row = list.QuerySelector($"#alerte-{saved.Id}")!;
        Assert.Equal("Voirie métropole", row.QuerySelector(".name")!.TextContent);
        Assert.Contains("voirie", row.TextContent, StringComparison.Ordinal);
        Assert.Contains("Métropole Démo", row.TextContent, StringComparison.Ordinal);
        Assert.Contains("Appel d'offres ouvert", row.TextContent, StringComparison.Ordinal);
        Assert.Equal("Activé", row.QuerySelector(".digest")!.TextContent);
        Assert.Equal($"https://localhost/alertes/{saved.FeedToken}.atom", row.QuerySelector("a.feed")!.GetAttribute("href"));
        Assert.Equal("La recherche est enregistrée.", (await browser.GetPageAsync("/alertes?notice=enregistree")).QuerySelector("#notice")!.TextContent);
    }

    [Fact]
    public async Task List_ShowsOnlyTheUsersOwnSearches_ByName()
    {
        var (user, browser) = await _alerts.SignedInUserAsync();
        var (other, otherBrowser) = await _alerts.SignedInUserAsync();
        using var _ = browser;
        using var __ = otherBrowser;
        await AlertScenario.SaveOkAsync(browser, "q=voirie", "Voirie");
        await AlertScenario.SaveOkAsync(browser, "nature=services", "Services");
        await AlertScenario.SaveOkAsync(otherBrowser, "q=elagage", "Élagage");

        var list = await browser.GetPageAsync("/alertes");

        Assert.Equal(["Services", "Voirie"], list.QuerySelectorAll("#alertes .name").Select(e => e.TextContent));
        Assert.Equal(2, (await _alerts.SearchesOfAsync(user.Id)).Count);
        Assert.Single(await _alerts.SearchesOfAsync(other.Id));
    }

    [Fact]
    public async Task List_WithoutSearches_SaysHowToMakeOne()
    {
        var (_, browser) = await _alerts.SignedInUserAsync();
        using var __ = browser;

        var list = await browser.GetPageAsync("/alertes");

        Assert.NotNull(list.QuerySelector("#aucune-alerte"));
        Assert.Null(list.QuerySelector("#alertes"));
    }

    [Fact]
    public async Task Save_NameWithMarkup_IsShownEncoded()
    {
        var (_, browser) = await _alerts.SignedInUserAsync();
        using var __ = browser;
        await AlertScenario.SaveOkAsync(browser, "q=voirie", "<script>alert(1)</script>");

        using var response = await browser.GetAsync("/alertes");
        var html = await response.Content.ReadAsStringAsync();

        Assert.Contains("&lt;script&gt;alert(1)&lt;/script&gt;", html, StringComparison.Ordinal);
        Assert.DoesNotContain("<script>alert(1)", html, StringComparison.Ordinal);
    }

    [Fact]
    public async Task Save_WithoutName_IsRefusedAndStoresNothing()
    {
        var (user, browser) = await _alerts.SignedInUserAsync();
        using var _ = browser;

        using var response = await AlertScenario.SaveAsync(browser, "q=voirie", "   ");

        Assert.Equal(HttpStatusCode.OK, response.StatusCode);
        var page = await TestBrowser.ParseAsync(response);
        Assert.True(page.QuerySelector("#erreurs a[href='#Name']") is not null, PortalPage.Errors(page));
        Assert.Contains("Donnez un nom à cette recherche", PortalPage.Errors(page), StringComparison.Ordinal);
        Assert.Equal("voirie", page.QuerySelector("form#enregistrer input[name=q]")!.GetAttribute("value"));
        Assert.Empty(await _alerts.SearchesOfAsync(user.Id));
    }

    [Fact]
    public async Task Save_WithCriteriaThePortalRefuses_IsRefusedAndStoresNothing()
    {
        var (user, browser) = await _alerts.SignedInUserAsync();
        using var _ = browser;
        var token = await AlertScenario.AntiforgeryTokenAsync(browser);

        using var response = await browser.PostAsync("/alertes/enregistrer?nature=jardinage",
            [new("__RequestVerificationToken", token), new("nature", "jardinage"), new("Name", "Jardins")]);

        Assert.Equal(HttpStatusCode.OK, response.StatusCode);
        var page = await TestBrowser.ParseAsync(response);
        Assert.Contains("Ces critères ne sont pas valides", PortalPage.Errors(page), StringComparison.Ordinal);
        Assert.Null(page.QuerySelector("form#enregistrer"));
        Assert.Empty(await _alerts.SearchesOfAsync(user.Id));
    }

    [Fact]
    public async Task Save_BeyondTheLimitPerUser_IsRefusedWithTheReason()
    {
        var (user, browser) = await _alerts.SignedInUserAsync();
        using var _ = browser;
        await app.WithDb(async db =>
        {
            for (var i = 0; i < SavedSearch.MaxPerUser; i++)
            {
                db.SavedSearches.Add(SavedSearch.Create(user.Id, $"Recherche {i}", $"q=mot{i}", true, Guid.NewGuid().ToString("N"), i, app.Time.GetUtcNow().UtcDateTime));
            }
            await db.SaveChangesAsync();
        });

        var savePage = await browser.GetPageAsync("/alertes/enregistrer?q=voirie");
        using var response = await AlertScenario.SaveAsync(browser, "q=voirie", "Une de trop");

        Assert.Contains("nombre maximal de 20 recherches", savePage.QuerySelector("#limite")!.TextContent, StringComparison.Ordinal);
        Assert.Equal(HttpStatusCode.OK, response.StatusCode);
        Assert.Contains("Vous avez déjà 20 recherches enregistrées", PortalPage.Errors(await TestBrowser.ParseAsync(response)), StringComparison.Ordinal);
        Assert.Equal(SavedSearch.MaxPerUser, (await _alerts.SearchesOfAsync(user.Id)).Count);
    }

    [Theory]
    [InlineData("/alertes")]
    [InlineData("/alertes/enregistrer?q=voirie")]
    public async Task Visitor_IsSentToSignIn(string url)
    {
        using var browser = app.Browser();

        using var response = await browser.GetAsync(url);

        Assert.Equal(HttpStatusCode.Redirect, response.StatusCode);
        Assert.Equal("/compte/connexion", new Uri(new Uri("https://localhost"), response.Headers.Location!).AbsolutePath);
    }

    [Fact]
    public async Task Agent_OnTheAlertPages_Gets404()
    {
        using var browser = app.Browser();
        await browser.SignInAsDemoAgentAsync();

        Assert.Equal(HttpStatusCode.NotFound, await AlertScenario.StatusOfAsync(browser, "/alertes"));
        Assert.Equal(HttpStatusCode.NotFound, await AlertScenario.StatusOfAsync(browser, "/alertes/enregistrer?q=voirie"));
    }

    [Fact]
    public async Task Visitor_PostingASearch_IsSentToSignInAndNothingIsStored()
    {
        using var browser = app.Browser();
        var before = await app.WithDb(db => db.SavedSearches.CountAsync());

        using var response = await browser.PostAsync("/alertes/enregistrer?q=voirie", [new("q", "voirie"), new("Name", "Anonyme")]);

        Assert.Equal(HttpStatusCode.Redirect, response.StatusCode);
        Assert.Equal("/compte/connexion", new Uri(new Uri("https://localhost"), response.Headers.Location!).AbsolutePath);
        Assert.Equal(before, await app.WithDb(db => db.SavedSearches.CountAsync()));
    }

    [Fact]
    public async Task Delete_RemovesTheSearchAndItsFeed()
    {
        var (user, browser) = await _alerts.SignedInUserAsync();
        using var _ = browser;
        await AlertScenario.SaveOkAsync(browser, "q=voirie");
        var saved = await _alerts.OnlySearchOfAsync(user.Id);

        using var response = await browser.SubmitFormAsync("/alertes", new Dictionary<string, string>(), $"#alerte-{saved.Id} form.delete-form");

        Assert.Equal("/alertes?notice=supprimee", response.Headers.Location!.OriginalString);
        Assert.Empty(await _alerts.SearchesOfAsync(user.Id));
        Assert.Equal(HttpStatusCode.NotFound, await AlertScenario.StatusOfAsync(browser, $"/alertes/{saved.FeedToken}.atom"));
    }

    [Fact]
    public async Task Digest_TurnedOffThenOn_ShowsTheStateAndStartsFromNow()
    {
        var (user, browser) = await _alerts.SignedInUserAsync();
        using var _ = browser;
        await AlertScenario.SaveOkAsync(browser, "q=voirie");
        var saved = await _alerts.OnlySearchOfAsync(user.Id);

        using var off = await browser.SubmitFormAsync("/alertes", new Dictionary<string, string>(), $"#alerte-{saved.Id} form.digest-form");
        var listOff = await browser.GetPageAsync("/alertes");
        app.Time.Advance(TimeSpan.FromHours(3));
        using var on = await browser.SubmitFormAsync("/alertes", new Dictionary<string, string>(), $"#alerte-{saved.Id} form.digest-form");

        Assert.Equal("/alertes?notice=courriel-desactive", off.Headers.Location!.OriginalString);
        Assert.Equal("Désactivé", listOff.QuerySelector($"#alerte-{saved.Id} .digest")!.TextContent);
        Assert.Equal("/alertes?notice=courriel-active", on.Headers.Location!.OriginalString);
        var after = await _alerts.OnlySearchOfAsync(user.Id);
        Assert.True(after.DailyDigest);
        Assert.Equal(app.Time.GetUtcNow().UtcDateTime, after.LastDigestUtc);
    }

    [Theory]
    [InlineData("Delete")]
    [InlineData("Digest")]
    [InlineData("NewFeed")]
    public async Task AnotherUsersSearch_Gets404AndIsUnchanged(string handler)
    {
        var (owner, ownerBrowser) = await _alerts.SignedInUserAsync();
        var (_, intruder) = await _alerts.SignedInUserAsync();
        using var _ = ownerBrowser;
        using var __ = intruder;
        await AlertScenario.SaveOkAsync(ownerBrowser, "q=voirie");
        var saved = await _alerts.OnlySearchOfAsync(owner.Id);
        var token = await AlertScenario.AntiforgeryTokenAsync(intruder);

        using var response = await intruder.PostAsync($"/alertes?handler={handler}&id={saved.Id}",
            [new("__RequestVerificationToken", token), new("on", "false")]);

        Assert.Equal(HttpStatusCode.NotFound, response.StatusCode);
        var after = await _alerts.OnlySearchOfAsync(owner.Id);
        Assert.True(after.DailyDigest);
        Assert.Equal(saved.FeedToken, after.FeedToken);
        Assert.DoesNotContain(saved.Id.ToString(), await (await intruder.GetAsync("/alertes")).Content.ReadAsStringAsync(), StringComparison.Ordinal);
    }

    [Fact]
    public async Task OwnSearch_WithTheSameRequest_IsChanged()
    {
        // The counterpart of the 404 test: the same post by the owner works, so the 404 is the ownership check.
        var (owner, browser) = await _alerts.SignedInUserAsync();
        using var _ = browser;
        await AlertScenario.SaveOkAsync(browser, "q=voirie");
        var saved = await _alerts.OnlySearchOfAsync(owner.Id);
        var token = await AlertScenario.AntiforgeryTokenAsync(browser);

        using var response = await browser.PostAsync($"/alertes?handler=Digest&id={saved.Id}", [new("__RequestVerificationToken", token), new("on", "false")]);

        Assert.Equal(HttpStatusCode.Redirect, response.StatusCode);
        Assert.False((await _alerts.OnlySearchOfAsync(owner.Id)).DailyDigest);
    }
}

public sealed class SavedSearchPageTestsOnSqlite(SqliteApp app) : SavedSearchPageTests(app), IClassFixture<SqliteApp>;

public sealed class SavedSearchPageTestsOnPostgres(PostgresApp app) : SavedSearchPageTests(app), IClassFixture<PostgresApp>;

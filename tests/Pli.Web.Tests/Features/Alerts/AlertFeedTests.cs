using System.Net;
using System.Xml.Linq;
using Pli.Web.Tests.Features.Portal;
using Pli.Web.Tests.Features.Shared;
using Pli.Web.Tests.Infrastructure;

namespace Pli.Web.Tests.Features.Alerts;

/// <summary>A saved search's Atom feed: public by its unguessable token, nothing else.</summary>
public abstract class AlertFeedTests(PliApp app)
{
    private static readonly XNamespace Atom = "http://www.w3.org/2005/Atom";
    private readonly AlertScenario _alerts = new(app);

    [Fact]
    public async Task Feed_IsAtomWithTheMatchingConsultationsNewestFirst()
    {
        var word = AlertScenario.UniqueWord();
        var (user, browser) = await _alerts.SignedInUserAsync();
        using var _ = browser;
        await AlertScenario.SaveOkAsync(browser, $"q={word}", "Quais");
        var first = await new ConsultationBuilder(app).Title($"Réfection {word} des quais").SaveAsync();
        app.Time.Advance(TimeSpan.FromMinutes(1));
        var second = await new ConsultationBuilder(app).Title($"Éclairage {word}").SaveAsync();
        var unrelated = await new ConsultationBuilder(app).Title("Réfection des quais").SaveAsync();
        var saved = await _alerts.OnlySearchOfAsync(user.Id);
        using var reader = app.Browser();

        using var response = await reader.GetAsync($"/alertes/{saved.FeedToken}.atom");

        Assert.Equal(HttpStatusCode.OK, response.StatusCode);
        Assert.Equal("application/atom+xml", response.Content.Headers.ContentType!.MediaType);
        var feed = XDocument.Parse(await response.Content.ReadAsStringAsync()).Root!;
        Assert.Equal(Atom + "feed", feed.Name);
        Assert.Equal($"urn:uuid:{saved.Id}", feed.Element(Atom + "id")!.Value);
        Assert.NotNull(feed.Element(Atom + "updated"));
        Assert.Equal("Pli", feed.Element(Atom + "author")!.Element(Atom + "name")!.Value);
        var entries = feed.Elements(Atom + "entry").ToList();
        Assert.Equal([$"{second.Reference} — Éclairage {word}", $"{first.Reference} — Réfection {word} des quais"],
            entries.Select(e => e.Element(Atom + "title")!.Value));
        var entry = entries[1];
        Assert.Equal($"urn:uuid:{first.Id}", entry.Element(Atom + "id")!.Value);
        Assert.Equal($"https://localhost/consultations/{first.Id}", entry.Element(Atom + "link")!.Attribute("href")!.Value);
        Assert.True(DateTimeOffset.TryParse(entry.Element(Atom + "updated")!.Value, out var updated));
        Assert.Equal(first.PublishedUtc, updated.UtcDateTime);
        Assert.Contains("(heure de Paris", entry.Element(Atom + "summary")!.Value, StringComparison.Ordinal);
        Assert.DoesNotContain(entries, e => e.Element(Atom + "title")!.Value.Contains(unrelated.Reference, StringComparison.Ordinal));
    }

    [Fact]
    public async Task Feed_OfAnOwnerWhoReadsEnglish_IsInEnglish()
    {
        var word = AlertScenario.UniqueWord();
        var (user, browser) = await _alerts.SignedInUserAsync();
        using var _ = browser;
        await AlertScenario.SaveOkAsync(browser, $"q={word}", "Quais");
        await app.SetLanguageAsync(user.Email!, "en");
        await new ConsultationBuilder(app).Title($"Réfection {word} des quais").SaveAsync();
        var saved = await _alerts.OnlySearchOfAsync(user.Id);
        using var reader = app.Browser();

        using var response = await reader.GetAsync($"/alertes/{saved.FeedToken}.atom");

        Assert.Equal(HttpStatusCode.OK, response.StatusCode);
        var feed = XDocument.Parse(await response.Content.ReadAsStringAsync()).Root!;
        Assert.Equal("en", feed.Attribute(XNamespace.Xml + "lang")!.Value);
        var summary = Assert.Single(feed.Elements(Atom + "entry")).Element(Atom + "summary")!.Value;
        Assert.StartsWith("Buyer: ", summary, StringComparison.Ordinal);
        Assert.Contains("(Paris time, UTC+0", summary, StringComparison.Ordinal);
    }

    [Fact]
    public async Task Feed_OfASearchWithAPlace_ListsOnlyTheConsultationsOfThatPlace()
    {
        var word = AlertScenario.UniqueWord();
        var (user, browser) = await _alerts.SignedInUserAsync();
        using var _ = browser;
        await AlertScenario.SaveOkAsync(browser, $"q={word}&place=bouches+du+rhone", "Bouches-du-Rhône");
        var matching = await new ConsultationBuilder(app).Title($"Voirie {word}").Place("Aubagne, Bouches-du-Rhône").SaveAsync();
        var elsewhere = await new ConsultationBuilder(app).Title($"Voirie {word}").Place("Nîmes, Gard").SaveAsync();
        var saved = await _alerts.OnlySearchOfAsync(user.Id);
        using var reader = app.Browser();

        using var response = await reader.GetAsync($"/alertes/{saved.FeedToken}.atom");

        var feed = XDocument.Parse(await response.Content.ReadAsStringAsync()).Root!;
        var ids = feed.Elements(Atom + "entry").Select(e => e.Element(Atom + "id")!.Value).ToList();
        Assert.Equal([$"urn:uuid:{matching.Id}"], ids);
        Assert.DoesNotContain($"urn:uuid:{elsewhere.Id}", ids);
    }

    [Theory]
    [InlineData("AAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAA")]
    [InlineData("inconnu")]
    public async Task Feed_UnknownToken_Is404(string token)
    {
        using var reader = app.Browser();

        using var response = await reader.GetAsync($"/alertes/{token}.atom");

        Assert.Equal(HttpStatusCode.NotFound, response.StatusCode);
    }

    [Fact]
    public async Task Feed_NewAddress_ReplacesTheOldOne()
    {
        var (user, browser) = await _alerts.SignedInUserAsync();
        using var _ = browser;
        await AlertScenario.SaveOkAsync(browser, "q=voirie");
        var before = await _alerts.OnlySearchOfAsync(user.Id);

        using var changed = await browser.SubmitFormAsync("/alertes", new Dictionary<string, string>(), $"#alerte-{before.Id} form.feed-form");

        var after = await _alerts.OnlySearchOfAsync(user.Id);
        Assert.Equal("/alertes?notice=nouveau-flux", changed.Headers.Location!.OriginalString);
        Assert.NotEqual(before.FeedToken, after.FeedToken);
        using var reader = app.Browser();
        Assert.Equal(HttpStatusCode.NotFound, await AlertScenario.StatusOfAsync(reader, $"/alertes/{before.FeedToken}.atom"));
        Assert.Equal(HttpStatusCode.OK, await AlertScenario.StatusOfAsync(reader, $"/alertes/{after.FeedToken}.atom"));
    }
}

public sealed class AlertFeedTestsOnSqlite(SqliteApp app) : AlertFeedTests(app), IClassFixture<SqliteApp>;

public sealed class AlertFeedTestsOnPostgres(PostgresApp app) : AlertFeedTests(app), IClassFixture<PostgresApp>;

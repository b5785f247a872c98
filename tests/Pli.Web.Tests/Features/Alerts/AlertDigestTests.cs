using System.Globalization;
using Pli.Domain.Common;
using Pli.Domain.Consultations;
using Pli.Web.Tests.Features.Portal;
using Pli.Web.Tests.Features.Shared;
using Pli.Web.Tests.Infrastructure;

namespace Pli.Web.Tests.Features.Alerts;

/// <summary>The daily digest, run the way the worker runs it, on the fake clock.</summary>
public abstract class AlertDigestTests(PliApp app)
{
    private readonly AlertScenario _alerts = new(app);

    [Fact]
    public async Task Digest_AtTheDigestHour_MailsTheNewMatchingConsultationOnly()
    {
        var word = AlertScenario.UniqueWord();
        var older = await new ConsultationBuilder(app).Title($"Entretien {word} ancien").SaveAsync();
        var (user, browser) = await _alerts.SignedInUserAsync();
        using var _ = browser;
        await AlertScenario.SaveOkAsync(browser, $"q={word}&nature=travaux");
        app.Time.Advance(TimeSpan.FromMinutes(5));
        var matching = await new ConsultationBuilder(app).Title($"Réfection {word} des quais").Nature(Nature.Travaux).Cpv("45000000-7").SaveAsync();
        var otherNature = await new ConsultationBuilder(app).Title($"Nettoyage {word}").Nature(Nature.Services).SaveAsync();
        var otherWords = await new ConsultationBuilder(app).Title("Réfection des quais").Nature(Nature.Travaux).Cpv("45000000-7").SaveAsync();
        _alerts.AdvanceTo(_alerts.NextDigestUtc());

        var mailed = await _alerts.RunDigestAsync();

        Assert.True(mailed >= 1);
        var mail = Assert.Single(_alerts.MailsTo(user));
        Assert.Equal("Veille : 1 nouvelle consultation correspond à votre recherche", mail.Subject);
        var text = mail.TextBody;
        Assert.Contains($"{matching.Reference} — Réfection {word} des quais", text, StringComparison.Ordinal);
        Assert.Contains($"https://localhost/consultations/{matching.Id}", text, StringComparison.Ordinal);
        Assert.Contains(ParisTime.Format(matching.DeadlineUtc, ParisTime.French), text, StringComparison.Ordinal);
        Assert.Contains("(heure de Paris, UTC+02:00)", text, StringComparison.Ordinal);
        Assert.Contains($"href=\"https://localhost/consultations/{matching.Id}\"", mail.HtmlBody, StringComparison.Ordinal);
        foreach (var excluded in new[] { older, otherNature, otherWords })
        {
            Assert.DoesNotContain(excluded.Reference, text, StringComparison.Ordinal);
        }
        Assert.DoesNotContain("Ma veille", text, StringComparison.Ordinal);
    }

    [Fact]
    public async Task Digest_ToAUserWhoReadsEnglish_IsInEnglish()
    {
        var word = AlertScenario.UniqueWord();
        var (user, browser) = await _alerts.SignedInUserAsync();
        using var _ = browser;
        await AlertScenario.SaveOkAsync(browser, $"q={word}");
        await app.SetLanguageAsync(user.Email!, "en");
        app.Time.Advance(TimeSpan.FromMinutes(5));
        var matching = await new ConsultationBuilder(app).Title($"Réfection {word} des quais").SaveAsync();
        _alerts.AdvanceTo(_alerts.NextDigestUtc());

        await _alerts.RunDigestAsync();

        var mail = Assert.Single(_alerts.MailsTo(user));
        Assert.Equal("Alert: 1 new consultation matches your search", mail.Subject);
        var text = mail.TextBody;
        Assert.Contains("Here are the consultations published since", text, StringComparison.Ordinal);
        Assert.Contains($"{matching.Reference} — Réfection {word} des quais", text, StringComparison.Ordinal);
        Assert.Contains("Deadline: " + ParisTime.Format(matching.DeadlineUtc, CultureInfo.GetCultureInfo("en-GB")), text, StringComparison.Ordinal);
        Assert.Contains("(Paris time, UTC+0", text, StringComparison.Ordinal);
        Assert.Contains("See this search on the portal", mail.HtmlBody, StringComparison.Ordinal);
        Assert.Contains("<html lang=\"en\"", mail.HtmlBody, StringComparison.Ordinal);
    }

    [Fact]
    public async Task Digest_OfASearchWithAPlace_MailsOnlyTheConsultationsOfThatPlace()
    {
        var word = AlertScenario.UniqueWord();
        var (user, browser) = await _alerts.SignedInUserAsync();
        using var _ = browser;
        await AlertScenario.SaveOkAsync(browser, $"q={word}&place=SAINT-ETIENNE");
        app.Time.Advance(TimeSpan.FromMinutes(5));
        var matching = await new ConsultationBuilder(app).Title($"Gymnase {word}").Place("Saint-Étienne (42000)").SaveAsync();
        var elsewhere = await new ConsultationBuilder(app).Title($"Gymnase {word}").Place("Lyon").SaveAsync();
        _alerts.AdvanceTo(_alerts.NextDigestUtc());

        await _alerts.RunDigestAsync();

        var text = Assert.Single(_alerts.MailsTo(user)).TextBody;
        Assert.Contains(matching.Reference, text, StringComparison.Ordinal);
        Assert.DoesNotContain(elsewhere.Reference, text, StringComparison.Ordinal);
    }

    [Fact]
    public async Task Digest_OneSecondBeforeTheDigestHour_SendsNothing_AndAtTheHourSends()
    {
        var word = AlertScenario.UniqueWord();
        var (user, browser) = await _alerts.SignedInUserAsync();
        using var _ = browser;
        await AlertScenario.SaveOkAsync(browser, $"q={word}");
        app.Time.Advance(TimeSpan.FromMinutes(1));
        await new ConsultationBuilder(app).Title($"Travaux {word}").SaveAsync();
        var slot = _alerts.NextDigestUtc();

        _alerts.AdvanceTo(slot.AddSeconds(-1));
        await _alerts.RunDigestAsync();
        var before = _alerts.MailsTo(user).Count;
        _alerts.AdvanceTo(slot);
        await _alerts.RunDigestAsync();

        Assert.Equal(0, before);
        Assert.Single(_alerts.MailsTo(user));
        Assert.Equal(7, ParisTime.ToParis(slot).Hour);
    }

    [Fact]
    public async Task Digest_RunAgainTheSameDay_SendsNothingTwice()
    {
        var word = AlertScenario.UniqueWord();
        var (user, browser) = await _alerts.SignedInUserAsync();
        using var _ = browser;
        await AlertScenario.SaveOkAsync(browser, $"q={word}");
        app.Time.Advance(TimeSpan.FromMinutes(1));
        await new ConsultationBuilder(app).Title($"Travaux {word}").SaveAsync();
        _alerts.AdvanceTo(_alerts.NextDigestUtc());
        await _alerts.RunDigestAsync();

        await _alerts.RunDigestAsync();
        app.Time.Advance(TimeSpan.FromHours(10));
        await _alerts.RunDigestAsync();

        Assert.Single(_alerts.MailsTo(user));
    }

    [Fact]
    public async Task Digest_NextDay_ListsOnlyWhatWasPublishedSinceTheLastDigest()
    {
        var word = AlertScenario.UniqueWord();
        var (user, browser) = await _alerts.SignedInUserAsync();
        using var _ = browser;
        await AlertScenario.SaveOkAsync(browser, $"q={word}");
        app.Time.Advance(TimeSpan.FromMinutes(1));
        var first = await new ConsultationBuilder(app).Title($"Premier {word}").SaveAsync();
        _alerts.AdvanceTo(_alerts.NextDigestUtc());
        await _alerts.RunDigestAsync();
        app.Time.Advance(TimeSpan.FromHours(2));
        var second = await new ConsultationBuilder(app).Title($"Second {word}").SaveAsync();
        var third = await new ConsultationBuilder(app).Title($"Troisième {word}").SaveAsync();

        _alerts.AdvanceTo(_alerts.NextDigestUtc());
        await _alerts.RunDigestAsync();

        var mails = _alerts.MailsTo(user);
        Assert.Equal(2, mails.Count);
        Assert.Equal("Veille : 2 nouvelles consultations correspondent à votre recherche", mails[1].Subject);
        Assert.Contains(second.Reference, mails[1].TextBody, StringComparison.Ordinal);
        Assert.Contains(third.Reference, mails[1].TextBody, StringComparison.Ordinal);
        Assert.DoesNotContain(first.Reference, mails[1].TextBody, StringComparison.Ordinal);
    }

    [Fact]
    public async Task Digest_WithNothingNew_SendsNoMailButMovesOn()
    {
        var word = AlertScenario.UniqueWord();
        var (user, browser) = await _alerts.SignedInUserAsync();
        using var _ = browser;
        await AlertScenario.SaveOkAsync(browser, $"q={word}");
        var slot = _alerts.NextDigestUtc();
        _alerts.AdvanceTo(slot);

        await _alerts.RunDigestAsync();

        Assert.Empty(_alerts.MailsTo(user));
        Assert.Equal(slot, (await _alerts.OnlySearchOfAsync(user.Id)).LastDigestUtc);
    }

    [Fact]
    public async Task Digest_Off_GetsNothing()
    {
        var word = AlertScenario.UniqueWord();
        var (user, browser) = await _alerts.SignedInUserAsync();
        using var _ = browser;
        await AlertScenario.SaveOkAsync(browser, $"q={word}", digest: false);
        var savedAt = (await _alerts.OnlySearchOfAsync(user.Id)).LastDigestUtc;
        app.Time.Advance(TimeSpan.FromMinutes(1));
        await new ConsultationBuilder(app).Title($"Travaux {word}").SaveAsync();
        _alerts.AdvanceTo(_alerts.NextDigestUtc());

        await _alerts.RunDigestAsync();

        Assert.Empty(_alerts.MailsTo(user));
        var saved = await _alerts.OnlySearchOfAsync(user.Id);
        Assert.False(saved.DailyDigest);
        Assert.Equal(savedAt, saved.LastDigestUtc);
    }

    [Fact]
    public async Task Digest_DoesNotListADraftNorAClosedConsultation()
    {
        var word = AlertScenario.UniqueWord();
        var (user, browser) = await _alerts.SignedInUserAsync();
        using var _ = browser;
        await AlertScenario.SaveOkAsync(browser, $"q={word}");
        app.Time.Advance(TimeSpan.FromMinutes(1));
        var draft = await new ConsultationBuilder(app).Title($"Brouillon {word}").Draft().SaveAsync();
        var shortOne = await new ConsultationBuilder(app).Title($"Court {word}").DeadlineIn(TimeSpan.FromHours(1)).SaveAsync();
        var open = await new ConsultationBuilder(app).Title($"Ouverte {word}").SaveAsync();
        _alerts.AdvanceTo(_alerts.NextDigestUtc());

        await _alerts.RunDigestAsync();

        var text = Assert.Single(_alerts.MailsTo(user)).TextBody;
        Assert.Contains(open.Reference, text, StringComparison.Ordinal);
        Assert.DoesNotContain(draft.Reference, text, StringComparison.Ordinal);
        Assert.DoesNotContain(shortOne.Reference, text, StringComparison.Ordinal);
    }

    [Fact]
    public async Task Digest_ConsultationTitleWithMarkup_IsEncodedInTheMail()
    {
        var word = AlertScenario.UniqueWord();
        var (user, browser) = await _alerts.SignedInUserAsync();
        using var _ = browser;
        await AlertScenario.SaveOkAsync(browser, $"q={word}");
        app.Time.Advance(TimeSpan.FromMinutes(1));
        await new ConsultationBuilder(app).Title($"Travaux {word} <script>alert(1)</script>").SaveAsync();
        _alerts.AdvanceTo(_alerts.NextDigestUtc());

        await _alerts.RunDigestAsync();

        var html = Assert.Single(_alerts.MailsTo(user)).HtmlBody;
        Assert.Contains("&lt;script&gt;", html, StringComparison.Ordinal);
        Assert.DoesNotContain("<script>", html, StringComparison.Ordinal);
    }
}

public sealed class AlertDigestTestsOnSqlite(SqliteApp app) : AlertDigestTests(app), IClassFixture<SqliteApp>;

public sealed class AlertDigestTestsOnPostgres(PostgresApp app) : AlertDigestTests(app), IClassFixture<PostgresApp>;

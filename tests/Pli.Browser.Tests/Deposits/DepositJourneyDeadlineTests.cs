using System.Globalization;
using System.Text.RegularExpressions;
using Microsoft.EntityFrameworkCore;
using Microsoft.Playwright;
using Pli.Domain.Consultations;
using Pli.Domain.Deposits;
using Pli.Web.Tests.Features.Deposits;

namespace Pli.Browser.Tests.Deposits;

/// <summary>
/// The deadline, crossed with the fake clock while the files page is open. Each class has its own app:
/// the clock only moves forward.
/// </summary>
public sealed class DepositJourneyDeadlineTests(BrowserApp app) : IClassFixture<BrowserApp>
{
    private readonly DepositJourney _journey = new(app);

    [Fact]
    public async Task Validate_OneSecondAfterTheDeadline_IsRefusedPlainly_AndNothingIsSealed()
    {
        var consultation = await new DepositScenario(app).ConsultationAsync(TimeSpan.FromHours(1));
        var page = await DepositJourneyDeadline.DraftWithFilesAsync(_journey, consultation);
        var depositId = DepositJourney.DepositIdOf(page);
        await DepositJourney.AcceptTermsAndValidateAsync(page);

        app.Time.SetUtcNow(new DateTimeOffset(consultation.DeadlineUtc, TimeSpan.Zero).AddSeconds(1));
        await DepositJourney.ClickValidateAsync(page);

        var summary = page.Locator("#erreurs");
        await Assertions.Expect(summary).ToHaveAttributeAsync("role", "alert");
        await Assertions.Expect(summary).ToContainTextAsync("La date limite de remise des plis est passée");
        await Assertions.Expect(summary).ToContainTextAsync("le pli ne peut plus être déposé");
        await Assertions.Expect(summary).ToBeFocusedAsync();
        await Assertions.Expect(page.GetByRole(AriaRole.Button, new() { Name = "Retirer" })).ToHaveCountAsync(0);
        await DepositJourney.ScreenshotAsync(page, "depot-delai-depasse.png");
        var deposit = await _journey.DepositAsync(depositId);
        Assert.Equal(DepositStatus.Draft, deposit.Status);
        Assert.Null(deposit.SealedUtc);
        Assert.Equal(0, await app.WithDb(db => db.DepositReceipts.CountAsync(r => r.DepositId == depositId)));
    }
}

/// <summary>An upload started before the deadline and ended after it: the pli is received, late, and the page says so.</summary>
public sealed class DepositJourneyLateTests(BrowserApp app) : IClassFixture<BrowserApp>
{
    private readonly DepositJourney _journey = new(app);

    [Fact]
    public async Task Validate_AfterAnUploadThatEndedAfterTheDeadline_ShowsTheLateBanner()
    {
        var consultation = await new DepositScenario(app).ConsultationAsync(TimeSpan.FromHours(1));
        var page = await DepositJourneyDeadline.DraftWithFilesAsync(_journey, consultation, withOffer: false);
        var depositId = DepositJourney.DepositIdOf(page);
        var offer = DepositJourney.Pdf("Offre envoyee au dernier moment");
        var half = offer.Length / 2;

        // The offer starts at the deadline's very second, through the tus API with the page's cookies, and ends a second later.
        app.Time.SetUtcNow(new DateTimeOffset(consultation.DeadlineUtc, TimeSpan.Zero));
        var upload = await DepositJourneyDeadline.TusCreateAsync(page, depositId, "offre", "Offre.pdf", offer.Length);
        await DepositJourneyDeadline.TusPatchAsync(page, upload, 0, offer[..half]);
        app.Time.Advance(TimeSpan.FromSeconds(1));
        await DepositJourneyDeadline.TusPatchAsync(page, upload, half, offer[half..]);
        await page.ReloadAsync();
        await Assertions.Expect(page.Locator("#enveloppe-offre table.upload-received tbody tr", new() { HasText = "Offre.pdf" })).ToBeVisibleAsync();
        await Assertions.Expect(page.Locator("#hors-delai")).ToContainTextAsync("enregistré HORS DÉLAI");
        await DepositJourney.AcceptTermsAndValidateAsync(page);
        await DepositJourney.ScreenshotAsync(page, "depot-hors-delai-fichiers.png");
        await DepositJourney.ClickValidateAsync(page);

        await Assertions.Expect(page).ToHaveURLAsync(new Regex($"/depots/{depositId}$"));
        var banner = page.Locator("#pli-hors-delai");
        await Assertions.Expect(banner).ToHaveAttributeAsync("role", "alert");
        await Assertions.Expect(banner.GetByRole(AriaRole.Heading, new() { Level = 1 })).ToHaveTextAsync("Votre pli a été reçu HORS DÉLAI");
        await Assertions.Expect(banner).ToContainTextAsync("il ne sera pas ouvert");
        await Assertions.Expect(page.Locator("#statut")).ToHaveTextAsync("Hors délai");
        await Assertions.Expect(page.Locator("#pli-depose")).ToHaveCountAsync(0);
        await Assertions.Expect(page.GetByRole(AriaRole.Link, new() { Name = "Déposer un nouveau pli" })).ToHaveCountAsync(0);
        await DepositJourney.ScreenshotAsync(page, "depot-hors-delai.png");
        var deposit = await _journey.DepositAsync(depositId);
        Assert.True(deposit.IsLate);
        Assert.Equal(DepositStatus.Sealed, deposit.Status);
        var mail = await _journey.ReceiptMailAsync(deposit.Number);
        Assert.Contains("HORS DÉLAI", mail.Subject, StringComparison.Ordinal);
    }
}

internal static class DepositJourneyDeadline
{
    /// <summary>A signed-in company's draft for <paramref name="consultation"/> (no lots), with its candidature and, unless told, its offer.</summary>
    public static async Task<IPage> DraftWithFilesAsync(DepositJourney journey, Consultation consultation, bool withOffer = true)
    {
        var page = await journey.NewPageAsync();
        await DepositJourney.OpenWizardSignedInAsync(page, consultation.Id);
        await page.GetByLabel("Je réponds en candidat seul").CheckAsync();
        await page.GetByLabel("Candidature standard").CheckAsync();
        await page.GetByRole(AriaRole.Button, new() { Name = "Continuer" }).ClickAsync();
        // The first draft of a demo consultation makes its key pair (RSA-3072): seconds on a loaded machine.
        await Assertions.Expect(page).ToHaveURLAsync(new Regex("/depots/[0-9a-f-]{36}/fichiers$"), new() { Timeout = 30_000 });
        await DepositJourney.UploadAsync(page, "Candidature", "candidature", "DC1.pdf", DepositJourney.Pdf("DC1"));
        if (withOffer)
        {
            await DepositJourney.UploadAsync(page, "Offre", "offre", "Offre.pdf", DepositJourney.Pdf("Offre"));
        }
        return page;
    }

    public static async Task<string> TusCreateAsync(IPage page, Guid depositId, string envelope, string fileName, long length)
    {
        var response = await page.Context.APIRequest.PostAsync("/api/uploads/", new()
        {
            Headers = new Dictionary<string, string>
            {
                ["Tus-Resumable"] = "1.0.0",
                ["Upload-Length"] = length.ToString(CultureInfo.InvariantCulture),
                ["Upload-Metadata"] = DepositScenario.Metadata(depositId, envelope, fileName),
            },
        });
        Assert.True(response.Status == 201, $"{response.Status}: {await response.TextAsync()}");
        return response.Headers["location"];
    }

    public static async Task TusPatchAsync(IPage page, string url, long offset, byte[] bytes)
    {
        var response = await page.Context.APIRequest.FetchAsync(url, new()
        {
            Method = "PATCH",
            Headers = new Dictionary<string, string>
            {
                ["Tus-Resumable"] = "1.0.0",
                ["Upload-Offset"] = offset.ToString(CultureInfo.InvariantCulture),
                ["Content-Type"] = "application/offset+octet-stream",
            },
            DataByte = bytes,
        });
        Assert.True(response.Status == 204, $"{response.Status}: {await response.TextAsync()}");
    }
}

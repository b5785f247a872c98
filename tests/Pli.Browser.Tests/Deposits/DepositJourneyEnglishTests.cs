using System.Text.RegularExpressions;
using Microsoft.Playwright;
using Pli.Browser.Tests.Localization;
using Pli.Domain.Deposits;
using Pli.Web.Features.Demo;

namespace Pli.Browser.Tests.Deposits;

/// <summary>
/// The deposit journey of <see cref="DepositJourneyTests"/> by a company that reads English: the language is chosen
/// on the portal with the header's form, before signing in, and every step after it is clicked by its English label.
/// The screenshots depot-01 … depot-08 ".en.png" illustrate the English help pages.
/// </summary>
public sealed class DepositJourneyEnglishTests(BrowserApp app) : IClassFixture<BrowserApp>
{
    private readonly DepositJourney _journey = new(app);

    [Fact]
    public async Task Company_InEnglish_AnswersFromThePortal_AndGetsAnEnglishReceipt()
    {
        var candidature = DepositJourney.Pdf("DC1 - Application letter");
        var offer = DepositJourney.Pdf("Technical proposal - lot 2");
        var page = await _journey.NewPageAsync();

        // 1. The portal in English; an exact consultation number goes straight to the consultation.
        await page.GotoAsync("/");
        await SiteLanguage.SwitchAsync(page, "en");
        await page.GetByLabel("Consultation number").FillAsync("2026-TRV-0042");
        await DepositJourney.ScreenshotAsync(page, "depot-01-recherche.en.png");
        await page.GetByRole(AriaRole.Button, new() { Name = "Search", Exact = true }).ClickAsync();
        await Assertions.Expect(page).ToHaveURLAsync(new Regex("/consultations/[0-9a-f-]{36}$"));
        var consultationUrl = page.Url;
        await DepositJourney.ScreenshotAsync(page, "depot-02-consultation.en.png");

        // 2. Not signed in: the English sign-in page, then back to the wizard.
        await page.GetByRole(AriaRole.Link, new() { Name = "Answer the consultation" }).ClickAsync();
        await Assertions.Expect(page).ToHaveURLAsync(new Regex("/compte/connexion\\?ReturnUrl=%2Fconsultations%2F[0-9a-f-]{36}%2Frepondre$"));
        await DepositJourney.ScreenshotAsync(page, "depot-03-connexion.en.png");
        await page.GetByLabel("Email address").FillAsync(DemoData.CompanyEmail);
        await page.GetByLabel("Password", new() { Exact = true }).FillAsync(DemoData.Password);
        await page.GetByRole(AriaRole.Main).GetByRole(AriaRole.Button, new() { Name = "Sign in" }).ClickAsync();
        await Assertions.Expect(page).ToHaveURLAsync(consultationUrl + "/repondre");
        await Assertions.Expect(page.GetByRole(AriaRole.Heading, new() { Level = 1 })).ToContainTextAsync("Answer the consultation");

        // 3. Alone, lot 2, standard candidature.
        await page.GetByLabel("I answer as a sole tenderer").CheckAsync();
        await page.GetByLabel("Lot 2: Ouvrages d'art").CheckAsync();
        await page.GetByLabel("Standard candidature").CheckAsync();
        await DepositJourney.ScreenshotAsync(page, "depot-04-reponse.en.png");
        await page.GetByRole(AriaRole.Button, new() { Name = "Continue to the files" }).ClickAsync();
        // The first draft of a demo consultation makes its key pair (RSA-3072): seconds on a loaded machine.
        await Assertions.Expect(page).ToHaveURLAsync(new Regex("/depots/[0-9a-f-]{36}/fichiers$"), new() { Timeout = 30_000 });
        var depositId = DepositJourney.DepositIdOf(page);

        // 4. The files, the terms, then "Submit the tender", 37 seconds after the clock's start.
        await DepositJourney.UploadAsync(page, "Candidature", "candidature", "DC1.pdf", candidature, addFilesLabel: "Add files: ");
        await DepositJourney.UploadAsync(page, "Offer — lot 2: Ouvrages d'art", "offre-lot-2", "Technical proposal.pdf", offer, addFilesLabel: "Add files: ");
        await DepositJourney.ScreenshotAsync(page, "depot-05-fichiers.en.png");
        await page.GetByLabel("I accept the platform's terms of use").CheckAsync();
        var submit = page.GetByRole(AriaRole.Button, new() { Name = "Submit the tender" });
        await Assertions.Expect(submit).ToBeEnabledAsync();
        await DepositJourney.ScreenshotAsync(page, "depot-06-validation.en.png");
        app.Time.Advance(TimeSpan.FromSeconds(37));
        await submit.ClickAsync();

        // 5. The confirmation, its times on Paris time said in English (the clock started on Monday 1 June 2026 at 10:00 in Paris).
        await Assertions.Expect(page).ToHaveURLAsync(new Regex($"/depots/{depositId}$"));
        await Assertions.Expect(page.GetByRole(AriaRole.Heading, new() { Level = 1 })).ToHaveTextAsync("Your tender has been submitted");
        await DepositJourney.ScreenshotAsync(page, "depot-07-confirmation.en.png");
        var deposit = await _journey.DepositAsync(depositId);
        Assert.Equal(DepositStatus.Sealed, deposit.Status);
        await Assertions.Expect(page.Locator("#horodatage")).ToHaveTextAsync("Monday 1 June 2026 at 10:00:37 (Paris time, UTC+02:00)");
        var receipt = page.Locator("#recepisse");
        await Assertions.Expect(receipt).ToContainTextAsync("Received on");
        await Assertions.Expect(receipt).ToContainTextAsync("Deadline for tenders");
        await Assertions.Expect(receipt).ToContainTextAsync("(Paris time, UTC+02:00)");
        await Assertions.Expect(receipt).Not.ToContainTextAsync("heure de Paris");
        Assert.Empty(await FrenchTexts.FoundOnAsync(page));

        // 6. The PDF receipt, fetched with the page's cookies, hence in the page's language.
        var href = await page.GetByRole(AriaRole.Link, new() { Name = "Download the receipt (PDF)" }).GetAttributeAsync("href");
        var response = await page.Context.APIRequest.GetAsync(href!);
        Assert.Equal(200, response.Status);
        var path = BrowserApp.Artefact($"depot-recepisse-en-{deposit.Number}.pdf");
        await File.WriteAllBytesAsync(path, await response.BodyAsync());
        var pdf = await DepositJourney.PdfTextAsync(path);
        Assert.Contains(deposit.Number, pdf, StringComparison.Ordinal);
        Assert.Contains("Acknowledgement of receipt of your tender", pdf, StringComparison.Ordinal);
        Assert.Contains("Monday 1 June 2026 at 10:00:37", pdf, StringComparison.Ordinal);
        Assert.Contains("(Paris time, UTC+02:00)", pdf, StringComparison.Ordinal);
        Assert.DoesNotContain("heure de Paris", pdf, StringComparison.Ordinal);

        // 7. The receipt by mail, in English too: the language chosen before signing in became the account's.
        var mail = await _journey.ReceiptMailAsync(deposit.Number);
        Assert.StartsWith("Receipt of your tender no. " + deposit.Number, mail.Subject, StringComparison.Ordinal);
        Assert.Contains("(Paris time, UTC+02:00)", mail.TextBody, StringComparison.Ordinal);
        Assert.Contains(mail.Attachments, a => a.ContentType.MimeType == "application/pdf");

        // 8. "My tenders", from the header, lists it.
        await page.GetByRole(AriaRole.Navigation).GetByRole(AriaRole.Link, new() { Name = "My tenders" }).ClickAsync();
        var row = page.Locator("#mes-depots tbody tr", new() { HasText = deposit.Number });
        await Assertions.Expect(row).ToContainTextAsync("2026-TRV-0042");
        await DepositJourney.ScreenshotAsync(page, "depot-08-mes-depots.en.png");
    }
}

using System.Text.RegularExpressions;
using Microsoft.EntityFrameworkCore;
using Microsoft.Playwright;
using Pli.Domain.Deposits;

namespace Pli.Browser.Tests.Deposits;

/// <summary>
/// A company answers a consultation from the portal to the receipt, as the Métropole's guide tells it:
/// "Répondre à la consultation", candidat seul, candidature standard, the files, the terms, "Valider".
/// The screenshots depot-01 … depot-08 illustrate the help pages.
/// </summary>
public sealed class DepositJourneyTests(BrowserApp app) : IClassFixture<BrowserApp>
{
    private readonly DepositJourney _journey = new(app);

    [Fact]
    public async Task Company_NotSignedIn_AnswersFromTheConsultationPage_AndGetsTheReceiptOfWhatItSent()
    {
        var candidature = DepositJourney.Pdf("DC1 - Lettre de candidature");
        var offer = DepositJourney.Pdf("Memoire technique - lot 2");
        var page = await _journey.NewPageAsync();

        // 1. The portal: an exact consultation number goes straight to the consultation.
        await page.GotoAsync("/");
        await page.GetByLabel("Numéro de consultation").FillAsync("2026-TRV-0042");
        await DepositJourney.ScreenshotAsync(page, "depot-01-recherche.png");
        await page.GetByRole(AriaRole.Button, new() { Name = "Rechercher" }).ClickAsync();
        await Assertions.Expect(page).ToHaveURLAsync(new Regex("/consultations/[0-9a-f-]{36}$"));
        await Assertions.Expect(page.GetByRole(AriaRole.Heading, new() { Level = 1 })).ToContainTextAsync("Reconstruction de l'échangeur de la Barasse");
        await DepositJourney.ScreenshotAsync(page, "depot-02-consultation.png");
        var consultationUrl = page.Url;

        // 2. "Répondre à la consultation", not signed in: the sign-in page, then back to the wizard.
        await page.GetByRole(AriaRole.Link, new() { Name = "Répondre à la consultation" }).ClickAsync();
        await Assertions.Expect(page).ToHaveURLAsync(new Regex("/compte/connexion\\?ReturnUrl=%2Fconsultations%2F[0-9a-f-]{36}%2Frepondre$"));
        await DepositJourney.ScreenshotAsync(page, "depot-03-connexion.png");
        await DepositJourney.SignInAsync(page);
        await Assertions.Expect(page).ToHaveURLAsync(consultationUrl + "/repondre");

        // 3. Alone, lot 2, standard candidature.
        await page.GetByLabel("Je réponds en candidat seul").CheckAsync();
        await page.GetByLabel("Lot 2 : Ouvrages d'art").CheckAsync();
        await page.GetByLabel("Candidature standard").CheckAsync();
        await DepositJourney.ScreenshotAsync(page, "depot-04-reponse.png");
        await page.GetByRole(AriaRole.Button, new() { Name = "Continuer" }).ClickAsync();
        // The first draft of a demo consultation makes its key pair (RSA-3072): seconds on a loaded machine.
        await Assertions.Expect(page).ToHaveURLAsync(new Regex("/depots/[0-9a-f-]{36}/fichiers$"), new() { Timeout = 30_000 });
        var depositId = DepositJourney.DepositIdOf(page);

        // 4. One file in the candidature, one in the offer of lot 2.
        await DepositJourney.UploadAsync(page, "Candidature", "candidature", "DC1.pdf", candidature);
        await DepositJourney.UploadAsync(page, "Offre — lot 2 : Ouvrages d'art", "offre-lot-2", "Mémoire technique.pdf", offer);
        await DepositJourney.ScreenshotAsync(page, "depot-05-fichiers.png");

        // 5. The terms, then "Valider le dépôt", 37 seconds after the clock's start.
        await DepositJourney.AcceptTermsAndValidateAsync(page);
        await DepositJourney.ScreenshotAsync(page, "depot-06-validation.png");
        app.Time.Advance(TimeSpan.FromSeconds(37));
        await DepositJourney.ClickValidateAsync(page);

        // 6. The confirmation.
        await Assertions.Expect(page).ToHaveURLAsync(new Regex($"/depots/{depositId}$"));
        await Assertions.Expect(page.GetByRole(AriaRole.Heading, new() { Level = 1 })).ToHaveTextAsync("Votre pli a bien été déposé");
        await DepositJourney.ScreenshotAsync(page, "depot-07-confirmation.png");
        var deposit = await _journey.DepositAsync(depositId);
        Assert.Equal(DepositStatus.Sealed, deposit.Status);
        Assert.False(deposit.IsLate);
        await Assertions.Expect(page.Locator("#numero-depot")).ToHaveTextAsync(deposit.Number);
        // The clock started on Monday 1 June 2026 at 10:00 in Paris (summer time).
        await Assertions.Expect(page.Locator("#horodatage")).ToHaveTextAsync("lundi 1 juin 2026 à 10:00:37 (heure de Paris, UTC+02:00)");
        var candidatureRow = page.Locator("#enveloppe-candidature tbody tr", new() { HasText = "DC1.pdf" });
        await Assertions.Expect(candidatureRow.Locator("code")).ToHaveTextAsync(DepositJourney.Sha256(candidature));
        var offerRow = page.Locator("#enveloppe-offre-2 tbody tr", new() { HasText = "Mémoire technique.pdf" });
        await Assertions.Expect(offerRow.Locator("code")).ToHaveTextAsync(DepositJourney.Sha256(offer));

        // 7. The PDF receipt, fetched with the page's cookies, names the deposit.
        var href = await page.GetByRole(AriaRole.Link, new() { Name = "Télécharger l'accusé de réception (PDF)" }).GetAttributeAsync("href");
        var response = await page.Context.APIRequest.GetAsync(href!);
        Assert.Equal(200, response.Status);
        Assert.StartsWith("application/pdf", response.Headers["content-type"], StringComparison.Ordinal);
        var path = BrowserApp.Artefact($"depot-recepisse-{deposit.Number}.pdf");
        await File.WriteAllBytesAsync(path, await response.BodyAsync());
        Assert.Contains(deposit.Number, await DepositJourney.PdfTextAsync(path), StringComparison.Ordinal);

        // 8. And the receipt came by mail.
        var mail = await _journey.ReceiptMailAsync(deposit.Number);
        Assert.StartsWith("Accusé de réception de votre pli", mail.Subject, StringComparison.Ordinal);
        Assert.Contains(mail.Attachments, a => a.ContentType.MimeType == "application/pdf");
        Assert.Equal(1, await app.WithDb(db => db.DepositReceipts.CountAsync(r => r.DepositId == depositId)));

        // 9. "Mes dépôts", from the header, lists it.
        await page.GetByRole(AriaRole.Navigation).GetByRole(AriaRole.Link, new() { Name = "Mes dépôts" }).ClickAsync();
        var row = page.Locator("#mes-depots tbody tr", new() { HasText = deposit.Number });
        await Assertions.Expect(row).ToContainTextAsync("2026-TRV-0042");
        await Assertions.Expect(row).ToContainTextAsync("Déposé");
        await DepositJourney.ScreenshotAsync(page, "depot-08-mes-depots.png");
    }
}

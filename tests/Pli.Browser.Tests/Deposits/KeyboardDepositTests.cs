using System.Text.RegularExpressions;
using Microsoft.Playwright;
using Pli.Domain.Deposits;
using Pli.Web.Features.Demo;

namespace Pli.Browser.Tests.Deposits;

/// <summary>
/// The whole answer with the keyboard only: Tab to move, Space and Enter to act, typing to fill. No click, no
/// locator action: every element is reached by Tab from the one before, which is what a person without a mouse
/// (or with a screen reader) does. The only thing outside the page is the system's file dialog, answered as a
/// person would answer it.
/// </summary>
public sealed partial class KeyboardDepositTests(BrowserApp app) : IClassFixture<BrowserApp>
{
    private readonly DepositJourney _journey = new(app);

    [Fact]
    public async Task Company_AnswersWithTheKeyboardOnly_FromTheConsultationPage_ToTheConfirmation()
    {
        var page = await _journey.NewPageAsync();
        var consultationId = await Pli.Web.Tests.Features.Portal.ConsultationBuilder.IdOfAsync(app, "2026-TRV-0042");
        await page.GotoAsync($"/consultations/{consultationId}");

        // The skip link comes first, and takes the focus to the content.
        await page.Keyboard.PressAsync("Tab");
        await Assertions.Expect(page.GetByRole(AriaRole.Link, new() { Name = "Aller au contenu" })).ToBeFocusedAsync();
        await page.Keyboard.PressAsync("Enter");
        await Assertions.Expect(page.Locator("main")).ToBeFocusedAsync();

        await TabToAsync(page, page.GetByRole(AriaRole.Link, new() { Name = "Répondre à la consultation" }));
        await page.Keyboard.PressAsync("Enter");
        await Assertions.Expect(page).ToHaveURLAsync(new Regex("/compte/connexion"));

        await TabToAsync(page, page.GetByLabel("Adresse e-mail"));
        await page.Keyboard.TypeAsync(DemoData.CompanyEmail);
        await TabToAsync(page, page.GetByLabel("Mot de passe"));
        await page.Keyboard.TypeAsync(DemoData.Password);
        await page.Keyboard.PressAsync("Enter");
        await Assertions.Expect(page).ToHaveURLAsync(new Regex("/repondre$"));

        // Alone (already chosen: the group's checked radio is the one Tab reaches), lot 2, standard candidature.
        await TabToAsync(page, page.GetByLabel("Je réponds en candidat seul"));
        await page.Keyboard.PressAsync("Space");
        await Assertions.Expect(page.GetByLabel("Je réponds en candidat seul")).ToBeCheckedAsync();
        await TabToAsync(page, page.GetByLabel("Lot 2 : Ouvrages d'art"));
        await page.Keyboard.PressAsync("Space");
        await Assertions.Expect(page.GetByLabel("Lot 2 : Ouvrages d'art")).ToBeCheckedAsync();
        await TabToAsync(page, page.GetByLabel("Candidature standard"));
        await page.Keyboard.PressAsync("Space");
        await Assertions.Expect(page.GetByLabel("Candidature standard")).ToBeCheckedAsync();
        await TabToAsync(page, page.GetByRole(AriaRole.Button, new() { Name = "Continuer" }));
        await page.Keyboard.PressAsync("Enter");
        // The first draft of a demo consultation makes its key pair (RSA-3072): seconds on a loaded machine.
        await Assertions.Expect(page).ToHaveURLAsync(new Regex("/depots/[0-9a-f-]{36}/fichiers$"), new() { Timeout = 30_000 });
        var depositId = DepositJourney.DepositIdOf(page);

        await ChooseFileWithTheKeyboardAsync(page, "Candidature", "candidature", "DC1.pdf", DepositJourney.Pdf("DC1 clavier"));
        await ChooseFileWithTheKeyboardAsync(page, "Offre — lot 2 : Ouvrages d'art", "offre-lot-2", "Offre.pdf", DepositJourney.Pdf("Offre clavier"));

        await TabToAsync(page, page.GetByLabel("J'accepte les conditions d'utilisation"));
        await page.Keyboard.PressAsync("Space");
        await TabToAsync(page, page.GetByRole(AriaRole.Button, new() { Name = "Valider le dépôt" }));
        await page.Keyboard.PressAsync("Enter");

        await Assertions.Expect(page).ToHaveURLAsync(new Regex($"/depots/{depositId}$"), new() { Timeout = 30_000 });
        await Assertions.Expect(page.GetByRole(AriaRole.Heading, new() { Level = 1 })).ToHaveTextAsync("Votre pli a bien été déposé");
        var deposit = await _journey.DepositAsync(depositId);
        Assert.Equal(DepositStatus.Sealed, deposit.Status);
        Assert.Equal(["DC1.pdf", "Offre.pdf"], deposit.Files.Select(f => f.Name).Order(StringComparer.Ordinal));
    }

    /// <summary>Tab to the envelope's file field, Space opens the system's dialog, the file is chosen there.</summary>
    private static async Task ChooseFileWithTheKeyboardAsync(IPage page, string envelopeTitle, string envelopeKey, string name, byte[] content)
    {
        await TabToAsync(page, page.GetByLabel("Ajouter des fichiers : " + envelopeTitle));
        var chooser = await page.RunAndWaitForFileChooserAsync(() => page.Keyboard.PressAsync("Space"));
        await chooser.SetFilesAsync(new FilePayload { Name = name, MimeType = "application/pdf", Buffer = content });
        var received = page.Locator($"#enveloppe-{envelopeKey} table.upload-received tbody tr", new() { HasText = name });
        await Assertions.Expect(received).ToBeVisibleAsync(new() { Timeout = 30_000 });
    }

    /// <summary>Presses Tab until <paramref name="target"/> has the focus; fails, naming what was passed, if it never does.</summary>
    private static async Task TabToAsync(IPage page, ILocator target)
    {
        var passed = new List<string>();
        for (var i = 0; i < 80; i++)
        {
            if (await target.EvaluateAsync<bool>("e => e === document.activeElement"))
            {
                return;
            }
            await page.Keyboard.PressAsync("Tab");
            passed.Add(await page.EvaluateAsync<string>("() => { const e = document.activeElement; return e ? `${e.tagName.toLowerCase()}#${e.id} ${(e.getAttribute('aria-label') || e.textContent || '').trim().slice(0, 40)}` : '-'; }"));
        }
        Assert.Fail($"Tab never reached {target}; passed: {string.Join(" → ", passed)}");
    }
}

using System.Text.RegularExpressions;
using Microsoft.Playwright;
using Pli.Domain.Deposits;
using Pli.Web.Tests.Features.Deposits;

namespace Pli.Browser.Tests.Deposits;

/// <summary>A groupement conjoint with one co-traitant, whose SIRET is first mistyped.</summary>
public sealed class DepositJourneyGroupementTests(BrowserApp app) : IClassFixture<BrowserApp>
{
    private const string CoContractor = "Électricité du Midi SAS";
    private const string WrongSiret = "73282932000075";
    private const string Siret = "73282932000074";

    private readonly DepositJourney _journey = new(app);

    [Fact]
    public async Task Groupement_WithAMistypedSiret_IsToldOnTheField_KeepsWhatWasTyped_ThenDepositsWithItsMember()
    {
        var consultation = await new DepositScenario(app).ConsultationAsync(TimeSpan.FromDays(10));
        var page = await _journey.NewPageAsync();
        await DepositJourney.OpenWizardSignedInAsync(page, consultation.Id);
        await page.GetByLabel("Je réponds en groupement conjoint").CheckAsync();
        await page.GetByLabel("Raison sociale du co-traitant 1").FillAsync(CoContractor);
        await page.GetByLabel("SIRET du co-traitant 1").FillAsync(WrongSiret);
        await page.GetByLabel("Candidature standard").CheckAsync();

        await page.GetByRole(AriaRole.Button, new() { Name = "Continuer" }).ClickAsync();

        var siret = page.GetByLabel("SIRET du co-traitant 1");
        await Assertions.Expect(page.Locator("#erreurs")).ToHaveAttributeAsync("role", "alert");
        var link = page.Locator("#erreurs a", new() { HasText = "SIRET du co-traitant 1" });
        await Assertions.Expect(link).ToHaveAttributeAsync("href", "#Members_0__Siret");
        await Assertions.Expect(siret).ToHaveAttributeAsync("aria-invalid", "true");
        await Assertions.Expect(siret).ToHaveAccessibleDescriptionAsync(new Regex("14 chiffres"));
        await Assertions.Expect(page.Locator("#Members_0__Siret-erreur")).ToContainTextAsync("SIRET du co-traitant 1");
        await Assertions.Expect(siret).ToHaveValueAsync(WrongSiret);
        await Assertions.Expect(page.GetByLabel("Raison sociale du co-traitant 1")).ToHaveValueAsync(CoContractor);
        await Assertions.Expect(page.GetByLabel("Je réponds en groupement conjoint")).ToBeCheckedAsync();
        await Assertions.Expect(page.GetByLabel("Candidature standard")).ToBeCheckedAsync();
        Assert.Matches(new Regex("/consultations/[0-9a-f-]{36}/repondre"), page.Url);
        await DepositJourney.ScreenshotAsync(page, "depot-groupement-siret-errone.png");
        await link.ClickAsync();
        await Assertions.Expect(siret).ToBeFocusedAsync();

        await siret.FillAsync(Siret);
        await page.GetByRole(AriaRole.Button, new() { Name = "Continuer" }).ClickAsync();
        // The first draft of a demo consultation makes its key pair (RSA-3072): seconds on a loaded machine.
        await Assertions.Expect(page).ToHaveURLAsync(new Regex("/depots/[0-9a-f-]{36}/fichiers$"), new() { Timeout = 30_000 });
        var depositId = DepositJourney.DepositIdOf(page);
        await DepositJourney.UploadAsync(page, "Candidature", "candidature", "DC1.pdf", DepositJourney.Pdf("DC1 groupement"));
        await DepositJourney.UploadAsync(page, "Offre", "offre", "Offre.pdf", DepositJourney.Pdf("Offre groupement"));
        await DepositJourney.AcceptTermsAndValidateAsync(page);
        await DepositJourney.ClickValidateAsync(page);

        await Assertions.Expect(page).ToHaveURLAsync(new Regex($"/depots/{depositId}$"));
        await Assertions.Expect(page.Locator("#mode")).ToHaveTextAsync("Groupement conjoint");
        var member = page.Locator("#membres li", new() { HasText = CoContractor });
        await Assertions.Expect(member).ToContainTextAsync(Siret);
        await Assertions.Expect(member).ToContainTextAsync("co-traitant");
        await DepositJourney.ScreenshotAsync(page, "depot-groupement-confirmation.png");
        var deposit = await _journey.DepositAsync(depositId);
        Assert.Equal(DepositMode.GroupementConjoint, deposit.Mode);
        var saved = Assert.Single(deposit.Members);
        Assert.Equal((CoContractor, Siret), (saved.Name, saved.Siret));
    }
}

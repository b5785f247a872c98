using System.Text.Json;
using System.Text.RegularExpressions;
using Json.Schema;
using Microsoft.EntityFrameworkCore;
using Microsoft.Playwright;
using Pli.Browser.Tests.Deposits;
using Pli.Web.Features.Award;
using Pli.Web.Features.Committee;
using Pli.Web.Features.Demo;
using Pli.Web.Features.OpenData.Decp;
using Pli.Web.Features.Opening;
using Pli.Web.Tests.Features.Account;
using Pli.Web.Tests.Features.Committee;
using Pli.Web.Tests.Features.Deposits;
using Pli.Web.Tests.Features.OpenData.Ocds;
using Pli.Web.Tests.Infrastructure;

namespace Pli.Browser.Tests.Opening;

/// <summary>
/// After the deadline, clicked through in Chromium on the fake clock: two of the three named openers present
/// their shares, an opener opens the candidatures then the offers and downloads an offer equal byte for byte
/// to what was uploaded, the manager awards the lot and sends the letters, the other company finds its
/// rejection letter in its messages; the DECP and OCDS outputs validate against their official schemas.
/// </summary>
public sealed class OpeningJourneyTests(BrowserApp app) : IClassFixture<BrowserApp>
{
    private readonly DepositJourney _journey = new(app);

    [Fact]
    public async Task TwoOfThreeOpeners_OpenTheOffer_ThenTheLotIsAwarded_AndTheOtherCompanyIsToldThroughItsMessages()
    {
        // A buyer with a manager and three openers holding their opener keys; a 2-of-3 committee on a draft with one lot.
        var committee = new CommitteeScenario(app);
        var organisation = await CommitteeScenario.CreateOrganisationAsync(app);
        var buyerSiret = AccountTestKit.NewSiret();
        await app.WithDb(db => db.Database.ExecuteSqlInterpolatedAsync($"UPDATE \"Organisations\" SET \"Siret\" = {buyerSiret} WHERE \"Id\" = {organisation.OrganisationId}"));
        var id = await committee.DraftWithCommitteeAsync(organisation, TimeSpan.FromHours(2));
        await app.WithDb(async db =>
        {
            var draft = await db.Consultations.Include(c => c.Lots).SingleAsync(c => c.Id == id);
            // A key set by the domain reads as an existing row to EF: the new lot is said to be new.
            db.Entry(draft.AddLot(1, "Voirie et réseaux")).State = EntityState.Added;
            await db.SaveChangesAsync();
        });
        using (var published = await committee.PublishAsync(organisation, id))
        {
            await AccountTestKit.AssertRedirectAsync(published);
        }

        // Two companies deposit on time: the demo company and a competitor.
        var deposits = new DepositScenario(app);
        var offer = DepositScenario.PdfOfSize(180_000);
        using var demo = await deposits.ClientAsync();
        var winnerDeposit = await SealAsync(demo, id, offer);
        var otherEmail = await deposits.OtherCompanyUserAsync();
        using var other = await deposits.ClientAsync(otherEmail);
        await SealAsync(other, id, DepositScenario.PdfOfSize(90_000));
        var deadline = await app.WithDb(db => db.Consultations.Where(c => c.Id == id).Select(c => c.DeadlineUtc).SingleAsync());
        var winnerCompanyId = await app.WithDb(db => db.Users.Where(u => u.Email == DemoData.CompanyEmail).Select(u => u.CompanyId!.Value).SingleAsync());

        // The fake clock passes the deadline: from now on, and only now, shares may be presented.
        app.Time.SetUtcNow(new DateTimeOffset(deadline, TimeSpan.Zero).AddSeconds(1));

        var first = await SignedInAgentAsync(organisation.Openers[0].Email);
        await PresentShareAsync(first, id, CommitteeScenario.PassphraseOf(0));
        await Assertions.Expect(first.Locator("#etat-comite")).ToContainTextAsync("1 part");
        await first.GotoAsync(OpeningPaths.Page(id));
        await first.Locator("#form-candidatures button").ClickAsync();
        await Assertions.Expect(first.GetByRole(AriaRole.Alert).First).ToContainTextAsync("comité");
        await DepositJourney.ScreenshotAsync(first, "opening-1-cle-encore-verrouillee.png");

        var second = await SignedInAgentAsync(organisation.Openers[1].Email);
        await PresentShareAsync(second, id, CommitteeScenario.PassphraseOf(1));
        await Assertions.Expect(second.Locator("#cle-deverrouillee")).ToBeVisibleAsync();
        await DepositJourney.ScreenshotAsync(second, "opening-2-cle-deverrouillee.png");

        // Candidatures first, then the offers of lot 1; then the offer is downloaded, decrypted as it streams.
        await first.GotoAsync(OpeningPaths.Page(id));
        await first.Locator("#form-candidatures button").ClickAsync();
        await Assertions.Expect(first.Locator("#notice")).ToBeVisibleAsync();
        await first.Locator("#form-offres-1 button").ClickAsync();
        await Assertions.Expect(first.Locator("#notice")).ToBeVisibleAsync();
        await Assertions.Expect(first.Locator("#fichiers-alteres")).ToHaveCountAsync(0);
        await DepositJourney.ScreenshotAsync(first, "opening-3-plis-ouverts.png");
        var offerFileId = await app.WithDb(db => db.DepositFiles.Where(f => f.DepositId == winnerDeposit && f.Name == "Offre.pdf").Select(f => f.Id).SingleAsync());
        var download = await first.RunAndWaitForDownloadAsync(() => first.Locator($"a[href='{OpeningPaths.File(id, offerFileId)}']").ClickAsync());
        Assert.Equal(offer, await File.ReadAllBytesAsync((await download.PathAsync())!));

        // The manager awards lot 1 to the demo company and sends the letters.
        var manager = await SignedInAgentAsync(organisation.Manager);
        await manager.GotoAsync($"/acheteur/consultations/{id}");
        await manager.Locator("#lien-attribution").ClickAsync();
        await manager.Locator($"#company-1-{winnerCompanyId:N}").CheckAsync();
        await manager.Locator("#AmountHt_1").FillAsync("98 500,00");
        await manager.Locator("#attribuer-1").ClickAsync();
        await manager.Locator("#envoyer-courriers-1").ClickAsync();
        await Assertions.Expect(manager.Locator("#standstill-1")).ToBeVisibleAsync();
        await DepositJourney.ScreenshotAsync(manager, "opening-4-attribution.png");

        // The competitor finds the rejection letter in its messages, and reads it on the platform.
        var competitor = await _journey.NewPageAsync();
        await competitor.GotoAsync("/compte/connexion");
        await competitor.GetByLabel("Adresse e-mail").FillAsync(otherEmail);
        await competitor.GetByLabel("Mot de passe").FillAsync(DemoData.Password);
        await competitor.GetByRole(AriaRole.Main).GetByRole(AriaRole.Button, new() { Name = "Se connecter" }).ClickAsync();
        await competitor.GotoAsync("/messages");
        var letter = competitor.GetByRole(AriaRole.Link, new() { NameRegex = new Regex("Rejet de votre offre") });
        await Assertions.Expect(letter).ToBeVisibleAsync();
        await letter.ClickAsync();
        await Assertions.Expect(competitor.GetByRole(AriaRole.Main)).ToContainTextAsync("Voirie et réseaux");
        await DepositJourney.ScreenshotAsync(competitor, "opening-5-lettre-de-rejet.png");

        // The essential data of the contract, then both open data outputs against their schemas.
        await manager.GotoAsync(AwardPaths.EssentialData(id, 1));
        await manager.Locator("#LieuCode").FillAsync("13055");
        await manager.Locator("#LieuTypeCode").SelectOptionAsync("Code commune");
        await manager.Locator("#DureeMois").FillAsync("24");
        await manager.Locator("#DateNotification").FillAsync(ParisDay());
        await manager.Locator("input[name=TypesPrix][value='Définitif ferme']").CheckAsync();
        await manager.Locator("#FormePrix").SelectOptionAsync("Forfaitaire");
        await manager.Locator("#SousTraitanceDeclaree_non").CheckAsync();
        await manager.Locator("input[name=ConsiderationsSociales][value='Pas de considération sociale']").CheckAsync();
        await manager.Locator("input[name=ConsiderationsEnvironnementales][value='Pas de considération environnementale']").CheckAsync();
        await manager.Locator("#publier-decp").ClickAsync();
        await Assertions.Expect(manager.Locator("#notice")).ToBeVisibleAsync();

        var year = int.Parse(ParisDay()[..4], System.Globalization.CultureInfo.InvariantCulture);
        var decp = await (await manager.APIRequest.GetAsync(AwardPaths.Decp(buyerSiret, year))).TextAsync();
        AssertValidDecp(decp);
        Assert.Contains("98500", decp, StringComparison.Ordinal);
        var ocds = await (await manager.APIRequest.GetAsync($"/ocds/consultations/{id}/releases.json")).TextAsync();
        OcdsSchema.AssertValid(ocds);
        Assert.Contains("\"award\"", ocds, StringComparison.Ordinal);
    }

    private string ParisDay() => Pli.Domain.Common.ParisTime.ToParis(app.Time.GetUtcNow().UtcDateTime).ToString("yyyy-MM-dd", System.Globalization.CultureInfo.InvariantCulture);

    private static async Task<Guid> SealAsync(HttpClient company, Guid consultationId, byte[] offer)
    {
        var deposit = DepositScenario.IdOf(await DepositScenario.StartAsync(company, consultationId, new { mode = "Solo", candidatureType = "Standard", lots = new[] { 1 } }));
        await DepositScenario.UploadOkAsync(company, deposit, "candidature", "DC1.pdf", DepositScenario.Pdf);
        await DepositScenario.UploadOkAsync(company, deposit, "offre", "Offre.pdf", offer, lot: 1);
        using var response = await DepositScenario.SealAsync(company, deposit);
        Assert.True(response.IsSuccessStatusCode, await response.Content.ReadAsStringAsync());
        return deposit;
    }

    private async Task<IPage> SignedInAgentAsync(string email)
    {
        var page = await _journey.NewPageAsync();
        await page.GotoAsync("/compte/connexion");
        await page.GetByLabel("Adresse e-mail").FillAsync(email);
        await page.GetByLabel("Mot de passe").FillAsync(DemoData.Password);
        await page.GetByRole(AriaRole.Main).GetByRole(AriaRole.Button, new() { Name = "Se connecter" }).ClickAsync();
        // Identity checks TOTP codes against the real clock, not the platform's fake one.
        await page.GetByLabel("Code de vérification").FillAsync(Totp.Code(DemoData.TotpSecret, TimeProvider.System.GetUtcNow()));
        await page.GetByRole(AriaRole.Main).GetByRole(AriaRole.Button).ClickAsync();
        await Assertions.Expect(page.GetByRole(AriaRole.Button, new() { Name = "Se déconnecter" })).ToBeVisibleAsync();
        return page;
    }

    private static async Task PresentShareAsync(IPage opener, Guid consultationId, string passphrase)
    {
        await opener.GotoAsync(CommitteePaths.Present(consultationId));
        await opener.Locator("#Passphrase").FillAsync(passphrase);
        await opener.Locator("#presenter-part").ClickAsync();
        await Assertions.Expect(opener.Locator("#notice")).ToBeVisibleAsync();
    }

    private static void AssertValidDecp(string json)
    {
        using var stream = DecpService.OpenSchema();
        using var reader = new StreamReader(stream);
        var schema = JsonSchema.FromText(reader.ReadToEnd(), new BuildOptions { SchemaRegistry = new SchemaRegistry() });
        var result = schema.Evaluate(JsonDocument.Parse(json).RootElement, new EvaluationOptions { OutputFormat = OutputFormat.List });
        Assert.True(result.IsValid, string.Join("\n", (result.Details ?? []).Where(d => d.Errors is not null).SelectMany(d => d.Errors!.Select(e => $"{d.InstanceLocation}: {e.Value}"))));
    }
}

using System.IO.Compression;
using Microsoft.EntityFrameworkCore;
using Microsoft.Playwright;
using Pli.Web.Features.Demo;

namespace Pli.Browser.Tests;

public sealed class PortalJourneyTests(BrowserApp app) : IClassFixture<BrowserApp>
{
    [Fact]
    public async Task Visitor_SearchesByConsultationNumber_LandsOnTheConsultation()
    {
        var page = await app.NewPageAsync();

        await page.GotoAsync("/");
        await page.GetByLabel("Numéro de consultation").FillAsync("2026-trv-0042");
        await page.GetByRole(AriaRole.Button, new() { Name = "Rechercher" }).ClickAsync();

        await Assertions.Expect(page).ToHaveURLAsync(new System.Text.RegularExpressions.Regex("/consultations/[0-9a-f-]{36}$"));
        await Assertions.Expect(page.GetByRole(AriaRole.Heading, new() { Level = 1 })).ToContainTextAsync("Reconstruction de l'échangeur de la Barasse");
        await Assertions.Expect(page.GetByText("heure de Paris, UTC+02:00").First).ToBeVisibleAsync();
        await page.ScreenshotAsync(new() { Path = BrowserApp.Artefact("consultation-page.png"), FullPage = true });
    }

    [Fact]
    public async Task Visitor_SwitchesLanguage_StaysOnTheSamePageWithItsQuery()
    {
        var page = await app.NewPageAsync();
        await page.GotoAsync("/?q=voirie");
        var searched = new Uri(app.BaseUrl, "/?q=voirie").ToString();

        await Localization.SiteLanguage.SwitchAsync(page, "en");

        await Assertions.Expect(page).ToHaveURLAsync(searched);
        await Assertions.Expect(page.GetByLabel("Keywords")).ToHaveValueAsync("voirie");

        await Localization.SiteLanguage.SwitchAsync(page, "fr");

        await Assertions.Expect(page).ToHaveURLAsync(searched);
        await Assertions.Expect(page.GetByLabel("Mots-clés")).ToHaveValueAsync("voirie");
    }

    [Fact]
    public async Task Company_FindsConsultationByNumber_AndDownloadsTheDceIdentified()
    {
        var page = await app.NewPageAsync();
        await page.GotoAsync("/compte/connexion");
        await page.GetByLabel("Adresse e-mail").FillAsync(DemoData.CompanyEmail);
        await page.GetByLabel("Mot de passe").FillAsync(DemoData.Password);
        await page.GetByRole(AriaRole.Main).GetByRole(AriaRole.Button, new() { Name = "Se connecter" }).ClickAsync();

        await page.GetByLabel("Numéro de consultation").FillAsync("2026-FCS-0107");
        await page.GetByRole(AriaRole.Button, new() { Name = "Rechercher" }).ClickAsync();
        await page.GetByRole(AriaRole.Link, new() { Name = "Télécharger le DCE" }).ClickAsync();
        await page.ScreenshotAsync(new() { Path = BrowserApp.Artefact("dce-identified.png"), FullPage = true });
        var download = await page.RunAndWaitForDownloadAsync(() => page.GetByRole(AriaRole.Link, new() { Name = "Télécharger le DCE complet (zip)" }).ClickAsync());

        Assert.Equal("DCE_2026-FCS-0107.zip", download.SuggestedFilename);
        var path = BrowserApp.Artefact(download.SuggestedFilename);
        await download.SaveAsAsync(path);
        using (var zip = ZipFile.OpenRead(path))
        {
            Assert.Contains(zip.Entries, e => e.FullName == "Pièces techniques/CCTP.pdf");
        }
        var register = await app.WithDb(db => db.DceDownloads
            .Where(d => db.Consultations.Any(c => c.Id == d.ConsultationId && c.Reference == "2026-FCS-0107"))
            .ToListAsync());
        var line = Assert.Single(register);
        Assert.False(line.IsAnonymous);
        Assert.Equal("*", line.Files);
    }
}

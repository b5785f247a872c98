using Microsoft.Playwright;

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
}

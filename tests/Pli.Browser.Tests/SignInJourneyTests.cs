using Microsoft.Playwright;
using Pli.Web.Features.Demo;

namespace Pli.Browser.Tests;

public sealed class SignInJourneyTests(BrowserApp app) : IClassFixture<BrowserApp>
{
    [Fact]
    public async Task Company_SignsIn_AndSeesTheSignOutButton()
    {
        var page = await app.NewPageAsync();

        await page.GotoAsync("/compte/connexion");
        await page.GetByLabel("Adresse e-mail").FillAsync(DemoData.CompanyEmail);
        await page.GetByLabel("Mot de passe").FillAsync(DemoData.Password);
        await page.GetByRole(AriaRole.Main).GetByRole(AriaRole.Button, new() { Name = "Se connecter" }).ClickAsync();

        await Assertions.Expect(page.GetByRole(AriaRole.Button, new() { Name = "Se déconnecter" })).ToBeVisibleAsync();
        await page.ScreenshotAsync(new() { Path = BrowserApp.Artefact("sign-in-company.png"), FullPage = true });
    }
}

using System.Text.RegularExpressions;
using Microsoft.Playwright;
using Pli.Browser.Tests.Deposits;
using Pli.Web.Features.Help;

namespace Pli.Browser.Tests.Help;

/// <summary>The workstation test in Chromium: every check answers, and the upload speed is measured for real.</summary>
public sealed partial class WorkstationTestPageTests(BrowserApp app) : IClassFixture<BrowserApp>
{
    private readonly DepositJourney _journey = new(app);

    [Fact]
    public async Task TheTest_ReportsEachCheck_AMeasuredSpeed_AndHowLongAPliWouldTake()
    {
        var page = await _journey.NewPageAsync();
        await page.GotoAsync(HelpPaths.Workstation);
        await Assertions.Expect(page.Locator("#verif-javascript td")).ToHaveAttributeAsync("data-status", "ok");

        await page.GetByRole(AriaRole.Button, new() { Name = "Lancer le test" }).ClickAsync();

        var speed = page.Locator("#verif-debit td");
        await Assertions.Expect(speed).ToHaveAttributeAsync("data-status", new Regex("^(ok|warning)$"), new() { Timeout = 30_000 });
        await Assertions.Expect(speed).ToContainTextAsync(SpeedText());
        await Assertions.Expect(page.Locator("#verif-cookies td")).ToHaveAttributeAsync("data-status", "ok");
        await Assertions.Expect(page.Locator("#verif-protocole td")).ToContainTextAsync("tus 1.0.0");
        await Assertions.Expect(page.Locator("#verif-stockage td")).ToHaveAttributeAsync("data-status", "ok");
        // The platform runs on the tests' fake clock (1 June 2026), far from the machine's: the check says by how much.
        var clock = page.Locator("#verif-horloge td");
        await Assertions.Expect(clock).ToHaveAttributeAsync("data-status", "warning");
        await Assertions.Expect(clock).ToContainTextAsync(app.Time.GetUtcNow() < TimeProvider.System.GetUtcNow() ? "avance de" : "retarde de");
        await Assertions.Expect(page.Locator("#synthese")).ToHaveTextAsync("Votre poste peut déposer, avec les réserves ci-dessous.");
        await Assertions.Expect(page.Locator("#estimation")).ToHaveTextAsync(new Regex("^À ce débit, un pli de 250 Mo prendra environ .+ à envoyer\\.$"));

        await page.GetByLabel("Taille totale de votre pli, en Mo").FillAsync("1000");
        await Assertions.Expect(page.Locator("#estimation")).ToContainTextAsync("un pli de 1 000 Mo");
        await DepositJourney.ScreenshotAsync(page, "aide-test-poste.png");
    }

    [GeneratedRegex(@"^(Conforme|À surveiller) 4 Mo envoyés en [\d,]+ s : [\d  ,]+ Mbit/s\.")]
    private static partial Regex SpeedText();
}

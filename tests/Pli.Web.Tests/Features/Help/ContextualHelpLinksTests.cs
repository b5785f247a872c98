using Pli.Web.Features.Help;
using Pli.Web.Tests.Features.Deposits;
using Pli.Web.Tests.Infrastructure;

namespace Pli.Web.Tests.Features.Help;

/// <summary>Each step of a company's answer links to the part of the help that explains it, and that part exists.</summary>
public sealed class ContextualHelpLinksTests(DepositsSqliteApp app) : IClassFixture<DepositsSqliteApp>
{
    [Fact]
    public async Task EveryStepOfTheAnswer_LinksToItsSectionOfTheGuide_Or_ToItsArticle()
    {
        var scenario = new DepositScenario(app);
        var consultation = await scenario.ConsultationAsync();
        var other = await scenario.ConsultationAsync();
        using var api = await scenario.ClientAsync();
        // One draft per company and consultation: the sealed pli is of another consultation.
        var draft = DepositScenario.IdOf(await DepositScenario.StartAsync(api, consultation.Id));
        var sealedDeposit = DepositScenario.IdOf(await DepositScenario.StartAsync(api, other.Id));
        await DepositScenario.UploadOkAsync(api, sealedDeposit, "candidature", "DC1.pdf", DepositScenario.Pdf);
        await DepositScenario.UploadOkAsync(api, sealedDeposit, "offre", "Offre.pdf", DepositScenario.Pdf);
        using (var seal = await DepositScenario.SealAsync(api, sealedDeposit))
        {
            seal.EnsureSuccessStatusCode();
        }
        using var anonymous = app.Browser();
        using var company = app.Browser();
        await company.SignInAsDemoCompanyAsync();
        var guide = await anonymous.GetPageAsync(HelpPaths.Guide);

        (TestBrowser Browser, string Page, string[] Links)[] pages =
        [
            (anonymous, "/", ["/aide/deposer#recherche"]),
            (anonymous, $"/consultations/{consultation.Id}", ["/aide/deposer#consultation"]),
            (anonymous, "/compte/connexion", ["/aide/deposer#connexion"]),
            (anonymous, $"/consultations/{consultation.Id}/dce", [HelpPaths.Download]),
            (company, $"/consultations/{consultation.Id}/repondre", ["/aide/deposer#reponse"]),
            (company, $"/depots/{draft}/fichiers", ["/aide/deposer#fichiers", "/aide/deposer#validation"]),
            (company, $"/depots/{sealedDeposit}", ["/aide/deposer#confirmation"]),
            (company, "/depots", ["/aide/deposer#mes-depots"]),
            (company, "/messages", [HelpPaths.Messaging]),
            (company, "/entreprise", [HelpPaths.Download]),
        ];
        foreach (var (browser, url, expected) in pages)
        {
            var page = await browser.GetPageAsync(url);
            var links = page.QuerySelectorAll(".help-link a").Select(a => a.GetAttribute("href")!).ToArray();
            Assert.True(expected.SequenceEqual(links), $"{url}: help links [{string.Join(", ", links)}]");
            // The text names the section: two help links of one page never read the same (RGAA 6.1).
            Assert.Equal(links.Length, page.QuerySelectorAll(".help-link a").Select(a => a.TextContent).Distinct().Count());
            foreach (var link in links.Where(l => l.Contains('#', StringComparison.Ordinal)))
            {
                Assert.NotNull(guide.GetElementById(link.Split('#')[1]));
            }
        }
    }
}

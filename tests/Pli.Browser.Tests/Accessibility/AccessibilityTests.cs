using Microsoft.EntityFrameworkCore;
using Microsoft.Playwright;
using Pli.Domain.Alerts;
using Pli.Domain.Dce;
using Pli.Domain.Messaging;
using Pli.Domain.Questions;
using Pli.Browser.Tests.Deposits;
using Pli.Browser.Tests.Localization;
using Pli.Web.Features.Demo;
using Pli.Web.Features.Help;
using Pli.Web.Tests.Features.Deposits;
using Pli.Web.Tests.Features.Portal;

namespace Pli.Browser.Tests.Accessibility;

/// <summary>
/// axe-core on every page of the table, as the person who uses it sees it: no serious or critical violation.
/// The table is also read in English, where a page must say so (html lang) and show none of the French texts
/// of the resources: the demo data stays French, as a French buyer writes it.
/// Pages the journeys reach through a state the table cannot set up (a one-time token in a mail, a committee
/// mid-opening, a closed consultation) are checked by those journeys at each of their screenshots.
/// Left out: /compte/connexion-2fa, /compte/authentificateur, /compte/invitation, /compte/confirmer,
/// /compte/reinitialiser, /compte/activer (each needs a token from a mail), /dev/courriels (Development only),
/// /compte/deconnexion (a POST).
/// </summary>
public sealed class AccessibilityTests(BrowserApp app) : IClassFixture<BrowserApp>
{
    private readonly DepositJourney _journey = new(app);

    private enum Who { Anonymous, Company, Agent, Admin }

    /// <summary>The table: who looks, and the page ({consultation}, {draft}, {deposit}, {files} are filled in below).</summary>
    private static readonly (Who Who, string Page)[] Pages =
    [
        (Who.Anonymous, "/"),
        (Who.Anonymous, "/?q=voirie"),
        (Who.Anonymous, "/consultations/{consultation}"),
        (Who.Anonymous, "/consultations/{consultation}/dce"),
        (Who.Anonymous, "/compte/connexion"),
        (Who.Anonymous, "/compte/inscription"),
        (Who.Anonymous, "/compte/inscription/envoyee"),
        (Who.Anonymous, "/compte/mot-de-passe-oublie"),
        (Who.Anonymous, "/compte/renvoyer-confirmation"),
        (Who.Anonymous, "/conditions-utilisation"),
        (Who.Anonymous, "/nulle-part"),
        (Who.Anonymous, HelpPaths.Index),
        (Who.Anonymous, HelpPaths.Guide),
        (Who.Anonymous, HelpPaths.Workstation),
        (Who.Anonymous, HelpPaths.Formats),
        (Who.Anonymous, HelpPaths.Download),
        (Who.Anonymous, HelpPaths.Timestamping),
        (Who.Anonymous, HelpPaths.Messaging),
        (Who.Anonymous, HelpPaths.Faq),
        (Who.Anonymous, HelpPaths.Assistance),
        (Who.Company, "/entreprise"),
        (Who.Company, "/entreprise/utilisateurs"),
        (Who.Company, "/consultations/{consultation}/dce"),
        (Who.Company, "/consultations/{other}/repondre"),
        (Who.Company, "/depots/{files}/fichiers"),
        (Who.Company, "/depots/{deposit}"),
        (Who.Company, "/depots"),
        (Who.Company, "/alertes"),
        (Who.Company, "/alertes/enregistrer?q=voirie"),
        (Who.Company, "/messages"),
        (Who.Company, "/consultations/{consultation}/questions/poser"),
        (Who.Company, "/consultations/{consultation}/questions/mes-questions"),
        (Who.Agent, "/acheteur"),
        (Who.Agent, "/acheteur/cpv"),
        (Who.Agent, "/acheteur/organisation"),
        (Who.Agent, "/acheteur/cle-d-ouverture"),
        (Who.Agent, "/acheteur/consultations/nouvelle"),
        (Who.Agent, "/acheteur/consultations/{draft}"),
        (Who.Agent, "/acheteur/consultations/{draft}/dce"),
        (Who.Agent, "/acheteur/consultations/{draft}/publier"),
        (Who.Agent, "/acheteur/consultations/{draft}/comite"),
        (Who.Agent, "/acheteur/consultations/{consultation}"),
        (Who.Agent, "/acheteur/consultations/{consultation}/modifier"),
        (Who.Agent, "/acheteur/consultations/{consultation}/retraits"),
        (Who.Agent, "/acheteur/consultations/{consultation}/depots"),
        (Who.Agent, "/acheteur/consultations/{consultation}/questions"),
        (Who.Agent, "/acheteur/consultations/{consultation}/messages"),
        (Who.Agent, "/acheteur/consultations/{consultation}/messages/nouveau"),
        (Who.Agent, "/acheteur/consultations/{consultation}/ouverture"),
        (Who.Agent, "/acheteur/consultations/{consultation}/attribution"),
        (Who.Admin, "/admin"),
        (Who.Admin, "/admin/journal"),
        (Who.Admin, "/admin/organisations/nouvelle"),
        (Who.Admin, "/admin/courriels"),
    ];

    [Fact]
    public async Task EveryPageOfTheTable_HasNoSeriousOrCriticalAxeViolation()
    {
        var problems = await ProblemsOfTheTableAsync("fr");

        Assert.True(problems.Count == 0, $"{problems.Count} problem(s):\n" + string.Join('\n', problems));
    }

    [Fact]
    public async Task EveryPageOfTheTable_InEnglish_IsEnglish_AndHasNoSeriousOrCriticalAxeViolation()
    {
        var problems = await ProblemsOfTheTableAsync("en");

        Assert.True(problems.Count == 0, $"{problems.Count} problem(s):\n" + string.Join('\n', problems));
    }

    [Fact]
    public async Task FrenchTexts_AreReported_WhenAnEnglishPageShowsOne()
    {
        const string frenchFooter = "Pli — plateforme libre de dématérialisation des marchés publics. Les heures sont celles de Paris.";
        Assert.Contains(frenchFooter, FrenchTexts.All);
        var page = await _journey.NewPageAsync();
        await page.GotoAsync(HelpPaths.Index);
        await SiteLanguage.SwitchAsync(page, "en");
        Assert.Empty(await FrenchTexts.FoundOnAsync(page));
        // The footer of SharedTexts.resx where its English should be: what a key missing from the .en.resx looks like.
        await page.EvaluateAsync("text => { document.querySelector('footer p').textContent = text; }", frenchFooter);

        var found = await FrenchTexts.FoundOnAsync(page);

        Assert.Equal([frenchFooter], found);
    }

    [Fact]
    public async Task Axe_ReportsAViolation_WhenAPageHasOne()
    {
        var page = await _journey.NewPageAsync();
        await page.GotoAsync(HelpPaths.Index);
        // A field without a label and an image without a text: what a careless change would bring.
        await page.EvaluateAsync("() => { document.querySelector('main').insertAdjacentHTML('beforeend', '<input type=\"text\"><img src=\"/aide/captures/depot-01-recherche.png\">'); }");

        var violations = await Axe.SeriousViolationsAsync(page);

        Assert.Contains(violations, v => v.StartsWith("label (critical)", StringComparison.Ordinal));
        Assert.Contains(violations, v => v.StartsWith("image-alt (critical)", StringComparison.Ordinal));
    }

    /// <summary>
    /// Every page of the table in <paramref name="language"/>, switched to by the header's form after signing in:
    /// the wrong status, axe's serious or critical violations and, in English, a wrong html lang or a French text of
    /// the resources, one line each.
    /// </summary>
    private async Task<List<string>> ProblemsOfTheTableAsync(string language)
    {
        var buyer = await ConsultationBuilder.DemoBuyerIdAsync(app);
        var consultation = await ConsultationBuilder.IdOfAsync(app, "2026-TRV-0042");
        var other = (await new ConsultationBuilder(app).Buyer(buyer).Title("Entretien des espaces verts").Lot("Tonte").DeadlineIn(TimeSpan.FromDays(20)).SaveAsync()).Id;
        var draft = (await new ConsultationBuilder(app).Buyer(buyer).Title("Brouillon de consultation").Draft().SaveAsync()).Id;
        var scenario = new DepositScenario(app);
        using var api = await scenario.ClientAsync();
        var sealedDeposit = DepositScenario.IdOf(await DepositScenario.StartAsync(api, consultation, new { mode = "Solo", candidatureType = "Standard", lots = new[] { 2 } }));
        await DepositScenario.UploadOkAsync(api, sealedDeposit, "candidature", "DC1.pdf", DepositScenario.Pdf);
        await DepositScenario.UploadOkAsync(api, sealedDeposit, "offre", "Offre lot 2.pdf", DepositScenario.Pdf, lot: 2);
        using (var seal = await DepositScenario.SealAsync(api, sealedDeposit))
        {
            Assert.True(seal.IsSuccessStatusCode, await seal.Content.ReadAsStringAsync());
        }
        var files = DepositScenario.IdOf(await DepositScenario.StartAsync(api, other, new { mode = "Solo", candidatureType = "Standard", lots = new[] { 1 } }));
        await DepositScenario.UploadOkAsync(api, files, "candidature", "DC1.pdf", DepositScenario.Pdf);
        await SeedCompanyDashboardAsync(consultation);

        var anonymous = await _journey.NewPageAsync();
        await anonymous.GotoAsync("/");
        var pages = new Dictionary<Who, IPage>
        {
            [Who.Anonymous] = anonymous,
            [Who.Company] = await SignedInAsync(DemoData.CompanyEmail, totp: false),
            [Who.Agent] = await SignedInAsync(DemoData.AgentEmail, totp: true),
            [Who.Admin] = await SignedInAsync(DemoData.AdminEmail, totp: true),
        };
        if (language != "fr")
        {
            foreach (var visitor in pages.Values)
            {
                await SiteLanguage.SwitchAsync(visitor, language);
            }
        }
        var problems = new List<string>();
        foreach (var (who, template) in Pages)
        {
            var url = template.Replace("{consultation}", consultation.ToString(), StringComparison.Ordinal)
                .Replace("{other}", other.ToString(), StringComparison.Ordinal)
                .Replace("{draft}", draft.ToString(), StringComparison.Ordinal)
                .Replace("{deposit}", sealedDeposit.ToString(), StringComparison.Ordinal)
                .Replace("{files}", files.ToString(), StringComparison.Ordinal);
            var page = pages[who];
            var response = await page.GotoAsync(url);
            var expected = template == "/nulle-part" ? 404 : 200;
            if (response?.Status != expected)
            {
                problems.Add($"{who} {template}: HTTP {response?.Status} at {page.Url}");
                continue;
            }
            if (language == "en")
            {
                var lang = await page.Locator("html").GetAttributeAsync("lang");
                if (lang != "en")
                {
                    problems.Add($"{who} {template}: <html lang=\"{lang}\">");
                }
                problems.AddRange((await FrenchTexts.FoundOnAsync(page)).Select(f => $"{who} {template}: French text « {f} »"));
            }
            problems.AddRange((await Axe.SeriousViolationsAsync(page)).Select(v => $"{who} {template}: {v}"));
        }
        return problems;
    }

    /// <summary>
    /// A row in each section of the company dashboard (/entreprise) besides the plis above: a download the buyer changed
    /// since, a message not read yet, a question and a saved search.
    /// </summary>
    private Task SeedCompanyDashboardAsync(Guid consultationId) => app.WithDb(async db =>
    {
        var now = app.Time.GetUtcNow().UtcDateTime;
        var user = await db.Users.SingleAsync(u => u.Email == DemoData.CompanyEmail);
        var agent = await db.Users.Where(u => u.Email == DemoData.AgentEmail).Select(u => u.Id).SingleAsync();
        var consultation = await db.Consultations.SingleAsync(c => c.Id == consultationId);
        var companyId = user.CompanyId!.Value;
        db.DceDownloads.Add(DceDownload.Identified(consultationId, user.Id, companyId, DceDownload.WholeDce, now.AddMinutes(-1)));
        db.ConsultationModifications.Add(consultation.PublishRectificatif("L'article 4 du CCTP est corrigé.", now));
        db.MessageThreads.Add(MessageThread.Start(consultationId, companyId, MessageType.Free, "Précisions sur le lot 2", "Pouvez-vous préciser votre offre ?", null, agent, [], now));
        db.Questions.Add(Question.Ask(consultation, companyId, user.Id, "Une visite du site est-elle prévue ?", null, now));
        db.SavedSearches.Add(SavedSearch.Create(user.Id, "Voirie à Marseille", "q=voirie", false, Guid.NewGuid().ToString("N"), 0, now));
        await db.SaveChangesAsync();
    });

    private async Task<IPage> SignedInAsync(string email, bool totp)
    {
        var page = await _journey.NewPageAsync();
        await page.GotoAsync("/compte/connexion");
        await page.GetByLabel("Adresse e-mail").FillAsync(email);
        await page.GetByLabel("Mot de passe").FillAsync(DemoData.Password);
        await page.GetByRole(AriaRole.Main).GetByRole(AriaRole.Button, new() { Name = "Se connecter" }).ClickAsync();
        if (totp)
        {
            // Identity checks TOTP codes against the real clock, not the platform's fake one.
            await page.GetByLabel("Code de vérification").FillAsync(Pli.Web.Tests.Infrastructure.Totp.Code(DemoData.TotpSecret, TimeProvider.System.GetUtcNow()));
            await page.GetByRole(AriaRole.Main).GetByRole(AriaRole.Button).ClickAsync();
        }
        await Assertions.Expect(page.GetByRole(AriaRole.Button, new() { Name = "Se déconnecter" })).ToBeVisibleAsync();
        return page;
    }
}

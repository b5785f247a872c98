using System.Text.RegularExpressions;
using Microsoft.EntityFrameworkCore;
using Microsoft.Playwright;
using MimeKit;
using Pli.Browser.Tests.Deposits;
using Pli.Web.Features.Demo;
using Pli.Web.Tests.Features.Dce;
using Pli.Web.Tests.Infrastructure;

namespace Pli.Browser.Tests.Communication;

/// <summary>
/// The correspondence of a consultation, clicked through: the agent moves the deadline and the company
/// that downloaded the DCE identified finds the notice in its mailbox (the in-process SMTP server); the
/// agent asks for complements, the company follows the mail's button, signs in, reads, replies with a
/// file; the agent sees the read receipt and the reply.
/// </summary>
public sealed partial class CommunicationJourneyTests(BrowserApp app) : IClassFixture<BrowserApp>
{
    private readonly DepositJourney _journey = new(app);

    [GeneratedRegex(@"https?://[^/\s]+(?<path>/messages/[0-9a-f-]{36})")]
    private static partial Regex MessageLink();

    [Fact]
    public async Task DeadlineNotice_ThenRequestForComplements_ReadAndAnsweredWithAFile()
    {
        var dce = await DceScenario.CreateAsync(app);
        var companyId = await app.WithDb(db => db.Users.Where(u => u.Email == DemoData.CompanyEmail).Select(u => u.CompanyId!.Value).SingleAsync());

        // The company downloads the DCE identified: from now on it is told of every change.
        var company = await _journey.NewPageAsync();
        await company.GotoAsync("/compte/connexion");
        await DepositJourney.SignInAsync(company);
        await company.GotoAsync(dce.PagePath);
        var download = await company.RunAndWaitForDownloadAsync(() => company.Locator("#dce-complet").ClickAsync());
        Assert.EndsWith(".zip", download.SuggestedFilename, StringComparison.Ordinal);

        // The agent postpones the deadline by a week.
        var agent = await _journey.NewPageAsync();
        await SignInAsAgentAsync(agent);
        await agent.GotoAsync($"/acheteur/consultations/{dce.ConsultationId}/modifier");
        var form = agent.Locator("#form-report");
        await form.Locator("input[name=DeadlineDate]").FillAsync("2026-07-08");
        await form.Locator("input[name=DeadlineTime]").FillAsync("12:00:00");
        await agent.Locator("#Confirm-report").CheckAsync();
        await DepositJourney.ScreenshotAsync(agent, "communication-1-report-de-date.png");
        await form.GetByRole(AriaRole.Button).ClickAsync();
        await Assertions.Expect(agent.GetByRole(AriaRole.Status).First).ToContainTextAsync("1");

        var notice = await MailAsync(DemoData.CompanyEmail, "Modification de la consultation " + dce.Reference);
        Assert.Contains("au 08/07/2026 12:00 (heure de Paris, UTC+02:00)", notice.TextBody, StringComparison.Ordinal);
        Assert.Contains($"/consultations/{dce.ConsultationId}", notice.TextBody, StringComparison.Ordinal);

        // The agent asks this company for complements to its candidature, with a reply deadline.
        await agent.GotoAsync($"/acheteur/consultations/{dce.ConsultationId}/messages/nouveau");
        await agent.Locator("#Recipients_Chosen").CheckAsync();
        await agent.Locator($"#company-{companyId}").CheckAsync();
        await agent.Locator("#Type").SelectOptionAsync("CandidatureComplements");
        await agent.Locator("#Subject").FillAsync("Pièces manquantes de la candidature");
        await agent.Locator("#Text").FillAsync("Merci de nous transmettre votre attestation d'assurance décennale.");
        await agent.Locator("#ReplyDeadlineDate").FillAsync("2026-06-15");
        await agent.Locator("#ReplyDeadlineTime").FillAsync("17:00:00");
        await DepositJourney.ScreenshotAsync(agent, "communication-2-demande-de-complements.png");
        await agent.Locator("#envoyer-message").ClickAsync();
        await Assertions.Expect(agent.Locator("#registre-messages")).ToBeVisibleAsync();
        var threadId = await app.WithDb(db => db.MessageThreads.Where(t => t.ConsultationId == dce.ConsultationId && t.CompanyId == companyId).Select(t => t.Id).SingleAsync());
        await Assertions.Expect(agent.Locator($"#accuse-{threadId}")).ToContainTextAsync("Non lu");

        // The mail carries the button only; the company follows it in a new session and signs in.
        var mail = await MailAsync(DemoData.CompanyEmail, "Nouveau message concernant la consultation " + dce.Reference);
        Assert.Contains("Accéder au contenu du message", mail.HtmlBody, StringComparison.Ordinal);
        Assert.DoesNotContain("assurance décennale", mail.HtmlBody + mail.TextBody, StringComparison.Ordinal);
        var path = MessageLink().Match(mail.TextBody ?? "").Groups["path"].Value;
        Assert.Equal($"/messages/{threadId}", path);
        var reader = await _journey.NewPageAsync();
        await reader.GotoAsync(path);
        await Assertions.Expect(reader).ToHaveURLAsync(new Regex("/compte/connexion"));
        await DepositJourney.SignInAsync(reader);
        await Assertions.Expect(reader).ToHaveURLAsync(new Regex(Regex.Escape(path) + "$"));
        await Assertions.Expect(reader.GetByRole(AriaRole.Main)).ToContainTextAsync("attestation d'assurance décennale");

        // It replies with its certificate.
        await reader.Locator("#form-reponse #Text").FillAsync("Veuillez trouver ci-joint l'attestation demandée.");
        await reader.Locator("#form-reponse #Files").SetInputFilesAsync(new FilePayload { Name = "Attestation-decennale.pdf", MimeType = "application/pdf", Buffer = DepositJourney.Pdf("Attestation decennale") });
        await DepositJourney.ScreenshotAsync(reader, "communication-3-reponse.png");
        await reader.Locator("#envoyer-reponse").ClickAsync();
        await Assertions.Expect(reader.Locator("#notice")).ToBeVisibleAsync(new() { Timeout = 30_000 });

        // The agent is told, sees when and by whom the message was read, and the reply with its file.
        await MailAsync(DemoData.AgentEmail, "Réponse reçue");
        await agent.GotoAsync($"/acheteur/consultations/{dce.ConsultationId}/messages");
        await Assertions.Expect(agent.Locator($"#accuse-{threadId}")).ToContainTextAsync("Lu le");
        await Assertions.Expect(agent.Locator($"#reponses-{threadId}")).ToContainTextAsync("1");
        await agent.GotoAsync($"/acheteur/messages/{threadId}");
        var reply = agent.Locator(".message.from-company");
        await Assertions.Expect(reply).ToContainTextAsync("l'attestation demandée");
        await Assertions.Expect(reply.Locator(".attachments a")).ToContainTextAsync("Attestation-decennale.pdf");
        await Assertions.Expect(agent.Locator("#accuse-reception")).ToContainTextAsync("Lu le");
        await DepositJourney.ScreenshotAsync(agent, "communication-4-accuse-et-reponse.png");
    }

    private static async Task SignInAsAgentAsync(IPage page)
    {
        await page.GotoAsync("/compte/connexion");
        await page.GetByLabel("Adresse e-mail").FillAsync(DemoData.AgentEmail);
        await page.GetByLabel("Mot de passe").FillAsync(DemoData.Password);
        await page.GetByRole(AriaRole.Main).GetByRole(AriaRole.Button, new() { Name = "Se connecter" }).ClickAsync();
        // Identity checks TOTP codes against the real clock, not the platform's fake one.
        await page.GetByLabel("Code de vérification").FillAsync(Totp.Code(DemoData.TotpSecret, TimeProvider.System.GetUtcNow()));
        await page.GetByRole(AriaRole.Main).GetByRole(AriaRole.Button).ClickAsync();
        await Assertions.Expect(page.GetByRole(AriaRole.Button, new() { Name = "Se déconnecter" })).ToBeVisibleAsync();
    }

    /// <summary>The mail to <paramref name="to"/> whose subject starts so, as the SMTP server received it; sent by the outbox a moment after the page.</summary>
    private async Task<MimeMessage> MailAsync(string to, string subjectStart)
    {
        for (var attempt = 0; attempt < 100; attempt++)
        {
            var mail = app.MailsTo(to).LastOrDefault(m => m.Subject?.StartsWith(subjectStart, StringComparison.Ordinal) == true);
            if (mail is not null)
            {
                return mail;
            }
            await Task.Delay(100);
        }
        throw new Xunit.Sdk.XunitException($"No mail to {to} starting « {subjectStart} »; received: {string.Join(" | ", app.MailsTo(to).Select(m => m.Subject))}");
    }
}

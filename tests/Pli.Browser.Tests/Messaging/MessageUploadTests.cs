using System.Security.Cryptography;
using System.Text;
using Microsoft.EntityFrameworkCore;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Playwright;
using Pli.Domain.Messaging;
using Pli.Web.Features.Demo;
using Pli.Web.Infrastructure.Data;
using Pli.Browser.Tests.Deposits;

namespace Pli.Browser.Tests.Messaging;

/// <summary>The reply form of a message, in Chromium: its attachments go through tus (js/message-upload.js).</summary>
public sealed class MessageUploadTests(BrowserApp app) : IClassFixture<BrowserApp>
{
    private static readonly byte[] Pdf = Encoding.ASCII.GetBytes("%PDF-1.7\n% attestation\n1 0 obj << /Type /Catalog >> endobj\ntrailer << /Root 1 0 R >>\n%%EOF\n");

    private async Task<Guid> ThreadToTheDemoCompanyAsync()
    {
        var (consultationId, _) = await DraftDeposits.CreateAsync(app, TimeSpan.FromHours(3));
        await using var scope = app.Services.CreateAsyncScope();
        var db = scope.ServiceProvider.GetRequiredService<PliDbContext>();
        var company = await db.Users.SingleAsync(u => u.Email == DemoData.CompanyEmail);
        var agent = await db.Users.SingleAsync(u => u.Email == DemoData.AgentEmail);
        var thread = MessageThread.Start(consultationId, company.CompanyId!.Value, MessageType.CandidatureComplements, "Compléments", "Merci de joindre votre attestation.",
            null, agent.Id, [], app.Time.GetUtcNow().UtcDateTime);
        db.MessageThreads.Add(thread);
        await db.SaveChangesAsync();
        return thread.Id;
    }

    private async Task<IPage> SignedInThreadPageAsync(Guid threadId)
    {
        var page = await app.NewPageAsync();
        await page.GotoAsync("/compte/connexion");
        await DepositJourney.SignInAsync(page);
        await Assertions.Expect(page.GetByRole(AriaRole.Button, new() { Name = "Se déconnecter" })).ToBeVisibleAsync();
        await page.GotoAsync($"/messages/{threadId}");
        return page;
    }

    [Fact]
    public async Task Company_RepliesWithAFile_SentThroughTus_TheFormPostsOnlyItsId()
    {
        var threadId = await ThreadToTheDemoCompanyAsync();
        var page = await SignedInThreadPageAsync(threadId);
        await page.Locator("#Text").FillAsync("Voici l'attestation.");

        await page.Locator("#Files").SetInputFilesAsync(new FilePayload { Name = "Attestation.pdf", MimeType = "application/pdf", Buffer = Pdf });

        var row = page.Locator("#pieces-jointes-envoyees li", new() { HasText = "Attestation.pdf" });
        await Assertions.Expect(row).ToHaveAttributeAsync("data-upload-state", "done", new() { Timeout = 30_000 });
        await Assertions.Expect(row.GetByRole(AriaRole.Status)).ToContainTextAsync("est reçu");
        Assert.Equal("", await page.Locator("#Files").InputValueAsync());
        await Assertions.Expect(page.Locator("#envoyer-reponse")).ToBeEnabledAsync();
        await Assertions.Expect(page.Locator("#attente-envoi")).ToBeHiddenAsync();
        await page.ScreenshotAsync(new() { Path = BrowserApp.Artefact("message-upload-done.png"), FullPage = true });
        await page.Locator("#envoyer-reponse").ClickAsync();

        await Assertions.Expect(page.Locator("#notice")).ToContainTextAsync("Votre réponse a été envoyée");
        await using var scope = app.Services.CreateAsyncScope();
        var db = scope.ServiceProvider.GetRequiredService<PliDbContext>();
        var attachment = await db.ThreadMessages.Where(m => m.ThreadId == threadId && m.Side == MessageSide.Company).SelectMany(m => m.Attachments).SingleAsync();
        Assert.Equal("Attestation.pdf", attachment.Name);
        Assert.Equal(Convert.ToHexStringLower(SHA256.HashData(Pdf)), attachment.Sha256);
    }

    [Fact]
    public async Task Company_ChoosesAnExe_IsRefusedInThePage()
    {
        var threadId = await ThreadToTheDemoCompanyAsync();
        var page = await SignedInThreadPageAsync(threadId);

        await page.Locator("#Files").SetInputFilesAsync(new FilePayload { Name = "setup.exe", MimeType = "application/octet-stream", Buffer = Encoding.ASCII.GetBytes("MZ pas un document") });

        var row = page.Locator("#pieces-jointes-envoyees li", new() { HasText = "setup.exe" });
        await Assertions.Expect(row).ToHaveAttributeAsync("data-upload-state", "refused");
        await Assertions.Expect(row.GetByRole(AriaRole.Alert)).ToContainTextAsync("n'est pas accepté pour cette consultation");
        await Assertions.Expect(page.Locator("#envoyer-reponse")).ToBeEnabledAsync();
    }

    [Fact]
    public async Task WhileAFileIsBeingSent_TheSubmitButtonWaits()
    {
        var threadId = await ThreadToTheDemoCompanyAsync();
        var page = await SignedInThreadPageAsync(threadId);
        var cdp = await page.Context.NewCDPSessionAsync(page);
        await cdp.SendAsync("Network.emulateNetworkConditions", new Dictionary<string, object>
        {
            ["offline"] = false, ["latency"] = 20, ["downloadThroughput"] = 1_000_000, ["uploadThroughput"] = 32 * 1024,
        });
        var big = new byte[2 * 1024 * 1024];
        Pdf.CopyTo(big, 0);

        await page.Locator("#Files").SetInputFilesAsync(new FilePayload { Name = "Gros dossier.pdf", MimeType = "application/pdf", Buffer = big });

        await Assertions.Expect(page.Locator("#pieces-jointes-envoyees li progress")).ToHaveAttributeAsync("aria-label", "Progression de l'envoi de « Gros dossier.pdf »");
        await Assertions.Expect(page.Locator("#envoyer-reponse")).ToBeDisabledAsync();
        await Assertions.Expect(page.Locator("#attente-envoi")).ToBeVisibleAsync();
    }
}

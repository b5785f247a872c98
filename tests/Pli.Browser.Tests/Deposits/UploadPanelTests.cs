using System.Security.Cryptography;
using System.Text;
using Microsoft.EntityFrameworkCore;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Playwright;
using Pli.Web.Features.Demo;
using Pli.Web.Features.Uploads;
using Pli.Web.Infrastructure.Data;

namespace Pli.Browser.Tests.Deposits;

/// <summary>The upload panel of the deposit wizard, on the files page of a real draft, in Chromium.</summary>
public sealed class UploadPanelTests(BrowserApp app) : IClassFixture<BrowserApp>
{
    private const string CandidatureInput = "Ajouter des fichiers : Candidature";

    [Fact]
    public async Task Company_SendsAPdfToTheCandidature_UploadIsCompleteOnTheServer()
    {
        var (_, deposit) = await DraftDeposits.CreateAsync(app, TimeSpan.FromHours(3));
        var pdf = Pdf(300 * 1024);
        var page = await SignedInFilesPageAsync(deposit);

        await page.GetByLabel(CandidatureInput).SetInputFilesAsync(new FilePayload { Name = "Mémoire technique.pdf", MimeType = "application/pdf", Buffer = pdf });

        // Once received, the file leaves the list of uploads for the envelope's list of received files.
        var received = page.Locator("#enveloppe-candidature [data-upload-received] [data-received-file]", new() { HasText = "Mémoire technique.pdf" });
        await Assertions.Expect(received).ToHaveCountAsync(1, new() { Timeout = 30_000 });
        await Assertions.Expect(page.Locator("#enveloppe-candidature [data-upload-list] li", new() { HasText = "Mémoire technique.pdf" })).ToHaveCountAsync(0);
        await Assertions.Expect(page.Locator("[data-upload-panel]")).ToHaveAttributeAsync("data-uploads-busy", "false");
        await Assertions.Expect(page.GetByRole(AriaRole.Button, new() { Name = "Valider" })).ToBeEnabledAsync();
        await page.ScreenshotAsync(new() { Path = BrowserApp.Artefact("upload-panel-received.png"), FullPage = true });
        // Received means recorded in the pli, sealed, with the digest of what was sent.
        var file = await WithDbAsync(db => db.DepositFiles.SingleAsync(f => f.DepositId == deposit));
        Assert.Equal("Mémoire technique.pdf", file.Name);
        Assert.Equal(pdf.Length, file.Size);
        Assert.Equal(Convert.ToHexStringLower(SHA256.HashData(pdf)), file.Sha256);
        Assert.Equal(Pli.Domain.Deposits.EnvelopeKind.Candidature, file.Envelope);
    }

    [Fact]
    public async Task Company_ChoosesAnExe_IsRefusedInThePage_AndNoUploadIsCreated()
    {
        var (_, deposit) = await DraftDeposits.CreateAsync(app, TimeSpan.FromHours(3));
        var page = await SignedInFilesPageAsync(deposit);

        await page.GetByLabel(CandidatureInput).SetInputFilesAsync(new FilePayload { Name = "setup.exe", MimeType = "application/octet-stream", Buffer = Encoding.ASCII.GetBytes("MZ not a tender document") });

        var alert = page.Locator("#enveloppe-candidature [data-upload-list] [role=alert]");
        await Assertions.Expect(alert).ToContainTextAsync("Le fichier « setup.exe » n'est pas dans un format accepté. Formats acceptés : .odt");
        await Assertions.Expect(page.Locator("#enveloppe-candidature [data-upload-list] li")).ToHaveAttributeAsync("data-upload-state", "refused");
        await Assertions.Expect(page.Locator("[data-upload-panel]")).ToHaveAttributeAsync("data-uploads-busy", "false");
        await page.ScreenshotAsync(new() { Path = BrowserApp.Artefact("upload-panel-refused.png"), FullPage = true });
        Assert.Empty(await UploadsOfAsync(deposit));
    }

    [Fact]
    public async Task Company_OnASlowLine_IsWarnedThatTheUploadWillNotEndBeforeTheDeadline()
    {
        var (_, deposit) = await DraftDeposits.CreateAsync(app, TimeSpan.FromMinutes(1));
        var page = await SignedInFilesPageAsync(deposit);
        var cdp = await page.Context.NewCDPSessionAsync(page);
        // 32 KB/s up: 4 MB would take two minutes, the deadline is in one.
        await cdp.SendAsync("Network.emulateNetworkConditions", new Dictionary<string, object>
        {
            ["offline"] = false, ["latency"] = 20, ["downloadThroughput"] = 1_000_000, ["uploadThroughput"] = 32 * 1024,
        });

        await page.GetByLabel(CandidatureInput).SetInputFilesAsync(new FilePayload { Name = "Offre lente.pdf", MimeType = "application/pdf", Buffer = Pdf(4 * 1024 * 1024) });

        var row = page.Locator("#enveloppe-candidature [data-upload-list] li", new() { HasText = "Offre lente.pdf" });
        await Assertions.Expect(row.GetByRole(AriaRole.Alert)).ToContainTextAsync("se terminera après la date limite", new() { Timeout = 20_000 });
        await Assertions.Expect(row).ToContainTextAsync("Temps restant avant la date limite");
        await Assertions.Expect(page.Locator("[data-upload-panel]")).ToHaveAttributeAsync("data-uploads-busy", "true");
        await Assertions.Expect(page.GetByRole(AriaRole.Button, new() { Name = "Valider" })).ToBeDisabledAsync();
        await page.ScreenshotAsync(new() { Path = BrowserApp.Artefact("upload-panel-late.png"), FullPage = true });

        await row.GetByRole(AriaRole.Button, new() { Name = "Mettre en pause Offre lente.pdf" }).ClickAsync();

        await Assertions.Expect(row).ToHaveAttributeAsync("data-upload-state", "paused");
        await Assertions.Expect(row.GetByRole(AriaRole.Button, new() { Name = "Reprendre Offre lente.pdf" })).ToBeFocusedAsync();
    }

    [Fact]
    public async Task Company_ReloadsThePageMidUpload_ChoosesTheFileAgain_AndItResumesWhereItStopped()
    {
        var (_, deposit) = await DraftDeposits.CreateAsync(app, TimeSpan.FromHours(3));
        var pdf = Pdf(3 * 1024 * 1024);
        // A file on disk: its date stays the same between the two selections, as the browser's fingerprint needs.
        var path = Path.Combine(Directory.CreateTempSubdirectory("pli-resume-").FullName, "Offre reprise.pdf");
        await File.WriteAllBytesAsync(path, pdf);
        var page = await SignedInFilesPageAsync(deposit);
        var cdp = await page.Context.NewCDPSessionAsync(page);
        await cdp.SendAsync("Network.emulateNetworkConditions", new Dictionary<string, object>
        {
            ["offline"] = false, ["latency"] = 20, ["downloadThroughput"] = 10_000_000, ["uploadThroughput"] = 256 * 1024,
        });
        await page.GetByLabel(CandidatureInput).SetInputFilesAsync(path);
        var row = page.Locator("#enveloppe-candidature [data-upload-list] li", new() { HasText = "Offre reprise.pdf" });
        await Assertions.Expect(row).ToHaveAttributeAsync("data-upload-state", "uploading", new() { Timeout = 15_000 });
        await Assertions.Expect(row.Locator(".upload-percent")).Not.ToHaveTextAsync(new System.Text.RegularExpressions.Regex("^[0-9] %$"), new() { Timeout = 15_000 });
        var firstUrl = "/api/uploads/" + Assert.Single(await UploadsOfAsync(deposit)).Id;

        await page.ReloadAsync();
        var kept = await WaitForServerOffsetAsync(firstUrl);
        await cdp.SendAsync("Network.emulateNetworkConditions", new Dictionary<string, object>
        {
            ["offline"] = false, ["latency"] = 0, ["downloadThroughput"] = -1, ["uploadThroughput"] = -1,
        });
        await Assertions.Expect(page.Locator("#enveloppe-candidature .upload-interrupted", new() { HasText = "Offre reprise.pdf" })).ToBeVisibleAsync();
        await page.ScreenshotAsync(new() { Path = BrowserApp.Artefact("upload-panel-interrupted.png"), FullPage = true });
        await page.GetByLabel(CandidatureInput).SetInputFilesAsync(path);

        var received = page.Locator("#enveloppe-candidature [data-upload-received] [data-received-file]", new() { HasText = "Offre reprise.pdf" });
        await Assertions.Expect(received).ToHaveCountAsync(1, new() { Timeout = 30_000 });
        var file = await WithDbAsync(db => db.DepositFiles.SingleAsync(f => f.DepositId == deposit));
        Assert.True(kept > 0, "the server kept nothing of the interrupted upload");
        Assert.Equal(Guid.ParseExact(firstUrl[(firstUrl.LastIndexOf('/') + 1)..], "N"), file.UploadId);
        Assert.Equal(Convert.ToHexStringLower(SHA256.HashData(pdf)), file.Sha256);
    }

    /// <summary>The offset the server kept of an upload once the interrupted request has let go of it.</summary>
    private async Task<long> WaitForServerOffsetAsync(string url)
    {
        var store = app.Services.GetRequiredService<IUploadStore>();
        var id = url[(url.LastIndexOf('/') + 1)..];
        for (var i = 0; i < 200; i++)
        {
            await using (var held = await store.TryLockAsync(id))
            {
                if (held is not null)
                {
                    break;
                }
            }
            await Task.Delay(50);
        }
        return (await store.GetInfoAsync(id))?.Offset ?? 0;
    }

    private async Task<IPage> SignedInFilesPageAsync(Guid deposit)
    {
        var page = await app.NewPageAsync();
        await page.GotoAsync("/compte/connexion");
        await page.GetByLabel("Adresse e-mail").FillAsync(DemoData.CompanyEmail);
        await page.GetByLabel("Mot de passe").FillAsync(DemoData.Password);
        await page.GetByRole(AriaRole.Main).GetByRole(AriaRole.Button, new() { Name = "Se connecter" }).ClickAsync();
        await Assertions.Expect(page.GetByRole(AriaRole.Button, new() { Name = "Se déconnecter" })).ToBeVisibleAsync();
        await page.GotoAsync($"/depots/{deposit}/fichiers");
        await Assertions.Expect(page.GetByLabel(CandidatureInput)).ToBeVisibleAsync();
        return page;
    }

    private async Task<T> WithDbAsync<T>(Func<PliDbContext, Task<T>> query)
    {
        await using var scope = app.Services.CreateAsyncScope();
        return await query(scope.ServiceProvider.GetRequiredService<PliDbContext>());
    }

    /// <summary>The uploads the server holds for one deposit, read from the store's folder.</summary>
    private async Task<IReadOnlyList<UploadInfo>> UploadsOfAsync(Guid deposit)
    {
        var folder = Path.Combine(app.DataRoot, "files", "uploads");
        if (!Directory.Exists(folder))
        {
            return [];
        }
        var store = app.Services.GetRequiredService<IUploadStore>();
        var found = new List<UploadInfo>();
        foreach (var file in Directory.GetFiles(folder, "*.json"))
        {
            if (await store.GetInfoAsync(Path.GetFileNameWithoutExtension(file)) is { } info && info.Metadata.GetValueOrDefault("deposit") == deposit.ToString())
            {
                found.Add(info);
            }
        }
        return found;
    }

    /// <summary>A PDF-looking file of about <paramref name="size"/> bytes: the header, then text lines.</summary>
    private static byte[] Pdf(int size)
    {
        var text = new StringBuilder("%PDF-1.7\n");
        for (var line = 0; text.Length < size - 6; line++)
        {
            text.Append("% Mémoire technique, ligne ").Append(line).Append('\n');
        }
        text.Append("%%EOF\n");
        return Encoding.UTF8.GetBytes(text.ToString());
    }
}

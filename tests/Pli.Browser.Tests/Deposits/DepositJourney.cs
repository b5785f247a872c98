using System.Diagnostics;
using System.Globalization;
using System.Security.Cryptography;
using System.Text;
using System.Text.RegularExpressions;
using Microsoft.EntityFrameworkCore;
using Microsoft.Playwright;
using MimeKit;
using Pli.Domain.Deposits;
using Pli.Web.Features.Demo;

namespace Pli.Browser.Tests.Deposits;

/// <summary>The steps of a company's answer, clicked as a person would, shared by the deposit journeys.</summary>
public sealed partial class DepositJourney(BrowserApp app)
{
    /// <summary>A clean 1280 px wide page, French, on Paris time: the screenshots illustrate the help pages.</summary>
    public async Task<IPage> NewPageAsync()
    {
        var context = await app.Chromium.NewContextAsync(new BrowserNewContextOptions
        {
            BaseURL = app.BaseUrl.ToString(),
            Locale = "fr-FR",
            TimezoneId = "Europe/Paris",
            AcceptDownloads = true,
            ViewportSize = new ViewportSize { Width = 1280, Height = 900 },
        });
        return await context.NewPageAsync();
    }

    /// <summary>
    /// Saves a screenshot as a test artefact; one that the help centre shows is also written into the web
    /// project (wwwroot/aide/captures), so the help pages always show the screens of this very build. Every
    /// screen a journey shoots is also checked by axe-core, in the state the journey brought it to.
    /// </summary>
    public static async Task ScreenshotAsync(IPage page, string name)
    {
        await Accessibility.Axe.AssertNoSeriousViolationsAsync(page, name);
        await page.ScreenshotAsync(new() { Path = BrowserApp.Artefact(name), FullPage = true, Animations = ScreenshotAnimations.Disabled });
        if (HelpCaptures.Names.Contains(name))
        {
            File.Copy(BrowserApp.Artefact(name), HelpCaptures.PathOf(name), overwrite: true);
        }
    }

    public static async Task SignInAsync(IPage page)
    {
        await page.GetByLabel("Adresse e-mail").FillAsync(DemoData.CompanyEmail);
        await page.GetByLabel("Mot de passe").FillAsync(DemoData.Password);
        await page.GetByRole(AriaRole.Main).GetByRole(AriaRole.Button, new() { Name = "Se connecter" }).ClickAsync();
    }

    /// <summary>Signs in first, then opens the answer wizard of the consultation.</summary>
    public static async Task OpenWizardSignedInAsync(IPage page, Guid consultationId)
    {
        await page.GotoAsync("/compte/connexion");
        await SignInAsync(page);
        await Assertions.Expect(page.GetByRole(AriaRole.Button, new() { Name = "Se déconnecter" })).ToBeVisibleAsync();
        await page.GotoAsync($"/consultations/{consultationId}/repondre");
        await Assertions.Expect(page.GetByRole(AriaRole.Heading, new() { Level = 1 })).ToContainTextAsync("Répondre à la consultation");
    }

    /// <summary>
    /// Puts one file into an envelope through its file field and waits until the server has it all; the field's label
    /// is <paramref name="addFilesLabel"/> followed by the envelope's title.
    /// </summary>
    public static async Task UploadAsync(IPage page, string envelopeTitle, string envelopeKey, string fileName, byte[] content, string addFilesLabel = "Ajouter des fichiers : ")
    {
        await page.GetByLabel(addFilesLabel + envelopeTitle).SetInputFilesAsync(new FilePayload { Name = fileName, MimeType = "application/pdf", Buffer = content });
        // Once received, the file leaves the list of transmissions for the table of received files, read from the server.
        var received = page.Locator($"#enveloppe-{envelopeKey} table.upload-received tbody tr", new() { HasText = fileName });
        await Assertions.Expect(received).ToBeVisibleAsync(new() { Timeout = 30_000 });
    }

    public static async Task AcceptTermsAndValidateAsync(IPage page)
    {
        await page.GetByLabel("J'accepte les conditions d'utilisation").CheckAsync();
        await Assertions.Expect(page.GetByRole(AriaRole.Button, new() { Name = "Valider le dépôt" })).ToBeEnabledAsync();
    }

    public static Task ClickValidateAsync(IPage page) =>
        page.GetByRole(AriaRole.Button, new() { Name = "Valider le dépôt" }).ClickAsync();

    public Task<Deposit> DepositAsync(Guid id) =>
        app.WithDb(db => db.Deposits.AsNoTracking().Include(d => d.Files).Include(d => d.Members).SingleAsync(d => d.Id == id));

    public static Guid DepositIdOf(IPage page) => Guid.Parse(DepositUrl().Match(page.Url).Groups[1].Value);

    /// <summary>The receipt mails of one deposit: sent by the sealing, they may land a moment after the page.</summary>
    public async Task<MimeMessage> ReceiptMailAsync(string depositNumber)
    {
        var watch = Stopwatch.StartNew();
        while (true)
        {
            var mail = app.MailsTo(DemoData.CompanyEmail).FirstOrDefault(m => m.Subject?.Contains(depositNumber, StringComparison.Ordinal) == true);
            if (mail is not null)
            {
                return mail;
            }
            Assert.True(watch.Elapsed < TimeSpan.FromSeconds(15), $"No mail for the deposit {depositNumber}.");
            await Task.Delay(100);
        }
    }

    public static string Sha256(byte[] content) => Convert.ToHexStringLower(SHA256.HashData(content));

    /// <summary>Runs Debian's pdftotext on a PDF and returns its text.</summary>
    public static async Task<string> PdfTextAsync(string path)
    {
        using var process = Process.Start(new ProcessStartInfo("/usr/bin/pdftotext", ["-enc", "UTF-8", path, "-"])
        {
            RedirectStandardOutput = true,
            RedirectStandardError = true,
        })!;
        var text = await process.StandardOutput.ReadToEndAsync();
        await process.WaitForExitAsync();
        Assert.True(process.ExitCode == 0, await process.StandardError.ReadToEndAsync());
        return text;
    }

    /// <summary>A small, well-formed one-page PDF saying <paramref name="text"/> (ASCII), as a word processor would export.</summary>
    public static byte[] Pdf(string text)
    {
        var stream = $"BT /F1 18 Tf 72 720 Td ({text}) Tj ET";
        var objects = new[]
        {
            "<< /Type /Catalog /Pages 2 0 R >>",
            "<< /Type /Pages /Kids [3 0 R] /Count 1 >>",
            "<< /Type /Page /Parent 2 0 R /MediaBox [0 0 595 842] /Contents 4 0 R /Resources << /Font << /F1 5 0 R >> >> >>",
            $"<< /Length {stream.Length} >>\nstream\n{stream}\nendstream",
            "<< /Type /Font /Subtype /Type1 /BaseFont /Helvetica >>",
        };
        var pdf = new StringBuilder("%PDF-1.4\n");
        var offsets = new List<int>();
        for (var i = 0; i < objects.Length; i++)
        {
            offsets.Add(pdf.Length);
            pdf.Append(CultureInfo.InvariantCulture, $"{i + 1} 0 obj\n{objects[i]}\nendobj\n");
        }
        var xref = pdf.Length;
        pdf.Append(CultureInfo.InvariantCulture, $"xref\n0 {objects.Length + 1}\n0000000000 65535 f \n");
        foreach (var offset in offsets)
        {
            pdf.Append(CultureInfo.InvariantCulture, $"{offset:D10} 00000 n \n");
        }
        pdf.Append(CultureInfo.InvariantCulture, $"trailer\n<< /Size {objects.Length + 1} /Root 1 0 R >>\nstartxref\n{xref}\n%%EOF\n");
        return Encoding.ASCII.GetBytes(pdf.ToString());
    }

    [GeneratedRegex("/depots/([0-9a-f-]{36})")]
    private static partial Regex DepositUrl();
}

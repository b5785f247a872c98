using Microsoft.Playwright;
using Pli.Web.Tests.Infrastructure;

namespace Pli.Browser.Tests;

/// <summary>
/// Pli on a real Kestrel port (so that Chromium can reach it) with the fake clock of the
/// integration tests, and Debian's Chromium driven by Playwright.
/// </summary>
public sealed class BrowserApp : SqliteApp, IAsyncLifetime
{
    private IPlaywright? _playwright;

    public IBrowser Chromium { get; private set; } = null!;

    public Uri BaseUrl { get; private set; } = null!;

    /// <summary>Screenshots and downloads of the journeys, kept as test artefacts.</summary>
    public static string ArtefactsDirectory { get; } = Path.Combine(AppContext.BaseDirectory, "artefacts");

    // Plain http on loopback: cookies cannot be Secure there.
    protected override IDictionary<string, string?> Settings => new Dictionary<string, string?> { ["Security:SecureCookies"] = "false" };

    public async Task InitializeAsync()
    {
        BaseUrl = StartOnKestrel();
        Directory.CreateDirectory(ArtefactsDirectory);
        _playwright = await Playwright.CreateAsync();
        Chromium = await _playwright.Chromium.LaunchAsync(new BrowserTypeLaunchOptions
        {
            ExecutablePath = Environment.GetEnvironmentVariable("PLI_CHROMIUM") ?? "/usr/bin/chromium",
            Headless = true,
            ChromiumSandbox = false,
            Args = ["--no-sandbox", "--lang=fr-FR", "--disable-gpu", "--disable-quic", "--no-first-run", "--disable-background-networking", "--disable-component-update", "--disable-sync"],
        });
    }

    public async Task<IPage> NewPageAsync()
    {
        var context = await Chromium.NewContextAsync(new BrowserNewContextOptions { BaseURL = BaseUrl.ToString(), Locale = "fr-FR", AcceptDownloads = true });
        return await context.NewPageAsync();
    }

    public static string Artefact(string name) => Path.Combine(ArtefactsDirectory, name);

    async Task IAsyncLifetime.DisposeAsync()
    {
        await Chromium.DisposeAsync();
        _playwright?.Dispose();
        await DisposeAsync();
    }
}

using System.Net;
using System.Net.Http.Json;
using Pli.Web.Infrastructure.Data;
using Pli.Web.Tests.Features.Account;

namespace Pli.Web.Tests.Infrastructure.Web;

/// <summary>Pli behind a load balancer on 127.0.0.1 (Kestrel, so that requests have a peer address).</summary>
public class ProxiedApp : PliApp
{
    public override DatabaseProvider Provider => DatabaseProvider.Sqlite;

    protected override string ConnectionString => $"Data Source={Path.Combine(DataRoot, "pli.db")}";

    private readonly Lazy<Uri> _kestrel;

    public ProxiedApp() => _kestrel = new Lazy<Uri>(StartOnKestrel);

    public Uri Kestrel => _kestrel.Value;

    protected virtual string? TrustedProxy => "127.0.0.1";

    protected override IDictionary<string, string?> Settings
    {
        get
        {
            var settings = new Dictionary<string, string?>(RateLimitTests.LowLimit) { ["Security:SecureCookies"] = "false" };
            if (TrustedProxy is { } proxy)
            {
                settings["Network:TrustedProxies:0"] = "10.20.0.0/16";
                settings["Network:TrustedProxies:1"] = proxy;
            }
            return settings;
        }
    }
}

public sealed class UnproxiedApp : ProxiedApp
{
    protected override string? TrustedProxy => null;
}

public abstract class TrustedProxiesTests(ProxiedApp app, bool trusted)
{
    private readonly Uri _base = app.Kestrel;

    [Fact]
    public async Task SignInLimit_CountsPerForwardedAddress_OnlyWhenTheProxyIsTrusted()
    {
        using var client = new HttpClient { BaseAddress = _base };
        var statuses = new List<HttpStatusCode>();
        for (var i = 0; i <= RateLimitTests.Limit; i++)
        {
            statuses.Add(await TokenStatusAsync(client, "203.0.113.7"));
        }
        var otherClient = await TokenStatusAsync(client, "203.0.113.8");

        Assert.Equal(HttpStatusCode.TooManyRequests, statuses[RateLimitTests.Limit]);
        // Trusted: a second company behind the same balancer is not locked out by the first. Not trusted: the
        // header is anyone's to write, so it must not let a guesser out of the limit.
        Assert.Equal(trusted ? HttpStatusCode.Unauthorized : HttpStatusCode.TooManyRequests, otherClient);
    }

    [Fact]
    public async Task LanguageCookie_IsSecure_WhenATrustedBalancerSaysTheClientUsedHttps()
    {
        // Cookies by hand: the client sees http, and would not send back a cookie the app marked Secure.
        using var client = new HttpClient(new HttpClientHandler { UseCookies = false, AllowAutoRedirect = false }) { BaseAddress = _base };
        client.DefaultRequestHeaders.Add("X-Forwarded-Proto", "https");
        using var page = await client.GetAsync("/");
        var cookies = string.Join("; ", page.Headers.GetValues("Set-Cookie").Select(c => c.Split(';')[0]));
        var form = (await TestBrowser.ParseAsync(page)).QuerySelector("form.lang-form")!;
        var token = form.QuerySelector("input[name='__RequestVerificationToken']")!.GetAttribute("value")!;

        using var request = new HttpRequestMessage(HttpMethod.Post, "/langue")
        {
            Content = new FormUrlEncodedContent(new Dictionary<string, string> { ["culture"] = "en", ["__RequestVerificationToken"] = token }),
        };
        request.Headers.Add("Cookie", cookies);
        using var response = await client.SendAsync(request);

        Assert.Equal(HttpStatusCode.Redirect, response.StatusCode);
        var cookie = Assert.Single(response.Headers.GetValues("Set-Cookie"), c => c.StartsWith(".AspNetCore.Culture=", StringComparison.Ordinal));
        Assert.Equal(trusted, cookie.Contains("secure", StringComparison.OrdinalIgnoreCase));
    }

    private static async Task<HttpStatusCode> TokenStatusAsync(HttpClient client, string forwardedFor)
    {
        using var request = new HttpRequestMessage(HttpMethod.Post, "/api/auth/token") { Content = JsonContent.Create(new { email = AccountTestKit.NewEmail(), password = "mauvais" }) };
        request.Headers.Add("X-Forwarded-For", forwardedFor);
        using var response = await client.SendAsync(request);
        return response.StatusCode;
    }
}

public sealed class TrustedProxiesTestsWhenTrusted(ProxiedApp app) : TrustedProxiesTests(app, trusted: true), IClassFixture<ProxiedApp>;

public sealed class TrustedProxiesTestsWhenNotConfigured(UnproxiedApp app) : TrustedProxiesTests(app, trusted: false), IClassFixture<UnproxiedApp>;

public sealed class TrustedProxiesSettingTests
{
    [Fact]
    public async Task LanguageSwitch_WithoutItsAntiforgeryToken_Is400_AndSetsNothing()
    {
        using var app = new UnproxiedApp();
        using var client = new HttpClient(new HttpClientHandler { UseCookies = false, AllowAutoRedirect = false }) { BaseAddress = app.Kestrel };

        using var response = await client.PostAsync("/langue", new FormUrlEncodedContent(new Dictionary<string, string> { ["culture"] = "en" }));

        Assert.Equal(HttpStatusCode.BadRequest, response.StatusCode);
        Assert.Equal("text/html", response.Content.Headers.ContentType?.MediaType);
        Assert.False(response.Headers.TryGetValues("Set-Cookie", out var set) && set.Any(c => c.StartsWith(".AspNetCore.Culture=", StringComparison.Ordinal)));
    }

    [Fact]
    public void Start_WithAnEntryThatIsNoAddress_FailsNamingTheSetting()
    {
        using var app = new BadProxyApp();

        var error = Assert.ThrowsAny<Exception>(() => app.Services);

        Assert.Contains("Network:TrustedProxies", error.ToString(), StringComparison.Ordinal);
        Assert.Contains("balancer.local", error.ToString(), StringComparison.Ordinal);
    }

    private sealed class BadProxyApp : PliApp
    {
        public override DatabaseProvider Provider => DatabaseProvider.Sqlite;

        protected override string ConnectionString => $"Data Source={Path.Combine(DataRoot, "pli.db")}";

        protected override IDictionary<string, string?> Settings => new Dictionary<string, string?> { ["Network:TrustedProxies:0"] = "balancer.local" };
    }
}

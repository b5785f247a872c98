using System.Net;
using Microsoft.AspNetCore.Identity;
using Microsoft.Extensions.DependencyInjection;
using Pli.Web.Features.Demo;
using Pli.Web.Infrastructure.Data;
using Pli.Web.Tests.Infrastructure;

namespace Pli.Web.Tests.Features.Account;

public abstract class SignInTests(PliApp app)
{
    [Fact]
    public async Task Agent_SignsInWithPasswordAndTotp_ReachesBackoffice()
    {
        using var browser = app.Browser();

        await browser.SignInAsDemoAgentAsync();

        using var response = await browser.GetAsync("/acheteur");
        Assert.Equal(HttpStatusCode.OK, response.StatusCode);
    }

    [Fact]
    public async Task Agent_WithPasswordOnly_IsAskedForSecondFactor()
    {
        using var browser = app.Browser();

        using var response = await browser.SubmitFormAsync("/compte/connexion", new { Email = DemoData.AgentEmail, Password = DemoData.Password });

        Assert.Equal(HttpStatusCode.Redirect, response.StatusCode);
        Assert.StartsWith("/compte/connexion-2fa", response.Headers.Location!.OriginalString, StringComparison.Ordinal);
        using var backoffice = await browser.GetAsync("/acheteur");
        Assert.Equal(HttpStatusCode.Redirect, backoffice.StatusCode);
    }

    [Fact]
    public async Task Agent_WithWrongTotp_IsRefused()
    {
        using var browser = app.Browser();
        using var first = await browser.SubmitFormAsync("/compte/connexion", new { Email = DemoData.AgentEmail, Password = DemoData.Password });

        using var second = await browser.SubmitFormAsync(first.Headers.Location!.OriginalString, new { Code = "000000" });

        Assert.Equal(HttpStatusCode.OK, second.StatusCode);
        Assert.Contains("code n&#x27;est pas valide", await second.Content.ReadAsStringAsync(), StringComparison.Ordinal);
    }

    [Fact]
    public async Task Company_OnBackofficePage_Gets404()
    {
        using var browser = app.Browser();
        await browser.SignInAsDemoCompanyAsync();

        using var response = await browser.GetAsync("/acheteur");

        Assert.Equal(HttpStatusCode.NotFound, response.StatusCode);
    }

    [Fact]
    public async Task WrongPassword_GivesTheSameMessageAsUnknownEmail()
    {
        using var browser = app.Browser();

        using var wrongPassword = await browser.SubmitFormAsync("/compte/connexion", new { Email = DemoData.CompanyEmail, Password = "not-the-password" });
        using var unknown = await browser.SubmitFormAsync("/compte/connexion", new { Email = "nobody@example.org", Password = "not-the-password" });

        var a = await TestBrowser.ParseAsync(wrongPassword);
        var b = await TestBrowser.ParseAsync(unknown);
        Assert.Equal(a.QuerySelector("#erreurs")!.TextContent, b.QuerySelector("#erreurs")!.TextContent);
    }

    [Fact]
    public async Task SignOut_FromTheHeaderButton_EndsTheSession()
    {
        using var browser = app.Browser();
        await browser.SignInAsDemoAgentAsync();

        using var response = await browser.SubmitFormAsync("/acheteur", new Dictionary<string, string>(), "form[action='/compte/deconnexion']");

        Assert.Equal(HttpStatusCode.Redirect, response.StatusCode);
        using var backoffice = await browser.GetAsync("/acheteur");
        Assert.Equal(HttpStatusCode.Redirect, backoffice.StatusCode);
        Assert.StartsWith("/compte/connexion", backoffice.Headers.Location!.AbsolutePath, StringComparison.Ordinal);
    }

    [Fact]
    public async Task SignOut_WithoutAntiforgeryToken_IsRefused()
    {
        using var browser = app.Browser();
        await browser.SignInAsDemoCompanyAsync();

        using var response = await browser.PostAsync("/compte/deconnexion", []);

        Assert.Equal(HttpStatusCode.BadRequest, response.StatusCode);
    }

    [Fact]
    public async Task LanguageSwitch_ToEnglish_TranslatesThePages()
    {
        using var browser = app.Browser();

        using var response = await browser.SubmitFormAsync("/compte/connexion", new Dictionary<string, string> { ["culture"] = "en" }, "form.lang-form");
        var page = await browser.GetPageAsync("/compte/connexion");

        Assert.Equal(HttpStatusCode.Redirect, response.StatusCode);
        Assert.Equal("en", page.DocumentElement.GetAttribute("lang"));
        Assert.Equal("Sign in", page.QuerySelector("h1")!.TextContent);
    }

    [Fact]
    public async Task LanguageSwitch_OnAnErrorPage_ReturnsToThePageAsked_WithItsQuery()
    {
        using var browser = app.Browser();

        using var missing = await browser.GetAsync("/nulle-part?q=voirie");
        var form = (await TestBrowser.ParseAsync(missing)).QuerySelector("form.lang-form")!;

        Assert.Equal(HttpStatusCode.NotFound, missing.StatusCode);
        Assert.Equal("/nulle-part?q=voirie", form.QuerySelector("input[name=returnUrl]")!.GetAttribute("value"));
    }

    [Fact]
    public async Task LanguageSwitch_NamesEachLanguageInItsOwnLanguage()
    {
        using var browser = app.Browser();

        var page = await browser.GetPageAsync("/");

        var options = page.QuerySelectorAll("#lang-select option").Select(o => (o.GetAttribute("value"), o.GetAttribute("lang"), o.TextContent)).ToList();
        Assert.Equal([("fr", "fr", "Français"), ("en", "en", "English")], options);
    }

    [Fact]
    public async Task SignIn_SetsASecureHttpOnlySameSiteCookie()
    {
        using var browser = app.Browser();

        using var response = await browser.SubmitFormAsync("/compte/connexion", new { Email = DemoData.CompanyEmail, Password = DemoData.Password });

        var cookie = response.Headers.GetValues("Set-Cookie").Single(c => c.StartsWith("pli.auth=", StringComparison.Ordinal)).ToLowerInvariant();
        Assert.Contains("; secure", cookie, StringComparison.Ordinal);
        Assert.Contains("; httponly", cookie, StringComparison.Ordinal);
        Assert.Contains("; samesite=lax", cookie, StringComparison.Ordinal);
    }

    [Fact]
    public async Task Https_OutsideDevelopment_SendsHsts()
    {
        using var browser = app.Browser();
        using var request = new HttpRequestMessage(HttpMethod.Get, "/compte/connexion");
        // HSTS is never sent for localhost (a developer's other sites would inherit it): ask as the public name.
        request.Headers.Host = "marches.example.org";

        using var response = await browser.Client.SendAsync(request);

        Assert.StartsWith("max-age=31536000", response.Headers.GetValues("Strict-Transport-Security").Single(), StringComparison.Ordinal);
    }

    [Fact]
    public async Task Agent_WithARecoveryCode_SignsInOnce()
    {
        string code;
        await using (var scope = app.Services.CreateAsyncScope())
        {
            var users = scope.ServiceProvider.GetRequiredService<UserManager<PliUser>>();
            var agent = (await users.FindByEmailAsync(DemoData.AgentEmail))!;
            code = (await users.GenerateNewTwoFactorRecoveryCodesAsync(agent, 2))!.First();
        }
        using var browser = app.Browser();
        using var first = await browser.SubmitFormAsync("/compte/connexion", new { Email = DemoData.AgentEmail, Password = DemoData.Password });

        using var second = await browser.SubmitFormAsync(first.Headers.Location!.OriginalString, new { Code = code });

        Assert.Equal(HttpStatusCode.Redirect, second.StatusCode);
        using var other = app.Browser();
        using var again = await other.SubmitFormAsync("/compte/connexion", new { Email = DemoData.AgentEmail, Password = DemoData.Password });
        using var reused = await other.SubmitFormAsync(again.Headers.Location!.OriginalString, new { Code = code });
        Assert.Equal(HttpStatusCode.OK, reused.StatusCode);
    }

    [Fact]
    public async Task EnrolmentPage_OnceEnrolled_NeverShowsTheSecretAgain()
    {
        using var browser = app.Browser();
        await browser.SignInAsDemoAgentAsync();

        using var response = await browser.GetAsync("/compte/authentificateur");

        Assert.Equal(HttpStatusCode.NotFound, response.StatusCode);
        Assert.DoesNotContain(DemoData.TotpSecret.ToLowerInvariant()[..4], await response.Content.ReadAsStringAsync(), StringComparison.Ordinal);
    }

    [Theory]
    [InlineData("/\\evil.example")]
    [InlineData("//evil.example")]
    [InlineData("https://evil.example/")]
    public async Task LanguageSwitch_WithAForeignReturnUrl_GoesHome(string returnUrl)
    {
        using var browser = app.Browser();

        using var response = await browser.SubmitFormAsync("/compte/connexion", new Dictionary<string, string> { ["culture"] = "en", ["returnUrl"] = returnUrl }, "form.lang-form");

        Assert.Equal(HttpStatusCode.Redirect, response.StatusCode);
        Assert.Equal("/", response.Headers.Location!.OriginalString);
    }
}

public sealed class SignInTestsOnSqlite(SqliteApp app) : SignInTests(app), IClassFixture<SqliteApp>;

public sealed class SignInTestsOnPostgres(PostgresApp app) : SignInTests(app), IClassFixture<PostgresApp>;

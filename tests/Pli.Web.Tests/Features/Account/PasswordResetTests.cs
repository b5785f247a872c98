using System.Net;
using Pli.Web.Tests.Infrastructure;
using static Pli.Web.Tests.Features.Account.AccountTestKit;

namespace Pli.Web.Tests.Features.Account;

public abstract class PasswordResetTests(PliApp app)
{
    private const string NewPassword = "un tout nouveau mot de passe";

    private static Dictionary<string, string> NewPasswordFields() => new() { ["Password"] = NewPassword, ["ConfirmPassword"] = NewPassword };

    private async Task<string> RequestLinkAsync(string email)
    {
        using var browser = app.Browser();
        using var response = await browser.SubmitFormAsync("/compte/mot-de-passe-oublie", new { Email = email });
        Assert.Equal(HttpStatusCode.OK, response.StatusCode);
        return app.LinkInLastMailTo(email);
    }

    [Fact]
    public async Task Forgot_GivesTheSameAnswerForAnUnknownAddress_AndMailsOnlyTheKnownOne()
    {
        var user = await app.CreateCompanyUserAsync();
        var unknown = NewEmail("inconnu");
        using var browser = app.Browser();

        using var known = await browser.SubmitFormAsync("/compte/mot-de-passe-oublie", new { Email = user.Email! });
        using var other = await browser.SubmitFormAsync("/compte/mot-de-passe-oublie", new { Email = unknown });

        var a = await TestBrowser.ParseAsync(known);
        var b = await TestBrowser.ParseAsync(other);
        Assert.Equal(a.QuerySelector("#envoye")!.TextContent, b.QuerySelector("#envoye")!.TextContent);
        Assert.Single(app.MailsTo(user.Email!));
        Assert.Empty(app.MailsTo(unknown));
    }

    [Fact]
    public async Task Reset_SetsTheNewPassword()
    {
        var user = await app.CreateCompanyUserAsync();
        var link = await RequestLinkAsync(user.Email!);
        using var browser = app.Browser();

        using var response = await browser.SubmitFormAsync(link, NewPasswordFields());

        Assert.Equal(HttpStatusCode.Redirect, response.StatusCode);
        Assert.Equal("/compte/connexion?notice=reinitialise", response.Headers.Location!.OriginalString);
        await browser.SignInAsync(user.Email!, NewPassword);
    }

    [Fact]
    public async Task Reset_WithShortPassword_IsRefusedAndKeepsTheOldOne()
    {
        var user = await app.CreateCompanyUserAsync();
        var link = await RequestLinkAsync(user.Email!);
        using var browser = app.Browser();

        using var response = await browser.SubmitFormAsync(link, new Dictionary<string, string> { ["Password"] = "court", ["ConfirmPassword"] = "court" });

        Assert.True((await TestBrowser.ParseAsync(response)).HasErrorOn("Password"));
        await browser.SignInAsync(user.Email!, Password);
    }

    [Fact]
    public async Task ResetLink_UsedTwice_IsRefused()
    {
        var user = await app.CreateCompanyUserAsync();
        var link = await RequestLinkAsync(user.Email!);
        using var browser = app.Browser();
        using var first = await browser.SubmitFormAsync(link, NewPasswordFields());

        var second = await browser.GetPageAsync(link);

        Assert.Equal(HttpStatusCode.Redirect, first.StatusCode);
        Assert.NotNull(second.QuerySelector("#lien-invalide"));
        Assert.NotNull(second.QuerySelector("a[href='/compte/mot-de-passe-oublie']"));
    }

    [Fact]
    public async Task ResetLink_After24Hours_IsRefused()
    {
        var user = await app.CreateCompanyUserAsync();
        var link = await RequestLinkAsync(user.Email!);
        using var browser = app.Browser();
        var form = await browser.GetPageAsync(link);
        app.Time.Advance(TimeSpan.FromHours(24) + TimeSpan.FromMinutes(1));
        var fields = NewPasswordFields();
        fields["__RequestVerificationToken"] = form.QuerySelector("input[name=__RequestVerificationToken]")!.GetAttribute("value")!;

        using var response = await browser.PostAsync(link, fields);

        Assert.NotNull((await TestBrowser.ParseAsync(response)).QuerySelector("#lien-invalide"));
        await browser.SignInAsync(user.Email!, Password);
    }

    [Fact]
    public async Task Reset_LiftsTheLockout()
    {
        var user = await app.CreateCompanyUserAsync();
        using var attacker = app.Browser();
        for (var i = 0; i < 5; i++)
        {
            using var _ = await attacker.SubmitFormAsync("/compte/connexion", new { Email = user.Email!, Password = "mauvais mot de passe" });
        }
        var link = await RequestLinkAsync(user.Email!);
        using var browser = app.Browser();

        using var reset = await browser.SubmitFormAsync(link, NewPasswordFields());

        Assert.Equal(HttpStatusCode.Redirect, reset.StatusCode);
        await browser.SignInAsync(user.Email!, NewPassword);
    }

    [Fact]
    public async Task Reset_SignsOutOtherSessions()
    {
        var user = await app.CreateCompanyUserAsync();
        using var otherSession = app.Browser();
        await otherSession.SignInAsync(user.Email!, Password);
        var link = await RequestLinkAsync(user.Email!);
        using var browser = app.Browser();
        using var reset = await browser.SubmitFormAsync(link, NewPasswordFields());

        app.Time.Advance(TimeSpan.FromMinutes(2));
        using var response = await otherSession.GetAsync("/entreprise");

        Assert.Equal(HttpStatusCode.Redirect, response.StatusCode);
        Assert.Contains("/compte/connexion", response.Headers.Location!.OriginalString, StringComparison.Ordinal);
    }
}

public sealed class PasswordResetTestsOnSqlite(SqliteApp app) : PasswordResetTests(app), IClassFixture<SqliteApp>;

public sealed class PasswordResetTestsOnPostgres(PostgresApp app) : PasswordResetTests(app), IClassFixture<PostgresApp>;

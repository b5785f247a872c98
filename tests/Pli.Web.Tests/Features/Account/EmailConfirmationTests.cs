using System.Net;
using Pli.Web.Tests.Infrastructure;
using static Pli.Web.Tests.Features.Account.AccountTestKit;

namespace Pli.Web.Tests.Features.Account;

public abstract class EmailConfirmationTests(PliApp app)
{
    private async Task<string> RegisterAsync()
    {
        var email = NewEmail();
        using var browser = app.Browser();
        using var response = await browser.RegisterAsync(Registration(email));
        Assert.Equal(HttpStatusCode.Redirect, response.StatusCode);
        return email;
    }

    [Fact]
    public async Task Unconfirmed_CannotSignIn()
    {
        var email = await RegisterAsync();
        using var browser = app.Browser();

        using var response = await browser.SubmitFormAsync("/compte/connexion", new { Email = email, Password });

        Assert.Equal(HttpStatusCode.OK, response.StatusCode);
        Assert.Contains("Confirmez d&#x27;abord", await response.Content.ReadAsStringAsync(), StringComparison.Ordinal);
    }

    [Fact]
    public async Task Unconfirmed_WithWrongPassword_AnswersAsAnUnknownAddress()
    {
        // Otherwise "confirm first" would tell anyone who registers a victim's address that it was free.
        var email = await RegisterAsync();
        using var browser = app.Browser();

        using var unconfirmed = await browser.SubmitFormAsync("/compte/connexion", new { Email = email, Password = "pas le bon mot de passe" });
        using var unknown = await browser.SubmitFormAsync("/compte/connexion", new { Email = "personne-" + email, Password = "pas le bon mot de passe" });

        var a = (await TestBrowser.ParseAsync(unconfirmed)).QuerySelector("#erreurs")!.TextContent;
        var b = (await TestBrowser.ParseAsync(unknown)).QuerySelector("#erreurs")!.TextContent;
        Assert.Equal(b, a);
        Assert.DoesNotContain("Confirmez", a, StringComparison.Ordinal);
    }

    [Fact]
    public async Task Link_ConfirmsTheAddress_AndTheUserSignsIn()
    {
        var email = await RegisterAsync();
        using var browser = app.Browser();

        using var confirmed = await browser.SubmitFormAsync(app.LinkInLastMailTo(email), new Dictionary<string, string>());

        Assert.Equal(HttpStatusCode.Redirect, confirmed.StatusCode);
        Assert.Equal("/compte/connexion?notice=confirme", confirmed.Headers.Location!.OriginalString);
        Assert.True((await app.FindUserAsync(email))!.EmailConfirmed);
        await browser.SignInAsync(email, Password);
        using var area = await browser.GetAsync("/entreprise");
        Assert.Equal(HttpStatusCode.OK, area.StatusCode);
    }

    [Fact]
    public async Task OpeningTheLink_DoesNotConfirmUntilTheButtonIsPressed()
    {
        var email = await RegisterAsync();
        using var browser = app.Browser();

        var page = await browser.GetPageAsync(app.LinkInLastMailTo(email));

        Assert.NotNull(page.QuerySelector("main form button"));
        Assert.False((await app.FindUserAsync(email))!.EmailConfirmed);
    }

    [Fact]
    public async Task Link_UsedTwice_IsRefusedWithAWayToGetANewOne()
    {
        var email = await RegisterAsync();
        var link = app.LinkInLastMailTo(email);
        using var browser = app.Browser();
        var form = await browser.GetPageAsync(link);
        var token = form.QuerySelector("input[name=__RequestVerificationToken]")!.GetAttribute("value")!;
        var fields = new Dictionary<string, string> { ["__RequestVerificationToken"] = token };
        using var first = await browser.PostAsync(link, fields);

        using var second = await browser.PostAsync(link, fields);

        Assert.Equal(HttpStatusCode.Redirect, first.StatusCode);
        Assert.Equal(HttpStatusCode.OK, second.StatusCode);
        var page = await TestBrowser.ParseAsync(second);
        Assert.NotNull(page.QuerySelector("#lien-invalide"));
        Assert.NotNull(page.QuerySelector("a[href='/compte/renvoyer-confirmation']"));
        var again = await browser.GetPageAsync(link);
        Assert.NotNull(again.QuerySelector("#lien-invalide"));
    }

    [Fact]
    public async Task Link_After24Hours_IsRefusedAndANewLinkWorks()
    {
        var email = await RegisterAsync();
        var link = app.LinkInLastMailTo(email);
        app.Time.Advance(TimeSpan.FromHours(24) + TimeSpan.FromMinutes(1));
        using var browser = app.Browser();

        var expired = await browser.GetPageAsync(link);
        using var resend = await browser.SubmitFormAsync("/compte/renvoyer-confirmation", new { Email = email });
        using var confirmed = await browser.SubmitFormAsync(app.LinkInLastMailTo(email), new Dictionary<string, string>());

        Assert.NotNull(expired.QuerySelector("#lien-invalide"));
        Assert.NotEqual(link, app.LinkInLastMailTo(email));
        Assert.Equal(HttpStatusCode.Redirect, confirmed.StatusCode);
        Assert.True((await app.FindUserAsync(email))!.EmailConfirmed);
    }

    [Fact]
    public async Task Link_WithForgedCode_IsRefused()
    {
        var email = await RegisterAsync();
        var user = await app.FindUserAsync(email);
        using var browser = app.Browser();

        var page = await browser.GetPageAsync($"/compte/confirmer?userId={user!.Id}&code=AAAA");

        Assert.NotNull(page.QuerySelector("#lien-invalide"));
    }

    [Fact]
    public async Task Resend_ForUnknownAddress_GivesTheSameAnswerAndSendsNothing()
    {
        var email = await RegisterAsync();
        var unknown = NewEmail("inconnu");
        var before = app.MailsTo(email).Count;
        using var browser = app.Browser();

        using var known = await browser.SubmitFormAsync("/compte/renvoyer-confirmation", new { Email = email });
        using var other = await browser.SubmitFormAsync("/compte/renvoyer-confirmation", new { Email = unknown });

        var a = await TestBrowser.ParseAsync(known);
        var b = await TestBrowser.ParseAsync(other);
        Assert.Equal(a.QuerySelector("#envoye")!.TextContent, b.QuerySelector("#envoye")!.TextContent);
        Assert.Equal(before + 1, app.MailsTo(email).Count);
        Assert.Empty(app.MailsTo(unknown));
    }
}

public sealed class EmailConfirmationTestsOnSqlite(SqliteApp app) : EmailConfirmationTests(app), IClassFixture<SqliteApp>;

public sealed class EmailConfirmationTestsOnPostgres(PostgresApp app) : EmailConfirmationTests(app), IClassFixture<PostgresApp>;

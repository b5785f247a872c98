using System.Net;
using Pli.Web.Tests.Infrastructure;
using static Pli.Web.Tests.Features.Account.AccountTestKit;

namespace Pli.Web.Tests.Features.Account;

public abstract class LockoutTests(PliApp app)
{
    private const string LockedMessage = "verrouillé";

    private static async Task<HttpResponseMessage> FailAsync(TestBrowser browser, string email, int times)
    {
        HttpResponseMessage? last = null;
        for (var i = 0; i < times; i++)
        {
            last?.Dispose();
            last = await browser.SubmitFormAsync("/compte/connexion", new { Email = email, Password = "mauvais mot de passe" });
        }
        return last!;
    }

    private static async Task<string> ErrorsAsync(HttpResponseMessage response) =>
        (await TestBrowser.ParseAsync(response)).QuerySelector("#erreurs")?.TextContent ?? "";

    [Fact]
    public async Task FourWrongPasswords_DoNotLock()
    {
        var user = await app.CreateCompanyUserAsync();
        using var browser = app.Browser();
        using var fourth = await FailAsync(browser, user.Email!, 4);

        await browser.SignInAsync(user.Email!, Password);

        Assert.DoesNotContain(LockedMessage, await ErrorsAsync(fourth), StringComparison.Ordinal);
    }

    [Fact]
    public async Task FiveWrongPasswords_AnswerAsAnyWrongPassword()
    {
        // The lock is told only to whoever gives the right password: an attacker locking an address
        // learns nothing about whether it has an account.
        var user = await app.CreateCompanyUserAsync();
        using var browser = app.Browser();

        using var fifth = await FailAsync(browser, user.Email!, 5);
        using var unknown = await FailAsync(browser, "personne-" + user.Email!, 1);

        Assert.DoesNotContain(LockedMessage, await ErrorsAsync(fifth), StringComparison.Ordinal);
        Assert.Equal(await ErrorsAsync(unknown), await ErrorsAsync(fifth));
    }

    [Fact]
    public async Task CorrectPassword_WhileLocked_IsRefused()
    {
        var user = await app.CreateCompanyUserAsync();
        using var browser = app.Browser();
        using var _ = await FailAsync(browser, user.Email!, 5);
        app.Time.Advance(TimeSpan.FromMinutes(14));

        using var response = await browser.SubmitFormAsync("/compte/connexion", new { Email = user.Email!, Password });

        Assert.Equal(HttpStatusCode.OK, response.StatusCode);
        Assert.Contains(LockedMessage, await ErrorsAsync(response), StringComparison.Ordinal);
    }

    [Fact]
    public async Task After15Minutes_TheAccountUnlocks()
    {
        var user = await app.CreateCompanyUserAsync();
        using var browser = app.Browser();
        using var _ = await FailAsync(browser, user.Email!, 5);

        app.Time.Advance(TimeSpan.FromMinutes(15) + TimeSpan.FromSeconds(1));

        await browser.SignInAsync(user.Email!, Password);
    }
}

public sealed class LockoutTestsOnSqlite(SqliteApp app) : LockoutTests(app), IClassFixture<SqliteApp>;

public sealed class LockoutTestsOnPostgres(PostgresApp app) : LockoutTests(app), IClassFixture<PostgresApp>;

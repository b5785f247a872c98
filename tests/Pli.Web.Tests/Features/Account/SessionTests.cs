using System.Net;
using Pli.Web.Tests.Infrastructure;

namespace Pli.Web.Tests.Features.Account;

/// <summary>Open sessions are checked against the database every minute (security stamp).</summary>
public abstract class SessionTests(PliApp app)
{
    [Fact]
    public async Task Agent_AfterTheSessionIsRevalidated_KeepsTheBackoffice()
    {
        using var browser = app.Browser();
        await browser.SignInAsDemoAgentAsync();

        // Identity rebuilds the principal from the database after the validation interval: amr=mfa must survive.
        app.Time.Advance(TimeSpan.FromMinutes(5));
        using var first = await browser.GetAsync("/acheteur");
        using var second = await browser.GetAsync("/acheteur");

        Assert.Equal(HttpStatusCode.OK, first.StatusCode);
        Assert.Equal(HttpStatusCode.OK, second.StatusCode);
    }
}

public sealed class SessionTestsOnSqlite(SqliteApp app) : SessionTests(app), IClassFixture<SqliteApp>;

public sealed class SessionTestsOnPostgres(PostgresApp app) : SessionTests(app), IClassFixture<PostgresApp>;

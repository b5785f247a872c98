using System.Net;
using System.Net.Http.Json;
using Pli.Web.Infrastructure.Data;
using Pli.Web.Tests.Infrastructure;
using static Pli.Web.Tests.Features.Account.AccountTestKit;

namespace Pli.Web.Tests.Features.Account;

/// <summary>The sign-in, registration, reset and token endpoints share a per-address limit of POSTs.</summary>
public abstract class RateLimitTests(PliApp app)
{
    public const int Limit = 3;

    public static IDictionary<string, string?> LowLimit => new Dictionary<string, string?> { ["Security:AuthenticationPermitsPerMinute"] = Limit.ToString(System.Globalization.CultureInfo.InvariantCulture) };

    [Fact]
    public async Task SignInPosts_BeyondTheLimit_Get429_WhileShowingTheFormIsNotCounted()
    {
        using var browser = app.Browser();
        var statuses = new List<HttpStatusCode>();

        for (var i = 0; i <= Limit; i++)
        {
            using var response = await browser.SubmitFormAsync("/compte/connexion", new { Email = NewEmail(), Password = "mauvais mot de passe" });
            statuses.Add(response.StatusCode);
        }

        Assert.All(statuses.Take(Limit), s => Assert.Equal(HttpStatusCode.OK, s));
        Assert.Equal(HttpStatusCode.TooManyRequests, statuses[Limit]);
        Assert.Equal(HttpStatusCode.OK, (await browser.GetAsync("/compte/connexion")).StatusCode);
        using var token = await browser.Client.PostAsJsonAsync("/api/auth/token", new { email = NewEmail(), password = "x" });
        Assert.Equal(HttpStatusCode.TooManyRequests, token.StatusCode);
    }
}

public sealed class LowLimitSqliteApp : PliApp
{
    public override DatabaseProvider Provider => DatabaseProvider.Sqlite;

    protected override string ConnectionString => $"Data Source={Path.Combine(DataRoot, "pli.db")}";

    protected override IDictionary<string, string?> Settings => RateLimitTests.LowLimit;
}

public sealed class LowLimitPostgresApp : PostgresApp
{
    protected override IDictionary<string, string?> Settings => RateLimitTests.LowLimit;
}

public sealed class RateLimitTestsOnSqlite(LowLimitSqliteApp app) : RateLimitTests(app), IClassFixture<LowLimitSqliteApp>;

public sealed class RateLimitTestsOnPostgres(LowLimitPostgresApp app) : RateLimitTests(app), IClassFixture<LowLimitPostgresApp>;

/// <summary>Each endpoint on an app of its own: the limit counts per client address, across endpoints.</summary>
public sealed class RegistrationRateLimitTests(LowLimitSqliteApp app) : IClassFixture<LowLimitSqliteApp>
{
    [Fact]
    public async Task RegistrationPosts_BeyondTheLimit_Get429()
    {
        using var browser = app.Browser();
        var statuses = new List<HttpStatusCode>();

        for (var i = 0; i <= RateLimitTests.Limit; i++)
        {
            using var response = await browser.SubmitFormAsync("/compte/inscription", new { Email = "pas-une-adresse" });
            statuses.Add(response.StatusCode);
        }

        Assert.DoesNotContain(HttpStatusCode.TooManyRequests, statuses.Take(RateLimitTests.Limit));
        Assert.Equal(HttpStatusCode.TooManyRequests, statuses[RateLimitTests.Limit]);
    }
}

public sealed class PasswordResetRateLimitTests(LowLimitSqliteApp app) : IClassFixture<LowLimitSqliteApp>
{
    [Fact]
    public async Task ForgotPasswordPosts_BeyondTheLimit_Get429_AndSendNoMore()
    {
        using var browser = app.Browser();
        var statuses = new List<HttpStatusCode>();

        for (var i = 0; i <= RateLimitTests.Limit; i++)
        {
            using var response = await browser.SubmitFormAsync("/compte/mot-de-passe-oublie", new { Email = Pli.Web.Features.Demo.DemoData.CompanyEmail });
            statuses.Add(response.StatusCode);
        }

        Assert.DoesNotContain(HttpStatusCode.TooManyRequests, statuses.Take(RateLimitTests.Limit));
        Assert.Equal(HttpStatusCode.TooManyRequests, statuses[RateLimitTests.Limit]);
        Assert.Equal(RateLimitTests.Limit, app.MailsTo(Pli.Web.Features.Demo.DemoData.CompanyEmail).Count);
    }
}

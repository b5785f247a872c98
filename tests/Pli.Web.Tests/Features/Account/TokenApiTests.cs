using System.Net;
using System.Net.Http.Headers;
using System.Net.Http.Json;
using System.Text.Json;
using Microsoft.AspNetCore.Authentication;
using Microsoft.AspNetCore.Authorization;
using Microsoft.AspNetCore.Http;
using Microsoft.AspNetCore.Identity;
using Microsoft.EntityFrameworkCore;
using Microsoft.Extensions.DependencyInjection;
using Pli.Domain.Organisations;
using Pli.Web.Infrastructure.Data;
using Pli.Web.Features.Demo;
using Pli.Web.Infrastructure.Security;
using Pli.Web.Tests.Infrastructure;
using static Pli.Web.Tests.Features.Account.AccountTestKit;

namespace Pli.Web.Tests.Features.Account;

public abstract class TokenApiTests(PliApp app)
{
    private HttpClient Api() => app.CreateClient(new() { BaseAddress = new Uri("https://localhost"), AllowAutoRedirect = false, HandleCookies = false });

    private static string CurrentTotp() => Totp.Code(DemoData.TotpSecret, TimeProvider.System.GetUtcNow());

    private async Task<JsonElement> TokenAsync(HttpClient api, object request)
    {
        using var response = await api.PostAsJsonAsync("/api/auth/token", request);
        Assert.True(response.StatusCode == HttpStatusCode.OK, $"{(int)response.StatusCode} {await response.Content.ReadAsStringAsync()}");
        return await response.Content.ReadFromJsonAsync<JsonElement>();
    }

    private static async Task<JsonElement> MeAsync(HttpClient api, string accessToken)
    {
        using var request = new HttpRequestMessage(HttpMethod.Get, "/api/me");
        request.Headers.Authorization = new AuthenticationHeaderValue("Bearer", accessToken);
        using var response = await api.SendAsync(request);
        Assert.Equal(HttpStatusCode.OK, response.StatusCode);
        return await response.Content.ReadFromJsonAsync<JsonElement>();
    }

    /// <summary>Authenticates the token with the bearer scheme and evaluates a policy, as an API endpoint would.</summary>
    private async Task<bool> PassesPolicyAsync(string accessToken, string policy)
    {
        await using var scope = app.Services.CreateAsyncScope();
        var context = new DefaultHttpContext { RequestServices = scope.ServiceProvider };
        context.Request.Headers.Authorization = "Bearer " + accessToken;
        var authentication = await context.AuthenticateAsync(IdentityConstants.BearerScheme);
        Assert.True(authentication.Succeeded);
        var result = await scope.ServiceProvider.GetRequiredService<IAuthorizationService>().AuthorizeAsync(authentication.Principal!, policy);
        return result.Succeeded;
    }

    [Fact]
    public async Task CompanyUser_GetsABearerToken_ThatWorksOnMe()
    {
        using var api = Api();

        var token = await TokenAsync(api, new { email = DemoData.CompanyEmail, password = DemoData.Password });

        Assert.Equal("Bearer", token.GetProperty("tokenType").GetString());
        Assert.True(token.GetProperty("expiresIn").GetInt64() > 0);
        Assert.False(string.IsNullOrEmpty(token.GetProperty("refreshToken").GetString()));
        var me = await MeAsync(api, token.GetProperty("accessToken").GetString()!);
        Assert.Equal(DemoData.CompanyEmail, me.GetProperty("email").GetString());
        Assert.Equal("BTP Démo SARL", me.GetProperty("company").GetProperty("name").GetString());
        Assert.Equal(JsonValueKind.Null, me.GetProperty("organisation").ValueKind);
        Assert.Contains("company-admin", me.GetProperty("roles").EnumerateArray().Select(r => r.GetString()));
        Assert.True(await PassesPolicyAsync(token.GetProperty("accessToken").GetString()!, Policies.Company));
    }

    [Fact]
    public async Task WrongPassword_Is401_LikeAnUnknownAddress()
    {
        using var api = Api();

        using var wrong = await api.PostAsJsonAsync("/api/auth/token", new { email = DemoData.CompanyEmail, password = "pas le bon mot de passe" });
        using var unknown = await api.PostAsJsonAsync("/api/auth/token", new { email = NewEmail(), password = "pas le bon mot de passe" });

        Assert.Equal(HttpStatusCode.Unauthorized, wrong.StatusCode);
        Assert.Equal(HttpStatusCode.Unauthorized, unknown.StatusCode);
        Assert.Equal((await wrong.Content.ReadFromJsonAsync<JsonElement>()).GetProperty("detail").GetString(),
            (await unknown.Content.ReadFromJsonAsync<JsonElement>()).GetProperty("detail").GetString());
    }

    [Fact]
    public async Task Agent_WithoutTotp_IsRefused()
    {
        using var api = Api();

        using var response = await api.PostAsJsonAsync("/api/auth/token", new { email = DemoData.AgentEmail, password = DemoData.Password });

        Assert.Equal(HttpStatusCode.Unauthorized, response.StatusCode);
        Assert.Equal("RequiresTwoFactor", (await response.Content.ReadFromJsonAsync<JsonElement>()).GetProperty("detail").GetString());
        Assert.DoesNotContain("accessToken", await response.Content.ReadAsStringAsync(), StringComparison.Ordinal);
    }

    [Fact]
    public async Task Agent_WithWrongTotp_IsRefused()
    {
        using var api = Api();

        using var response = await api.PostAsJsonAsync("/api/auth/token", new { email = DemoData.AgentEmail, password = DemoData.Password, twoFactorCode = "000000" });

        Assert.Equal(HttpStatusCode.Unauthorized, response.StatusCode);
    }

    [Fact]
    public async Task Agent_WithTotp_GetsATokenThatPassesTheAgentPolicy()
    {
        using var api = Api();

        var token = await TokenAsync(api, new { email = DemoData.AgentEmail, password = DemoData.Password, twoFactorCode = CurrentTotp() });

        var accessToken = token.GetProperty("accessToken").GetString()!;
        var me = await MeAsync(api, accessToken);
        Assert.True(me.GetProperty("secondFactor").GetBoolean());
        Assert.Equal(JsonValueKind.Null, me.GetProperty("company").ValueKind);
        Assert.True(await PassesPolicyAsync(accessToken, Policies.Agent));
        Assert.False(await PassesPolicyAsync(accessToken, Policies.Company));
    }

    [Fact]
    public async Task CompanyToken_DoesNotPassTheAgentPolicy()
    {
        using var api = Api();

        var token = await TokenAsync(api, new { email = DemoData.CompanyEmail, password = DemoData.Password });

        Assert.False(await PassesPolicyAsync(token.GetProperty("accessToken").GetString()!, Policies.Agent));
    }

    [Fact]
    public async Task Refresh_GivesANewToken_ThatKeepsTheSecondFactor()
    {
        using var api = Api();
        var token = await TokenAsync(api, new { email = DemoData.AgentEmail, password = DemoData.Password, twoFactorCode = CurrentTotp() });

        using var response = await api.PostAsJsonAsync("/api/auth/refresh", new { refreshToken = token.GetProperty("refreshToken").GetString() });

        Assert.Equal(HttpStatusCode.OK, response.StatusCode);
        var refreshed = await response.Content.ReadFromJsonAsync<JsonElement>();
        Assert.True(await PassesPolicyAsync(refreshed.GetProperty("accessToken").GetString()!, Policies.Agent));
    }

    [Fact]
    public async Task AgentWithoutEnrolledAuthenticator_GetsNoToken()
    {
        var organisationId = await app.WithDb(db => db.Organisations.Select(o => o.Id).FirstAsync());
        var email = NewEmail("agent");
        await using (var scope = app.Services.CreateAsyncScope())
        {
            var users = scope.ServiceProvider.GetRequiredService<UserManager<PliUser>>();
            var created = await users.CreateAsync(new PliUser
            {
                UserName = email, Email = email, EmailConfirmed = true, FullName = "Nouvel Agent",
                OrganisationId = organisationId, AgentRoles = AgentRole.ConsultationManager,
            }, Password);
            Assert.True(created.Succeeded);
        }
        using var api = Api();

        using var response = await api.PostAsJsonAsync("/api/auth/token", new { email, password = Password });

        Assert.Equal(HttpStatusCode.Unauthorized, response.StatusCode);
        Assert.Equal("SecondFactorNotEnrolled", (await response.Content.ReadFromJsonAsync<JsonElement>()).GetProperty("detail").GetString());
    }

    [Fact]
    public async Task Refresh_AfterTheSecurityStampChanged_Is401()
    {
        var user = await app.CreateCompanyUserAsync();
        using var api = Api();
        var token = await TokenAsync(api, new { email = user.Email, password = Password });
        await using (var scope = app.Services.CreateAsyncScope())
        {
            var users = scope.ServiceProvider.GetRequiredService<UserManager<PliUser>>();
            await users.UpdateSecurityStampAsync((await users.FindByIdAsync(user.Id.ToString()))!);
        }

        using var response = await api.PostAsJsonAsync("/api/auth/refresh", new { refreshToken = token.GetProperty("refreshToken").GetString() });

        Assert.Equal(HttpStatusCode.Unauthorized, response.StatusCode);
    }

    [Fact]
    public async Task Refresh_WithGarbage_Is401()
    {
        using var api = Api();

        using var response = await api.PostAsJsonAsync("/api/auth/refresh", new { refreshToken = "n'importe quoi" });

        Assert.Equal(HttpStatusCode.Unauthorized, response.StatusCode);
    }

    [Fact]
    public async Task AccessToken_LivesFifteenMinutes()
    {
        using var api = Api();
        var token = await TokenAsync(api, new { email = DemoData.CompanyEmail, password = DemoData.Password });
        app.Time.Advance(TimeSpan.FromMinutes(15) - TimeSpan.FromSeconds(1));

        var me = await MeAsync(api, token.GetProperty("accessToken").GetString()!);

        Assert.Equal(900, token.GetProperty("expiresIn").GetInt32());
        Assert.Equal(DemoData.CompanyEmail, me.GetProperty("email").GetString());
    }

    [Fact]
    public async Task ExpiredAccessToken_Is401OnMe()
    {
        using var api = Api();
        var token = await TokenAsync(api, new { email = DemoData.CompanyEmail, password = DemoData.Password });
        app.Time.Advance(TimeSpan.FromMinutes(15) + TimeSpan.FromSeconds(1));

        using var request = new HttpRequestMessage(HttpMethod.Get, "/api/me");
        request.Headers.Authorization = new AuthenticationHeaderValue("Bearer", token.GetProperty("accessToken").GetString());
        using var response = await api.SendAsync(request);

        Assert.Equal(HttpStatusCode.Unauthorized, response.StatusCode);
    }

    [Fact]
    public async Task Me_WithoutCredentials_Is401()
    {
        using var api = Api();

        using var response = await api.GetAsync("/api/me");

        Assert.Equal(HttpStatusCode.Unauthorized, response.StatusCode);
    }

    [Fact]
    public async Task Me_WithTheSiteCookie_Works()
    {
        using var browser = app.Browser();
        await browser.SignInAsDemoCompanyAsync();

        using var response = await browser.GetAsync("/api/me");

        Assert.Equal(HttpStatusCode.OK, response.StatusCode);
        Assert.Equal(DemoData.CompanyEmail, (await response.Content.ReadFromJsonAsync<JsonElement>()).GetProperty("email").GetString());
    }

    [Fact]
    public async Task Lockout_AppliesToTheTokenApi()
    {
        var user = await app.CreateCompanyUserAsync();
        using var api = Api();
        for (var i = 0; i < 5; i++)
        {
            using var _ = await api.PostAsJsonAsync("/api/auth/token", new { email = user.Email, password = "mauvais mot de passe" });
        }

        using var response = await api.PostAsJsonAsync("/api/auth/token", new { email = user.Email, password = Password });

        Assert.Equal(HttpStatusCode.Unauthorized, response.StatusCode);
        Assert.Equal("LockedOut", (await response.Content.ReadFromJsonAsync<JsonElement>()).GetProperty("detail").GetString());
    }

    [Fact]
    public async Task UnconfirmedUser_GetsNoToken()
    {
        var email = NewEmail();
        using var browser = app.Browser();
        using var _ = await browser.RegisterAsync(Registration(email));
        using var api = Api();

        using var response = await api.PostAsJsonAsync("/api/auth/token", new { email, password = Password });

        Assert.Equal(HttpStatusCode.Unauthorized, response.StatusCode);
    }

    private static async Task<HttpResponseMessage> GetWithTokenAsync(HttpClient api, string url, string accessToken)
    {
        using var request = new HttpRequestMessage(HttpMethod.Get, url);
        request.Headers.Authorization = new AuthenticationHeaderValue("Bearer", accessToken);
        return await api.SendAsync(request);
    }

    [Fact]
    public async Task AgentToken_WorksOnAnAgentEndpoint()
    {
        using var api = Api();
        var token = await TokenAsync(api, new { email = DemoData.AgentEmail, password = DemoData.Password, twoFactorCode = CurrentTotp() });

        using var response = await GetWithTokenAsync(api, "/api/cpv?q=routes", token.GetProperty("accessToken").GetString()!);

        Assert.Equal(HttpStatusCode.OK, response.StatusCode);
    }

    [Fact]
    public async Task CompanyToken_DownloadsTheDceIdentified()
    {
        using var api = Api();
        var token = await TokenAsync(api, new { email = DemoData.CompanyEmail, password = DemoData.Password });
        var consultation = await app.WithDb(db => db.Consultations.Where(c => c.Reference == "2026-SRV-0213").Select(c => c.Id).SingleAsync());

        using var response = await GetWithTokenAsync(api, $"/consultations/{consultation}/dce/zip", token.GetProperty("accessToken").GetString()!);

        Assert.Equal(HttpStatusCode.OK, response.StatusCode);
        Assert.Equal("application/zip", response.Content.Headers.ContentType?.MediaType);
        Assert.True(await app.WithDb(db => db.DceDownloads.AnyAsync(d => d.ConsultationId == consultation && d.CompanyId != null)));
    }

    [Fact]
    public async Task ApiWithoutCredentials_Answers401WithoutTheHtmlErrorPage()
    {
        using var api = Api();

        using var response = await api.GetAsync("/api/cpv?q=routes");

        Assert.Equal(HttpStatusCode.Unauthorized, response.StatusCode);
        Assert.NotEqual("text/html", response.Content.Headers.ContentType?.MediaType);
    }

    [Fact]
    public async Task UnconfirmedUser_WithWrongPassword_AnswersFailedLikeAnUnknownAddress()
    {
        var email = NewEmail();
        using var browser = app.Browser();
        using var _ = await browser.RegisterAsync(Registration(email));
        using var api = Api();

        using var response = await api.PostAsJsonAsync("/api/auth/token", new { email, password = "pas le bon mot de passe" });

        Assert.Equal(HttpStatusCode.Unauthorized, response.StatusCode);
        Assert.Equal("Failed", (await response.Content.ReadFromJsonAsync<JsonElement>()).GetProperty("detail").GetString());
    }
}

public sealed class TokenApiTestsOnSqlite(SqliteApp app) : TokenApiTests(app), IClassFixture<SqliteApp>;

public sealed class TokenApiTestsOnPostgres(PostgresApp app) : TokenApiTests(app), IClassFixture<PostgresApp>;

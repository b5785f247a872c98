using System.Net;
using Microsoft.EntityFrameworkCore;
using Pli.Domain.Organisations;
using Pli.Web.Features.Demo;
using Pli.Web.Tests.Infrastructure;
using static Pli.Web.Tests.Features.Backoffice.BackofficeTestData;

namespace Pli.Web.Tests.Features.Backoffice;

public abstract class OrganisationAdminTests(PliApp app)
{
    private const string Url = "/acheteur/organisation";

    [Fact]
    public async Task Post_AddService_AddsItToOwnOrganisation()
    {
        using var browser = app.Browser();
        await browser.SignInAsDemoAgentAsync();

        using var response = await browser.SubmitFormAsync(Url, new Dictionary<string, string> { ["ServiceName"] = "Direction des parcs" }, "#form-service");

        Assert.Equal(HttpStatusCode.Redirect, response.StatusCode);
        var organisation = await DemoOrganisationIdAsync(app);
        Assert.True(await app.WithDb(db => db.Services.AnyAsync(s => s.OrganisationId == organisation && s.Name == "Direction des parcs")));
    }

    [Fact]
    public async Task Post_DuplicateService_IsRefused()
    {
        using var browser = app.Browser();
        await browser.SignInAsDemoAgentAsync();
        var before = await app.WithDb(db => db.Services.CountAsync());

        using var response = await browser.SubmitFormAsync(Url, new Dictionary<string, string> { ["ServiceName"] = "direction des routes" }, "#form-service");

        Assert.Contains("existe déjà", await ErrorsAsync(response), StringComparison.Ordinal);
        Assert.Equal(before, await app.WithDb(db => db.Services.CountAsync()));
    }

    [Fact]
    public async Task Post_InviteAgent_CreatesAccountWithRolesAndMailsActivationLink()
    {
        using var browser = app.Browser();
        await browser.SignInAsDemoAgentAsync();
        var email = $"invite-{Guid.NewGuid():N}@metropole-demo.localhost";

        using var response = await browser.SubmitFormAsync(Url,
            [new("InviteFullName", "Olivier Ouvreur"), new("InviteEmail", email), new("InviteRoles", "Opener")], "#form-invite");

        Assert.Equal(HttpStatusCode.Redirect, response.StatusCode);
        var agent = await app.WithDb(db => db.Users.SingleAsync(u => u.Email == email));
        Assert.Equal(AgentRole.Opener, agent.AgentRoles);
        Assert.Equal(await DemoOrganisationIdAsync(app), agent.OrganisationId);
        Assert.Null(agent.PasswordHash);
        var mail = Assert.Single(app.MailsTo(email));
        Assert.Contains("/compte/activer?userId=" + agent.Id, mail.TextBody, StringComparison.Ordinal);
    }

    [Fact]
    public async Task Post_InviteWithTakenEmail_IsRefusedAndSendsNothing()
    {
        using var browser = app.Browser();
        await browser.SignInAsDemoAgentAsync();

        using var response = await browser.SubmitFormAsync(Url,
            [new("InviteFullName", "Doublon"), new("InviteEmail", DemoData.CompanyEmail), new("InviteRoles", "Opener")], "#form-invite");

        Assert.Contains("existe déjà", await ErrorsAsync(response), StringComparison.Ordinal);
        Assert.Empty(app.MailsTo(DemoData.CompanyEmail));
    }

    [Fact]
    public async Task Post_InviteWithoutRole_IsRefused()
    {
        using var browser = app.Browser();
        await browser.SignInAsDemoAgentAsync();
        var email = $"sans-role-{Guid.NewGuid():N}@metropole-demo.localhost";

        using var response = await browser.PostAsync(Url + "?handler=Invite",
            [new("InviteFullName", "Sans Rôle"), new("InviteEmail", email), new("__RequestVerificationToken", await TokenAsync(browser))]);

        Assert.Contains("au moins un rôle", await ErrorsAsync(response), StringComparison.Ordinal);
        Assert.False(await app.WithDb(db => db.Users.AnyAsync(u => u.Email == email)));
    }

    [Fact]
    public async Task Post_ChangeRoles_UpdatesTheAgent()
    {
        var agentEmail = await CreateAgentAsync(app, await DemoOrganisationIdAsync(app), AgentRole.Opener);
        var agentId = await app.WithDb(db => db.Users.Where(u => u.Email == agentEmail).Select(u => u.Id).SingleAsync());
        using var browser = app.Browser();
        await browser.SignInAsDemoAgentAsync();

        using var response = await browser.PostAsync(Url + "?handler=Roles",
            [new("agentId", agentId.ToString()), new("roles", "ConsultationManager"), new("roles", "OrganisationAdmin"), new("__RequestVerificationToken", await TokenAsync(browser))]);

        Assert.Equal(HttpStatusCode.Redirect, response.StatusCode);
        var agent = await app.WithDb(db => db.Users.SingleAsync(u => u.Id == agentId));
        Assert.Equal(AgentRole.ConsultationManager | AgentRole.OrganisationAdmin, agent.AgentRoles);
        var audit = await app.WithDb(db => db.AuditEntries.SingleAsync(e => e.Action == "agent.roles-changed" && e.Target == $"user:{agentId}"));
        Assert.Equal("Opener -> ConsultationManager, OrganisationAdmin", audit.Detail);
    }

    [Fact]
    public async Task Post_DeactivateAgent_PreventsSignIn()
    {
        var agentEmail = await CreateAgentAsync(app, await DemoOrganisationIdAsync(app), AgentRole.ConsultationManager);
        var agentId = await app.WithDb(db => db.Users.Where(u => u.Email == agentEmail).Select(u => u.Id).SingleAsync());
        using var browser = app.Browser();
        await browser.SignInAsDemoAgentAsync();

        using var response = await browser.PostAsync(Url + "?handler=Deactivate",
            [new("agentId", agentId.ToString()), new("__RequestVerificationToken", await TokenAsync(browser))]);

        Assert.Equal(HttpStatusCode.Redirect, response.StatusCode);
        using var other = app.Browser();
        using var signIn = await other.SubmitFormAsync("/compte/connexion", new { Email = agentEmail, Password = DemoData.Password });
        Assert.Equal(HttpStatusCode.OK, signIn.StatusCode);
        Assert.NotEqual("", await ErrorsAsync(signIn));
    }

    [Fact]
    public async Task DeactivatedAgent_ResettingTheirPassword_StaysDeactivated()
    {
        var agentEmail = await CreateAgentAsync(app, await DemoOrganisationIdAsync(app), AgentRole.ConsultationManager);
        var agentId = await app.WithDb(db => db.Users.Where(u => u.Email == agentEmail).Select(u => u.Id).SingleAsync());
        using (var admin = app.Browser())
        {
            await admin.SignInAsDemoAgentAsync();
            using var deactivated = await admin.PostAsync(Url + "?handler=Deactivate",
                [new("agentId", agentId.ToString()), new("__RequestVerificationToken", await TokenAsync(admin))]);
            Assert.Equal(HttpStatusCode.Redirect, deactivated.StatusCode);
        }
        using var agent = app.Browser();
        using var forgot = await agent.SubmitFormAsync("/compte/mot-de-passe-oublie", new { Email = agentEmail });
        var link = Pli.Web.Tests.Features.Account.AccountTestKit.LinkInLastMailTo(app, agentEmail);
        using var reset = await agent.SubmitFormAsync(link, new Dictionary<string, string> { ["Password"] = "Un nouveau mot de passe 2026", ["ConfirmPassword"] = "Un nouveau mot de passe 2026" });

        using var signIn = await agent.SubmitFormAsync("/compte/connexion", new { Email = agentEmail, Password = "Un nouveau mot de passe 2026" });

        Assert.Equal(HttpStatusCode.OK, signIn.StatusCode);
        Assert.Contains("verrouillé", await ErrorsAsync(signIn), StringComparison.Ordinal);
        Assert.Equal(DateTimeOffset.MaxValue, await app.WithDb(db => db.Users.Where(u => u.Id == agentId).Select(u => u.LockoutEnd).SingleAsync()));
    }

    [Fact]
    public async Task Post_DeactivateSelf_IsRefused()
    {
        using var browser = app.Browser();
        await browser.SignInAsDemoAgentAsync();
        var me = await app.WithDb(db => db.Users.Where(u => u.Email == DemoData.AgentEmail).Select(u => u.Id).SingleAsync());

        using var response = await browser.PostAsync(Url + "?handler=Deactivate",
            [new("agentId", me.ToString()), new("__RequestVerificationToken", await TokenAsync(browser))]);

        Assert.Contains("propre compte", await ErrorsAsync(response), StringComparison.Ordinal);
        Assert.Null(await app.WithDb(db => db.Users.Where(u => u.Id == me).Select(u => u.LockoutEnd).SingleAsync()));
    }

    [Fact]
    public async Task Post_DeactivateAgentOfAnotherOrganisation_Gets404()
    {
        var (_, otherEmail) = await CreateOrganisationWithAgentAsync(app, AgentRole.ConsultationManager);
        var otherId = await app.WithDb(db => db.Users.Where(u => u.Email == otherEmail).Select(u => u.Id).SingleAsync());
        using var browser = app.Browser();
        await browser.SignInAsDemoAgentAsync();

        using var response = await browser.PostAsync(Url + "?handler=Deactivate",
            [new("agentId", otherId.ToString()), new("__RequestVerificationToken", await TokenAsync(browser))]);

        Assert.Equal(HttpStatusCode.NotFound, response.StatusCode);
        Assert.Null(await app.WithDb(db => db.Users.Where(u => u.Id == otherId).Select(u => u.LockoutEnd).SingleAsync()));
    }

    [Fact]
    public async Task Get_AgentWithoutOrganisationAdminRole_Gets404()
    {
        var manager = await CreateAgentAsync(app, await DemoOrganisationIdAsync(app), AgentRole.ConsultationManager | AgentRole.Opener);
        using var browser = app.Browser();
        await browser.SignInAsAgentAsync(manager);

        using var response = await browser.GetAsync(Url);

        Assert.Equal(HttpStatusCode.NotFound, response.StatusCode);
    }

    private static async Task<string> TokenAsync(TestBrowser browser)
    {
        var page = await browser.GetPageAsync(Url);
        return page.QuerySelector("#form-invite input[name='__RequestVerificationToken']")!.GetAttribute("value")!;
    }
}

public sealed class OrganisationAdminTestsOnSqlite(SqliteApp app) : OrganisationAdminTests(app), IClassFixture<SqliteApp>;

public sealed class OrganisationAdminTestsOnPostgres(PostgresApp app) : OrganisationAdminTests(app), IClassFixture<PostgresApp>;

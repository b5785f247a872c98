using System.Net;
using System.Security.Cryptography;
using System.Text;
using Microsoft.EntityFrameworkCore;
using Pli.Web.Features.Demo;
using Pli.Web.Infrastructure.Data;
using Pli.Web.Tests.Infrastructure;
using static Pli.Web.Tests.Features.Account.AccountTestKit;

namespace Pli.Web.Tests.Features.Companies;

public abstract class CompanyUsersTests(PliApp app)
{
    private const string UsersPage = "/entreprise/utilisateurs";

    private async Task<(PliUser Admin, TestBrowser Browser)> SignedInAdminAsync()
    {
        var admin = await app.CreateCompanyUserAsync();
        var browser = app.Browser();
        await browser.SignInAsync(admin.Email!, Password);
        return (admin, browser);
    }

    private static Task<HttpResponseMessage> InviteAsync(TestBrowser browser, string email) =>
        browser.SubmitFormAsync(UsersPage, new Dictionary<string, string> { ["InviteEmail"] = email }, "form#invite");

    private Task<List<CompanyInvitation>> InvitationsToAsync(string email) =>
        app.WithDb(db => db.CompanyInvitations.AsNoTracking().Where(i => i.Email == email).ToListAsync());

    private static Dictionary<string, string> Joining(string password = Password) => new()
    {
        ["FullName"] = "Claude Collègue",
        ["Password"] = password,
        ["ConfirmPassword"] = password,
        ["AcceptTerms"] = "true",
    };

    [Fact]
    public async Task Dashboard_ShowsTheCompanyAndItsUsers()
    {
        using var browser = app.Browser();
        await browser.SignInAsDemoCompanyAsync();

        var page = await browser.GetPageAsync("/entreprise");

        Assert.Contains("BTP Démo SARL", page.QuerySelector("main")!.TextContent, StringComparison.Ordinal);
        Assert.Equal("443 210 109 00015", page.QuerySelector("#siret")!.TextContent);
        Assert.Contains(DemoData.CompanyEmail, page.QuerySelector("#utilisateurs")!.TextContent, StringComparison.Ordinal);
        Assert.NotNull(page.QuerySelector("a[href='/entreprise/utilisateurs']"));
    }

    [Fact]
    public async Task Agent_OnTheCompanyArea_Gets404()
    {
        using var browser = app.Browser();
        await browser.SignInAsDemoAgentAsync();

        using var response = await browser.GetAsync("/entreprise");

        Assert.Equal(HttpStatusCode.NotFound, response.StatusCode);
    }

    [Fact]
    public async Task Admin_InvitesAColleague_WhoJoinsTheCompanyWithTheLink()
    {
        var (admin, browser) = await SignedInAdminAsync();
        using var _ = browser;
        var colleague = NewEmail("collegue");

        using var invited = await InviteAsync(browser, colleague);
        var link = app.LinkInLastMailTo(colleague);
        using var invitee = app.Browser();
        using var joined = await invitee.SubmitFormAsync(link, Joining());

        Assert.Equal(HttpStatusCode.Redirect, invited.StatusCode);
        Assert.Equal(HttpStatusCode.Redirect, joined.StatusCode);
        var user = await app.FindUserAsync(colleague);
        Assert.NotNull(user);
        Assert.Equal(admin.CompanyId, user.CompanyId);
        Assert.False(user.IsCompanyAdmin);
        Assert.True(user.EmailConfirmed);
        Assert.NotNull(user.TermsAcceptedUtc);
        Assert.NotNull(Assert.Single(await InvitationsToAsync(colleague)).AcceptedUtc);
        await invitee.SignInAsync(colleague, Password);
        using var area = await invitee.GetAsync("/entreprise");
        Assert.Equal(HttpStatusCode.OK, area.StatusCode);
    }

    [Fact]
    public async Task Invitation_ByAnAdminReadingEnglish_IsWrittenInEnglish_FrameIncluded()
    {
        var (_, browser) = await SignedInAdminAsync();
        using var __ = browser;
        await browser.SwitchLanguageAsync("en");
        var colleague = NewEmail("collegue");

        using var _ = await InviteAsync(browser, colleague);

        var mail = app.MailsTo(colleague).Last();
        Assert.Contains("<html lang=\"en\">", mail.HtmlBody, StringComparison.Ordinal);
        Assert.DoesNotContain("Ce courriel vous est envoyé", mail.TextBody, StringComparison.Ordinal);
        Assert.DoesNotContain("Vous", mail.TextBody, StringComparison.Ordinal);
    }

    [Fact]
    public async Task Invitation_StoresOnlyTheHashOfTheToken()
    {
        var (_, browser) = await SignedInAdminAsync();
        using var __ = browser;
        var colleague = NewEmail("collegue");

        using var _ = await InviteAsync(browser, colleague);

        var token = Uri.UnescapeDataString(app.LinkInLastMailTo(colleague).Split("token=")[1]);
        var stored = Assert.Single(await InvitationsToAsync(colleague));
        Assert.NotEqual(token, stored.TokenHash);
        Assert.Equal(Convert.ToHexStringLower(SHA256.HashData(Encoding.UTF8.GetBytes(token))), stored.TokenHash);
        Assert.Equal(TimeSpan.FromDays(7), stored.ExpiresUtc - stored.CreatedUtc);
    }

    [Fact]
    public async Task InvitationLink_UsedTwice_IsRefused()
    {
        var (_, browser) = await SignedInAdminAsync();
        using var __ = browser;
        var colleague = NewEmail("collegue");
        using var _ = await InviteAsync(browser, colleague);
        var link = app.LinkInLastMailTo(colleague);
        using var invitee = app.Browser();
        using var first = await invitee.SubmitFormAsync(link, Joining());

        var second = await invitee.GetPageAsync(link);

        Assert.Equal(HttpStatusCode.Redirect, first.StatusCode);
        Assert.NotNull(second.QuerySelector("#invitation-invalide"));
    }

    [Fact]
    public async Task InvitationLink_After7Days_IsRefusedAndCreatesNoAccount()
    {
        var (_, browser) = await SignedInAdminAsync();
        using var __ = browser;
        var colleague = NewEmail("collegue");
        using var _ = await InviteAsync(browser, colleague);
        var link = app.LinkInLastMailTo(colleague);
        using var invitee = app.Browser();
        var form = await invitee.GetPageAsync(link);
        app.Time.Advance(TimeSpan.FromDays(7) + TimeSpan.FromMinutes(1));
        var fields = Joining();
        fields["__RequestVerificationToken"] = form.QuerySelector("input[name=__RequestVerificationToken]")!.GetAttribute("value")!;

        using var response = await invitee.PostAsync(link, fields);

        Assert.NotNull((await TestBrowser.ParseAsync(response)).QuerySelector("#invitation-invalide"));
        Assert.Null(await app.FindUserAsync(colleague));
    }

    [Fact]
    public async Task Joining_WithShortPassword_IsRefusedAndKeepsTheInvitationUsable()
    {
        var (_, browser) = await SignedInAdminAsync();
        using var __ = browser;
        var colleague = NewEmail("collegue");
        using var _ = await InviteAsync(browser, colleague);
        var link = app.LinkInLastMailTo(colleague);
        using var invitee = app.Browser();

        using var response = await invitee.SubmitFormAsync(link, Joining("court"));

        Assert.True((await TestBrowser.ParseAsync(response)).HasErrorOn("Password"));
        Assert.Null(await app.FindUserAsync(colleague));
        Assert.Null(Assert.Single(await InvitationsToAsync(colleague)).AcceptedUtc);
    }

    [Fact]
    public async Task NonAdmin_CannotOpenTheUsersPageNorInvite()
    {
        var admin = await app.CreateCompanyUserAsync();
        var member = await app.CreateCompanyUserAsync(admin: false, companyId: admin.CompanyId);
        using var browser = app.Browser();
        await browser.SignInAsync(member.Email!, Password);
        var dashboard = await browser.GetPageAsync("/entreprise");
        var token = dashboard.QuerySelector("input[name=__RequestVerificationToken]")?.GetAttribute("value")
            ?? (await browser.GetPageAsync("/compte/deconnexion")).QuerySelector("input[name=__RequestVerificationToken]")!.GetAttribute("value")!;
        var colleague = NewEmail("collegue");

        using var get = await browser.GetAsync(UsersPage);
        using var post = await browser.PostAsync(UsersPage + "?handler=Invite",
            new Dictionary<string, string> { ["InviteEmail"] = colleague, ["__RequestVerificationToken"] = token });

        Assert.Equal(HttpStatusCode.NotFound, get.StatusCode);
        Assert.Equal(HttpStatusCode.NotFound, post.StatusCode);
        Assert.Empty(await InvitationsToAsync(colleague));
        Assert.Empty(app.MailsTo(colleague));
        Assert.Null(dashboard.QuerySelector("a[href='/entreprise/utilisateurs']"));
    }

    [Fact]
    public async Task Invite_AnAddressThatHasAnAccount_AnswersAsAnyInvitation_AndTheLinkJoinsNothing()
    {
        // The admin must not learn who has an account; the owner of the address reads why it cannot join.
        var (_, browser) = await SignedInAdminAsync();
        using var __ = browser;

        using var response = await InviteAsync(browser, DemoData.AgentEmail);
        var link = app.LinkInLastMailTo(DemoData.AgentEmail);
        using var owner = app.Browser();
        var page = await owner.GetPageAsync(link);

        Assert.Equal(HttpStatusCode.Redirect, response.StatusCode);
        Assert.Contains("compte", page.QuerySelector("main")!.TextContent, StringComparison.Ordinal);
        Assert.Null(page.QuerySelector("main form input[name='Password']"));
        Assert.Null((await app.FindUserAsync(DemoData.AgentEmail))!.CompanyId);
    }

    [Fact]
    public async Task Admin_RevokesAnInvitation_WhoseLinkThenFails()
    {
        var (_, browser) = await SignedInAdminAsync();
        using var __ = browser;
        var colleague = NewEmail("collegue");
        using var _ = await InviteAsync(browser, colleague);
        var link = app.LinkInLastMailTo(colleague);
        var invitation = Assert.Single(await InvitationsToAsync(colleague));

        using var revoked = await browser.SubmitFormAsync(UsersPage, new Dictionary<string, string>(), $"form[id='revoke-invitation-{invitation.Id}']");

        Assert.Equal(HttpStatusCode.Redirect, revoked.StatusCode);
        Assert.Empty(await InvitationsToAsync(colleague));
        using var invitee = app.Browser();
        Assert.NotNull((await invitee.GetPageAsync(link)).QuerySelector("#invitation-invalide"));
    }

    [Fact]
    public async Task Admin_RemovesAColleague_WhoLosesTheCompanyArea()
    {
        var (admin, browser) = await SignedInAdminAsync();
        using var __ = browser;
        var member = await app.CreateCompanyUserAsync(admin: false, companyId: admin.CompanyId);
        using var memberBrowser = app.Browser();
        await memberBrowser.SignInAsync(member.Email!, Password);

        using var removed = await browser.SubmitFormAsync(UsersPage, new Dictionary<string, string>(), $"form[id='remove-{member.Id}']");
        app.Time.Advance(TimeSpan.FromMinutes(2));
        using var area = await memberBrowser.GetAsync("/entreprise");

        Assert.Equal(HttpStatusCode.Redirect, removed.StatusCode);
        Assert.Null((await app.FindUserAsync(member.Email!))!.CompanyId);
        Assert.NotEqual(HttpStatusCode.OK, area.StatusCode);
    }

    [Fact]
    public async Task Admin_CannotRemoveThemselves()
    {
        var (admin, browser) = await SignedInAdminAsync();
        using var __ = browser;
        var page = await browser.GetPageAsync(UsersPage);
        var token = page.QuerySelector("input[name=__RequestVerificationToken]")!.GetAttribute("value")!;

        using var response = await browser.PostAsync($"{UsersPage}?handler=Remove&id={admin.Id}",
            new Dictionary<string, string> { ["__RequestVerificationToken"] = token });

        Assert.Equal(HttpStatusCode.OK, response.StatusCode);
        Assert.NotNull((await TestBrowser.ParseAsync(response)).QuerySelector("#erreurs"));
        var stored = await app.FindUserAsync(admin.Email!);
        Assert.Equal(admin.CompanyId, stored!.CompanyId);
        Assert.True(stored.IsCompanyAdmin);
    }

    [Fact]
    public async Task Admin_GrantsTheAdminRight()
    {
        var (admin, browser) = await SignedInAdminAsync();
        using var __ = browser;
        var member = await app.CreateCompanyUserAsync(admin: false, companyId: admin.CompanyId);

        using var response = await browser.SubmitFormAsync(UsersPage, new Dictionary<string, string>(), $"form[id='grant-admin-{member.Id}']");

        Assert.Equal(HttpStatusCode.Redirect, response.StatusCode);
        Assert.True((await app.FindUserAsync(member.Email!))!.IsCompanyAdmin);
    }

    [Fact]
    public async Task Admin_CannotRemoveAUserOfAnotherCompany()
    {
        var (_, browser) = await SignedInAdminAsync();
        using var __ = browser;
        var page = await browser.GetPageAsync(UsersPage);
        var token = page.QuerySelector("input[name=__RequestVerificationToken]")!.GetAttribute("value")!;
        var demoAdmin = await app.FindUserAsync(DemoData.CompanyEmail);

        using var response = await browser.PostAsync($"{UsersPage}?handler=Remove&id={demoAdmin!.Id}",
            new Dictionary<string, string> { ["__RequestVerificationToken"] = token });

        Assert.Equal(HttpStatusCode.NotFound, response.StatusCode);
        Assert.NotNull((await app.FindUserAsync(DemoData.CompanyEmail))!.CompanyId);
    }
}

public sealed class CompanyUsersTestsOnSqlite(SqliteApp app) : CompanyUsersTests(app), IClassFixture<SqliteApp>;

public sealed class CompanyUsersTestsOnPostgres(PostgresApp app) : CompanyUsersTests(app), IClassFixture<PostgresApp>;

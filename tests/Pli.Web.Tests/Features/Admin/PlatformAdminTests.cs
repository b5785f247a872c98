using System.Net;
using System.Text.RegularExpressions;
using Microsoft.EntityFrameworkCore;
using Pli.Domain.Organisations;
using Pli.Web.Tests.Features.Backoffice;
using Pli.Web.Tests.Infrastructure;

namespace Pli.Web.Tests.Features.Admin;

public abstract partial class PlatformAdminTests(PliApp app)
{
    private const string CreateUrl = "/admin/organisations/nouvelle";
    private const string NewPassword = "Un-mot-de-passe-2026";

    [GeneratedRegex(@"https?://[^/\s]+(?<path>/compte/activer\?\S+)")]
    private static partial Regex ActivationLink();

    private static Dictionary<string, string> Form(string name, string email, string siret = "") => new()
    {
        ["Name"] = name, ["Siret"] = siret, ["FullName"] = "Paula Première", ["Email"] = email,
    };

    private static string NewEmail() => $"premiere-{Guid.NewGuid():N}@ville-nouvelle.localhost";

    [Fact]
    public async Task Post_CreateOrganisation_CreatesFirstAdminAndMailsActivationLink()
    {
        using var browser = app.Browser();
        await browser.SignInAsDemoAdminAsync();
        var email = NewEmail();

        using var response = await browser.SubmitFormAsync(CreateUrl, Form("Ville Nouvelle", email, "211 300 553 00016"));

        Assert.Equal(HttpStatusCode.Redirect, response.StatusCode);
        var organisation = await app.WithDb(db => db.Organisations.SingleAsync(o => o.Name == "Ville Nouvelle"));
        Assert.Equal("21130055300016", organisation.Siret);
        var agent = await app.WithDb(db => db.Users.SingleAsync(u => u.Email == email));
        Assert.Equal(organisation.Id, agent.OrganisationId);
        Assert.Equal(AgentRole.OrganisationAdmin | AgentRole.ConsultationManager | AgentRole.Opener, agent.AgentRoles);
        Assert.Matches(ActivationLink(), Assert.Single(app.MailsTo(email)).TextBody);
        var list = await browser.GetPageAsync("/admin");
        Assert.Contains("Ville Nouvelle", list.QuerySelector("main table")!.TextContent, StringComparison.Ordinal);
    }

    [Fact]
    public async Task ActivationLink_SetsPassword_ThenSignInLeadsToTotpEnrolmentAndBackoffice()
    {
        using var admin = app.Browser();
        await admin.SignInAsDemoAdminAsync();
        var email = NewEmail();
        using var created = await admin.SubmitFormAsync(CreateUrl, Form("Communauté Activée", email));
        var link = ActivationLink().Match(Assert.Single(app.MailsTo(email)).TextBody ?? "").Groups["path"].Value;
        using var agent = app.Browser();

        using var activated = await agent.SubmitFormAsync(link, new Dictionary<string, string> { ["Password"] = NewPassword, ["ConfirmPassword"] = NewPassword });
        using var signIn = await agent.SubmitFormAsync("/compte/connexion", new Dictionary<string, string> { ["Email"] = email, ["Password"] = NewPassword });
        var enrolUrl = signIn.Headers.Location!.OriginalString;
        var enrolPage = await agent.GetPageAsync(enrolUrl);
        var secret = enrolPage.QuerySelector("code.secret")!.TextContent.Replace(" ", "", StringComparison.Ordinal).ToUpperInvariant();
        using var enrolled = await agent.SubmitFormAsync(enrolUrl, new Dictionary<string, string> { ["Code"] = Totp.Code(secret, TimeProvider.System.GetUtcNow()) });
        using var backoffice = await agent.GetAsync("/acheteur/consultations/nouvelle");

        Assert.Equal(HttpStatusCode.Redirect, activated.StatusCode);
        Assert.StartsWith("/compte/authentificateur", enrolUrl, StringComparison.Ordinal);
        Assert.Equal(HttpStatusCode.OK, enrolled.StatusCode);
        Assert.Equal(HttpStatusCode.OK, backoffice.StatusCode);
    }

    [Fact]
    public async Task ActivationLink_IsSingleUse()
    {
        using var admin = app.Browser();
        await admin.SignInAsDemoAdminAsync();
        var email = NewEmail();
        using var created = await admin.SubmitFormAsync(CreateUrl, Form("Ville Lien Unique", email));
        var link = ActivationLink().Match(Assert.Single(app.MailsTo(email)).TextBody ?? "").Groups["path"].Value;
        using var agent = app.Browser();
        using var first = await agent.SubmitFormAsync(link, new Dictionary<string, string> { ["Password"] = NewPassword, ["ConfirmPassword"] = NewPassword });

        var again = await agent.GetPageAsync(link);

        Assert.Contains("n'est pas valide", again.QuerySelector("main")!.TextContent, StringComparison.Ordinal);
        Assert.Null(again.QuerySelector("main form"));
    }

    [Fact]
    public async Task ActivationLink_WithForgedCode_IsRefused()
    {
        using var admin = app.Browser();
        await admin.SignInAsDemoAdminAsync();
        var email = NewEmail();
        using var created = await admin.SubmitFormAsync(CreateUrl, Form("Ville Code Faux", email));
        var userId = await app.WithDb(db => db.Users.Where(u => u.Email == email).Select(u => u.Id).SingleAsync());
        using var agent = app.Browser();

        var page = await agent.GetPageAsync($"/compte/activer?userId={userId}&code=Zm9yZ2Vk");

        Assert.Contains("n'est pas valide", page.QuerySelector("main")!.TextContent, StringComparison.Ordinal);
        Assert.Null(await app.WithDb(db => db.Users.Where(u => u.Id == userId).Select(u => u.PasswordHash).SingleAsync()));
    }

    [Fact]
    public async Task Post_InvalidSiret_IsRefusedAndStoresNothing()
    {
        using var browser = app.Browser();
        await browser.SignInAsDemoAdminAsync();
        var email = NewEmail();

        using var response = await browser.SubmitFormAsync(CreateUrl, Form("Ville Siret Faux", email, "12345678901234"));

        Assert.Contains("SIRET", await BackofficeTestData.ErrorsAsync(response), StringComparison.Ordinal);
        Assert.False(await app.WithDb(db => db.Organisations.AnyAsync(o => o.Name == "Ville Siret Faux")));
        Assert.False(await app.WithDb(db => db.Users.AnyAsync(u => u.Email == email)));
        Assert.Empty(app.MailsTo(email));
    }

    [Fact]
    public async Task Post_EmailAlreadyUsed_IsRefusedAndStoresNoOrganisation()
    {
        using var browser = app.Browser();
        await browser.SignInAsDemoAdminAsync();

        using var response = await browser.SubmitFormAsync(CreateUrl, Form("Ville Adresse Prise", Pli.Web.Features.Demo.DemoData.CompanyEmail));

        Assert.Contains("existe déjà", await BackofficeTestData.ErrorsAsync(response), StringComparison.Ordinal);
        Assert.False(await app.WithDb(db => db.Organisations.AnyAsync(o => o.Name == "Ville Adresse Prise")));
    }

    [Fact]
    public async Task Get_Agent_OnAdminPages_Gets404()
    {
        using var browser = app.Browser();
        await browser.SignInAsDemoAgentAsync();

        using var list = await browser.GetAsync("/admin");
        using var create = await browser.GetAsync(CreateUrl);

        Assert.Equal(HttpStatusCode.NotFound, list.StatusCode);
        Assert.Equal(HttpStatusCode.NotFound, create.StatusCode);
    }
}

public sealed class PlatformAdminTestsOnSqlite(SqliteApp app) : PlatformAdminTests(app), IClassFixture<SqliteApp>;

public sealed class PlatformAdminTestsOnPostgres(PostgresApp app) : PlatformAdminTests(app), IClassFixture<PostgresApp>;

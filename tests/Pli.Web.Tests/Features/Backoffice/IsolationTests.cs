using System.Net;
using Pli.Domain.Organisations;
using Pli.Web.Tests.Infrastructure;
using static Pli.Web.Tests.Features.Backoffice.BackofficeTestData;

namespace Pli.Web.Tests.Features.Backoffice;

public abstract class IsolationTests(PliApp app)
{
    public static TheoryData<string> ConsultationPages => ["/acheteur/consultations/{0}", "/acheteur/consultations/{0}/dce", "/acheteur/consultations/{0}/publier"];

    [Theory]
    [MemberData(nameof(ConsultationPages))]
    public async Task Get_AnotherOrganisationsConsultation_Gets404(string page)
    {
        var (_, otherAgent) = await CreateOrganisationWithAgentAsync(app, AgentRole.ConsultationManager | AgentRole.OrganisationAdmin);
        var demoConsultation = await CreateDraftAsync(app, await DemoOrganisationIdAsync(app), null, "RC.pdf");
        using var browser = app.Browser();
        await browser.SignInAsAgentAsync(otherAgent);

        using var response = await browser.GetAsync(string.Format(System.Globalization.CultureInfo.InvariantCulture, page, demoConsultation));

        Assert.Equal(HttpStatusCode.NotFound, response.StatusCode);
    }

    [Fact]
    public async Task Post_PublishAnotherOrganisationsConsultation_Gets404AndChangesNothing()
    {
        var (otherOrganisation, otherAgent) = await CreateOrganisationWithAgentAsync(app, AgentRole.ConsultationManager);
        var ownDraft = await CreateDraftAsync(app, otherOrganisation, null, "RC.pdf");
        var demoConsultation = await CreateDraftAsync(app, await DemoOrganisationIdAsync(app), null, "RC.pdf");
        using var browser = app.Browser();
        await browser.SignInAsAgentAsync(otherAgent);
        var ownPage = await browser.GetPageAsync($"/acheteur/consultations/{ownDraft}/publier");
        var token = ownPage.QuerySelector("input[name='__RequestVerificationToken']")!.GetAttribute("value")!;

        using var response = await browser.PostAsync($"/acheteur/consultations/{demoConsultation}/publier", [new("__RequestVerificationToken", token)]);

        Assert.Equal(HttpStatusCode.NotFound, response.StatusCode);
        Assert.Equal(Pli.Domain.Consultations.ConsultationStatus.Draft, (await LoadAsync(app, demoConsultation)).Status);
    }

    [Fact]
    public async Task Get_Index_ListsOnlyOwnOrganisationsConsultations()
    {
        var (otherOrganisation, otherAgent) = await CreateOrganisationWithAgentAsync(app, AgentRole.ConsultationManager);
        var own = await LoadAsync(app, await CreateDraftAsync(app, otherOrganisation));
        using var browser = app.Browser();
        await browser.SignInAsAgentAsync(otherAgent);

        var page = await browser.GetPageAsync("/acheteur");

        Assert.Contains(own.Reference, page.QuerySelector("main")!.TextContent, StringComparison.Ordinal);
        Assert.DoesNotContain("2026-TRV-0042", page.QuerySelector("main")!.TextContent, StringComparison.Ordinal);
    }

    [Theory]
    [InlineData("/acheteur")]
    [InlineData("/acheteur/consultations/nouvelle")]
    [InlineData("/acheteur/organisation")]
    [InlineData("/acheteur/cpv?q=route")]
    [InlineData("/admin")]
    public async Task Company_OnBackofficeOrAdminPages_Gets404(string url)
    {
        using var browser = app.Browser();
        await browser.SignInAsDemoCompanyAsync();

        using var response = await browser.GetAsync(url);

        Assert.Equal(HttpStatusCode.NotFound, response.StatusCode);
    }

    [Fact]
    public async Task Company_OnAConsultationsBackofficePage_Gets404()
    {
        var id = await CreateDraftAsync(app, await DemoOrganisationIdAsync(app));
        using var browser = app.Browser();
        await browser.SignInAsDemoCompanyAsync();

        using var response = await browser.GetAsync($"/acheteur/consultations/{id}");

        Assert.Equal(HttpStatusCode.NotFound, response.StatusCode);
    }

    [Theory]
    [InlineData("/acheteur/consultations/nouvelle")]
    [InlineData("/acheteur/consultations/{0}")]
    [InlineData("/acheteur/consultations/{0}/dce")]
    [InlineData("/acheteur/consultations/{0}/publier")]
    public async Task OpenerWithoutManagerRole_CannotCreateOrEdit(string page)
    {
        var demoOrganisation = await DemoOrganisationIdAsync(app);
        var opener = await CreateAgentAsync(app, demoOrganisation, AgentRole.Opener);
        var id = await CreateDraftAsync(app, demoOrganisation);
        using var browser = app.Browser();
        await browser.SignInAsAgentAsync(opener);

        using var response = await browser.GetAsync(string.Format(System.Globalization.CultureInfo.InvariantCulture, page, id));

        Assert.Equal(HttpStatusCode.NotFound, response.StatusCode);
    }

    [Fact]
    public async Task OpenerWithoutManagerRole_SeesTheListWithoutCreateLink()
    {
        var opener = await CreateAgentAsync(app, await DemoOrganisationIdAsync(app), AgentRole.Opener);
        using var browser = app.Browser();
        await browser.SignInAsAgentAsync(opener);

        var page = await browser.GetPageAsync("/acheteur");

        Assert.Null(page.QuerySelector("a[href='/acheteur/consultations/nouvelle']"));
        Assert.Contains("2026-TRV-0042", page.QuerySelector("main")!.TextContent, StringComparison.Ordinal);
    }

    [Fact]
    public async Task Anonymous_OnBackofficePage_IsSentToSignIn()
    {
        using var browser = app.Browser();

        using var response = await browser.GetAsync("/acheteur/consultations/nouvelle");

        Assert.Equal(HttpStatusCode.Redirect, response.StatusCode);
        Assert.StartsWith("https://localhost/compte/connexion", response.Headers.Location!.ToString(), StringComparison.Ordinal);
    }
}

public sealed class IsolationTestsOnSqlite(SqliteApp app) : IsolationTests(app), IClassFixture<SqliteApp>;

public sealed class IsolationTestsOnPostgres(PostgresApp app) : IsolationTests(app), IClassFixture<PostgresApp>;

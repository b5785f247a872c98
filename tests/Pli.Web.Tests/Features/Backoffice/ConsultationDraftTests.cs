using System.Net;
using Microsoft.EntityFrameworkCore;
using Pli.Domain.Consultations;
using Pli.Web.Tests.Infrastructure;
using static Pli.Web.Tests.Features.Backoffice.BackofficeTestData;

namespace Pli.Web.Tests.Features.Backoffice;

public abstract class ConsultationDraftTests(PliApp app)
{
    private const string CreateUrl = "/acheteur/consultations/nouvelle";

    private Task<int> CountAsync() => app.WithDb(db => db.Consultations.CountAsync());

    [Fact]
    public async Task Post_ValidDraft_CreatesDraftWithParisDeadlinesInUtc()
    {
        using var browser = app.Browser();
        await browser.SignInAsDemoAgentAsync();

        using var response = await browser.SubmitFormAsync(CreateUrl, ValidForm("2026-ESP-0001"));

        Assert.Equal(HttpStatusCode.Redirect, response.StatusCode);
        var consultation = await app.WithDb(db => db.Consultations.SingleAsync(c => c.Reference == "2026-ESP-0001"));
        Assert.Equal($"/acheteur/consultations/{consultation.Id}", response.Headers.Location!.OriginalString);
        Assert.Equal(ConsultationStatus.Draft, consultation.Status);
        Assert.Equal(await DemoOrganisationIdAsync(app), consultation.OrganisationId);
        Assert.Equal(new DateTime(2026, 7, 15, 10, 0, 0, DateTimeKind.Utc), consultation.DeadlineUtc);
        Assert.Equal(new DateTime(2026, 7, 8, 10, 0, 0, DateTimeKind.Utc), consultation.QuestionDeadlineUtc);
        Assert.Equal("90910000-9", consultation.MainCpv);
        Assert.Equal(FilePolicy.DefaultAcceptedFormats, consultation.AcceptedFormatList);
        Assert.Equal(ProcedureType.AppelOffresOuvert, consultation.Procedure);
    }

    [Fact]
    public async Task Get_CreatePage_OffersEveryProcedureWithFrenchLabelsAndDefaultFormats()
    {
        using var browser = app.Browser();
        await browser.SignInAsDemoAgentAsync();

        var page = await browser.GetPageAsync(CreateUrl);

        var options = page.QuerySelectorAll("select[name='Form.Procedure'] option").Where(o => o.GetAttribute("value") != "").ToList();
        Assert.Equal(Enum.GetValues<ProcedureType>().Length, options.Count);
        Assert.Contains(options, o => o.TextContent == "Appel d'offres ouvert");
        Assert.Equal(string.Join(", ", FilePolicy.DefaultAcceptedFormats), page.QuerySelector("input[name='Form.AcceptedFormats']")!.GetAttribute("value"));
        Assert.NotNull(page.QuerySelector("label[for='Form_MainCpv']"));
    }

    [Fact]
    public async Task Get_CreatePageInEnglish_ShowsEnglishLabels()
    {
        using var browser = app.Browser();
        await browser.SignInAsDemoAgentAsync();

        var page = await browser.GetPageAsync(CreateUrl + "?culture=en-GB&ui-culture=en-GB");

        Assert.Contains(page.QuerySelectorAll("select[name='Form.Procedure'] option"), o => o.TextContent == "Open procedure");
        Assert.Equal("New consultation", page.QuerySelector("h1")!.TextContent);
    }

    [Fact]
    public async Task Post_DuplicateReference_IsRefusedClearlyAndStoresNothing()
    {
        using var browser = app.Browser();
        await browser.SignInAsDemoAgentAsync();
        var before = await CountAsync();

        using var response = await browser.SubmitFormAsync(CreateUrl, ValidForm("2026-trv-0042 "));

        Assert.Equal(HttpStatusCode.OK, response.StatusCode);
        Assert.Contains("déjà utilisée", await ErrorsAsync(response), StringComparison.Ordinal);
        Assert.Equal(before, await CountAsync());
    }

    [Fact]
    public async Task Post_SameReferenceAsAnotherOrganisation_IsAccepted()
    {
        var (otherOrganisation, _) = await CreateOrganisationWithAgentAsync(app, Pli.Domain.Organisations.AgentRole.ConsultationManager);
        var otherId = await CreateDraftAsync(app, otherOrganisation);
        var otherReference = (await LoadAsync(app, otherId)).Reference;
        using var browser = app.Browser();
        await browser.SignInAsDemoAgentAsync();

        using var response = await browser.SubmitFormAsync(CreateUrl, ValidForm(otherReference));

        Assert.Equal(HttpStatusCode.Redirect, response.StatusCode);
    }

    [Fact]
    public async Task Post_UnknownCpv_IsRefusedClearlyAndStoresNothing()
    {
        using var browser = app.Browser();
        await browser.SignInAsDemoAgentAsync();
        var before = await CountAsync();

        using var response = await browser.SubmitFormAsync(CreateUrl, ValidForm("2026-CPV-0001").With("Form.MainCpv", "99999999-9"));

        Assert.Contains("99999999-9", await ErrorsAsync(response), StringComparison.Ordinal);
        Assert.Contains("CPV", await ErrorsAsync(response), StringComparison.Ordinal);
        Assert.Equal(before, await CountAsync());
    }

    [Fact]
    public async Task Post_DeadlineInSpringForwardGap_IsRefusedAndStoresNothing()
    {
        using var browser = app.Browser();
        await browser.SignInAsDemoAgentAsync();
        var before = await CountAsync();

        // Sunday 28 March 2027: Paris clocks jump from 02:00 to 03:00.
        using var response = await browser.SubmitFormAsync(CreateUrl, ValidForm("2026-DST-0001")
            .With("Form.DeadlineDate", "2027-03-28").With("Form.DeadlineTime", "02:30"));

        var errors = await ErrorsAsync(response);
        Assert.Contains("n'existe pas", errors, StringComparison.Ordinal);
        Assert.Contains("28/03/2027", errors, StringComparison.Ordinal);
        Assert.Equal(before, await CountAsync());
    }

    [Fact]
    public async Task Post_AmbiguousAutumnTime_IsRefusedAndStoresNothing()
    {
        using var browser = app.Browser();
        await browser.SignInAsDemoAgentAsync();
        var before = await CountAsync();

        // Sunday 25 October 2026: 02:30 happens twice in Paris.
        using var response = await browser.SubmitFormAsync(CreateUrl, ValidForm("2026-DST-0002")
            .With("Form.DeadlineDate", "2026-10-25").With("Form.DeadlineTime", "02:30"));

        Assert.Contains("existe deux fois", await ErrorsAsync(response), StringComparison.Ordinal);
        Assert.Equal(before, await CountAsync());
    }

    [Fact]
    public async Task Post_MissingDeadlineTime_IsRefusedAndStoresNothing()
    {
        using var browser = app.Browser();
        await browser.SignInAsDemoAgentAsync();
        var before = await CountAsync();

        using var response = await browser.SubmitFormAsync(CreateUrl, ValidForm("2026-NOT-0001").With("Form.DeadlineTime", ""));

        Assert.Contains("heure limite de remise", await ErrorsAsync(response), StringComparison.Ordinal);
        Assert.Equal(before, await CountAsync());
    }

    [Fact]
    public async Task Post_InvalidFormat_IsRefusedAndStoresNothing()
    {
        using var browser = app.Browser();
        await browser.SignInAsDemoAgentAsync();
        var before = await CountAsync();

        using var response = await browser.SubmitFormAsync(CreateUrl, ValidForm("2026-FMT-0001").With("Form.AcceptedFormats", ".pdf, .p/df"));

        Assert.Contains(".p/df", await ErrorsAsync(response), StringComparison.Ordinal);
        Assert.Equal(before, await CountAsync());
    }

    [Fact]
    public async Task Post_EditedFormats_AreKept()
    {
        using var browser = app.Browser();
        await browser.SignInAsDemoAgentAsync();

        using var response = await browser.SubmitFormAsync(CreateUrl, ValidForm("2026-FMT-0002").With("Form.AcceptedFormats", "PDF, .docx"));

        Assert.Equal(HttpStatusCode.Redirect, response.StatusCode);
        var consultation = await app.WithDb(db => db.Consultations.SingleAsync(c => c.Reference == "2026-FMT-0002"));
        Assert.Equal([".pdf", ".docx"], consultation.AcceptedFormatList);
    }

    [Fact]
    public async Task Post_QuestionDeadlineAfterDeadline_IsRefusedAndDraftUnchanged()
    {
        var id = await CreateDraftAsync(app, await DemoOrganisationIdAsync(app));
        using var browser = app.Browser();
        await browser.SignInAsDemoAgentAsync();

        using var response = await browser.SubmitFormAsync($"/acheteur/consultations/{id}",
            ValidForm("2026-QST-0001").With("Form.QuestionDeadlineDate", "2026-07-16"), "#form-consultation");

        Assert.Contains("doit précéder", await ErrorsAsync(response), StringComparison.Ordinal);
        var consultation = await LoadAsync(app, id);
        Assert.NotEqual("2026-QST-0001", consultation.Reference);
        Assert.Equal(ConsultationStatus.Draft, consultation.Status);
    }

    [Fact]
    public async Task Post_EditDraft_SavesDetails()
    {
        var id = await CreateDraftAsync(app, await DemoOrganisationIdAsync(app));
        using var browser = app.Browser();
        await browser.SignInAsDemoAgentAsync();

        using var response = await browser.SubmitFormAsync($"/acheteur/consultations/{id}",
            new Dictionary<string, string> { ["Form.Title"] = "Intitulé modifié", ["Form.DeadlineTime"] = "17:30:15" }, "#form-consultation");

        Assert.Equal(HttpStatusCode.Redirect, response.StatusCode);
        var consultation = await LoadAsync(app, id);
        Assert.Equal("Intitulé modifié", consultation.Title);
        Assert.Equal(new DateTime(2026, 7, 15, 15, 30, 15, DateTimeKind.Utc), consultation.DeadlineUtc);
    }

    [Fact]
    public async Task Post_AddAndRemoveLot_WhileDraft()
    {
        var id = await CreateDraftAsync(app, await DemoOrganisationIdAsync(app));
        using var browser = app.Browser();
        await browser.SignInAsDemoAgentAsync();

        using var added = await browser.SubmitFormAsync($"/acheteur/consultations/{id}", new Dictionary<string, string> { ["LotNumber"] = "2", ["LotTitle"] = "Élagage" }, "#form-lot");
        var lot = Assert.Single((await LoadAsync(app, id)).Lots);
        using var removed = await browser.SubmitFormAsync($"/acheteur/consultations/{id}", new Dictionary<string, string> { ["lotId"] = lot.Id.ToString() }, "form[action*='RemoveLot']");

        Assert.Equal(HttpStatusCode.Redirect, added.StatusCode);
        Assert.Equal((2, "Élagage"), (lot.Number, lot.Title));
        Assert.Equal(HttpStatusCode.Redirect, removed.StatusCode);
        Assert.Empty((await LoadAsync(app, id)).Lots);
    }

    /// <summary>A value the model binder cannot read (text in a number field): its message in the reader's language, not ASP.NET's English.</summary>
    [Theory]
    [InlineData("fr", "La valeur « douze » n'est pas valide pour ce champ.", "is not valid")]
    [InlineData("en", "The value “douze” is not valid for this field.", "n'est pas valide")]
    public async Task Post_LotNumberThatIsNotANumber_IsRefusedInTheReadersLanguage(string language, string expected, string otherLanguage)
    {
        var id = await CreateDraftAsync(app, await DemoOrganisationIdAsync(app));
        using var browser = app.Browser();
        await browser.SignInAsDemoAgentAsync();
        await browser.SwitchLanguageAsync(language);

        using var response = await browser.SubmitFormAsync($"/acheteur/consultations/{id}", new Dictionary<string, string> { ["LotNumber"] = "douze", ["LotTitle"] = "Tonte" }, "#form-lot");

        var errors = await ErrorsAsync(response);
        Assert.Contains(expected, errors, StringComparison.Ordinal);
        Assert.DoesNotContain(otherLanguage, errors, StringComparison.Ordinal);
        Assert.Empty((await LoadAsync(app, id)).Lots);
    }

    [Fact]
    public async Task Post_DuplicateLotNumber_IsRefused()
    {
        var id = await CreateDraftAsync(app, await DemoOrganisationIdAsync(app));
        using var browser = app.Browser();
        await browser.SignInAsDemoAgentAsync();
        using var first = await browser.SubmitFormAsync($"/acheteur/consultations/{id}", new Dictionary<string, string> { ["LotNumber"] = "1", ["LotTitle"] = "Tonte" }, "#form-lot");

        using var second = await browser.SubmitFormAsync($"/acheteur/consultations/{id}", new Dictionary<string, string> { ["LotNumber"] = "1", ["LotTitle"] = "Taille" }, "#form-lot");

        Assert.Contains("existe déjà", await ErrorsAsync(second), StringComparison.Ordinal);
        Assert.Equal("Tonte", Assert.Single((await LoadAsync(app, id)).Lots).Title);
    }

    [Fact]
    public async Task Get_Index_ListsOwnConsultationsByStatusWithParisDeadline()
    {
        var id = await CreateDraftAsync(app, await DemoOrganisationIdAsync(app));
        var reference = (await LoadAsync(app, id)).Reference;
        using var browser = app.Browser();
        await browser.SignInAsDemoAgentAsync();

        var page = await browser.GetPageAsync("/acheteur");

        var drafts = page.QuerySelector("#statut-draft")!.NextElementSibling!;
        Assert.Contains(reference, drafts.TextContent, StringComparison.Ordinal);
        Assert.Contains("15/07/2026 12:00 (heure de Paris, UTC+02:00)", drafts.TextContent, StringComparison.Ordinal);
        Assert.Contains("2026-TRV-0042", page.QuerySelector("#statut-published")!.NextElementSibling!.TextContent, StringComparison.Ordinal);
    }
}

public sealed class ConsultationDraftTestsOnSqlite(SqliteApp app) : ConsultationDraftTests(app), IClassFixture<SqliteApp>;

public sealed class ConsultationDraftTestsOnPostgres(PostgresApp app) : ConsultationDraftTests(app), IClassFixture<PostgresApp>;

using System.Net;
using Microsoft.EntityFrameworkCore;
using Pli.Domain.Consultations;
using Pli.Web.Tests.Infrastructure;
using static Pli.Web.Tests.Features.Backoffice.BackofficeTestData;

namespace Pli.Web.Tests.Features.Backoffice;

public abstract class PublishTests(PliApp app)
{
    private Task<bool> HasKeyPairAsync(Guid id) => app.WithDb(db => db.ConsultationKeys.AnyAsync(k => k.ConsultationId == id));

    private async Task<(TestBrowser Browser, Guid Id)> DraftAsync(DateTime? deadlineUtc, params string[] dce)
    {
        var id = await CreateDraftAsync(app, await DemoOrganisationIdAsync(app), deadlineUtc, dce);
        var browser = app.Browser();
        await browser.SignInAsDemoAgentAsync();
        return (browser, id);
    }

    [Fact]
    public async Task Post_Publish_PublishesAndShowsPublicUrl()
    {
        var (browser, id) = await DraftAsync(null, "RC.pdf");
        using var _ = browser;

        using var response = await browser.SubmitFormAsync($"/acheteur/consultations/{id}/publier", new Dictionary<string, string>(), "#form-publish");

        Assert.Equal(HttpStatusCode.Redirect, response.StatusCode);
        var consultation = await LoadAsync(app, id);
        Assert.Equal(ConsultationStatus.Published, consultation.Status);
        Assert.Equal(app.Time.GetUtcNow().UtcDateTime, consultation.PublishedUtc);
        Assert.True(await HasKeyPairAsync(id), "the consultation's key pair is made at publication, not by the first of many drafts at the deadline");
        var page = await browser.GetPageAsync($"/acheteur/consultations/{id}");
        Assert.NotNull(page.QuerySelector($"main a[href='/consultations/{id}']"));
        Assert.Null(page.QuerySelector("#form-consultation"));
    }

    [Fact]
    public async Task Post_PublishWithDeadlinePassed_IsRefusedAndStaysDraft()
    {
        var (browser, id) = await DraftAsync(app.Time.GetUtcNow().UtcDateTime.AddMinutes(-1), "RC.pdf");
        using var _ = browser;

        using var response = await browser.SubmitFormAsync($"/acheteur/consultations/{id}/publier", new Dictionary<string, string>(), "#form-publish");

        Assert.Equal(HttpStatusCode.OK, response.StatusCode);
        Assert.Contains("déjà passée", await ErrorsAsync(response), StringComparison.Ordinal);
        Assert.Equal(ConsultationStatus.Draft, (await LoadAsync(app, id)).Status);
        Assert.False(await HasKeyPairAsync(id));
    }

    [Fact]
    public async Task Post_PublishWithEmptyDce_IsRefusedAndStaysDraft()
    {
        var (browser, id) = await DraftAsync(null);
        using var _ = browser;

        using var response = await browser.SubmitFormAsync($"/acheteur/consultations/{id}/publier", new Dictionary<string, string>(), "#form-publish");

        Assert.Contains("DCE est vide", await ErrorsAsync(response), StringComparison.Ordinal);
        Assert.Equal(ConsultationStatus.Draft, (await LoadAsync(app, id)).Status);
    }

    [Fact]
    public async Task Post_SaveQuestionDeadlineAfterDeadline_IsRefusedSoPublishCannotMeetIt()
    {
        // The domain refuses this order when the draft is saved, and again at publication.
        var (browser, id) = await DraftAsync(null, "RC.pdf");
        using var _ = browser;

        using var response = await browser.SubmitFormAsync($"/acheteur/consultations/{id}",
            new Dictionary<string, string> { ["Form.QuestionDeadlineDate"] = "2026-07-15", ["Form.QuestionDeadlineTime"] = "12:00:01" }, "#form-consultation");

        Assert.Contains("La date limite des questions doit précéder", await ErrorsAsync(response), StringComparison.Ordinal);
        var consultation = await LoadAsync(app, id);
        Assert.Equal(ConsultationStatus.Draft, consultation.Status);
        Assert.Equal(DeadlineUtc.AddDays(-7), consultation.QuestionDeadlineUtc);
    }

    [Fact]
    public async Task Published_IsReadOnly_EditsAndUploadsAreRefused()
    {
        var (browser, id) = await DraftAsync(null, "RC.pdf");
        using var _ = browser;
        var editPage = await browser.GetPageAsync($"/acheteur/consultations/{id}");
        var token = editPage.QuerySelector("#form-consultation input[name='__RequestVerificationToken']")!.GetAttribute("value")!;
        using var publish = await browser.SubmitFormAsync($"/acheteur/consultations/{id}/publier", new Dictionary<string, string>(), "#form-publish");

        using var save = await browser.PostAsync($"/acheteur/consultations/{id}?handler=Save",
            [.. ValidForm("2026-RO-0001"), new("__RequestVerificationToken", token)]);
        using var upload = await browser.PostAsync($"/acheteur/consultations/{id}/dce?handler=Upload",
            [new("__RequestVerificationToken", token)], [("Files", "CCAP.pdf", "ccap"u8.ToArray())]);

        Assert.Contains("publiée", await ErrorsAsync(save), StringComparison.Ordinal);
        Assert.Contains("publiée", await ErrorsAsync(upload), StringComparison.Ordinal);
        var consultation = await LoadAsync(app, id);
        Assert.NotEqual("2026-RO-0001", consultation.Reference);
        Assert.Single(consultation.DceFiles);
        Assert.Single(StoredBlobs(app, id));
    }
}

public sealed class PublishTestsOnSqlite(SqliteApp app) : PublishTests(app), IClassFixture<SqliteApp>;

public sealed class PublishTestsOnPostgres(PostgresApp app) : PublishTests(app), IClassFixture<PostgresApp>;

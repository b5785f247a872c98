using System.Net;
using Microsoft.EntityFrameworkCore;
using Pli.Domain.Common;
using Pli.Domain.Consultations;
using Pli.Web.Tests.Features.Backoffice;
using Pli.Web.Tests.Features.Dce;
using Pli.Web.Tests.Infrastructure;

namespace Pli.Web.Tests.Features.Notices;

/// <summary>The modification page: who may reach it, each kind of change, each refusal, and what the public then sees.</summary>
public sealed class ModifyPageTests(SqliteApp app) : IClassFixture<SqliteApp>
{
    private readonly NoticeScenario _scenario = new(app);

    private static string Path(DceSample sample) => NoticeScenario.ModifyPath(sample.ConsultationId);

    /// <summary>The antiforgery token of the signed-in user, read from a form of <paramref name="url"/>.</summary>
    private static async Task<string> TokenAsync(TestBrowser browser, string url)
    {
        var page = await browser.GetPageAsync(url);
        return page.QuerySelector("input[name=__RequestVerificationToken]")!.GetAttribute("value")!;
    }

    private async Task<HttpResponseMessage> PostDirectAsync(TestBrowser browser, DceSample sample, string handler, Dictionary<string, string> fields, string tokenPage)
    {
        fields["__RequestVerificationToken"] = await TokenAsync(browser, tokenPage);
        return await browser.PostAsync($"{Path(sample)}?handler={handler}", fields);
    }

    private async Task AssertUnchangedAsync(DceSample sample, DateTime deadline)
    {
        var consultation = await _scenario.LoadAsync(sample.ConsultationId);
        Assert.Equal(deadline, consultation.DeadlineUtc);
        Assert.Equal(ConsultationStatus.Published, consultation.Status);
        Assert.Empty(consultation.Modifications);
    }

    [Fact]
    public async Task Get_PublishedConsultation_ShowsOneConfirmedFormPerKindAndTheBackofficeLinksToIt()
    {
        var sample = await _scenario.PublishedAsync();
        using var agent = await _scenario.AgentAsync();

        var page = await agent.GetPageAsync(Path(sample));
        var backoffice = await agent.GetPageAsync($"/acheteur/consultations/{sample.ConsultationId}");

        foreach (var form in new[] { "report", "questions", "rectificatif", "complement", "remplacement", "annulation" })
        {
            Assert.NotNull(page.QuerySelector($"#form-{form} input[type=checkbox][name=Confirm]"));
        }
        Assert.Equal(Path(sample), backoffice.QuerySelector("#publier-modification")!.GetAttribute("href"));
    }

    [Fact]
    public async Task Get_AsAnotherBuyersAgent_Is404_AndPostChangesNothing()
    {
        var sample = await _scenario.PublishedAsync();
        var before = (await _scenario.LoadAsync(sample.ConsultationId)).DeadlineUtc;
        using var other = app.Browser();
        await other.SignInAsAgentAsync(await DceScenario.CreateOtherBuyerAgentAsync(app));

        using var get = await other.GetAsync(Path(sample));
        using var post = await PostDirectAsync(other, sample, "Deadline", NoticeScenario.DeadlineForm(before.AddDays(7)), "/acheteur/consultations/nouvelle");

        Assert.Equal(HttpStatusCode.NotFound, get.StatusCode);
        Assert.Equal(HttpStatusCode.NotFound, post.StatusCode);
        await AssertUnchangedAsync(sample, before);
    }

    [Fact]
    public async Task Get_AsACompanyUser_Is404()
    {
        var sample = await _scenario.PublishedAsync();
        using var company = app.Browser();
        await company.SignInAsDemoCompanyAsync();

        using var response = await company.GetAsync(Path(sample));

        Assert.Equal(HttpStatusCode.NotFound, response.StatusCode);
    }

    [Fact]
    public async Task Get_NotSignedIn_RedirectsToSignIn()
    {
        var sample = await _scenario.PublishedAsync();
        using var anonymous = app.Browser();

        using var response = await anonymous.GetAsync(Path(sample));

        Assert.Equal(HttpStatusCode.Redirect, response.StatusCode);
        Assert.StartsWith("https://localhost/compte/connexion", response.Headers.Location!.ToString(), StringComparison.Ordinal);
    }

    [Fact]
    public async Task PostDeadline_WithoutConfirmation_IsRefusedAndChangesNothing()
    {
        var sample = await _scenario.PublishedAsync();
        var before = (await _scenario.LoadAsync(sample.ConsultationId)).DeadlineUtc;
        using var agent = await _scenario.AgentAsync();
        var fields = NoticeScenario.DeadlineForm(before.AddDays(7));
        fields.Remove("Confirm");

        using var response = await agent.SubmitFormAsync(Path(sample), fields, "#form-report");

        Assert.Equal(HttpStatusCode.OK, response.StatusCode);
        var page = await TestBrowser.ParseAsync(response);
        Assert.Contains("Cochez la case de confirmation", page.QuerySelector("#erreurs")!.TextContent, StringComparison.Ordinal);
        Assert.Equal("#Confirm-report", page.QuerySelector("#erreurs a")!.GetAttribute("href"));
        Assert.NotNull(page.QuerySelector("#Confirm-report"));
        Assert.Equal(fields["DeadlineDate"], page.QuerySelector("#DeadlineDate")!.GetAttribute("value"));
        await AssertUnchangedAsync(sample, before);
    }

    [Theory]
    [InlineData("2026-13-45", "12:00", "Indiquez une date valide")]
    [InlineData("2026-07-20", "25:00", "Indiquez une heure valide")]
    [InlineData("2027-03-28", "02:30", "n'existe pas")]
    public async Task PostDeadline_WithAnInvalidDateOrTime_IsRefusedClearly(string date, string time, string message)
    {
        var sample = await _scenario.PublishedAsync();
        var before = (await _scenario.LoadAsync(sample.ConsultationId)).DeadlineUtc;
        using var agent = await _scenario.AgentAsync();

        using var response = await agent.SubmitFormAsync(Path(sample),
            new Dictionary<string, string> { ["DeadlineDate"] = date, ["DeadlineTime"] = time, ["Confirm"] = "true" }, "#form-report");

        Assert.Contains(message, await NoticeScenario.ErrorsAsync(response), StringComparison.Ordinal);
        await AssertUnchangedAsync(sample, before);
    }

    [Fact]
    public async Task PostDeadline_BeforeTheQuestionDeadline_IsRefused()
    {
        var sample = await _scenario.PublishedAsync();
        var before = await _scenario.LoadAsync(sample.ConsultationId);
        using var agent = await _scenario.AgentAsync();

        using var response = await _scenario.PostDeadlineAsync(agent, sample.ConsultationId, before.QuestionDeadlineUtc.AddSeconds(-1));

        Assert.Contains("précède la date limite des questions", await NoticeScenario.ErrorsAsync(response), StringComparison.Ordinal);
        await AssertUnchangedAsync(sample, before.DeadlineUtc);
    }

    [Fact]
    public async Task PostDeadline_ThenThePublicHistory_ShowsKindParisDateAndOldToNew()
    {
        var sample = await _scenario.PublishedAsync();
        var before = (await _scenario.LoadAsync(sample.ConsultationId)).DeadlineUtc;
        var later = before.AddDays(7);
        using var agent = await _scenario.AgentAsync();

        using var response = await _scenario.PostDeadlineAsync(agent, sample.ConsultationId, later);
        using var visitor = app.Browser();
        var page = await visitor.GetPageAsync($"/consultations/{sample.ConsultationId}");

        Assert.Equal(HttpStatusCode.Redirect, response.StatusCode);
        var row = Assert.Single(page.QuerySelectorAll("table.modifications tbody tr"));
        Assert.Equal("Date limite de remise des plis", row.QuerySelector(".kind")!.TextContent.Trim());
        Assert.Equal($"{ParisTime.Format(before, ParisTime.French)} → {ParisTime.Format(later, ParisTime.French)}", row.QuerySelector(".change")!.TextContent.Trim());
        Assert.Equal(ParisTime.Format(app.Time.GetUtcNow().UtcDateTime, ParisTime.French), row.QuerySelector("th")!.TextContent.Trim());
        Assert.Contains("(heure de Paris, UTC+02:00)", row.QuerySelector("th")!.TextContent, StringComparison.Ordinal);
        Assert.Contains(ParisTime.Format(later, ParisTime.French), page.QuerySelector(".deadline")!.TextContent, StringComparison.Ordinal);
    }

    [Fact]
    public async Task PostQuestionDeadline_AfterThePlisDeadline_IsRefused()
    {
        var sample = await _scenario.PublishedAsync();
        var before = await _scenario.LoadAsync(sample.ConsultationId);
        using var agent = await _scenario.AgentAsync();

        using var response = await agent.SubmitFormAsync(Path(sample), NoticeScenario.DeadlineForm(before.DeadlineUtc.AddSeconds(1), "QuestionDeadline"), "#form-questions");

        Assert.Contains("ne peut pas suivre la date limite de remise des plis", await NoticeScenario.ErrorsAsync(response), StringComparison.Ordinal);
        var after = await _scenario.LoadAsync(sample.ConsultationId);
        Assert.Equal(before.QuestionDeadlineUtc, after.QuestionDeadlineUtc);
        Assert.Empty(after.Modifications);
    }

    [Fact]
    public async Task PostQuestionDeadline_Earlier_IsPublished()
    {
        var sample = await _scenario.PublishedAsync();
        var before = await _scenario.LoadAsync(sample.ConsultationId);
        var earlier = before.QuestionDeadlineUtc.AddDays(-2);
        using var agent = await _scenario.AgentAsync();

        using var response = await agent.SubmitFormAsync(Path(sample), NoticeScenario.DeadlineForm(earlier, "QuestionDeadline"), "#form-questions");

        Assert.Equal(HttpStatusCode.Redirect, response.StatusCode);
        var after = await _scenario.LoadAsync(sample.ConsultationId);
        Assert.Equal(earlier, after.QuestionDeadlineUtc);
        Assert.Equal(ModificationKind.QuestionDeadline, Assert.Single(after.Modifications).Kind);
    }

    [Fact]
    public async Task PostRectificatif_IsShownInertOnThePublicPage_AndTheMailHoldsNoneOfItsText()
    {
        var sample = await _scenario.PublishedAsync();
        await _scenario.DownloadIdentifiedAsync(sample);
        using var agent = await _scenario.AgentAsync();
        const string text = "Article 3 du CCAP : lire « 60 jours ».\n<script>alert('x')</script>";

        using var response = await agent.SubmitFormAsync(Path(sample), new Dictionary<string, string> { ["Rectificatif"] = text, ["Confirm"] = "true" }, "#form-rectificatif");
        using var visitor = app.Browser();
        using var publicPage = await visitor.GetAsync($"/consultations/{sample.ConsultationId}");
        var html = await publicPage.Content.ReadAsStringAsync();

        Assert.Equal(HttpStatusCode.Redirect, response.StatusCode);
        Assert.Contains("&lt;script&gt;alert(", html, StringComparison.Ordinal);
        Assert.DoesNotContain("<script>alert(", html, StringComparison.Ordinal);
        var row = Assert.Single((await TestBrowser.ParseAsync(html)).QuerySelectorAll("table.modifications tbody tr"));
        Assert.Equal("Rectificatif", row.QuerySelector(".kind")!.TextContent.Trim());
        var mail = Assert.Single(_scenario.NoticesTo(NoticeScenario.CompanyEmail, sample));
        Assert.Contains("Un rectificatif a été publié", mail.TextBody, StringComparison.Ordinal);
        Assert.DoesNotContain("CCAP", mail.TextBody, StringComparison.Ordinal);
        Assert.DoesNotContain("script", mail.HtmlBody, StringComparison.OrdinalIgnoreCase);
    }

    [Theory]
    [InlineData("")]
    [InlineData("   ")]
    public async Task PostRectificatif_Empty_IsRefused(string text)
    {
        var sample = await _scenario.PublishedAsync();
        var before = (await _scenario.LoadAsync(sample.ConsultationId)).DeadlineUtc;
        using var agent = await _scenario.AgentAsync();

        using var response = await agent.SubmitFormAsync(Path(sample), new Dictionary<string, string> { ["Rectificatif"] = text, ["Confirm"] = "true" }, "#form-rectificatif");

        Assert.Contains("Indiquez le texte du rectificatif", await NoticeScenario.ErrorsAsync(response), StringComparison.Ordinal);
        await AssertUnchangedAsync(sample, before);
    }

    [Fact]
    public async Task PostComplement_AddsTheFileToThePublicDceAndMailsTheCount()
    {
        var sample = await _scenario.PublishedAsync();
        await _scenario.DownloadIdentifiedAsync(sample);
        using var agent = await _scenario.AgentAsync();

        using var response = await agent.SubmitFormAsync(Path(sample), new Dictionary<string, string> { ["Confirm"] = "true" }, "#form-complement",
            [("Files", "Plan de situation.pdf", Pli.Web.Features.Demo.DemoData.TinyPdf("Plan"))]);

        Assert.Equal(HttpStatusCode.Redirect, response.StatusCode);
        var after = await _scenario.LoadAsync(sample.ConsultationId);
        Assert.Contains(after.DceFiles, f => f.RelativePath == "Plan de situation.pdf");
        Assert.Equal(5, after.DceFiles.Count);
        Assert.Equal(ModificationKind.DceComplement, Assert.Single(after.Modifications).Kind);
        Assert.Equal(5, BackofficeTestData.StoredBlobs(app, sample.ConsultationId).Count);
        var mail = Assert.Single(_scenario.NoticesTo(NoticeScenario.CompanyEmail, sample));
        Assert.Contains("Le DCE a été complété : 1 fichier(s) ajouté(s)", mail.TextBody, StringComparison.Ordinal);
    }

    [Fact]
    public async Task PostComplement_WithAPathAlreadyInTheDce_IsRefusedAndStoresNothing()
    {
        var sample = await _scenario.PublishedAsync();
        var before = (await _scenario.LoadAsync(sample.ConsultationId)).DeadlineUtc;
        using var agent = await _scenario.AgentAsync();

        using var response = await agent.SubmitFormAsync(Path(sample), new Dictionary<string, string> { ["Confirm"] = "true" }, "#form-complement",
            [("Files", "rc.PDF", Pli.Web.Features.Demo.DemoData.TinyPdf("Autre RC"))]);

        Assert.Contains("Le DCE contient déjà un fichier", await NoticeScenario.ErrorsAsync(response), StringComparison.Ordinal);
        await AssertUnchangedAsync(sample, before);
        Assert.Equal(4, BackofficeTestData.StoredBlobs(app, sample.ConsultationId).Count);
    }

    [Fact]
    public async Task PostReplace_SwapsTheFile_AndKeepsTheReplacedContentAsEvidence()
    {
        var sample = await _scenario.PublishedAsync();
        using var agent = await _scenario.AgentAsync();
        var content = Pli.Web.Features.Demo.DemoData.TinyPdf("Règlement modifié");

        using var response = await agent.SubmitFormAsync(Path(sample),
            new Dictionary<string, string> { ["ReplacedFileId"] = sample.FileIds["RC.pdf"].ToString(), ["Confirm"] = "true" }, "#form-remplacement",
            [("Replacement", "RC v2.pdf", content)]);

        Assert.Equal(HttpStatusCode.Redirect, response.StatusCode);
        var after = await _scenario.LoadAsync(sample.ConsultationId);
        Assert.DoesNotContain(after.DceFiles, f => f.RelativePath == "RC.pdf");
        Assert.Equal(DceScenario.Sha256(content), after.DceFiles.Single(f => f.RelativePath == "RC v2.pdf").Sha256);
        var modification = Assert.Single(after.Modifications);
        Assert.Equal(("RC.pdf", "RC v2.pdf"), (modification.OldValue, modification.NewValue));
        Assert.Equal(5, BackofficeTestData.StoredBlobs(app, sample.ConsultationId).Count);
        var kept = await app.WithDb(db => db.AuditEntries.SingleAsync(e => e.Action == "dce.file-replaced" && e.ConsultationId == sample.ConsultationId));
        Assert.Contains("RC.pdf sha256=" + DceScenario.Sha256(sample.Contents["RC.pdf"]), kept.Detail, StringComparison.Ordinal);
    }

    [Fact]
    public async Task PostReplace_WithoutChoosingAFile_IsRefused()
    {
        var sample = await _scenario.PublishedAsync();
        var before = (await _scenario.LoadAsync(sample.ConsultationId)).DeadlineUtc;
        using var agent = await _scenario.AgentAsync();

        using var response = await agent.SubmitFormAsync(Path(sample), new Dictionary<string, string> { ["ReplacedFileId"] = "", ["Confirm"] = "true" }, "#form-remplacement",
            [("Replacement", "RC v2.pdf", Pli.Web.Features.Demo.DemoData.TinyPdf("x"))]);

        Assert.Contains("Choisissez le fichier du DCE à remplacer", await NoticeScenario.ErrorsAsync(response), StringComparison.Ordinal);
        await AssertUnchangedAsync(sample, before);
        Assert.Equal(4, BackofficeTestData.StoredBlobs(app, sample.ConsultationId).Count);
    }

    [Fact]
    public async Task AfterTheDeadline_OnlyCancellationIsOffered_AndADeadlineChangeIsRefused()
    {
        var sample = await _scenario.PublishedAsync();
        await DceScenario.MovePastDeadlineAsync(app, sample.ConsultationId);
        var before = (await _scenario.LoadAsync(sample.ConsultationId)).DeadlineUtc;
        using var agent = await _scenario.AgentAsync();

        var page = await agent.GetPageAsync(Path(sample));
        using var response = await PostDirectAsync(agent, sample, "Deadline", NoticeScenario.DeadlineForm(app.Time.GetUtcNow().UtcDateTime.AddDays(10)), Path(sample));

        Assert.Null(page.QuerySelector("#form-report"));
        Assert.NotNull(page.QuerySelector("#date-limite-passee"));
        Assert.NotNull(page.QuerySelector("#form-annulation"));
        Assert.Contains("seule l'annulation de la consultation reste possible", await NoticeScenario.ErrorsAsync(response), StringComparison.Ordinal);
        await AssertUnchangedAsync(sample, before);
    }

    [Fact]
    public async Task PostCancel_WithoutReason_IsRefused()
    {
        var sample = await _scenario.PublishedAsync();
        var before = (await _scenario.LoadAsync(sample.ConsultationId)).DeadlineUtc;
        using var agent = await _scenario.AgentAsync();

        using var response = await agent.SubmitFormAsync(Path(sample), new Dictionary<string, string> { ["Reason"] = " ", ["Confirm"] = "true" }, "#form-annulation");

        Assert.Contains("Indiquez le motif de l'annulation", await NoticeScenario.ErrorsAsync(response), StringComparison.Ordinal);
        await AssertUnchangedAsync(sample, before);
    }

    [Fact]
    public async Task Cancelled_PublicPageSaysAnnuleeWithoutRespondOrDce_AndTheReferenceSearchFindsIt_AndNoFurtherChangeIsAllowed()
    {
        var sample = await _scenario.PublishedAsync();
        using var agent = await _scenario.AgentAsync();
        using var cancel = await agent.SubmitFormAsync(Path(sample), new Dictionary<string, string> { ["Reason"] = "Besoin abandonné.", ["Confirm"] = "true" }, "#form-annulation");
        Assert.Equal(HttpStatusCode.Redirect, cancel.StatusCode);
        using var visitor = app.Browser();

        var page = await visitor.GetPageAsync($"/consultations/{sample.ConsultationId}");
        using var search = await visitor.GetAsync($"/?reference={Uri.EscapeDataString(sample.Reference)}");
        var modify = await agent.GetPageAsync(Path(sample));
        using var again = await PostDirectAsync(agent, sample, "Deadline", NoticeScenario.DeadlineForm(app.Time.GetUtcNow().UtcDateTime.AddDays(40)), Path(sample));

        Assert.NotNull(page.QuerySelector("#consultation-annulee"));
        Assert.Null(page.QuerySelector("#repondre"));
        Assert.Null(page.QuerySelector("#telecharger-dce"));
        Assert.Null(page.QuerySelector("#date-limite-depassee"));
        Assert.Equal("Annulation", page.QuerySelector("table.modifications .kind")!.TextContent.Trim());
        Assert.Equal($"/consultations/{sample.ConsultationId}", search.Headers.Location?.OriginalString);
        Assert.NotNull(modify.QuerySelector("#consultation-annulee"));
        Assert.Null(modify.QuerySelector("main form"));
        Assert.Contains("Cette consultation est annulée", await NoticeScenario.ErrorsAsync(again), StringComparison.Ordinal);
        Assert.Single((await _scenario.LoadAsync(sample.ConsultationId)).Modifications);
    }

    [Fact]
    public async Task AnonymousDownloadPage_SaysBeforeDownloadingThatNoNoticeWillCome()
    {
        var sample = await _scenario.PublishedAsync();
        using var visitor = app.Browser();

        var page = await visitor.GetPageAsync(sample.PagePath);

        var warning = page.QuerySelector("#avertissement-anonyme")!.TextContent;
        Assert.Contains("Le téléchargement « anonyme » du dossier de consultation ne permet pas d'être informé en cas de modification de la consultation", warning, StringComparison.Ordinal);
        Assert.Null(page.QuerySelector("#dce-complet"));
    }
}

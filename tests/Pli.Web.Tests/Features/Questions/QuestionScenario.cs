using AngleSharp.Html.Dom;
using Microsoft.EntityFrameworkCore;
using Pli.Domain.Questions;
using Pli.Web.Features.Questions;
using Pli.Web.Tests.Features.Account;
using Pli.Web.Tests.Features.Portal;
using Pli.Web.Tests.Infrastructure;

namespace Pli.Web.Tests.Features.Questions;

/// <summary>Pli with a small attachment limit, so that crossing it takes a small file.</summary>
public static class QuestionSettings
{
    public const long MaxAttachmentBytes = 64 * 1024;

    public static IDictionary<string, string?> Values => new Dictionary<string, string?>
    {
        ["Questions:MaxAttachmentBytes"] = MaxAttachmentBytes.ToString(System.Globalization.CultureInfo.InvariantCulture),
    };
}

public sealed class QuestionsSqliteApp : SqliteApp
{
    protected override IDictionary<string, string?> Settings => QuestionSettings.Values;
}

public sealed class QuestionsPostgresApp : PostgresApp
{
    protected override IDictionary<string, string?> Settings => QuestionSettings.Values;
}

/// <summary>Consultations of the demo buyer, companies that ask through the pages, and what was stored.</summary>
public sealed class QuestionScenario(PliApp app)
{
    public static readonly byte[] Pdf = Deposits.DepositScenario.Pdf;

    /// <summary>A published consultation of the demo buyer whose question deadline is <paramref name="questionsIn"/> from now.</summary>
    public async Task<Pli.Domain.Consultations.Consultation> ConsultationAsync(TimeSpan? questionsIn = null)
    {
        var buyer = await ConsultationBuilder.DemoBuyerIdAsync(app);
        // The builder puts the question deadline 7 days before the deadline for plis.
        return await new ConsultationBuilder(app).Buyer(buyer).DeadlineIn((questionsIn ?? TimeSpan.FromDays(10)) + TimeSpan.FromDays(7)).SaveAsync();
    }

    /// <summary>A browser signed in as a new company's user; returns it with the user's e-mail.</summary>
    public async Task<(TestBrowser Browser, string Email)> CompanyAsync()
    {
        var user = await app.CreateCompanyUserAsync();
        var browser = app.Browser();
        await browser.SignInAsync(user.Email!, AccountTestKit.Password);
        return (browser, user.Email!);
    }

    public static Task<HttpResponseMessage> AskAsync(TestBrowser browser, Guid consultationId, string text, string? fileName = null, byte[]? content = null) =>
        browser.SubmitFormAsync(QuestionPaths.Ask(consultationId), new Dictionary<string, string> { ["Text"] = text }, "#form-question",
            fileName is null ? null : [("Attachment", fileName, content ?? Pdf)]);

    public static async Task<Guid> AskOkAsync(TestBrowser browser, Guid consultationId, string text, string? fileName = null, byte[]? content = null)
    {
        using var response = await AskAsync(browser, consultationId, text, fileName, content);
        await AccountTestKit.AssertRedirectAsync(response);
        Assert.Equal(QuestionPaths.Mine(consultationId), response.Headers.Location!.OriginalString);
        return await browser.App.WithDb(db => db.Questions.Where(q => q.ConsultationId == consultationId).OrderByDescending(q => q.AskedUtc).Select(q => q.Id).FirstAsync());
    }

    public static Task<HttpResponseMessage> AnswerAsync(TestBrowser agent, Guid consultationId, Guid questionId, string answer) =>
        agent.SubmitFormAsync(QuestionPaths.Backoffice(consultationId), new Dictionary<string, string> { ["Answer"] = answer },
            $"#question-{questionId:N} form");

    public static async Task AnswerOkAsync(TestBrowser agent, Guid consultationId, Guid questionId, string answer)
    {
        using var response = await AnswerAsync(agent, consultationId, questionId, answer);
        await AccountTestKit.AssertRedirectAsync(response);
    }

    /// <summary>The antiforgery token of any page (the layout's sign-out form has one), to post where the page shows no form.</summary>
    public static async Task<string> TokenAsync(TestBrowser browser, string url = "/")
    {
        var page = await browser.GetPageAsync(url);
        return ((IHtmlInputElement)page.QuerySelector("input[name=__RequestVerificationToken]")!).Value;
    }

    public Task<List<Question>> QuestionsAsync(Guid consultationId) =>
        app.WithDb(db => db.Questions.AsNoTracking().Where(q => q.ConsultationId == consultationId).ToListAsync());

    /// <summary>Attachment files stored for a consultation's questions, whatever the database says.</summary>
    public IReadOnlyList<string> StoredAttachments(Guid consultationId)
    {
        var folder = Path.Combine(app.DataRoot, "files", "questions", consultationId.ToString("N"));
        return Directory.Exists(folder) ? Directory.GetFiles(folder, "*", SearchOption.AllDirectories) : [];
    }

    public static string Errors(IHtmlDocument page) => page.QuerySelector("#erreurs")?.TextContent ?? "";
}

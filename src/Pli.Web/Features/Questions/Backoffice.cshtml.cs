using System.Globalization;
using System.Text;
using Microsoft.AspNetCore.Authorization;
using Microsoft.AspNetCore.Mvc;
using Microsoft.AspNetCore.Mvc.RazorPages;
using Microsoft.Extensions.Localization;
using Pli.Domain.Common;
using Pli.Domain.Consultations;
using Pli.Domain.Organisations;
using Pli.Web.Infrastructure.Errors;
using Pli.Web.Infrastructure.Security;

namespace Pli.Web.Features.Questions;

/// <summary>
/// The buyer's side of the questions of one consultation: the unanswered ones first with their answer form,
/// then the register of questions (who asked, when, the answer, by whom), which exports as CSV. Agents of
/// the consultation's organisation only: anyone else gets 404, as if the consultation did not exist.
/// </summary>
[Authorize(Policy = Policies.Agent)]
public sealed class BackofficeModel(QuestionService questions, IStringLocalizer<QuestionTexts> texts) : PageModel
{
    public Consultation Consultation { get; private set; } = null!;

    public IReadOnlyList<RegisterQuestion> Register { get; private set; } = [];

    /// <summary>The question whose answer was refused, so its form shows the text typed again.</summary>
    [BindProperty]
    public Guid QuestionId { get; set; }

    [BindProperty]
    public string? Answer { get; set; }

    public bool MayAnswer => User.HasAgentRole(AgentRole.ConsultationManager);

    public async Task<IActionResult> OnGetAsync(Guid id, CancellationToken cancellationToken) =>
        await LoadAsync(id, cancellationToken) ? Page() : NotFound();

    public async Task<IActionResult> OnPostAnswerAsync(Guid id, CancellationToken cancellationToken)
    {
        if (!await LoadAsync(id, cancellationToken))
        {
            return NotFound();
        }
        if (!MayAnswer)
        {
            return Forbid();
        }
        try
        {
            if (await questions.AnswerAsync(User, Consultation, QuestionId, Answer, cancellationToken) is null)
            {
                return NotFound();
            }
        }
        catch (DomainException e)
        {
            ModelState.AddModelError(AnswerField(QuestionId), DomainMessages.For(e));
            return Page();
        }
        TempData["Notice"] = texts["AnswerPublished"].Value;
        return Redirect(QuestionPaths.Backoffice(id));
    }

    /// <summary>The attachment of a question, for the buyer only: it is never published.</summary>
    public async Task<IActionResult> OnGetAttachmentAsync(Guid id, Guid questionId, CancellationToken cancellationToken)
    {
        if (!await LoadAsync(id, cancellationToken, withRegister: false))
        {
            return NotFound();
        }
        var question = await questions.FindAsync(id, questionId, cancellationToken);
        if (question?.Attachment is not { } attachment)
        {
            return NotFound();
        }
        var stream = await questions.OpenAttachmentAsync(attachment, cancellationToken);
        return File(stream, "application/octet-stream", attachment.Name);
    }

    /// <summary>The register as CSV (semicolons and a byte order mark, as spreadsheets in France expect).</summary>
    public async Task<IActionResult> OnGetCsvAsync(Guid id, CancellationToken cancellationToken)
    {
        if (!await LoadAsync(id, cancellationToken))
        {
            return NotFound();
        }
        var culture = CultureInfo.CurrentCulture;
        var csv = new StringBuilder();
        Line(csv, [texts["ColumnNumber"], texts["ColumnReceived"], texts["ColumnCompany"], texts["ColumnAsker"], texts["ColumnQuestion"],
            texts["ColumnAttachment"], texts["ColumnAnswer"], texts["ColumnAnswered"], texts["ColumnAnsweredBy"]]);
        foreach (var r in Register)
        {
            var q = r.Question;
            Line(csv, [
                r.Number.ToString(CultureInfo.InvariantCulture),
                ParisTime.Format(q.AskedUtc, culture, seconds: true),
                r.CompanyName,
                $"{r.AskerName} <{r.AskerEmail}>",
                q.Text,
                q.Attachment is { } a ? $"{a.Name} ({a.Size} o, SHA-256 {a.Sha256})" : "",
                q.Answer ?? "",
                q.AnsweredUtc is { } at ? ParisTime.Format(at, culture, seconds: true) : "",
                r.AnsweredByName ?? "",
            ]);
        }
        var bytes = Encoding.UTF8.GetPreamble().Concat(Encoding.UTF8.GetBytes(csv.ToString())).ToArray();
        return File(bytes, "text/csv; charset=utf-8", $"registre-questions-{FileNamePart(Consultation.Reference)}.csv");
    }

    public static string AnswerField(Guid questionId) => $"Answer-{questionId:N}";

    private async Task<bool> LoadAsync(Guid id, CancellationToken cancellationToken, bool withRegister = true)
    {
        var consultation = await questions.FindOwnAsync(User, id, cancellationToken);
        if (consultation is null)
        {
            return false;
        }
        Consultation = consultation;
        if (withRegister)
        {
            Register = await questions.RegisterAsync(id, cancellationToken);
        }
        return true;
    }

    private static void Line(StringBuilder csv, IEnumerable<string> cells)
    {
        csv.AppendJoin(';', cells.Select(Cell)).Append("\r\n");
    }

    /// <summary>
    /// Quoted, quotes doubled; a cell a spreadsheet would run as a formula (=, +, -, @, tab, CR) is prefixed
    /// with an apostrophe: a question is typed by a stranger and the register is opened by the buyer.
    /// </summary>
    private static string Cell(string value)
    {
        if (value.Length > 0 && value[0] is '=' or '+' or '-' or '@' or '\t' or '\r')
        {
            value = "'" + value;
        }
        return "\"" + value.Replace("\"", "\"\"", StringComparison.Ordinal) + "\"";
    }

    private static string FileNamePart(string reference) =>
        new([.. reference.Select(c => char.IsAsciiLetterOrDigit(c) || c is '-' or '_' ? c : '-')]);
}

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
/// then the register of questions (who asked, when, the answer, by whom), exported by Features/Registers (CSV, XLSX, PDF). Agents of
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
}

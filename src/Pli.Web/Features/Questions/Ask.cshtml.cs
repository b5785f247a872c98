using Microsoft.AspNetCore.Authorization;
using Microsoft.AspNetCore.Mvc;
using Microsoft.AspNetCore.Mvc.RazorPages;
using Microsoft.Extensions.Localization;
using Pli.Domain.Common;
using Pli.Domain.Consultations;
using Pli.Web.Infrastructure.Errors;

namespace Pli.Web.Features.Questions;

/// <summary>
/// A signed-in company asks a question, with an optional attachment, until the question deadline. A
/// refused question keeps its text on the page; the attachment (which a browser cannot refill) is asked again.
/// </summary>
[Authorize(Policy = Infrastructure.Security.Policies.Company)]
[RequestSizeLimit(QuestionOptions.MaxRequestBytes)]
[RequestFormLimits(MultipartBodyLengthLimit = QuestionOptions.MaxRequestBytes)]
public sealed class AskModel(QuestionService questions, IStringLocalizer<QuestionTexts> texts) : PageModel
{
    public Consultation Consultation { get; private set; } = null!;

    [BindProperty]
    public string? Text { get; set; }

    [BindProperty]
    public IFormFile? Attachment { get; set; }

    public bool Open { get; private set; }

    public long MaxAttachmentBytes => questions.MaxAttachmentBytes;

    public async Task<IActionResult> OnGetAsync(Guid id, CancellationToken cancellationToken)
    {
        if (!await LoadAsync(id, cancellationToken))
        {
            return NotFound();
        }
        return Page();
    }

    public async Task<IActionResult> OnPostAsync(Guid id, CancellationToken cancellationToken)
    {
        if (!await LoadAsync(id, cancellationToken))
        {
            return NotFound();
        }
        try
        {
            // No file chosen comes as a part without a name; an empty file with a name is refused as empty.
            var file = string.IsNullOrEmpty(Attachment?.FileName) ? null : Attachment;
            await questions.AskAsync(User, Consultation, Text, file, cancellationToken);
        }
        catch (DomainException e)
        {
            ModelState.AddModelError(e.Field ?? "", DomainMessages.For(e));
            Open = QuestionService.IsOpenForQuestions(Consultation, questions.NowUtc);
            return Page();
        }
        TempData["Notice"] = texts["Asked"].Value;
        return Redirect(QuestionPaths.Mine(id));
    }

    private async Task<bool> LoadAsync(Guid id, CancellationToken cancellationToken)
    {
        var consultation = await questions.FindPublishedAsync(id, cancellationToken);
        if (consultation is null)
        {
            return false;
        }
        Consultation = consultation;
        Open = QuestionService.IsOpenForQuestions(consultation, questions.NowUtc);
        return true;
    }
}

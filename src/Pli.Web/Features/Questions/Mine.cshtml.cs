using Microsoft.AspNetCore.Authorization;
using Microsoft.AspNetCore.Mvc;
using Microsoft.AspNetCore.Mvc.RazorPages;
using Pli.Domain.Consultations;
using Pli.Domain.Questions;
using Pli.Web.Infrastructure.Security;

namespace Pli.Web.Features.Questions;

/// <summary>The questions the user's company asked on one consultation, answered or not. Another company's are never listed.</summary>
[Authorize(Policy = Policies.Company)]
public sealed class MineModel(QuestionService questions) : PageModel
{
    public Consultation Consultation { get; private set; } = null!;

    public IReadOnlyList<(int Number, Question Question)> Questions { get; private set; } = [];

    public bool Open { get; private set; }

    public async Task<IActionResult> OnGetAsync(Guid id, CancellationToken cancellationToken)
    {
        var consultation = await questions.FindPublishedAsync(id, cancellationToken);
        if (consultation is null)
        {
            return NotFound();
        }
        Consultation = consultation;
        Open = QuestionService.IsOpenForQuestions(consultation, questions.NowUtc);
        Questions = await questions.OfCompanyAsync(id, User.CompanyId()!.Value, cancellationToken);
        return Page();
    }
}

using Microsoft.AspNetCore.Authorization;
using Microsoft.AspNetCore.Mvc;
using Microsoft.AspNetCore.Mvc.RazorPages;
using Microsoft.Extensions.Localization;
using Pli.Domain.Common;
using Pli.Domain.Consultations;
using Pli.Web.Features.Backoffice.Consultations;
using Pli.Web.Infrastructure.Data;
using Pli.Web.Infrastructure.Errors;
using Pli.Web.Infrastructure.Security;

namespace Pli.Web.Features.Committee;

/// <summary>
/// The opening committee of a consultation: named on the draft among the organisation's openers (k of n),
/// sealed at publication, then shown with each opener's presentation.
/// </summary>
[Authorize(Policy = Policies.ConsultationManager)]
public sealed class CommitteeModel(PliDbContext db, CommitteeService committee, IStringLocalizer<CommitteeTexts> texts) : PageModel
{
    [BindProperty]
    public int Threshold { get; set; } = 2;

    [BindProperty]
    public List<Guid> OpenerIds { get; set; } = [];

    public Consultation Consultation { get; private set; } = null!;

    public IReadOnlyList<CommitteeCandidate> Candidates { get; private set; } = [];

    public CommitteeStatus? Status { get; private set; }

    public bool IsDraft => Consultation.Status == ConsultationStatus.Draft;

    public async Task<IActionResult> OnGetAsync(Guid id, CancellationToken cancellationToken)
    {
        if (!await LoadAsync(id, cancellationToken))
        {
            return NotFound();
        }
        if (Consultation.HasCommittee)
        {
            Threshold = Consultation.CommitteeThreshold!.Value;
            OpenerIds = [.. Consultation.Committee.Select(o => o.UserId)];
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
            await committee.SetCommitteeAsync(Consultation, User, Threshold, OpenerIds, cancellationToken);
        }
        catch (DomainException e)
        {
            ModelState.AddModelError(e.Field ?? string.Empty, DomainMessages.For(e));
            return Page();
        }
        TempData["Notice"] = texts["CommitteeSaved", Threshold, OpenerIds.Count].Value;
        return Redirect(CommitteePaths.Committee(id));
    }

    public async Task<IActionResult> OnPostClearAsync(Guid id, CancellationToken cancellationToken)
    {
        if (!await LoadAsync(id, cancellationToken))
        {
            return NotFound();
        }
        try
        {
            await committee.ClearCommitteeAsync(Consultation, User, cancellationToken);
        }
        catch (DomainException e)
        {
            ModelState.AddModelError(string.Empty, DomainMessages.For(e));
            return Page();
        }
        TempData["Notice"] = texts["CommitteeCleared"].Value;
        return Redirect(CommitteePaths.Committee(id));
    }

    private async Task<bool> LoadAsync(Guid id, CancellationToken cancellationToken)
    {
        var consultation = await db.FindOwnAsync(User, id);
        if (consultation is null)
        {
            return false;
        }
        Consultation = consultation;
        await committee.LoadCommitteeAsync(consultation, cancellationToken);
        Candidates = await committee.CandidatesAsync(consultation.OrganisationId, cancellationToken);
        Status = await committee.StatusAsync(consultation.Id, cancellationToken);
        return true;
    }
}

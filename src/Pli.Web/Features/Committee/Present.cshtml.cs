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
/// A named opener presents their share of a committee-held key, after the deadline, by typing their
/// passphrase. Anyone else (another organisation, an opener not named, a consultation without a sealed
/// committee) gets 404.
/// </summary>
[Authorize(Policy = Policies.Opener)]
public sealed class PresentModel(PliDbContext db, CommitteeService committee, TimeProvider time, IStringLocalizer<CommitteeTexts> texts) : PageModel
{
    [BindProperty]
    public string? Passphrase { get; set; }

    public Consultation Consultation { get; private set; } = null!;

    public CommitteeStatus Status { get; private set; } = null!;

    public bool Early => time.GetUtcNow().UtcDateTime <= Consultation.DeadlineUtc;

    public bool AlreadyPresented => Status.Members.Any(m => m.UserId == User.UserId() && m.PresentedUtc is not null);

    public async Task<IActionResult> OnGetAsync(Guid id, CancellationToken cancellationToken) =>
        await LoadAsync(id, cancellationToken) ? Page() : NotFound();

    public async Task<IActionResult> OnPostAsync(Guid id, CancellationToken cancellationToken)
    {
        if (!await LoadAsync(id, cancellationToken))
        {
            return NotFound();
        }
        PresentOutcome outcome;
        try
        {
            outcome = await committee.PresentShareAsync(Consultation, User, Passphrase, cancellationToken);
        }
        catch (DomainException e)
        {
            ModelState.AddModelError(e.Field ?? string.Empty, DomainMessages.For(e));
            Status = (await committee.StatusAsync(id, cancellationToken))!;
            return Page();
        }
        TempData["Notice"] = outcome.Unlocked
            ? texts["PresentedUnlocked"].Value
            : texts["PresentedPending", outcome.Presented, outcome.Threshold].Value;
        return Redirect(CommitteePaths.Present(id));
    }

    private async Task<bool> LoadAsync(Guid id, CancellationToken cancellationToken)
    {
        var consultation = await db.FindOwnReadOnlyAsync(User, id, cancellationToken);
        if (consultation is null || User.UserId() is not { } userId || !await committee.HoldsShareAsync(id, userId, cancellationToken))
        {
            return false;
        }
        Consultation = consultation;
        Status = (await committee.StatusAsync(id, cancellationToken))!;
        return true;
    }
}

using Microsoft.AspNetCore.Authorization;
using Microsoft.AspNetCore.Mvc;
using Microsoft.AspNetCore.Mvc.RazorPages;
using Microsoft.EntityFrameworkCore;
using Microsoft.Extensions.Localization;
using Pli.Domain.Common;
using Pli.Web.Infrastructure.Data;
using Pli.Web.Infrastructure.Errors;
using Pli.Web.Infrastructure.Security;

namespace Pli.Web.Features.Committee;

/// <summary>A consultation on which the signed-in opener sits on the committee.</summary>
public sealed record NamedConsultation(Guid Id, string Reference, string Title, DateTime DeadlineUtc, DateTime? PresentedUtc);

/// <summary>
/// The opener's personal key: created once under a passphrase only they know, its passphrase changed
/// with the current one. Also lists the consultations whose committee names them.
/// </summary>
[Authorize(Policy = Policies.Opener)]
public sealed class OpenerKeyModel(PliDbContext db, CommitteeService committee, IStringLocalizer<CommitteeTexts> texts) : PageModel
{
    [BindProperty]
    public string? Passphrase { get; set; }

    [BindProperty]
    public string? CurrentPassphrase { get; set; }

    [BindProperty]
    public string? NewPassphrase { get; set; }

    [BindProperty]
    public string? Confirmation { get; set; }

    public OpenerKey? Key { get; private set; }

    public IReadOnlyList<NamedConsultation> Consultations { get; private set; } = [];

    public async Task OnGetAsync(CancellationToken cancellationToken) => await LoadAsync(cancellationToken);

    public async Task<IActionResult> OnPostCreateAsync(CancellationToken cancellationToken)
    {
        try
        {
            await committee.CreateKeyAsync(User, Passphrase, Confirmation, cancellationToken);
        }
        catch (DomainException e)
        {
            return await RefuseAsync(e, cancellationToken);
        }
        TempData["Notice"] = texts["KeyCreated"].Value;
        return Redirect(CommitteePaths.OpenerKey);
    }

    public async Task<IActionResult> OnPostChangeAsync(CancellationToken cancellationToken)
    {
        try
        {
            await committee.ChangePassphraseAsync(User, CurrentPassphrase, NewPassphrase, Confirmation, cancellationToken);
        }
        catch (DomainException e)
        {
            return await RefuseAsync(e, cancellationToken);
        }
        TempData["Notice"] = texts["PassphraseChanged"].Value;
        return Redirect(CommitteePaths.OpenerKey);
    }

    private async Task<IActionResult> RefuseAsync(DomainException e, CancellationToken cancellationToken)
    {
        ModelState.AddModelError(e.Field ?? string.Empty, DomainMessages.For(e));
        await LoadAsync(cancellationToken);
        return Page();
    }

    private async Task LoadAsync(CancellationToken cancellationToken)
    {
        var userId = User.UserId()!.Value;
        Key = await committee.KeyOfAsync(userId, cancellationToken);
        var organisationId = User.OrganisationId();
        Consultations = await db.Set<Pli.Domain.Consultations.CommitteeOpener>().AsNoTracking()
            .Where(o => o.UserId == userId)
            .Join(db.Consultations.Where(c => c.OrganisationId == organisationId), o => o.ConsultationId, c => c.Id, (o, c) => c)
            .OrderByDescending(c => c.DeadlineUtc)
            .Select(c => new NamedConsultation(c.Id, c.Reference, c.Title, c.DeadlineUtc,
                db.CommitteeShares.Where(s => s.ConsultationId == c.Id && s.OpenerUserId == userId).Select(s => s.PresentedUtc).FirstOrDefault()))
            .ToListAsync(cancellationToken);
    }
}

using Microsoft.AspNetCore.Mvc;
using Microsoft.AspNetCore.Mvc.RazorPages;
using Microsoft.EntityFrameworkCore;
using Microsoft.Extensions.Localization;
using Pli.Domain.Consultations;
using Pli.Web.Infrastructure.Data;

namespace Pli.Web.Features.Dce;

/// <summary>
/// The DCE of a published consultation: identified download for a company user, anonymous
/// download after an explicit confirmation for anyone else. It stays available after the
/// deadline, with a notice: the documents remain the reference of the procedure.
/// </summary>
public sealed class DceModel(PliDbContext db, DceAccess access, TimeProvider time, IStringLocalizer<DceTexts> texts) : PageModel
{
    public Consultation Consultation { get; private set; } = null!;
    public string OrganisationName { get; private set; } = "";
    public IReadOnlyList<DceFile> Files { get; private set; } = [];
    public DceDownloader Downloader { get; private set; } = DceDownloader.Nobody;
    public bool DeadlinePassed { get; private set; }
    public string? CompanyName { get; private set; }
    public DateTime? FollowingSinceUtc { get; private set; }

    public bool SignedIn => User.Identity?.IsAuthenticated == true;

    [BindProperty]
    public bool Understood { get; set; }

    public async Task<IActionResult> OnGetAsync(Guid id) => await LoadAsync(id) ? Page() : NotFound();

    public async Task<IActionResult> OnPostAsync(Guid id)
    {
        if (!await LoadAsync(id))
        {
            return NotFound();
        }
        if (!Understood)
        {
            ModelState.AddModelError(nameof(Understood), texts["MustConfirm"]);
            return Page();
        }
        access.Confirm(HttpContext, id);
        return Redirect(DceAccess.PagePath(id) + "#telechargement");
    }

    private async Task<bool> LoadAsync(Guid id)
    {
        var consultation = await DceDownloadEndpoints.LoadPublishedAsync(db, id, HttpContext.RequestAborted);
        if (consultation is null)
        {
            return false;
        }
        Consultation = consultation;
        Files = DceDownloadEndpoints.Ordered(consultation.DceFiles);
        OrganisationName = await db.Organisations.Where(o => o.Id == consultation.OrganisationId).Select(o => o.Name).SingleAsync();
        DeadlinePassed = !consultation.IsInProgress(time.GetUtcNow().UtcDateTime);
        Downloader = access.Resolve(HttpContext, consultation);
        if (Downloader is { Kind: DceDownloaderKind.Company, CompanyId: { } companyId })
        {
            CompanyName = await db.Companies.Where(c => c.Id == companyId).Select(c => c.Name).SingleOrDefaultAsync();
            FollowingSinceUtc = await db.ConsultationFollowers.Where(f => f.ConsultationId == id && f.CompanyId == companyId)
                .Select(f => (DateTime?)f.SinceUtc).SingleOrDefaultAsync();
        }
        return true;
    }
}

using Microsoft.AspNetCore.Authorization;
using Microsoft.AspNetCore.Mvc;
using Microsoft.AspNetCore.Mvc.RazorPages;
using Microsoft.EntityFrameworkCore;
using Microsoft.Extensions.Localization;
using Pli.Domain.Common;
using Pli.Domain.Consultations;
using Pli.Web.Infrastructure.Data;
using Pli.Web.Infrastructure.Security;
using Pli.Web.Infrastructure.Errors;

namespace Pli.Web.Features.Backoffice.Consultations;

/// <summary>
/// Publishing asks for a confirmation of its own (a page, so that it works without JavaScript):
/// once published, the consultation is public and can only change through published modifications.
/// </summary>
[Authorize(Policy = Policies.ConsultationManager)]
public sealed class PublishModel(PliDbContext db, TimeProvider time, IStringLocalizer<BackofficeTexts> texts, Pli.Web.Features.Committee.CommitteeService committee) : PageModel
{
    public Consultation Consultation { get; private set; } = null!;

    public async Task<IActionResult> OnGetAsync(Guid id)
    {
        if (!await LoadAsync(id))
        {
            return NotFound();
        }
        return Page();
    }

    public async Task<IActionResult> OnPostAsync(Guid id)
    {
        if (!await LoadAsync(id))
        {
            return NotFound();
        }
        try
        {
            // With an opening committee, this also seals the consultation's key pair for its openers.
            await committee.PublishAsync(Consultation, User, time.GetUtcNow().UtcDateTime, HttpContext.RequestAborted);
            await db.SaveChangesAsync();
        }
        catch (DomainException e)
        {
            ModelState.AddModelError(string.Empty, DomainMessages.For(e));
            return Page();
        }
        TempData["Notice"] = texts["Published", $"/consultations/{Consultation.Id}"].Value;
        return Redirect($"/acheteur/consultations/{Consultation.Id}");
    }

    private async Task<bool> LoadAsync(Guid id)
    {
        var consultation = await db.FindOwnAsync(User, id);
        if (consultation is null)
        {
            return false;
        }
        Consultation = consultation;
        ViewData["Services"] = await db.Services.AsNoTracking().Where(s => s.OrganisationId == consultation.OrganisationId).ToListAsync();
        return true;
    }
}

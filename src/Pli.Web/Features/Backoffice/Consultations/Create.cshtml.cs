using Microsoft.AspNetCore.Authorization;
using Microsoft.AspNetCore.Mvc;
using Microsoft.AspNetCore.Mvc.RazorPages;
using Microsoft.EntityFrameworkCore;
using Microsoft.Extensions.Localization;
using Pli.Domain.Common;
using Pli.Domain.Consultations;
using Pli.Domain.Organisations;
using Pli.Web.Infrastructure.Data;
using Pli.Web.Infrastructure.Security;
using Pli.Web.Infrastructure.Errors;

namespace Pli.Web.Features.Backoffice.Consultations;

[Authorize(Policy = Policies.ConsultationManager)]
public sealed class CreateModel(PliDbContext db, CpvCatalog cpv, TimeProvider time, IStringLocalizer<BackofficeTexts> texts) : PageModel
{
    [BindProperty]
    public ConsultationForm Form { get; set; } = new();

    public IReadOnlyList<Service> Services { get; private set; } = [];

    public async Task OnGetAsync() => await LoadServicesAsync();

    public async Task<IActionResult> OnPostAsync()
    {
        var organisationId = User.OrganisationId()!.Value;
        await LoadServicesAsync();
        try
        {
            var details = Form.ToDetails(cpv, Services, key => texts[key]);
            if (await db.ReferenceTakenAsync(organisationId, details.Reference, exceptId: null))
            {
                throw new DomainException("consultation.reference-taken", texts["ReferenceTaken", details.Reference.Trim()], "Reference");
            }
            var consultation = Consultation.CreateDraft(organisationId, details, time.GetUtcNow().UtcDateTime);
            db.Consultations.Add(consultation);
            await db.SaveChangesAsync();
            TempData["Notice"] = texts["DraftCreated"].Value;
            return Redirect($"/acheteur/consultations/{consultation.Id}");
        }
        catch (DomainException e)
        {
            ModelState.AddModelError(ConsultationForm.InputFor(e.Field), DomainMessages.For(e));
        }
        catch (DbUpdateException e) when (OwnConsultations.IsUniqueViolation(e))
        {
            // Two agents saving the same reference at the same moment: the index decides.
            ModelState.AddModelError(ConsultationForm.InputFor("Reference"), texts["ReferenceTaken", Form.Reference?.Trim() ?? ""]);
        }
        return Page();
    }

    private async Task LoadServicesAsync()
    {
        var organisationId = User.OrganisationId();
        Services = await db.Services.AsNoTracking().Where(s => s.OrganisationId == organisationId).ToListAsync();
        ViewData["Services"] = Services;
    }
}

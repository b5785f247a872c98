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

/// <summary>A draft is edited here (details and lots); a published consultation is shown read-only.</summary>
[Authorize(Policy = Policies.ConsultationManager)]
public sealed class EditModel(PliDbContext db, CpvCatalog cpv, IStringLocalizer<BackofficeTexts> texts) : PageModel
{
    [BindProperty]
    public ConsultationForm Form { get; set; } = new();

    [BindProperty]
    public int? LotNumber { get; set; }

    [BindProperty]
    public string? LotTitle { get; set; }

    public Consultation Consultation { get; private set; } = null!;
    public IReadOnlyList<Service> Services { get; private set; } = [];
    public string? CpvLabel { get; private set; }

    public async Task<IActionResult> OnGetAsync(Guid id)
    {
        if (!await LoadAsync(id))
        {
            return NotFound();
        }
        Form = ConsultationForm.From(Consultation);
        return Page();
    }

    public async Task<IActionResult> OnPostSaveAsync(Guid id)
    {
        if (!await LoadAsync(id))
        {
            return NotFound();
        }
        try
        {
            var details = Form.ToDetails(cpv, Services, key => texts[key]);
            if (await db.ReferenceTakenAsync(Consultation.OrganisationId, details.Reference, Consultation.Id))
            {
                throw new DomainException("consultation.reference-taken", texts["ReferenceTaken", details.Reference.Trim()], "Reference");
            }
            Consultation.UpdateDraft(details);
            await db.SaveChangesAsync();
            return Done(texts["DraftSaved"]);
        }
        catch (DomainException e)
        {
            ModelState.AddModelError(ConsultationForm.InputFor(e.Field), DomainMessages.For(e));
        }
        catch (DbUpdateException e) when (OwnConsultations.IsUniqueViolation(e))
        {
            ModelState.AddModelError(ConsultationForm.InputFor("Reference"), texts["ReferenceTaken", Form.Reference?.Trim() ?? ""]);
        }
        return Page();
    }

    public async Task<IActionResult> OnPostAddLotAsync(Guid id)
    {
        if (!await LoadAsync(id))
        {
            return NotFound();
        }
        try
        {
            if (LotNumber is null)
            {
                throw new DomainException("lot.number", texts["LotNumberRequired"], nameof(LotNumber));
            }
            var lot = Consultation.AddLot(LotNumber.Value, LotTitle ?? "");
            db.Lots.Add(lot);
            await db.SaveChangesAsync();
            return Done(texts["LotAdded", lot.Number]);
        }
        catch (DomainException e)
        {
            ModelState.AddModelError(e.Field ?? string.Empty, DomainMessages.For(e));
            Form = ConsultationForm.From(Consultation);
            return Page();
        }
    }

    public async Task<IActionResult> OnPostRemoveLotAsync(Guid id, Guid lotId)
    {
        if (!await LoadAsync(id))
        {
            return NotFound();
        }
        try
        {
            Consultation.RemoveLot(lotId);
            await db.SaveChangesAsync();
            return Done(texts["LotRemoved"]);
        }
        catch (DomainException e)
        {
            ModelState.AddModelError(string.Empty, DomainMessages.For(e));
            Form = ConsultationForm.From(Consultation);
            return Page();
        }
    }

    private IActionResult Done(string notice)
    {
        TempData["Notice"] = notice;
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
        Services = await db.Services.AsNoTracking().Where(s => s.OrganisationId == consultation.OrganisationId).ToListAsync();
        ViewData["Services"] = Services;
        CpvLabel = cpv.TryGet(consultation.MainCpv, out var entry) ? entry.LabelFr : null;
        return true;
    }
}

using System.Globalization;
using Microsoft.AspNetCore.Mvc;
using Microsoft.AspNetCore.Mvc.RazorPages;
using Pli.Domain.Consultations;

namespace Pli.Web.Features.Portal;

/// <summary>
/// The public page of a consultation, at a stable address. Drafts and unknown ids are 404; after the
/// deadline the page stays, with a banner, because companies still need the DCE and its history.
/// </summary>
public sealed class DetailsModel(PublicConsultations consultations, CpvCatalog cpv) : PageModel
{
    public PublicConsultation Found { get; private set; } = default!;

    public Consultation Consultation => Found.Consultation;

    public bool DeadlinePassed { get; private set; }

    public string? CpvLabel { get; private set; }

    public async Task<IActionResult> OnGetAsync(Guid id, CancellationToken cancellationToken)
    {
        var found = await consultations.FindAsync(id, cancellationToken);
        if (found is null)
        {
            return NotFound();
        }
        Found = found;
        DeadlinePassed = !found.Consultation.IsCancelled && !found.Consultation.IsInProgress(consultations.NowUtc);
        if (cpv.TryGet(found.Consultation.MainCpv, out var entry))
        {
            CpvLabel = CultureInfo.CurrentUICulture.TwoLetterISOLanguageName == "fr" ? entry.LabelFr : entry.LabelEn;
        }
        return Page();
    }
}

using Microsoft.AspNetCore.Authorization;
using Microsoft.AspNetCore.Mvc;
using Microsoft.AspNetCore.Mvc.RazorPages;
using Pli.Domain.Consultations;
using Pli.Web.Features.Backoffice.Consultations;
using Pli.Web.Infrastructure.Data;
using Pli.Web.Infrastructure.Security;

namespace Pli.Web.Features.Dce;

/// <summary>
/// The register of downloads (retraits) of one consultation, for the agents of its buyer only:
/// any other signed-in user gets 404, as if the consultation did not exist.
/// </summary>
[Authorize(Policy = Policies.Agent)]
public sealed class RetraitsModel(PliDbContext db) : PageModel
{
    public Consultation Consultation { get; private set; } = null!;
    public IReadOnlyList<RegisterLine> Lines { get; private set; } = [];
    public int IdentifiedCount { get; private set; }
    public int DistinctCompanies { get; private set; }
    public int AnonymousCount { get; private set; }

    public async Task<IActionResult> OnGetAsync(Guid id)
    {
        var consultation = await db.FindOwnReadOnlyAsync(User, id, HttpContext.RequestAborted);
        if (consultation is null)
        {
            return NotFound();
        }
        Consultation = consultation;
        Lines = await DceRegisterLines.ReadAsync(db, id, HttpContext.RequestAborted);
        IdentifiedCount = Lines.Count(l => !l.Anonymous);
        DistinctCompanies = Lines.Where(l => l.CompanyId is not null).Select(l => l.CompanyId).Distinct().Count();
        AnonymousCount = Lines.Count(l => l.Anonymous);
        return Page();
    }
}

public sealed record RegisterLine(DateTime AtUtc, bool Anonymous, Guid? CompanyId, string? CompanyName, string? CompanyIdentifier,
    string? UserName, string? UserEmail, bool WholeDce, IReadOnlyList<string> Files);

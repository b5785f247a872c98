using Microsoft.AspNetCore.Authorization;
using Microsoft.AspNetCore.Mvc;
using Microsoft.AspNetCore.Mvc.RazorPages;
using Pli.Domain.Consultations;
using Pli.Web.Features.Backoffice.Consultations;
using Pli.Web.Infrastructure.Data;
using Pli.Web.Infrastructure.Security;

namespace Pli.Web.Features.Registers;

/// <summary>
/// The register of deposits of one consultation, for the agents of its buyer only (anyone else: 404): every pli
/// sealed or withdrawn, on time or late, with its files' names, sizes and digests. Before the deadline too: it
/// shows metadata only, never a file's content.
/// </summary>
[Authorize(Policy = Policies.Agent)]
public sealed class DepositsModel(PliDbContext db) : PageModel
{
    public Consultation Consultation { get; private set; } = null!;
    public IReadOnlyList<DepositLine> Lines { get; private set; } = [];

    public int Count(RegisterTimeliness timeliness) => Lines.Count(l => l.Timeliness == timeliness);

    public async Task<IActionResult> OnGetAsync(Guid id, CancellationToken cancellationToken)
    {
        var consultation = await db.FindOwnAsync(User, id);
        if (consultation is null)
        {
            return NotFound();
        }
        Consultation = consultation;
        Lines = await DepositRegister.ReadAsync(db, id, cancellationToken);
        return Page();
    }

    public static string PagePath(Guid consultationId) => $"/acheteur/consultations/{consultationId}/{RegisterKinds.Slug(RegisterKind.Deposits)}";
}

using Microsoft.AspNetCore.Mvc;
using Microsoft.AspNetCore.Mvc.RazorPages;
using Microsoft.EntityFrameworkCore;
using Pli.Web.Infrastructure.Audit;
using Pli.Web.Infrastructure.Data;

namespace Pli.Web.Features.Admin;

/// <summary>
/// The audit trail as the platform admin sees it: the latest entries with their place in the chain, and
/// the verification of the whole chain, which names the first entry that does not hold.
/// </summary>
public sealed class AuditLogModel(PliDbContext db, AuditChain chain, AuditChainVerifier verifier, AuditTrail audit) : PageModel
{
    private const int Shown = 100;

    public IReadOnlyList<AuditEntry> Entries { get; private set; } = [];
    public int PendingCount { get; private set; }
    public AuditVerification? Verification { get; private set; }

    /// <summary>Entries before this sequence (the older page).</summary>
    [BindProperty(SupportsGet = true, Name = "avant")]
    public long? Before { get; set; }

    public long? OlderPage { get; private set; }

    public Task OnGetAsync() => LoadAsync();

    public async Task<IActionResult> OnPostVerifyAsync(CancellationToken cancellationToken)
    {
        await chain.ChainPendingAsync(cancellationToken);
        Verification = await verifier.VerifyAsync(cancellationToken);
        // Recorded after the walk, so that it is the first entry the next verification sees beyond this one.
        audit.Record("audit.verified", User, detail: Verification.IsIntact
            ? $"intact, {Verification.Checked} entries"
            : $"broken at {Verification.Broken!.Sequence}: {Verification.Broken.Kind}");
        await db.SaveChangesAsync(cancellationToken);
        await LoadAsync();
        return Page();
    }

    private async Task LoadAsync()
    {
        var query = db.AuditEntries.AsNoTracking().Where(e => e.Sequence != null);
        if (Before is { } before)
        {
            query = query.Where(e => e.Sequence < before);
        }
        Entries = await query.OrderByDescending(e => e.Sequence).Take(Shown).ToListAsync();
        OlderPage = Entries.Count == Shown ? Entries[^1].Sequence : null;
        PendingCount = await db.AuditEntries.CountAsync(e => e.Sequence == null);
    }
}

using Microsoft.EntityFrameworkCore;
using Pli.Web.Infrastructure.Data;

namespace Pli.Web.Infrastructure.Audit;

/// <summary>What a verification of the chain found: all intact, or the first entry that is not.</summary>
/// <param name="Checked">Entries checked, in sequence order.</param>
/// <param name="VerifiedUtc">When the verification ran.</param>
/// <param name="Broken">The first broken place, or null when the chain is intact.</param>
public sealed record AuditVerification(long Checked, DateTime VerifiedUtc, AuditBreak? Broken)
{
    public bool IsIntact => Broken is null;
}

/// <summary>Where the chain breaks: at <paramref name="Sequence"/> (the entry, when there is one), and why.</summary>
public sealed record AuditBreak(long Sequence, Guid? EntryId, DateTime? AtUtc, string? Action, AuditBreakKind Kind);

public enum AuditBreakKind
{
    /// <summary>The entry's fields no longer give its hash: it was edited.</summary>
    Altered,

    /// <summary>The entry does not name the hash of the one before: an entry was replaced or the chain rewritten.</summary>
    LinkBroken,

    /// <summary>A sequence number is missing: an entry was deleted.</summary>
    Missing,

    /// <summary>The chain ends before (or after) the head: its last entries were deleted, or the head edited.</summary>
    HeadMismatch,
}

/// <summary>
/// Walks the whole chain in sequence order, reading it in pages (memory stays flat on millions of
/// entries), and names the first entry that does not hold.
/// </summary>
public sealed class AuditChainVerifier(PliDbContext db, TimeProvider time)
{
    private const int PageSize = 2000;

    public async Task<AuditVerification> VerifyAsync(CancellationToken cancellationToken = default)
    {
        var head = await db.AuditChainHeads.AsNoTracking().FirstOrDefaultAsync(h => h.Id == AuditChainHead.SingleId, cancellationToken)
            ?? new AuditChainHead();
        long expected = 1;
        var previous = AuditChainHead.Genesis;
        while (true)
        {
            var from = expected;
            var page = await db.AuditEntries.AsNoTracking()
                .Where(e => e.Sequence >= from)
                .OrderBy(e => e.Sequence)
                .Take(PageSize)
                .ToListAsync(cancellationToken);
            foreach (var entry in page)
            {
                if (entry.Sequence != expected)
                {
                    return Result(expected - 1, new AuditBreak(expected, null, null, null, AuditBreakKind.Missing));
                }
                if (entry.PreviousHash != previous)
                {
                    return Result(expected - 1, Break(entry, AuditBreakKind.LinkBroken));
                }
                if (AuditChain.HashOf(entry) != entry.Hash)
                {
                    return Result(expected - 1, Break(entry, AuditBreakKind.Altered));
                }
                previous = entry.Hash;
                expected++;
            }
            if (page.Count < PageSize)
            {
                break;
            }
        }
        var last = expected - 1;
        if (last != head.LastSequence || previous != head.LastHash)
        {
            return Result(last, new AuditBreak(Math.Min(last, head.LastSequence) + 1, null, null, null, AuditBreakKind.HeadMismatch));
        }
        return Result(last, null);
    }

    private static AuditBreak Break(AuditEntry entry, AuditBreakKind kind) => new(entry.Sequence!.Value, entry.Id, entry.AtUtc, entry.Action, kind);

    private AuditVerification Result(long checkedCount, AuditBreak? broken) => new(checkedCount, time.GetUtcNow().UtcDateTime, broken);
}

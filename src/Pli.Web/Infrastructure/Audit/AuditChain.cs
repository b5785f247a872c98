using System.Globalization;
using System.Security.Cryptography;
using System.Text;
using Microsoft.EntityFrameworkCore;
using Pli.Web.Infrastructure.Data;

namespace Pli.Web.Infrastructure.Audit;

/// <summary>
/// Links new audit entries into the hash chain, in the order they were recorded. Chaining happens after
/// the act's own transaction rather than inside it: acts (a seal at the deadline, a download) never wait
/// for one another on a chain lock, and the chain is still complete within seconds.
/// </summary>
public sealed class AuditChain(IServiceScopeFactory scopes, TimeProvider time, ILogger<AuditChain> logger)
{
    public const int BatchSize = 500;

    /// <summary>Chains every entry recorded so far; returns how many were chained.</summary>
    public async Task<int> ChainPendingAsync(CancellationToken cancellationToken = default)
    {
        var total = 0;
        while (true)
        {
            var chained = await ChainBatchAsync(cancellationToken);
            if (chained < 0)
            {
                // Another instance moved the head first: read it again.
                continue;
            }
            total += chained;
            if (chained < BatchSize)
            {
                return total;
            }
        }
    }

    private async Task<int> ChainBatchAsync(CancellationToken cancellationToken)
    {
        await using var scope = scopes.CreateAsyncScope();
        var db = scope.ServiceProvider.GetRequiredService<PliDbContext>();
        var head = await db.AuditChainHeads.AsNoTracking().FirstOrDefaultAsync(h => h.Id == AuditChainHead.SingleId, cancellationToken);
        if (head is null)
        {
            db.AuditChainHeads.Add(new AuditChainHead { UpdatedUtc = time.GetUtcNow().UtcDateTime });
            try
            {
                await db.SaveChangesAsync(cancellationToken);
            }
            catch (DbUpdateException)
            {
                // Created by another instance at the same moment.
            }
            return -1;
        }
        var pending = await db.AuditEntries
            .Where(e => e.Sequence == null)
            .OrderBy(e => e.AtUtc).ThenBy(e => e.Id)
            .Take(BatchSize)
            .ToListAsync(cancellationToken);
        if (pending.Count == 0)
        {
            return 0;
        }
        await using var transaction = await db.Database.BeginTransactionAsync(cancellationToken);
        var sequence = head.LastSequence;
        var previous = head.LastHash;
        foreach (var entry in pending)
        {
            entry.Sequence = ++sequence;
            entry.PreviousHash = previous;
            entry.Hash = HashOf(entry);
            previous = entry.Hash;
        }
        var moved = await db.AuditChainHeads
            .Where(h => h.Id == AuditChainHead.SingleId && h.LastSequence == head.LastSequence)
            .ExecuteUpdateAsync(s => s
                .SetProperty(h => h.LastSequence, sequence)
                .SetProperty(h => h.LastHash, previous)
                .SetProperty(h => h.UpdatedUtc, time.GetUtcNow().UtcDateTime), cancellationToken);
        if (moved == 0)
        {
            await transaction.RollbackAsync(cancellationToken);
            return -1;
        }
        try
        {
            await db.SaveChangesAsync(cancellationToken);
        }
        catch (DbUpdateException e)
        {
            // The unique index on Sequence: another chainer took these places. Nothing is committed.
            logger.LogWarning(e, "Audit chaining lost a race; retrying.");
            await transaction.RollbackAsync(cancellationToken);
            return -1;
        }
        await transaction.CommitAsync(cancellationToken);
        return pending.Count;
    }

    /// <summary>
    /// The hash of an entry: SHA-256 over a versioned, length-prefixed list of its fields (so that no
    /// two different entries read the same), its sequence and the previous hash. Times count to the
    /// microsecond, what both databases keep.
    /// </summary>
    public static string HashOf(AuditEntry entry)
    {
        var at = AuditTrail.ToMicroseconds(DateTime.SpecifyKind(entry.AtUtc, DateTimeKind.Utc));
        string?[] fields =
        [
            "pli-audit-v1",
            entry.Sequence?.ToString(CultureInfo.InvariantCulture),
            entry.Id.ToString("D"),
            at.ToString("yyyy-MM-ddTHH:mm:ss.ffffffZ", CultureInfo.InvariantCulture),
            entry.Action,
            entry.UserId?.ToString("D"),
            entry.CompanyId?.ToString("D"),
            entry.OrganisationId?.ToString("D"),
            entry.ConsultationId?.ToString("D"),
            entry.Target,
            entry.Detail,
            entry.PreviousHash,
        ];
        var text = new StringBuilder();
        foreach (var field in fields)
        {
            // A missing value is not an empty one.
            text.Append(field is null ? "-" : string.Create(CultureInfo.InvariantCulture, $"{field.Length}:{field}")).Append('\n');
        }
        return Convert.ToHexStringLower(SHA256.HashData(Encoding.UTF8.GetBytes(text.ToString())));
    }
}

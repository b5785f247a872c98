using Microsoft.EntityFrameworkCore;
using Pli.Web.Infrastructure.Crypto;
using Pli.Web.Infrastructure.Data;

namespace Pli.Web.Features.Deposits;

/// <summary>
/// The key pair each consultation's plis are sealed for, made the first time a pli is started (a
/// consultation nobody answers never needs one). Two companies starting at once make one pair: the
/// second insert loses on the primary key and reads the winner's. A consultation with an opening
/// committee gets its pair at publication instead (Features/Committee/CommitteeService), its private key
/// held by the committee: <see cref="EnsureAsync"/> then returns that pair and never makes another.
/// </summary>
public sealed class ConsultationKeyStore(PliDbContext db, ConsultationKeys keys, TimeProvider time)
{
    /// <summary>
    /// The one door to a consultation's private key, for the opening: refused while now &lt;= the
    /// deadline (before the key is even read), and when the consultation has no key (nobody deposited).
    /// A key held by an opening committee is refused with <see cref="CommitteePendingException"/>
    /// (<c>opening.committee-pending</c>) until k named openers have presented their shares.
    /// Dispose the key as soon as the files are read.
    /// </summary>
    public async Task<OpenedConsultationKey> OpenPrivateKeyAsync(Guid consultationId, DateTime deadlineUtc, CancellationToken cancellationToken)
    {
        keys.RequireAfterDeadline(deadlineUtc);
        var record = await db.ConsultationKeys.AsNoTracking().FirstOrDefaultAsync(k => k.ConsultationId == consultationId, cancellationToken)
            ?? throw new InvalidOperationException("This consultation has no key pair: no pli was ever started.");
        if (record.IsCommitteeLocked)
        {
            var presented = await db.CommitteeShares.CountAsync(s => s.ConsultationId == consultationId && s.PresentedUtc != null, cancellationToken);
            throw new CommitteePendingException(presented, record.CommitteeThreshold!.Value);
        }
        // PBKDF2 of the private key costs about half a second: off the request thread.
        return await Task.Run(() => keys.OpenPrivateKey(record.EncryptedPrivateKey, deadlineUtc), cancellationToken);
    }

    public async Task<ConsultationKeyRecord> EnsureAsync(Guid consultationId, CancellationToken cancellationToken)
    {
        var existing = await db.ConsultationKeys.AsNoTracking().FirstOrDefaultAsync(k => k.ConsultationId == consultationId, cancellationToken);
        if (existing is not null)
        {
            return existing;
        }
        // A committee's key is made at publication only: a pair under the master secret would bypass it.
        if (await db.Consultations.AnyAsync(c => c.Id == consultationId && c.CommitteeThreshold != null, cancellationToken))
        {
            throw new InvalidOperationException("This consultation's key pair belongs to its opening committee and is made at publication.");
        }
        // RSA key generation and the private key's PBKDF2 take a second: not on a thread the request pool needs.
        var pair = await Task.Run(keys.Generate, cancellationToken);
        var record = new ConsultationKeyRecord
        {
            ConsultationId = consultationId,
            KeyId = pair.KeyId,
            PublicKeyDer = pair.PublicKeyDer,
            EncryptedPrivateKey = pair.EncryptedPrivateKey,
            CreatedUtc = time.GetUtcNow().UtcDateTime,
        };
        db.ConsultationKeys.Add(record);
        try
        {
            await db.SaveChangesAsync(cancellationToken);
            return record;
        }
        catch (DbUpdateException)
        {
            db.Entry(record).State = EntityState.Detached;
            return await db.ConsultationKeys.AsNoTracking().FirstAsync(k => k.ConsultationId == consultationId, cancellationToken);
        }
    }
}

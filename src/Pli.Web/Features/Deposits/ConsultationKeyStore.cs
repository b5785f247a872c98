using Microsoft.EntityFrameworkCore;
using Pli.Web.Infrastructure.Crypto;
using Pli.Web.Infrastructure.Data;

namespace Pli.Web.Features.Deposits;

/// <summary>
/// The key pair each consultation's plis are sealed for, made at publication (<see cref="AddAtPublicationAsync"/>;
/// with an opening committee by Features/Committee/CommitteeService, its private key held by the committee).
/// A consultation published before that rule, or stored without the publication page (tests, demo), gets it
/// from <see cref="EnsureAsync"/> when the first pli is started: one instance makes it once (a gate per
/// consultation, since 500 companies starting at the deadline would each spend a second of CPU on a pair
/// all but one throw away), and two instances at once make one pair: the second insert loses on the
/// primary key and reads the winner's.
/// </summary>
public sealed class ConsultationKeyStore(PliDbContext db, ConsultationKeys keys, ConsultationKeyGate gate, TimeProvider time)
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

    /// <summary>Makes the pair of a consultation being published without committee, added for the caller's save.</summary>
    public async Task AddAtPublicationAsync(Guid consultationId, CancellationToken cancellationToken)
    {
        if (await db.ConsultationKeys.AnyAsync(k => k.ConsultationId == consultationId, cancellationToken))
        {
            return;
        }
        db.ConsultationKeys.Add(await NewRecordAsync(consultationId, cancellationToken));
    }

    public async Task<ConsultationKeyRecord> EnsureAsync(Guid consultationId, CancellationToken cancellationToken)
    {
        var existing = await FindAsync(consultationId, cancellationToken);
        if (existing is not null)
        {
            return existing;
        }
        using (await gate.EnterAsync(consultationId, cancellationToken))
        {
            return await FindAsync(consultationId, cancellationToken) ?? await MakeAsync(consultationId, cancellationToken);
        }
    }

    private Task<ConsultationKeyRecord?> FindAsync(Guid consultationId, CancellationToken cancellationToken) =>
        db.ConsultationKeys.AsNoTracking().FirstOrDefaultAsync(k => k.ConsultationId == consultationId, cancellationToken);

    private async Task<ConsultationKeyRecord> MakeAsync(Guid consultationId, CancellationToken cancellationToken)
    {
        // A committee's key is made at publication only: a pair under the master secret would bypass it.
        if (await db.Consultations.AnyAsync(c => c.Id == consultationId && c.CommitteeThreshold != null, cancellationToken))
        {
            throw new InvalidOperationException("This consultation's key pair belongs to its opening committee and is made at publication.");
        }
        var record = await NewRecordAsync(consultationId, cancellationToken);
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

    private async Task<ConsultationKeyRecord> NewRecordAsync(Guid consultationId, CancellationToken cancellationToken)
    {
        // RSA key generation and the private key's PBKDF2 take a second: not on a thread the request pool needs.
        var pair = await Task.Run(keys.Generate, cancellationToken);
        return new ConsultationKeyRecord
        {
            ConsultationId = consultationId,
            KeyId = pair.KeyId,
            PublicKeyDer = pair.PublicKeyDer,
            EncryptedPrivateKey = pair.EncryptedPrivateKey,
            CreatedUtc = time.GetUtcNow().UtcDateTime,
        };
    }
}

/// <summary>One pair generation at a time per consultation in this process (see <see cref="ConsultationKeyStore"/>).</summary>
public sealed class ConsultationKeyGate
{
    private readonly Dictionary<Guid, (SemaphoreSlim Semaphore, int Users)> _gates = [];

    public async Task<IDisposable> EnterAsync(Guid consultationId, CancellationToken cancellationToken)
    {
        SemaphoreSlim semaphore;
        lock (_gates)
        {
            var (existing, users) = _gates.GetValueOrDefault(consultationId);
            semaphore = existing ?? new SemaphoreSlim(1, 1);
            _gates[consultationId] = (semaphore, users + 1);
        }
        try
        {
            await semaphore.WaitAsync(cancellationToken);
        }
        catch
        {
            Leave(consultationId);
            throw;
        }
        return new Entered(this, consultationId, semaphore);
    }

    /// <summary>How many consultations have someone inside or waiting (0 once everyone left: nothing kept).</summary>
    public int Count
    {
        get
        {
            lock (_gates)
            {
                return _gates.Count;
            }
        }
    }

    private void Leave(Guid consultationId)
    {
        lock (_gates)
        {
            var (semaphore, users) = _gates[consultationId];
            if (users == 1)
            {
                _gates.Remove(consultationId);
                semaphore.Dispose();
            }
            else
            {
                _gates[consultationId] = (semaphore, users - 1);
            }
        }
    }

    private sealed class Entered(ConsultationKeyGate gate, Guid consultationId, SemaphoreSlim semaphore) : IDisposable
    {
        private int _disposed;

        public void Dispose()
        {
            if (Interlocked.Exchange(ref _disposed, 1) == 0)
            {
                semaphore.Release();
                gate.Leave(consultationId);
            }
        }
    }
}

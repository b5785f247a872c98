using Microsoft.EntityFrameworkCore;
using Microsoft.Extensions.Options;
using MimeKit;
using Pli.Web.Infrastructure.Data;

namespace Pli.Web.Infrastructure.Mail;

/// <summary>
/// Sends the mails due. A batch of mails is claimed with a lease by one conditional UPDATE, whose condition
/// holds for each mail on its own (pending, lease free), so that two workers (two threads, two instances)
/// never both hold the same mail; what is accepted by the server is marked sent in small groups as the batch
/// goes. A transient failure is retried with a doubling delay; a permanent one, or the last attempt, flags the
/// mail for the platform admin. The mails of one batch share one transport session (one SMTP connection),
/// which reconnects after a failure.
/// </summary>
public sealed class OutboxDispatcher(IServiceScopeFactory scopes, IMailTransport transport, IOptions<MailOptions> options, TimeProvider time, ILogger<OutboxDispatcher> logger)
{
    private const int Batch = 100;

    // Accepted mails are marked sent at least this often: a process killed in the middle of a batch sends again
    // at most this many mails (the others it held are taken again when their lease ends), for one database
    // round trip per group instead of one per mail.
    private const int MarkSentEvery = 20;

    private readonly OutboxOptions _options = options.Value.Outbox;

    /// <summary>Sends every mail due now; returns how many were accepted.</summary>
    public async Task<int> DispatchDueAsync(CancellationToken cancellationToken = default)
    {
        var sent = 0;
        while (true)
        {
            var (accepted, claimed) = await DispatchBatchAsync(cancellationToken);
            sent += accepted;
            if (claimed < Batch)
            {
                return sent;
            }
        }
    }

    /// <returns>How many mails the server accepted, and how many were due (claimed by this worker or by another meanwhile).</returns>
    private async Task<(int Accepted, int Due)> DispatchBatchAsync(CancellationToken cancellationToken)
    {
        await using var scope = scopes.CreateAsyncScope();
        var db = scope.ServiceProvider.GetRequiredService<PliDbContext>();
        var now = time.GetUtcNow().UtcDateTime;
        var due = await db.OutboxMails.AsNoTracking()
            .Where(m => m.Status == OutboxMailStatus.Pending && m.NextAttemptUtc <= now && (m.LeaseUntilUtc == null || m.LeaseUntilUtc < now))
            .OrderBy(m => m.NextAttemptUtc)
            .Select(m => m.Id)
            .Take(Batch)
            .ToListAsync(cancellationToken);
        if (due.Count == 0)
        {
            return (0, 0);
        }
        var mails = await ClaimAsync(db, due, now, cancellationToken);
        if (mails.Count == 0)
        {
            return (0, due.Count);
        }
        var token = mails[0].LeaseToken!.Value;
        // A batch sent so slowly that its lease would end stops short: another worker may take the rest then, and
        // must not find this one still sending them. The untried are released below.
        var stopSendingAt = mails[0].LeaseUntilUtc!.Value - TimeSpan.FromSeconds(_options.LeaseSeconds / 10.0);
        var accepted = new List<Guid>(MarkSentEvery);
        var done = new HashSet<Guid>();
        var acceptedCount = 0;
        try
        {
            await using var session = await transport.OpenSessionAsync(cancellationToken);
            foreach (var mail in mails)
            {
                cancellationToken.ThrowIfCancellationRequested();
                if (time.GetUtcNow().UtcDateTime >= stopSendingAt)
                {
                    logger.LogWarning("Outbox batch stopped after {Done} of {Count} mails: its lease of {Lease} s is nearly over.", done.Count, mails.Count, _options.LeaseSeconds);
                    break;
                }
                if (await SendOneAsync(db, session, mail, token, cancellationToken))
                {
                    accepted.Add(mail.Id);
                    acceptedCount++;
                    if (accepted.Count == MarkSentEvery)
                    {
                        await MarkSentAsync(db, accepted, token);
                    }
                }
                done.Add(mail.Id);
            }
        }
        finally
        {
            // Not cancellable: the server has these mails, so they must be recorded as sent whatever happens now.
            await MarkSentAsync(db, accepted, token);
            if (done.Count < mails.Count)
            {
                // Stopped in the middle: what was not tried is free again at once, not after the lease.
                var untried = mails.Select(m => m.Id).Where(id => !done.Contains(id)).ToList();
                await db.OutboxMails.Where(m => untried.Contains(m.Id) && m.LeaseToken == token)
                    .ExecuteUpdateAsync(s => s.SetProperty(m => m.LeaseUntilUtc, (DateTime?)null), CancellationToken.None);
            }
        }
        return (acceptedCount, due.Count);
    }

    /// <summary>
    /// Leases those of <paramref name="ids"/> that are still free to this worker, with one UPDATE whose condition
    /// is checked row by row (a mail another worker claimed in between no longer matches), then reads them.
    /// </summary>
    private async Task<List<OutboxMail>> ClaimAsync(PliDbContext db, List<Guid> ids, DateTime now, CancellationToken cancellationToken)
    {
        var token = Guid.NewGuid();
        var leaseUntil = now.AddSeconds(_options.LeaseSeconds);
        var claimed = await db.OutboxMails
            .Where(m => ids.Contains(m.Id) && m.Status == OutboxMailStatus.Pending && (m.LeaseUntilUtc == null || m.LeaseUntilUtc < now))
            .ExecuteUpdateAsync(s => s.SetProperty(m => m.LeaseUntilUtc, leaseUntil).SetProperty(m => m.LeaseToken, token), cancellationToken);
        if (claimed == 0)
        {
            return [];
        }
        return await db.OutboxMails.AsNoTracking()
            .Where(m => ids.Contains(m.Id) && m.LeaseToken == token)
            .OrderBy(m => m.NextAttemptUtc).ThenBy(m => m.CreatedUtc)
            .ToListAsync(CancellationToken.None);
    }

    private async Task<bool> SendOneAsync(PliDbContext db, IMailSession session, OutboxMail mail, Guid token, CancellationToken cancellationToken)
    {
        try
        {
            using var stream = new MemoryStream(mail.Mime, writable: false);
            var message = await MimeMessage.LoadAsync(stream, cancellationToken);
            await session.SendAsync(message, cancellationToken);
            return true;
        }
        catch (MailDeliveryException e)
        {
            await RecordFailureAsync(db, mail, token, e.Message, e.Permanent);
            return false;
        }
        catch (Exception e) when (e is not OperationCanceledException)
        {
            await RecordFailureAsync(db, mail, token, e.Message, permanent: false);
            return false;
        }
    }

    private async Task MarkSentAsync(PliDbContext db, List<Guid> ids, Guid token)
    {
        if (ids.Count == 0)
        {
            return;
        }
        var sentAt = time.GetUtcNow().UtcDateTime;
        await db.OutboxMails.Where(m => ids.Contains(m.Id) && m.LeaseToken == token)
            .ExecuteUpdateAsync(s => s.SetProperty(m => m.Status, OutboxMailStatus.Sent).SetProperty(m => m.SentUtc, sentAt)
                .SetProperty(m => m.Attempts, m => m.Attempts + 1).SetProperty(m => m.LeaseUntilUtc, (DateTime?)null).SetProperty(m => m.LastError, (string?)null), CancellationToken.None);
        ids.Clear();
    }

    private async Task RecordFailureAsync(PliDbContext db, OutboxMail mail, Guid token, string error, bool permanent)
    {
        var now = time.GetUtcNow().UtcDateTime;
        var attempts = mail.Attempts + 1;
        var failed = permanent || attempts >= _options.MaxAttempts;
        var delay = RetryDelay(attempts);
        var message = error.Length > 1000 ? error[..1000] : error;
        if (failed)
        {
            logger.LogError("Mail {Mail} to {To} failed for good after {Attempts} attempt(s): {Error}", mail.Id, mail.To, attempts, message);
        }
        else
        {
            logger.LogWarning("Mail {Mail} to {To} not sent (attempt {Attempts}), retried in {Delay}: {Error}", mail.Id, mail.To, attempts, delay, message);
        }
        await db.OutboxMails.Where(m => m.Id == mail.Id && m.LeaseToken == token)
            .ExecuteUpdateAsync(s => s
                .SetProperty(m => m.Attempts, attempts)
                .SetProperty(m => m.LastError, message)
                .SetProperty(m => m.LeaseUntilUtc, (DateTime?)null)
                .SetProperty(m => m.NextAttemptUtc, now + delay)
                .SetProperty(m => m.Status, failed ? OutboxMailStatus.Failed : OutboxMailStatus.Pending)
                .SetProperty(m => m.FailedUtc, failed ? now : null), CancellationToken.None);
    }

    /// <summary>30 s, 1 min, 2 min… up to the maximum: a server down for an hour is retried, not hammered.</summary>
    public TimeSpan RetryDelay(int attempts)
    {
        var seconds = _options.FirstRetryDelaySeconds * Math.Pow(2, Math.Max(0, attempts - 1));
        return TimeSpan.FromSeconds(Math.Min(seconds, _options.MaxRetryDelaySeconds));
    }
}

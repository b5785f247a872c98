using Microsoft.EntityFrameworkCore;
using Microsoft.Extensions.Options;
using MimeKit;
using Pli.Web.Infrastructure.Data;

namespace Pli.Web.Infrastructure.Mail;

/// <summary>
/// Sends the mails due. Each mail is first claimed with a lease by one conditional UPDATE, so that
/// two workers (two threads, two instances) never send the same mail; it is marked sent as soon as
/// the server accepted it. A transient failure is retried with a doubling delay; a permanent one,
/// or the last attempt, flags the mail for the platform admin. The mails of one batch share one transport
/// session (one SMTP connection), which reconnects after a failure.
/// </summary>
public sealed class OutboxDispatcher(IServiceScopeFactory scopes, IMailTransport transport, IOptions<MailOptions> options, TimeProvider time, ILogger<OutboxDispatcher> logger)
{
    private const int Batch = 50;
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

    private async Task<(int Accepted, int Claimed)> DispatchBatchAsync(CancellationToken cancellationToken)
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
        var accepted = 0;
        if (due.Count == 0)
        {
            return (0, 0);
        }
        await using var session = await transport.OpenSessionAsync(cancellationToken);
        foreach (var id in due)
        {
            if (await SendOneAsync(db, session, id, cancellationToken))
            {
                accepted++;
            }
        }
        return (accepted, due.Count);
    }

    private async Task<bool> SendOneAsync(PliDbContext db, IMailSession session, Guid id, CancellationToken cancellationToken)
    {
        var now = time.GetUtcNow().UtcDateTime;
        var token = Guid.NewGuid();
        var leaseUntil = now.AddSeconds(_options.LeaseSeconds);
        var claimed = await db.OutboxMails
            .Where(m => m.Id == id && m.Status == OutboxMailStatus.Pending && (m.LeaseUntilUtc == null || m.LeaseUntilUtc < now))
            .ExecuteUpdateAsync(s => s.SetProperty(m => m.LeaseUntilUtc, leaseUntil).SetProperty(m => m.LeaseToken, token), cancellationToken);
        if (claimed == 0)
        {
            return false;
        }
        var mail = await db.OutboxMails.AsNoTracking().SingleAsync(m => m.Id == id, cancellationToken);
        try
        {
            using var stream = new MemoryStream(mail.Mime, writable: false);
            var message = await MimeMessage.LoadAsync(stream, cancellationToken);
            await session.SendAsync(message, cancellationToken);
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
        // Not cancellable: the server has the mail, so it must be recorded as sent whatever happens now.
        var sentAt = time.GetUtcNow().UtcDateTime;
        await db.OutboxMails.Where(m => m.Id == id && m.LeaseToken == token)
            .ExecuteUpdateAsync(s => s.SetProperty(m => m.Status, OutboxMailStatus.Sent).SetProperty(m => m.SentUtc, sentAt)
                .SetProperty(m => m.Attempts, m => m.Attempts + 1).SetProperty(m => m.LeaseUntilUtc, (DateTime?)null).SetProperty(m => m.LastError, (string?)null), CancellationToken.None);
        return true;
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

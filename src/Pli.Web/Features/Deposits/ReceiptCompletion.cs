using Microsoft.EntityFrameworkCore;
using Microsoft.Extensions.Options;
using Pli.Domain.Consultations;
using Pli.Domain.Deposits;
using Pli.Web.Infrastructure.Data;
using Pli.Web.Infrastructure.Jobs;
using Pli.Web.Infrastructure.Timestamping;

namespace Pli.Web.Features.Deposits;

/// <summary>
/// What a receipt needs after the seal itself is saved: the RFC 3161 token over its digest and the receipt mail.
/// Each step is done once: a token already there is kept, a mail already queued is not queued again.
/// </summary>
public sealed class ReceiptFinisher(ITimestampAuthority timestamps, DepositReceiptMail receiptMail, TimeProvider time, ILogger<ReceiptFinisher> logger)
{
    /// <summary>Stamps and queues the mail as needed; the caller saves.</summary>
    public async Task FinishAsync(DepositReceipt receipt, Deposit deposit, Consultation consultation, CancellationToken cancellationToken)
    {
        if (receipt.TimestampResponse is null)
        {
            try
            {
                var stamp = await timestamps.StampAsync(Convert.FromHexString(receipt.Sha256), CancellationToken.None);
                receipt.TimestampResponse = stamp.ResponseDer;
                receipt.TimestampGenTimeUtc = stamp.GenTime.UtcDateTime;
                receipt.TimestampSerial = stamp.SerialNumber;
                receipt.TimestampAuthority = stamp.AuthorityName;
            }
            catch (Exception e) when (e is not OperationCanceledException)
            {
                logger.LogError(e, "Time-stamping receipt {Receipt} of deposit {Deposit} failed; the deposit stands, the token is missing until the authority answers.", receipt.Id, deposit.Id);
            }
        }
        if (receipt.MailQueuedUtc is null && receipt.MailTo is { } to)
        {
            try
            {
                await receiptMail.EnqueueAsync(receipt, deposit, consultation, to, CancellationToken.None);
                receipt.MailQueuedUtc = time.GetUtcNow().UtcDateTime;
            }
            catch (Exception e) when (e is not OperationCanceledException)
            {
                logger.LogError(e, "Writing the mail of receipt {Receipt} of deposit {Deposit} failed; it stays on the platform.", receipt.Id, deposit.Id);
            }
        }
        if (receipt.TimestampResponse is not null && (receipt.MailQueuedUtc is not null || receipt.MailTo is null))
        {
            receipt.CompletedUtc = time.GetUtcNow().UtcDateTime;
        }
    }
}

/// <summary>
/// Finishes the receipts left incomplete: a process killed between the seal's save and the token's, or an
/// authority that did not answer. A receipt is left to the request that issued it for
/// <c>Deposits:ReceiptCompletionGraceSeconds</c> (60); then the first
/// instance to claim its lease (one conditional UPDATE) stamps it and queues its mail, once.
/// </summary>
public sealed class ReceiptCompletion(IServiceScopeFactory scopes, IOptions<DepositOptions> options, TimeProvider time, ILogger<ReceiptCompletion> logger)
{
    private TimeSpan Grace => TimeSpan.FromSeconds(options.Value.ReceiptCompletionGraceSeconds);

    private TimeSpan Lease => 2 * Grace;

    /// <summary>Finishes every receipt due now; returns how many are complete after it.</summary>
    public async Task<int> CompleteDueAsync(CancellationToken cancellationToken = default)
    {
        await using var scope = scopes.CreateAsyncScope();
        var db = scope.ServiceProvider.GetRequiredService<PliDbContext>();
        var now = time.GetUtcNow().UtcDateTime;
        var before = now - Grace;
        var due = await db.DepositReceipts.AsNoTracking()
            .Where(r => r.CompletedUtc == null && r.IssuedUtc <= before && (r.CompletionLeaseUntilUtc == null || r.CompletionLeaseUntilUtc < now))
            .OrderBy(r => r.IssuedUtc)
            .Select(r => r.Id)
            .Take(100)
            .ToListAsync(cancellationToken);
        var completed = 0;
        foreach (var id in due)
        {
            if (await CompleteOneAsync(id, cancellationToken))
            {
                completed++;
            }
        }
        return completed;
    }

    private async Task<bool> CompleteOneAsync(Guid id, CancellationToken cancellationToken)
    {
        await using var scope = scopes.CreateAsyncScope();
        var db = scope.ServiceProvider.GetRequiredService<PliDbContext>();
        var now = time.GetUtcNow().UtcDateTime;
        var until = now + Lease;
        var claimed = await db.DepositReceipts
            .Where(r => r.Id == id && r.CompletedUtc == null && (r.CompletionLeaseUntilUtc == null || r.CompletionLeaseUntilUtc < now))
            .ExecuteUpdateAsync(s => s.SetProperty(r => r.CompletionLeaseUntilUtc, until), cancellationToken);
        if (claimed == 0)
        {
            return false;
        }
        var receipt = await db.DepositReceipts.SingleAsync(r => r.Id == id, cancellationToken);
        var deposit = await db.Deposits.AsNoTracking().Include(d => d.Files).Include(d => d.Members).SingleAsync(d => d.Id == receipt.DepositId, cancellationToken);
        var consultation = await db.Consultations.AsNoTracking().Include(c => c.Lots).SingleAsync(c => c.Id == deposit.ConsultationId, cancellationToken);
        await scope.ServiceProvider.GetRequiredService<ReceiptFinisher>().FinishAsync(receipt, deposit, consultation, cancellationToken);
        receipt.CompletionLeaseUntilUtc = null;
        await db.SaveChangesAsync(CancellationToken.None);
        if (receipt.CompletedUtc is not null)
        {
            logger.LogWarning("Receipt {Receipt} of deposit {Deposit} completed after its seal (token and mail).", receipt.Id, deposit.Id);
        }
        return receipt.CompletedUtc is not null;
    }
}

/// <summary>Runs <see cref="ReceiptCompletion"/> every <c>Deposits:ReceiptCompletionSeconds</c> (30).</summary>
public sealed class ReceiptCompletionWorker(ReceiptCompletion completion, IOptions<DepositOptions> options, ILogger<ReceiptCompletionWorker> logger) : BackgroundService
{
    protected override Task ExecuteAsync(CancellationToken stoppingToken) =>
        PeriodicWork.RunAsync(c => completion.CompleteDueAsync(c), TimeSpan.FromSeconds(options.Value.ReceiptCompletionSeconds), logger, "Completing receipts", stoppingToken);
}

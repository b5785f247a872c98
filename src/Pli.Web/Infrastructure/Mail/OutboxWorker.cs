using Microsoft.Extensions.Options;

namespace Pli.Web.Infrastructure.Mail;

/// <summary>Sends the outbox in the background; the poll interval is real time, the due times are the platform's clock.</summary>
public sealed class OutboxWorker(OutboxDispatcher dispatcher, IOptions<MailOptions> options, ILogger<OutboxWorker> logger) : BackgroundService
{
    protected override async Task ExecuteAsync(CancellationToken stoppingToken)
    {
        var interval = TimeSpan.FromMilliseconds(options.Value.Outbox.PollMilliseconds);
        while (!stoppingToken.IsCancellationRequested)
        {
            try
            {
                await dispatcher.DispatchDueAsync(stoppingToken);
            }
            catch (Exception e) when (e is not OperationCanceledException)
            {
                // The database may be away for a moment: the mails wait in it, the next round retries.
                logger.LogError(e, "Sending the outbox failed; retrying in {Interval}.", interval);
            }
            try
            {
                await Task.Delay(interval, stoppingToken);
            }
            catch (OperationCanceledException)
            {
                return;
            }
        }
    }
}

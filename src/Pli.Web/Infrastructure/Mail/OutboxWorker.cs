using Microsoft.Extensions.Options;
using Pli.Web.Infrastructure.Jobs;

namespace Pli.Web.Infrastructure.Mail;

/// <summary>Sends the outbox in the background; the poll interval is real time, the due times are the platform's clock.</summary>
public sealed class OutboxWorker(OutboxDispatcher dispatcher, IOptions<MailOptions> options, ILogger<OutboxWorker> logger) : BackgroundService
{
    protected override Task ExecuteAsync(CancellationToken stoppingToken) =>
        PeriodicWork.RunAsync(dispatcher.DispatchDueAsync, TimeSpan.FromMilliseconds(options.Value.Outbox.PollMilliseconds), logger, "Sending the outbox", stoppingToken);
}

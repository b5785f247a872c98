using Microsoft.Extensions.Options;

namespace Pli.Web.Features.Alerts;

/// <summary>Looks every few minutes (real time) whether digests are due; whether they are is the platform's clock.</summary>
public sealed class AlertDigestWorker(AlertDigest digest, IOptions<AlertOptions> options, ILogger<AlertDigestWorker> logger) : BackgroundService
{
    protected override async Task ExecuteAsync(CancellationToken stoppingToken)
    {
        var interval = TimeSpan.FromSeconds(options.Value.PollSeconds);
        while (!stoppingToken.IsCancellationRequested)
        {
            try
            {
                await digest.RunDueAsync(stoppingToken);
            }
            catch (Exception e) when (e is not OperationCanceledException)
            {
                // The database may be away for a moment: the digests stay due, the next round makes them.
                logger.LogError(e, "Making the alert digests failed; retrying in {Interval}.", interval);
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

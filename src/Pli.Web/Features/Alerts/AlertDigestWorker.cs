using Microsoft.Extensions.Options;
using Pli.Web.Infrastructure.Jobs;

namespace Pli.Web.Features.Alerts;

/// <summary>Looks every few minutes (real time) whether digests are due; whether they are is the platform's clock.</summary>
public sealed class AlertDigestWorker(AlertDigest digest, IOptions<AlertOptions> options, ILogger<AlertDigestWorker> logger) : BackgroundService
{
    protected override Task ExecuteAsync(CancellationToken stoppingToken) =>
        PeriodicWork.RunAsync(digest.RunDueAsync, TimeSpan.FromSeconds(options.Value.PollSeconds), logger, "Making the alert digests", stoppingToken);
}

namespace Pli.Web.Infrastructure.Jobs;

/// <summary>
/// The loop of a background worker: one round, then a pause in real time, until the host stops. What a
/// round finds due is decided by the platform's clock (TimeProvider), never by this pause.
/// </summary>
public static class PeriodicWork
{
    public static async Task RunAsync(Func<CancellationToken, Task> round, TimeSpan interval, ILogger logger, string what, CancellationToken stoppingToken)
    {
        while (!stoppingToken.IsCancellationRequested)
        {
            try
            {
                await round(stoppingToken);
            }
            catch (Exception e) when (e is not OperationCanceledException)
            {
                // The database may be away for a moment: the work stays due and the next round does it.
                logger.LogError(e, "{Work} failed; retrying in {Interval}.", what, interval);
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

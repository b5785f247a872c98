using System.Globalization;

namespace Pli.Web.Infrastructure.Audit;

/// <summary>
/// <c>dotnet run --project src/Pli.Web -- audit verify</c>: chains what is pending, verifies the whole
/// chain and prints the result; the exit code is 0 when intact, 1 when broken (for cron and monitoring).
/// </summary>
public static class AuditCommand
{
    public static bool Matches(string[] args) => args is ["audit", "verify", ..];

    public static async Task<int> RunAsync(IServiceProvider services, TextWriter output, CancellationToken cancellationToken = default)
    {
        await services.GetRequiredService<AuditChain>().ChainPendingAsync(cancellationToken);
        await using var scope = services.CreateAsyncScope();
        var result = await scope.ServiceProvider.GetRequiredService<AuditChainVerifier>().VerifyAsync(cancellationToken);
        if (result.Broken is not { } broken)
        {
            await output.WriteLineAsync(string.Create(CultureInfo.InvariantCulture, $"audit chain intact: {result.Checked} entries"));
            return 0;
        }
        await output.WriteLineAsync(string.Create(CultureInfo.InvariantCulture,
            $"audit chain BROKEN at sequence {broken.Sequence} ({broken.Kind}): entry {broken.EntryId?.ToString() ?? "-"}, at {broken.AtUtc?.ToString("O", CultureInfo.InvariantCulture) ?? "-"}, action {broken.Action ?? "-"}; {result.Checked} entries before it are intact"));
        return 1;
    }
}

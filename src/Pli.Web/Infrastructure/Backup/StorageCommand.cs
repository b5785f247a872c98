using System.Globalization;

namespace Pli.Web.Infrastructure.Backup;

/// <summary>
/// <c>dotnet Pli.Web.dll storage verify</c>: checks that every file the database names is in the file store with
/// its recorded size (and hash where it can be read), prints the first problems and exits 1 if there is any, 0
/// when the store is whole (after a restore, from cron, in the restore drill <c>deploy/test-restore.sh</c>).
/// </summary>
public static class StorageCommand
{
    private const int Shown = 20;

    public static bool Matches(string[] args) => args is ["storage", "verify", ..];

    public static void AddStorageVerification(this IServiceCollection services) => services.AddScoped<StorageVerifier>();

    public static async Task<int> RunAsync(IServiceProvider services, TextWriter output, CancellationToken cancellationToken = default)
    {
        await using var scope = services.CreateAsyncScope();
        var result = await scope.ServiceProvider.GetRequiredService<StorageVerifier>().VerifyAsync(Shown, cancellationToken);
        if (result.IsWhole)
        {
            await output.WriteLineAsync(string.Create(CultureInfo.InvariantCulture, $"storage whole: {result.Checked} files named by the database, each present as recorded"));
            return 0;
        }
        await output.WriteLineAsync(string.Create(CultureInfo.InvariantCulture,
            $"storage NOT whole: {result.ProblemCount} of {result.Checked} files named by the database are missing or differ; the first {result.FirstProblems.Count}:"));
        foreach (var problem in result.FirstProblems)
        {
            await output.WriteLineAsync(string.Create(CultureInfo.InvariantCulture, $"  {problem.Kind} {problem.Id} (key {problem.StorageKey}): {problem.Problem}"));
        }
        return 1;
    }
}

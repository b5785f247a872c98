using Microsoft.Extensions.Diagnostics.HealthChecks;
using Microsoft.Extensions.Options;

namespace Pli.Web.Infrastructure.Storage;

public static class StorageServiceCollectionExtensions
{
    public static IServiceCollection AddStorage(this IServiceCollection services, IConfiguration configuration)
    {
        services.AddOptions<StorageOptions>().Bind(configuration.GetSection(StorageOptions.Section)).ValidateDataAnnotations().ValidateOnStart();
        services.AddSingleton<IValidateOptions<StorageOptions>, StorageOptionsValidator>();
        if (configuration.GetSection(StorageOptions.Section).GetValue<StorageProvider?>(nameof(StorageOptions.Provider)) == StorageProvider.S3)
        {
            services.AddSingleton<IFileStore, S3FileStore>();
        }
        else
        {
            services.AddSingleton<IFileStore, LocalFileStore>();
        }
        services.AddHealthChecks().AddCheck<StorageHealthCheck>("storage");
        return services;
    }
}

internal sealed class StorageHealthCheck(IFileStore store) : IHealthCheck
{
    public async Task<HealthCheckResult> CheckHealthAsync(HealthCheckContext context, CancellationToken cancellationToken = default)
    {
        try
        {
            await store.ProbeAsync(cancellationToken);
            return HealthCheckResult.Healthy();
        }
        // Whatever the backend throws (a disk error, S3 refusing or unreachable) means the same: not writable now.
        catch (Exception e) when (!cancellationToken.IsCancellationRequested)
        {
            return HealthCheckResult.Unhealthy("Storage is not writable.", e);
        }
    }
}

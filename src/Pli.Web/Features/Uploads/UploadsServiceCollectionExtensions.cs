using Microsoft.Extensions.DependencyInjection.Extensions;

namespace Pli.Web.Features.Uploads;

public static class UploadsServiceCollectionExtensions
{
    public static IServiceCollection AddUploads(this IServiceCollection services, IConfiguration configuration)
    {
        services.AddOptions<UploadOptions>().Bind(configuration.GetSection(UploadOptions.Section)).ValidateDataAnnotations().ValidateOnStart();
        // Sealed uploads need AddCrypto (the master secret behind the resume key).
        services.AddSingleton<UploadResumeKey>();
        services.AddSingleton<IUploadStore, UploadStore>();
        services.TryAddSingleton<IUploadAdmission, AdmitAllUploads>();
        services.AddSingleton<IUploadCompleted, NoUploadCompleted>();
        services.AddHostedService<ExpiredUploadsSweep>();
        return services;
    }
}

/// <summary>Deletes expired uploads now and then; requests also refuse (and delete) them as they meet them.</summary>
internal sealed class ExpiredUploadsSweep(IUploadStore store, Microsoft.Extensions.Options.IOptions<UploadOptions> options, TimeProvider time, ILogger<ExpiredUploadsSweep> logger) : BackgroundService
{
    protected override async Task ExecuteAsync(CancellationToken stoppingToken)
    {
        using var timer = new PeriodicTimer(options.Value.SweepEvery, time);
        try
        {
            while (await timer.WaitForNextTickAsync(stoppingToken))
            {
                try
                {
                    var deleted = await store.DeleteExpiredAsync(stoppingToken);
                    if (deleted > 0)
                    {
                        logger.LogInformation("Deleted {Count} expired uploads.", deleted);
                    }
                }
                catch (Exception e) when (e is IOException or UnauthorizedAccessException)
                {
                    logger.LogWarning(e, "Sweeping expired uploads failed; next sweep will retry.");
                }
            }
        }
        catch (OperationCanceledException) when (stoppingToken.IsCancellationRequested)
        {
        }
    }
}

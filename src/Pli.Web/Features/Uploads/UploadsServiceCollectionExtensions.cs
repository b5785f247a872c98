using Microsoft.AspNetCore.Connections;
using Microsoft.AspNetCore.Server.Kestrel.Transport.Sockets;
using Microsoft.Extensions.DependencyInjection.Extensions;

namespace Pli.Web.Features.Uploads;

public static class UploadsServiceCollectionExtensions
{
    public static IServiceCollection AddUploads(this IServiceCollection services, IConfiguration configuration)
    {
        services.AddOptions<UploadOptions>().Bind(configuration.GetSection(UploadOptions.Section)).ValidateDataAnnotations().ValidateOnStart();
        // Sealed uploads need AddCrypto (the master secret behind the resume key).
        services.AddSingleton<UploadResumeKey>();
        if (configuration.GetValue<UploadStoreKind>($"{UploadOptions.Section}:Store") == UploadStoreKind.Shared)
        {
            services.AddSingleton<IUploadStore, SharedUploadStore>();
        }
        else
        {
            services.AddSingleton<IUploadStore, UploadStore>();
        }
        // One admission and one completion hook, dispatching by the upload's purpose: features add an
        // IUploadPurpose each (deposits, messaging).
        services.AddSingleton<UploadPurposes>();
        services.AddSingleton<IUploadAdmission>(sp => sp.GetRequiredService<UploadPurposes>());
        services.AddSingleton<IUploadCompleted>(sp => sp.GetRequiredService<UploadPurposes>());
        services.AddHostedService<ExpiredUploadsSweep>();
        // How Kestrel receives request bodies (bench/README.md, "Deposit upload (tus)", measures each knob):
        // Kestrel:Sockets binds SocketTransportOptions (e.g. WaitForDataBeforeAllocatingBuffer), and
        // Uploads:ReceiveBlockSize, when set, replaces the 4 KiB blocks the transport reads into.
        services.Configure<SocketTransportOptions>(configuration.GetSection("Kestrel:Sockets"));
        if (configuration.GetValue<int?>($"{UploadOptions.Section}:ReceiveBlockSize") is > 0 and var blockSize)
        {
            services.Replace(ServiceDescriptor.Singleton<IMemoryPoolFactory<byte>>(new ReceiveBlockMemoryPoolFactory(blockSize)));
        }
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
                catch (Exception e) when (e is not OperationCanceledException)
                {
                    // The disk or the database may be away for a moment.
                    logger.LogWarning(e, "Sweeping expired uploads failed; next sweep will retry.");
                }
            }
        }
        catch (OperationCanceledException) when (stoppingToken.IsCancellationRequested)
        {
        }
    }
}

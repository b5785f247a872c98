using Pli.Web.Infrastructure.Jobs;

namespace Pli.Web.Infrastructure.Audit;

/// <summary>Links the entries recorded by acts into the chain, every few seconds.</summary>
public sealed class AuditChainWorker(AuditChain chain, IConfiguration configuration, ILogger<AuditChainWorker> logger) : BackgroundService
{
    protected override Task ExecuteAsync(CancellationToken stoppingToken) =>
        PeriodicWork.RunAsync(c => chain.ChainPendingAsync(c), TimeSpan.FromSeconds(configuration.GetValue("Audit:ChainSeconds", 5)), logger, "Chaining the audit trail", stoppingToken);
}

public static class AuditServiceCollectionExtensions
{
    public static IServiceCollection AddAudit(this IServiceCollection services, IConfiguration configuration)
    {
        services.AddScoped<AuditTrail>();
        services.AddSingleton<AuditChain>();
        services.AddScoped<AuditChainVerifier>();
        if (configuration.GetValue("Audit:ChainWorkerEnabled", true))
        {
            services.AddHostedService<AuditChainWorker>();
        }
        return services;
    }
}

namespace Pli.Web.Features.Alerts;

public static class AlertsSetup
{
    public static IServiceCollection AddAlerts(this IServiceCollection services, IConfiguration configuration)
    {
        services.AddOptions<AlertOptions>().Bind(configuration.GetSection(AlertOptions.Section)).ValidateDataAnnotations().ValidateOnStart();
        services.AddScoped<AlertSearch>();
        services.AddSingleton<AlertDigest>();
        if (configuration.GetValue($"{AlertOptions.Section}:WorkerEnabled", true))
        {
            services.AddHostedService<AlertDigestWorker>();
        }
        return services;
    }

    /// <summary>The saved searches' Atom feeds (the pages are Razor Pages).</summary>
    public static WebApplication MapAlerts(this WebApplication app)
    {
        app.MapAlertFeed();
        return app;
    }
}

using Microsoft.Extensions.Options;

namespace Pli.Web.Infrastructure.Mail;

public static class MailServiceCollectionExtensions
{
    public static IServiceCollection AddMail(this IServiceCollection services, IConfiguration configuration)
    {
        services.AddMailOutbox(configuration);
        services.AddSingleton<IMailTransport>(sp => sp.GetRequiredService<IOptions<MailOptions>>().Value.UsesSmtp
            ? ActivatorUtilities.CreateInstance<SmtpMailTransport>(sp)
            : ActivatorUtilities.CreateInstance<PickupDirectoryMailTransport>(sp));
        services.AddSingleton<OutboxDispatcher>();
        if (configuration.GetValue($"{MailOptions.Section}:Outbox:WorkerEnabled", true))
        {
            services.AddHostedService<OutboxWorker>();
        }
        return services;
    }

    /// <summary>
    /// Mails enqueued (the outbox and its templates), not sent: an ingest instance (<c>Pli:Role=Ingest</c>)
    /// leaves the sending to the All instances.
    /// </summary>
    public static IServiceCollection AddMailOutbox(this IServiceCollection services, IConfiguration configuration)
    {
        services.AddOptions<MailOptions>().Bind(configuration.GetSection(MailOptions.Section)).ValidateDataAnnotations().ValidateOnStart();
        services.AddScoped<MailOutbox>();
        services.AddScoped<RecipientLanguage>();
        services.AddSingleton<MailTemplate>();
        return services;
    }
}

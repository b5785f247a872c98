using Microsoft.Extensions.Options;

namespace Pli.Web.Infrastructure.Mail;

public static class MailServiceCollectionExtensions
{
    public static IServiceCollection AddMail(this IServiceCollection services, IConfiguration configuration)
    {
        services.AddOptions<MailOptions>().Bind(configuration.GetSection(MailOptions.Section)).ValidateDataAnnotations().ValidateOnStart();
        services.AddSingleton<IMailTransport>(sp => sp.GetRequiredService<IOptions<MailOptions>>().Value.UsesSmtp
            ? ActivatorUtilities.CreateInstance<SmtpMailTransport>(sp)
            : ActivatorUtilities.CreateInstance<PickupDirectoryMailTransport>(sp));
        services.AddScoped<MailOutbox>();
        services.AddSingleton<OutboxDispatcher>();
        if (configuration.GetValue($"{MailOptions.Section}:Outbox:WorkerEnabled", true))
        {
            services.AddHostedService<OutboxWorker>();
        }
        services.AddSingleton<MailTemplate>();
        return services;
    }
}

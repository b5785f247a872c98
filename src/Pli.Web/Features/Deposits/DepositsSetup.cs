using Pli.Web.Features.Uploads;

namespace Pli.Web.Features.Deposits;

public static class DepositsSetup
{
    public static IServiceCollection AddDeposits(this IServiceCollection services, IConfiguration configuration)
    {
        services.AddDepositUploads(configuration);
        services.AddScoped<DepositService>();
        services.AddScoped<DepositReceiptMail>();
        services.AddScoped<ReceiptFinisher>();
        services.AddSingleton<ReceiptCompletion>();
        if (configuration.GetValue($"{DepositOptions.Section}:ReceiptCompletionWorkerEnabled", true))
        {
            services.AddHostedService<ReceiptCompletionWorker>();
        }
        return services;
    }

    /// <summary>
    /// What the tus server needs to take deposit files (their admission, sealing key and hand-over), without
    /// the rest of deposits: an ingest instance (<c>Pli:Role=Ingest</c>) registers only this.
    /// </summary>
    public static IServiceCollection AddDepositUploads(this IServiceCollection services, IConfiguration configuration)
    {
        services.AddOptions<DepositOptions>().Bind(configuration.GetSection(DepositOptions.Section)).ValidateDataAnnotations().ValidateOnStart();
        services.AddScoped<ConsultationKeyStore>();
        services.AddSingleton<ConsultationKeyGate>();
        // Deposit files are the tus server's default purpose (uploads whose metadata names none).
        services.AddSingleton<DepositUploadAdmission>();
        services.AddSingleton<DepositUploadCompleted>();
        services.AddSingleton<IUploadPurpose, DepositUploadPurpose>();
        return services;
    }
}

using Pli.Web.Features.Uploads;

namespace Pli.Web.Features.Deposits;

public static class DepositsSetup
{
    public static IServiceCollection AddDeposits(this IServiceCollection services, IConfiguration configuration)
    {
        services.AddOptions<DepositOptions>().Bind(configuration.GetSection(DepositOptions.Section)).ValidateDataAnnotations().ValidateOnStart();
        services.AddScoped<ConsultationKeyStore>();
        services.AddSingleton<ConsultationKeyGate>();
        services.AddScoped<DepositService>();
        services.AddScoped<DepositReceiptMail>();
        services.AddScoped<ReceiptFinisher>();
        services.AddSingleton<ReceiptCompletion>();
        if (configuration.GetValue($"{DepositOptions.Section}:ReceiptCompletionWorkerEnabled", true))
        {
            services.AddHostedService<ReceiptCompletionWorker>();
        }
        // Deposit files are the tus server's default purpose (uploads whose metadata names none).
        services.AddSingleton<DepositUploadAdmission>();
        services.AddSingleton<DepositUploadCompleted>();
        services.AddSingleton<IUploadPurpose, DepositUploadPurpose>();
        return services;
    }
}

using Microsoft.Extensions.DependencyInjection.Extensions;
using Pli.Web.Features.Uploads;

namespace Pli.Web.Features.Deposits;

public static class DepositsSetup
{
    public static IServiceCollection AddDeposits(this IServiceCollection services, IConfiguration configuration)
    {
        services.AddOptions<DepositOptions>().Bind(configuration.GetSection(DepositOptions.Section)).ValidateDataAnnotations().ValidateOnStart();
        services.AddScoped<ConsultationKeyStore>();
        services.AddScoped<DepositService>();
        services.AddScoped<DepositReceiptMail>();
        // Deposits are what the tus server is for: their admission and completion replace the defaults.
        services.RemoveAll<IUploadAdmission>();
        services.AddSingleton<IUploadAdmission, DepositUploadAdmission>();
        services.RemoveAll<IUploadCompleted>();
        services.AddSingleton<IUploadCompleted, DepositUploadCompleted>();
        return services;
    }
}

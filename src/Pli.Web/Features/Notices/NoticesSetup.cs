namespace Pli.Web.Features.Notices;

public static class NoticesSetup
{
    /// <summary>Modifications of published consultations and their notices to the companies that follow them.</summary>
    public static IServiceCollection AddNotices(this IServiceCollection services)
    {
        services.AddScoped<ConsultationNotices>();
        return services;
    }
}

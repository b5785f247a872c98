using Microsoft.Extensions.DependencyInjection.Extensions;
using Pli.Web.Features.OpenData.Decp;

namespace Pli.Web.Features.Award;

public static class AwardSetup
{
    public static IServiceCollection AddAward(this IServiceCollection services)
    {
        services.AddScoped<AwardService>();
        services.AddScoped<AwardReadModel>();
        services.Replace(ServiceDescriptor.Scoped<Pli.Web.Features.OpenData.Ocds.IOcdsAwardSource, AwardOcdsSource>());
        services.AddScoped<DecpService>();
        return services;
    }

    /// <summary>The public essential data (DECP) of each buyer, per year or month.</summary>
    public static WebApplication MapAward(this WebApplication app)
    {
        app.MapDecp();
        return app;
    }
}

public static class AwardPaths
{
    public static string Page(Guid consultationId) => $"/acheteur/consultations/{consultationId}/attribution";

    public static string EssentialData(Guid consultationId, int lot) => $"/acheteur/consultations/{consultationId}/attribution/{lot}/donnees-essentielles";

    public static string Decp(string siret, int year) => $"/donnees-essentielles/{siret}/{year}.json";
}

using Pli.Domain.Consultations;

namespace Pli.Web.Infrastructure.Cpv;

public static class CpvServiceCollectionExtensions
{
    /// <summary>The CPV 2008 list ships with Pli (copied from shared/data/cpv) and is loaded once, lazily.</summary>
    public static IServiceCollection AddCpvCatalog(this IServiceCollection services)
    {
        services.AddSingleton(_ =>
        {
            var path = Path.Combine(AppContext.BaseDirectory, "Infrastructure", "Cpv", "cpv2008.csv");
            using var reader = new StreamReader(path);
            return CpvCatalog.Load(reader);
        });
        return services;
    }
}

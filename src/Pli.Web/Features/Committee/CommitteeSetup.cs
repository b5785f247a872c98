namespace Pli.Web.Features.Committee;

public static class CommitteeSetup
{
    /// <summary>The committee opening: opener keys, committees of drafts, shares presented after the deadline.</summary>
    public static IServiceCollection AddCommittee(this IServiceCollection services)
    {
        services.AddScoped<CommitteeService>();
        return services;
    }
}

public static class CommitteePaths
{
    public const string OpenerKey = "/acheteur/cle-d-ouverture";

    public static string Committee(Guid consultationId) => $"/acheteur/consultations/{consultationId}/comite";

    public static string Present(Guid consultationId) => $"/acheteur/consultations/{consultationId}/ouverture/comite";
}

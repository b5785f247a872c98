namespace Pli.Web.Features.Backoffice;

public static class BackofficeEndpoints
{
    public static IServiceCollection AddBackoffice(this IServiceCollection services) => services;

    /// <summary>Endpoints of the buyers' back office (CPV label search…).</summary>
    public static RouteGroupBuilder MapBackofficeApi(this RouteGroupBuilder api) => api;
}

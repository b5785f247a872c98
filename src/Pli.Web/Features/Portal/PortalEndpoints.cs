namespace Pli.Web.Features.Portal;

public static class PortalEndpoints
{
    public static IServiceCollection AddPortal(this IServiceCollection services) => services;

    /// <summary>GET /api/consultations and /api/consultations/{id}: the public portal as JSON.</summary>
    public static RouteGroupBuilder MapPortalApi(this RouteGroupBuilder api) => api;
}

namespace Pli.Web.Features.Portal;

public static class PortalEndpoints
{
    /// <summary>GET /api/consultations and /api/consultations/{id}: the public portal as JSON.</summary>
    public static RouteGroupBuilder MapPortalApi(this RouteGroupBuilder api) => api;
}

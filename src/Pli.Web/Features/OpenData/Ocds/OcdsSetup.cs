using Microsoft.Extensions.DependencyInjection.Extensions;

namespace Pli.Web.Features.OpenData.Ocds;

public static class OcdsSetup
{
    public static IServiceCollection AddOcds(this IServiceCollection services, IConfiguration configuration)
    {
        services.AddOptions<OcdsOptions>().Bind(configuration.GetSection(OcdsOptions.Section)).ValidateDataAnnotations().ValidateOnStart();
        services.AddSingleton<OcdsReleaseBuilder>();
        services.AddScoped<OcdsFeed>();
        // The award feature replaces it with its read model.
        services.TryAddScoped<IOcdsAwardSource, NoOcdsAwards>();
        return services;
    }

    /// <summary>GET /ocds/releases.json (all, paged with ?page=) and /ocds/consultations/{id}/releases.json: public, no sign-in.</summary>
    public static IEndpointRouteBuilder MapOcds(this IEndpointRouteBuilder app)
    {
        var ocds = app.MapGroup("/ocds").AllowAnonymous().WithTags("Open data");
        ocds.MapGet("/releases.json", async (OcdsFeed feed, HttpContext http, CancellationToken cancellationToken, int page = 1) =>
            Respond(http, await feed.AllAsync(page, cancellationToken)));
        ocds.MapGet("/consultations/{id:guid}/releases.json", async (Guid id, OcdsFeed feed, HttpContext http, CancellationToken cancellationToken) =>
            Respond(http, await feed.OfConsultationAsync(id, cancellationToken)));
        return app;
    }

    private static IResult Respond(HttpContext http, OcdsReleasePackage? package)
    {
        if (package is null)
        {
            return Results.NotFound();
        }
        if (package.Links is { } pagination)
        {
            http.Response.Headers.Link = string.Join(", ", new[] { (pagination.Next, "next"), (pagination.Prev, "prev") }
                .Where(l => l.Item1 is not null).Select(l => $"<{l.Item1}>; rel=\"{l.Item2}\""));
        }
        return Results.Json(package, OcdsReleasePackage.Json, "application/json");
    }
}

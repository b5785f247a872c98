using Pli.Web.Features.Account;
using Pli.Web.Features.Backoffice;
using Pli.Web.Features.Deposits;
using Pli.Web.Features.Help;
using Pli.Web.Features.Portal;
using Pli.Web.Features.Timestamping;
using Pli.Web.Features.Uploads;

namespace Pli.Web.Features.Api;

public static class ApiSetup
{
    public static IServiceCollection AddPliApi(this IServiceCollection services)
    {
        services.AddOpenApi(o => o.AddDocumentTransformer((document, _, _) =>
        {
            document.Info.Title = "Pli API";
            document.Info.Description = "Consultations publiques, DCE et comptes de la plateforme Pli.";
            return Task.CompletedTask;
        }));
        services.ConfigureHttpJsonOptions(o => o.SerializerOptions.Converters.Add(new System.Text.Json.Serialization.JsonStringEnumConverter()));
        return services;
    }

    /// <summary>The JSON API: /api/..., described at /openapi/v1.json.</summary>
    public static WebApplication MapPliApi(this WebApplication app)
    {
        app.MapOpenApi();
        var api = app.MapGroup("/api").DisableAntiforgery();
        api.MapPortalApi();
        api.MapAccountApi();
        api.MapBackofficeApi();
        api.MapUploads();
        api.MapDeposits();
        api.MapTimestamping();
        api.MapWorkstationTest();
        return app;
    }
}

using System.Globalization;
using Microsoft.AspNetCore.Http.HttpResults;
using Pli.Domain.Consultations;
using Pli.Web.Features.Agents;
using Pli.Web.Features.Backoffice.Consultations;
using Pli.Web.Infrastructure.Security;

namespace Pli.Web.Features.Backoffice;

public static class BackofficeEndpoints
{
    public static IServiceCollection AddBackoffice(this IServiceCollection services)
    {
        services.AddOptions<DceUploadOptions>().BindConfiguration(DceUploadOptions.Section).ValidateDataAnnotations().ValidateOnStart();
        services.AddScoped<DceUploader>();
        services.AddScoped<AgentInvitations>();
        return services;
    }

    /// <summary>Endpoints of the buyers' back office (CPV label search…).</summary>
    public static RouteGroupBuilder MapBackofficeApi(this RouteGroupBuilder api)
    {
        api.MapGet("/cpv", SearchCpv)
            .RequireAuthorization(Policies.Agent)
            .WithName("SearchCpv")
            .WithSummary("Codes CPV 2008 dont le code ou le libellé contient tous les mots cherchés (agents seulement).");
        return api;
    }

    public sealed record CpvSuggestion(string Code, string Label);

    private static Ok<CpvSuggestion[]> SearchCpv(string? q, CpvCatalog cpv)
    {
        var french = CultureInfo.CurrentUICulture.TwoLetterISOLanguageName == "fr";
        return TypedResults.Ok(cpv.Search(q, 20).Select(e => new CpvSuggestion(e.Code, french ? e.LabelFr : e.LabelEn)).ToArray());
    }
}

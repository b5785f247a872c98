using System.ComponentModel;
using System.Text.Json.Nodes;
using Microsoft.AspNetCore.Http.HttpResults;
using Microsoft.AspNetCore.Mvc;
using Microsoft.AspNetCore.OpenApi;
using Microsoft.Extensions.Localization;
using Microsoft.OpenApi;
using Pli.Domain.Consultations;
using Pli.Web.Infrastructure.Web;

namespace Pli.Web.Features.Portal;

public static class PortalEndpoints
{
    public static IServiceCollection AddPortal(this IServiceCollection services)
    {
        services.AddScoped<PublicConsultations>();
        services.AddSingleton<PortalBuyerCache>();
        services.AddSingleton<Microsoft.EntityFrameworkCore.Diagnostics.IInterceptor, PortalBuyerCacheInvalidation>();
        return services;
    }

    /// <summary>GET /api/consultations and /api/consultations/{id}: the public portal as JSON.</summary>
    public static RouteGroupBuilder MapPortalApi(this RouteGroupBuilder api)
    {
        api.MapGet("/consultations", ListAsync)
            .WithName("ListConsultations")
            .WithTags("Consultations")
            .WithSummary("Consultations publiées")
            .WithDescription("Consultations en cours (date limite non atteinte), de la plus proche échéance à la plus lointaine ; includeClosed=true ajoute celles dont la date limite est passée. Le total est compté jusqu'à 1 000 : au-delà, total vaut 1 000 et totalIsCapped true (plus de 1 000 consultations correspondent) ; hasNextPage dit s'il reste une page après celle-ci.")
            .AddOpenApiOperationTransformer(DescribeQueryParameters);
        api.MapGet("/consultations/{id:guid}", GetAsync)
            .WithName("GetConsultation")
            .WithTags("Consultations")
            .WithSummary("Une consultation publiée")
            .WithDescription("404 pour un brouillon ou un identifiant inconnu.")
            .ProducesProblem(StatusCodes.Status404NotFound);
        return api;
    }

    internal static async Task<Results<Ok<ConsultationListResponse>, ValidationProblem>> ListAsync(
        [AsParameters] ConsultationQuery query, PublicLinks links, PublicConsultations consultations, CpvCatalog cpv,
        IStringLocalizer<PortalTexts> texts, CancellationToken cancellationToken)
    {
        var criteria = PortalSearch.Parse(query.ToInput(), texts, out var errors);
        if (criteria is null)
        {
            return TypedResults.ValidationProblem(errors, title: texts["ValidationTitle"]);
        }
        var listing = await consultations.SearchWithDetailsAsync(criteria with { CountCap = PortalSearch.CountCap }, cancellationToken);
        var now = consultations.NowUtc;
        var baseUrl = links.Base;
        var items = listing.Items
            .Select(c => ConsultationResponse.From(c, listing.BuyerOf(c), listing.ServiceOf(c), cpv, now, baseUrl))
            .ToList();
        return TypedResults.Ok(new ConsultationListResponse(items, listing.Page, listing.PageSize, listing.Total, listing.TotalIsCapped, listing.HasNextPage));
    }

    internal static async Task<Results<Ok<ConsultationResponse>, ProblemHttpResult>> GetAsync(
        Guid id, PublicLinks links, PublicConsultations consultations, CpvCatalog cpv,
        IStringLocalizer<PortalTexts> texts, CancellationToken cancellationToken)
    {
        var found = await consultations.FindAsync(id, cancellationToken);
        if (found is null)
        {
            // A body, so that the status-code pages do not answer an API client with the HTML error page.
            return TypedResults.Problem(statusCode: StatusCodes.Status404NotFound, title: texts["NotFoundTitle"], detail: texts["NotFoundDetail"]);
        }
        return TypedResults.Ok(ConsultationResponse.From(found.Consultation, found.BuyerName, found.ServiceName, cpv, consultations.NowUtc, links.Base));
    }

    /// <summary>
    /// The parameters are bound as text so that a wrong value gets a 400 ValidationProblem naming it;
    /// this gives them back their real types in the OpenAPI document.
    /// </summary>
    private static Task DescribeQueryParameters(OpenApiOperation operation, OpenApiOperationTransformerContext context, CancellationToken cancellationToken)
    {
        foreach (var parameter in (operation.Parameters ?? []).OfType<OpenApiParameter>())
        {
            parameter.Schema = parameter.Name switch
            {
                "buyer" => new OpenApiSchema { Type = JsonSchemaType.String, Format = "uuid" },
                "nature" => EnumSchema<Nature>(),
                "procedure" => EnumSchema<ProcedureType>(),
                "cpv" => new OpenApiSchema { Type = JsonSchemaType.String, Pattern = @"^\d{2,8}(-\d)?$" },
                "place" => new OpenApiSchema { Type = JsonSchemaType.String, MaxLength = PortalSearch.MaxPlaceLength },
                "deadlineFrom" or "deadlineTo" => new OpenApiSchema { Type = JsonSchemaType.String, Format = "date" },
                "page" => new OpenApiSchema { Type = JsonSchemaType.Integer, Format = "int32", Minimum = "1", Maximum = PortalSearch.MaxPage.ToString(System.Globalization.CultureInfo.InvariantCulture), Default = 1 },
                "pageSize" => new OpenApiSchema { Type = JsonSchemaType.Integer, Format = "int32", Minimum = "1", Maximum = PortalSearch.MaxPageSize.ToString(System.Globalization.CultureInfo.InvariantCulture), Default = PortalSearch.DefaultPageSize },
                "includeClosed" => new OpenApiSchema { Type = JsonSchemaType.Boolean, Default = false },
                _ => parameter.Schema,
            };
        }
        return Task.CompletedTask;
    }

    private static OpenApiSchema EnumSchema<TEnum>() where TEnum : struct, Enum => new()
    {
        Type = JsonSchemaType.String,
        Enum = [.. Enum.GetNames<TEnum>().Select(n => (JsonNode)JsonValue.Create(n))],
    };
}

/// <summary>The query string of GET /api/consultations.</summary>
public sealed class ConsultationQuery
{
    [FromQuery(Name = "reference"), Description("Référence exacte (casse et espaces ignorés).")]
    public string? Reference { get; init; }

    [FromQuery(Name = "q"), Description("Mots-clés : chacun doit commencer un mot de la référence, de l'intitulé, de l'objet, du lieu ou d'un lot (« ecol » trouve « école », « eau » ne trouve pas « bureau ») ; accents et casse ignorés, lettres seules (l', d') ignorées.")]
    public string? Q { get; init; }

    [FromQuery(Name = "buyer"), Description("Identifiant de l'organisation acheteuse.")]
    public string? Buyer { get; init; }

    [FromQuery(Name = "nature"), Description("Travaux, Fournitures ou Services.")]
    public string? Nature { get; init; }

    [FromQuery(Name = "procedure"), Description("Type de procédure (nom de l'énumération, par exemple AppelOffresOuvert).")]
    public string? Procedure { get; init; }

    [FromQuery(Name = "cpv"), Description("Code CPV ou son début (45, 45233120, 45233120-6) : les codes de la même branche.")]
    public string? Cpv { get; init; }

    [FromQuery(Name = "place"), Description("Lieu d'exécution (commune, département ou région, 100 caractères au plus) : contenu dans le lieu de la consultation ; accents, casse et tirets ignorés.")]
    public string? Place { get; init; }

    [FromQuery(Name = "deadlineFrom"), Description("Date limite à partir de ce jour (AAAA-MM-JJ, jour de Paris).")]
    public string? DeadlineFrom { get; init; }

    [FromQuery(Name = "deadlineTo"), Description("Date limite jusqu'à ce jour inclus (AAAA-MM-JJ, jour de Paris).")]
    public string? DeadlineTo { get; init; }

    [FromQuery(Name = "page"), Description("Numéro de page, à partir de 1.")]
    public string? Page { get; init; }

    [FromQuery(Name = "pageSize"), Description("Consultations par page (1 à 100, 20 par défaut).")]
    public string? PageSize { get; init; }

    [FromQuery(Name = "includeClosed"), Description("true pour inclure les consultations dont la date limite est passée.")]
    public string? IncludeClosed { get; init; }

    internal PortalSearchInput ToInput() =>
        new(Reference, Q, Buyer, Nature, Procedure, Cpv, DeadlineFrom, DeadlineTo, Page, PageSize, IncludeClosed, Place);
}

using System.Text;
using Microsoft.AspNetCore.Http.HttpResults;
using Pli.Web.Infrastructure.Timestamping;

namespace Pli.Web.Features.Timestamping;

public static class TimestampingEndpoints
{
    /// <summary>GET /api/timestamping/certificate.pem: what a company gives <c>openssl ts -verify -CAfile</c>.</summary>
    public static IEndpointRouteBuilder MapTimestamping(this IEndpointRouteBuilder api)
    {
        api.MapGet("/timestamping/certificate.pem", GetCertificateAsync)
            .AllowAnonymous()
            .WithName("GetTimestampingCertificate")
            .WithTags("Timestamping")
            .WithSummary("Certificat de l'autorité d'horodatage")
            .WithDescription("Le certificat (PEM) qui vérifie les jetons d'horodatage RFC 3161 des accusés de réception : openssl ts -verify -data receipt.json -in receipt.tsr -CAfile tsa.pem.");
        return api;
    }

    internal static async Task<FileContentHttpResult> GetCertificateAsync(ITimestampAuthority authority, CancellationToken cancellationToken) =>
        TypedResults.File(Encoding.ASCII.GetBytes(await authority.GetCertificatePemAsync(cancellationToken)), "application/x-pem-file", "tsa.pem");
}

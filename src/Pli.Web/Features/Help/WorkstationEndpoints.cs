using System.ComponentModel.DataAnnotations;
using System.Diagnostics;
using Microsoft.AspNetCore.Http.HttpResults;
using Microsoft.AspNetCore.RateLimiting;
using Microsoft.Extensions.Options;
using Pli.Web.Infrastructure.Security;

namespace Pli.Web.Features.Help;

/// <summary>Workstation: — the bounds of the workstation test's upload, which anyone may run before having an account.</summary>
public sealed class WorkstationOptions
{
    public const string Section = "Workstation";

    /// <summary>
    /// The test upload the page sends (4 MiB: long enough to measure a weak line, short on a good one); at most
    /// 16 MiB, well under Kestrel's default request body limit (30 MB).
    /// </summary>
    [Range(64 * 1024, 16 * 1024 * 1024)]
    public int TestUploadBytes { get; set; } = 4 * 1024 * 1024;

    /// <summary>Test uploads per client address and minute: the endpoint takes bytes from anyone.</summary>
    [Range(1, 1000)]
    public int TestsPerMinute { get; set; } = 6;
}

public sealed record WorkstationClock(DateTimeOffset Utc);

public sealed record WorkstationUploadResult(long Bytes, double ServerMilliseconds);

/// <summary>
/// The two requests of the workstation test (prérequis techniques): the platform's clock, and a test upload
/// that is read and thrown away. The upload is a PATCH of application/offset+octet-stream like a tus chunk, so
/// that a proxy which blocks the deposit's requests blocks this one too.
/// </summary>
public static class WorkstationEndpoints
{
    public const string RateLimitPolicy = "workstation-test";
    public const string ContentType = "application/offset+octet-stream";

    public static IServiceCollection AddWorkstationTest(this IServiceCollection services, IConfiguration configuration)
    {
        services.AddOptions<WorkstationOptions>().Bind(configuration.GetSection(WorkstationOptions.Section)).ValidateDataAnnotations().ValidateOnStart();
        services.AddOptions<RateLimiterOptions>().Configure<IOptions<WorkstationOptions>>((limiter, workstation) =>
            limiter.AddPolicy(RateLimitPolicy, context => RateLimits.PerClientAddressPerMinute(context, workstation.Value.TestsPerMinute)));
        return services;
    }

    public static IEndpointRouteBuilder MapWorkstationTest(this IEndpointRouteBuilder api)
    {
        var group = api.MapGroup("/workstation").AllowAnonymous().WithTags("Workstation");
        group.MapGet("/clock", Clock)
            .WithSummary("Heure de la plateforme")
            .WithDescription("L'heure UTC de la plateforme, que le test du poste compare à l'horloge du navigateur.");
        group.MapMethods("/upload", [HttpMethods.Patch], UploadAsync)
            .RequireRateLimiting(RateLimitPolicy)
            .WithSummary("Envoi de test")
            .WithDescription("Lit et jette le corps (application/offset+octet-stream, au plus Workstation:TestUploadBytes octets) et dit combien d'octets sont arrivés.");
        return api;
    }

    internal static Ok<WorkstationClock> Clock(TimeProvider time, HttpContext context)
    {
        context.Response.Headers.CacheControl = "no-store";
        return TypedResults.Ok(new WorkstationClock(time.GetUtcNow()));
    }

    internal static async Task<Results<Ok<WorkstationUploadResult>, ProblemHttpResult>> UploadAsync(
        HttpContext context, IOptions<WorkstationOptions> options, CancellationToken cancellationToken)
    {
        var request = context.Request;
        var max = options.Value.TestUploadBytes;
        if (!string.Equals(request.ContentType, ContentType, StringComparison.OrdinalIgnoreCase))
        {
            return TypedResults.Problem($"The test upload is sent as {ContentType}.", statusCode: StatusCodes.Status415UnsupportedMediaType);
        }
        if (request.ContentLength is not { } length)
        {
            return TypedResults.Problem("The test upload needs a Content-Length.", statusCode: StatusCodes.Status411LengthRequired);
        }
        if (length > max)
        {
            return TypedResults.Problem($"The test upload is at most {max} bytes.", statusCode: StatusCodes.Status413PayloadTooLarge);
        }
        var watch = Stopwatch.StartNew();
        long received = 0;
        var reader = request.BodyReader;
        while (true)
        {
            var read = await reader.ReadAsync(cancellationToken);
            received += read.Buffer.Length;
            reader.AdvanceTo(read.Buffer.End);
            if (read.IsCompleted)
            {
                break;
            }
        }
        context.Response.Headers.CacheControl = "no-store";
        return TypedResults.Ok(new WorkstationUploadResult(received, watch.Elapsed.TotalMilliseconds));
    }
}

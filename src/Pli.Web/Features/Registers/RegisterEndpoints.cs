using System.Globalization;
using Microsoft.Net.Http.Headers;
using Pli.Web.Infrastructure.Audit;
using Pli.Web.Infrastructure.Data;
using Pli.Web.Infrastructure.Security;

namespace Pli.Web.Features.Registers;

/// <summary>
/// GET /acheteur/consultations/{id}/{retraits|questions|depots|messages}/export.{csv|xlsx|pdf}: a register of one
/// consultation of the agent's organisation (anyone else: 404), each export recorded in the audit trail.
/// </summary>
public static class RegisterEndpoints
{
    public const string ExportedAction = "register.exported";

    public static IEndpointRouteBuilder MapRegisterExports(this IEndpointRouteBuilder app)
    {
        app.MapGet("/acheteur/consultations/{id:guid}/{register}/export.{format}", ExportAsync)
            .RequireAuthorization(Policies.Agent)
            .ExcludeFromDescription();
        return app;
    }

    private static async Task<IResult> ExportAsync(Guid id, string register, string format, HttpContext context,
        IEnumerable<IRegisterSource> sources, AuditTrail audit, PliDbContext db)
    {
        if (!RegisterKinds.TryParse(register, out var kind) || !RegisterFormats.TryParse(format, out var chosen))
        {
            return TypedResults.NotFound();
        }
        var culture = CultureInfo.CurrentUICulture;
        var source = sources.Single(s => s.Kind == kind);
        var document = await source.BuildAsync(context.User, id, culture, context.RequestAborted);
        if (document is null)
        {
            return TypedResults.NotFound();
        }
        // Recorded before a byte is sent: an export that fails half-way was still asked for.
        audit.Record(ExportedAction, context.User, id, $"register:{RegisterKinds.Slug(kind)}", $"format:{RegisterFormats.Extension(chosen)} rows:{document.RowCount}");
        await db.SaveChangesAsync(context.RequestAborted);
        return new RegisterFileResult(document, chosen, culture);
    }
}

/// <summary>Writes a register to the response in the format asked for, as an attachment named after the register, the consultation and the moment.</summary>
public sealed class RegisterFileResult(RegisterDocument register, RegisterFormat format, CultureInfo culture) : IResult
{
    public async Task ExecuteAsync(HttpContext httpContext)
    {
        ArgumentNullException.ThrowIfNull(httpContext);
        var response = httpContext.Response;
        var name = register.FileName(format);
        response.ContentType = RegisterFormats.ContentType(format);
        response.Headers.ContentDisposition = new ContentDispositionHeaderValue("attachment") { FileNameStar = name, FileName = name }.ToString();
        response.Headers.CacheControl = "no-store";
        var cancellationToken = httpContext.RequestAborted;
        switch (format)
        {
            case RegisterFormat.Csv:
                await RegisterCsv.WriteAsync(register, response.Body, culture, cancellationToken);
                break;
            case RegisterFormat.Xlsx:
                await RegisterXlsx.WriteAsync(register, response.Body, culture, cancellationToken);
                break;
            case RegisterFormat.Pdf:
                await RegisterPdf.WriteAsync(register, response.Body, culture, cancellationToken);
                break;
            default:
                throw new ArgumentOutOfRangeException(nameof(format));
        }
    }
}

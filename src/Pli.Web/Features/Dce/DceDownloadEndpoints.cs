using Microsoft.AspNetCore.Mvc;
using Microsoft.AspNetCore.StaticFiles;
using Microsoft.EntityFrameworkCore;
using Microsoft.Net.Http.Headers;
using Pli.Domain.Consultations;
using Pli.Domain.Dce;
using Pli.Web.Infrastructure.Data;
using Pli.Web.Infrastructure.Storage;

namespace Pli.Web.Features.Dce;

/// <summary>
/// GET /consultations/{id}/dce/zip[?fichier=…]: the whole DCE (or a selection) as one streamed zip.
/// GET /consultations/{id}/dce/fichiers/{fileId}: one file, with HTTP ranges (206) so that a long
/// download can resume. Whoever is not allowed yet (not a company user, no anonymous
/// confirmation) is sent to the DCE page, which explains and asks for the confirmation.
/// </summary>
public static class DceDownloadEndpoints
{
    private static readonly FileExtensionContentTypeProvider ContentTypes = new();

    public static IEndpointRouteBuilder MapDceDownloads(this IEndpointRouteBuilder app)
    {
        var dce = app.MapGroup("/consultations/{id:guid}/dce").ExcludeFromDescription();
        dce.MapGet("/zip", DownloadZipAsync);
        dce.MapGet("/fichiers/{fileId:guid}", DownloadFileAsync);
        return app;
    }

    public static string ZipPath(Guid consultationId) => $"/consultations/{consultationId}/dce/zip";

    public static string FilePath(Guid consultationId, Guid fileId) => $"/consultations/{consultationId}/dce/fichiers/{fileId}";

    /// <summary>A published consultation with its DCE, or null: a draft does not exist for the public.</summary>
    public static Task<Consultation?> LoadPublishedAsync(PliDbContext db, Guid id, CancellationToken cancellationToken) =>
        db.Consultations.AsNoTracking().Include(c => c.DceFiles)
            .FirstOrDefaultAsync(c => c.Id == id && c.Status == ConsultationStatus.Published, cancellationToken);

    public static IReadOnlyList<DceFile> Ordered(IEnumerable<DceFile> files) =>
        [.. files.OrderBy(f => f.RelativePath.Contains('/', StringComparison.Ordinal)).ThenBy(f => f.RelativePath, StringComparer.Ordinal)];

    private static async Task<IResult> DownloadZipAsync(Guid id, [FromQuery(Name = "fichier")] Guid[]? selection,
        HttpContext context, PliDbContext db, DceAccess access, DceRegister register, IFileStore store)
    {
        var consultation = await LoadPublishedAsync(db, id, context.RequestAborted);
        if (consultation is null)
        {
            return TypedResults.NotFound();
        }
        var who = access.Resolve(context, consultation);
        if (!who.MayDownload)
        {
            return TypedResults.Redirect(DceAccess.PagePath(id));
        }
        var files = Ordered(selection is { Length: > 0 } ? consultation.DceFiles.Where(f => selection.Contains(f.Id)) : consultation.DceFiles);
        if (files.Count == 0)
        {
            return TypedResults.NotFound();
        }
        var whole = files.Count == consultation.DceFiles.Count;
        await DceZipResult.RequireStoredAsync(files, store, context.RequestAborted);
        await register.RecordAsync(consultation, who, whole ? DceDownload.WholeDce : string.Join('\n', files.Select(f => f.RelativePath)),
            isRangeRequest: false, context.RequestAborted);
        return new DceZipResult(files, DceZipResult.FileNameFor(consultation, selection: !whole), store);
    }

    private static async Task<IResult> DownloadFileAsync(Guid id, Guid fileId,
        HttpContext context, PliDbContext db, DceAccess access, DceRegister register, IFileStore store)
    {
        var consultation = await LoadPublishedAsync(db, id, context.RequestAborted);
        var file = consultation?.DceFiles.FirstOrDefault(f => f.Id == fileId);
        if (consultation is null || file is null)
        {
            return TypedResults.NotFound();
        }
        var who = access.Resolve(context, consultation);
        if (!who.MayDownload)
        {
            return TypedResults.Redirect(DceAccess.PagePath(id));
        }
        // Opened before the line is written: a file missing from storage fails without being counted.
        var content = await store.OpenReadAsync(file.StorageKey, context.RequestAborted);
        try
        {
            await register.RecordAsync(consultation, who, file.RelativePath, isRangeRequest: context.Request.Headers.Range.Count > 0, context.RequestAborted);
        }
        catch
        {
            await content.DisposeAsync();
            throw;
        }
        context.Response.Headers.CacheControl = "private, no-store";
        return TypedResults.File(content, ContentTypeOf(file), file.FileName,
            lastModified: new DateTimeOffset(file.UploadedUtc), entityTag: new EntityTagHeaderValue($"\"{file.Sha256}\""), enableRangeProcessing: true);
    }

    public static string ContentTypeOf(DceFile file) =>
        ContentTypes.TryGetContentType(file.FileName, out var type) ? type : "application/octet-stream";
}

using System.Security.Claims;
using Microsoft.AspNetCore.Http.Features;
using Microsoft.Extensions.Options;
using Pli.Web.Infrastructure.Security;

namespace Pli.Web.Features.Uploads;

/// <summary>
/// The tus 1.0.0 server (core, creation, creation-with-upload, expiration, checksum, termination) at
/// /api/uploads/. An upload belongs to the signed-in user who created it: for anyone else it does not exist.
/// </summary>
public static class UploadEndpoints
{
    public static IEndpointRouteBuilder MapUploads(this IEndpointRouteBuilder api)
    {
        var uploads = api.MapGroup("/uploads").RequireAuthorization().AddEndpointFilter(RequireTusResumable).AddEndpointFilter(AnswerStorageFull).WithTags("Uploads");
        uploads.MapMethods("/", [HttpMethods.Options], Options).AllowAnonymous();
        uploads.MapMethods("/{id}", [HttpMethods.Options], Options).AllowAnonymous();
        uploads.MapPost("/", CreateAsync);
        uploads.MapMethods("/{id}", [HttpMethods.Head], HeadAsync);
        uploads.MapPatch("/{id}", PatchAsync);
        uploads.MapDelete("/{id}", DeleteAsync);
        return api;
    }

    /// <summary>Every answer says Tus-Resumable; every request but OPTIONS must speak the same version.</summary>
    private static async ValueTask<object?> RequireTusResumable(EndpointFilterInvocationContext context, EndpointFilterDelegate next)
    {
        var http = context.HttpContext;
        http.Response.Headers[TusProtocol.TusResumable] = TusProtocol.Version;
        // The exception handler clears the headers before it writes a refused rule's problem details;
        // a callback registered for the start of the response survives that.
        http.Response.OnStarting(static state =>
        {
            ((HttpResponse)state).Headers[TusProtocol.TusResumable] = TusProtocol.Version;
            return Task.CompletedTask;
        }, http.Response);
        if (!HttpMethods.IsOptions(http.Request.Method) && http.Request.Headers[TusProtocol.TusResumable] != TusProtocol.Version)
        {
            http.Response.Headers["Tus-Version"] = TusProtocol.Version;
            return Results.StatusCode(StatusCodes.Status412PreconditionFailed);
        }
        return await next(context);
    }

    /// <summary>
    /// A full disk is the operator's to solve, not a bug: the client is told so (507, in their language) rather than
    /// given a bare 500, and the offset acknowledged before stays valid, so the upload resumes once space returns.
    /// </summary>
    private static async ValueTask<object?> AnswerStorageFull(EndpointFilterInvocationContext context, EndpointFilterDelegate next)
    {
        try
        {
            return await next(context);
        }
        catch (IOException e) when (IsStorageFull(e))
        {
            var http = context.HttpContext;
            http.RequestServices.GetRequiredService<ILoggerFactory>().CreateLogger(typeof(UploadEndpoints))
                .LogError(e, "Upload storage full: {Method} {Path} answered 507.", http.Request.Method, http.Request.Path.Value);
            return Results.Problem(
                title: UploadTexts.Get("StorageFullTitle"),
                detail: UploadTexts.Get("StorageFullDetail"),
                statusCode: StatusCodes.Status507InsufficientStorage);
        }
    }

    /// <summary>ENOSPC or EDQUOT (Linux, where .NET puts the errno in HResult), ERROR_DISK_FULL or ERROR_HANDLE_DISK_FULL (Windows).</summary>
    internal static bool IsStorageFull(IOException e) => e.HResult is 28 or 122 or unchecked((int)0x80070070) or unchecked((int)0x80070027);

    private static IResult Options(HttpResponse response, IOptions<UploadOptions> options)
    {
        response.Headers["Tus-Version"] = TusProtocol.Version;
        response.Headers["Tus-Extension"] = TusProtocol.Extensions;
        response.Headers["Tus-Max-Size"] = options.Value.MaxSize.ToString(System.Globalization.CultureInfo.InvariantCulture);
        response.Headers["Tus-Checksum-Algorithm"] = TusProtocol.ChecksumAlgorithms;
        return Results.NoContent();
    }

    private static async Task<IResult> CreateAsync(HttpContext http, IUploadStore store, IUploadAdmission admission, IUploadCompleted completed, IOptions<UploadOptions> options, CancellationToken cancellationToken)
    {
        var request = http.Request;
        if (http.User.UserId() is not { } owner)
        {
            return Results.NotFound();
        }
        if (!TusProtocol.TryParseLength(request.Headers[TusProtocol.UploadLength], out var length))
        {
            // Upload-Defer-Length is not offered: the length is needed to refuse too large files at once.
            return Problem("Upload-Length manquant ou invalide.");
        }
        if (length > options.Value.MaxSize)
        {
            return Results.StatusCode(StatusCodes.Status413PayloadTooLarge);
        }
        if (TusProtocol.ParseMetadata(request.Headers[TusProtocol.UploadMetadata]) is not { } metadata)
        {
            return Problem("Upload-Metadata invalide.");
        }
        var hasBody = request.ContentLength > 0 || (request.ContentLength is null && request.Headers.TransferEncoding.Count > 0);
        UploadChecksum? checksum = null;
        if (hasBody)
        {
            if (!IsOffsetStream(request))
            {
                return Results.StatusCode(StatusCodes.Status415UnsupportedMediaType);
            }
            if (request.ContentLength > length)
            {
                return Results.StatusCode(StatusCodes.Status413PayloadTooLarge);
            }
            if (!TryReadChecksum(request, out checksum))
            {
                return Problem("Upload-Checksum invalide (sha1 ou sha256 attendu).");
            }
        }

        // A refusal (DomainException) becomes a 400 problem, before anything is stored.
        var admitted = await admission.AdmitAsync(owner, length, metadata, cancellationToken);
        var info = await store.CreateAsync(owner, length, metadata, admitted, cancellationToken);
        if (hasBody)
        {
            AppendResult result;
            await using (var held = await store.TryLockAsync(info.Id, cancellationToken)
                ?? throw new InvalidOperationException("A new upload is locked by another request."))
            {
                result = await store.AppendAsync(held, BodyOf(http), checksum, cancellationToken);
            }
            if (result.Status is AppendStatus.PastLength or AppendStatus.ChecksumMismatch)
            {
                // A refused creation stores nothing.
                await store.DeleteAsync(info.Id, CancellationToken.None);
                return Results.StatusCode(result.Status == AppendStatus.PastLength ? StatusCodes.Status413PayloadTooLarge : TusProtocol.ChecksumMismatchStatus);
            }
            info = result.Info;
            if (result.CompletedNow)
            {
                // After the lock is released: the consumer reads the upload and deletes it.
                await completed.OnCompletedAsync(info, CancellationToken.None);
            }
            http.Response.Headers[TusProtocol.UploadOffset] = Number(info.Offset);
        }
        else if (info.IsComplete)
        {
            // An empty file is complete at creation.
            await completed.OnCompletedAsync(info, CancellationToken.None);
        }
        http.Response.Headers[TusProtocol.UploadExpires] = TusProtocol.FormatDate(info.ExpiresUtc);
        return Results.Created($"{request.PathBase}/api/uploads/{info.Id}", null);
    }

    private static async Task<IResult> HeadAsync(string id, HttpContext http, IUploadStore store, IUploadCompleted completed, TimeProvider time, CancellationToken cancellationToken)
    {
        var (info, refusal) = await FindAsync(id, http.User, store, time, cancellationToken);
        if (info is null)
        {
            return refusal!;
        }
        if (info.IsComplete)
        {
            // A process that stopped between the last byte and its consumer (the deposit) left a complete
            // upload behind: the client's HEAD, when it comes back, hands it over.
            try
            {
                await completed.OnCompletedAsync(info, CancellationToken.None);
            }
            catch (Pli.Domain.Common.DomainException)
            {
                // Refused by its consumer (a pli sealed since): it has been told at the last PATCH already.
            }
        }
        var headers = http.Response.Headers;
        headers.CacheControl = "no-store";
        headers[TusProtocol.UploadOffset] = Number(info.Offset);
        headers[TusProtocol.UploadLength] = Number(info.Length);
        headers[TusProtocol.UploadExpires] = TusProtocol.FormatDate(info.ExpiresUtc);
        if (info.Metadata.Count > 0)
        {
            headers[TusProtocol.UploadMetadata] = TusProtocol.FormatMetadata(info.Metadata);
        }
        return Results.Ok();
    }

    private static async Task<IResult> PatchAsync(string id, HttpContext http, IUploadStore store, IUploadCompleted completed, TimeProvider time, CancellationToken cancellationToken)
    {
        var request = http.Request;
        if (!IsOffsetStream(request))
        {
            return Results.StatusCode(StatusCodes.Status415UnsupportedMediaType);
        }
        if (!TusProtocol.TryParseLength(request.Headers[TusProtocol.UploadOffset], out var offset))
        {
            return Problem("Upload-Offset manquant ou invalide.");
        }
        if (!TryReadChecksum(request, out var checksum))
        {
            return Problem("Upload-Checksum invalide (sha1 ou sha256 attendu).");
        }
        var (found, refusal) = await FindAsync(id, http.User, store, time, cancellationToken);
        if (found is null)
        {
            return refusal!;
        }

        UploadLock? held;
        try
        {
            held = await store.TryLockAsync(id, cancellationToken);
        }
        catch (FileNotFoundException)
        {
            return Results.NotFound();
        }
        if (held is null)
        {
            return Results.StatusCode(StatusCodes.Status423Locked);
        }
        AppendResult appended;
        await using (held)
        {
            // Re-read under the lock: a request that just finished may have moved the offset.
            var info = await store.GetInfoAsync(id, cancellationToken);
            if (info is null)
            {
                return Results.NotFound();
            }
            if (offset != info.Offset)
            {
                http.Response.Headers[TusProtocol.UploadOffset] = Number(info.Offset);
                return Results.Conflict();
            }
            if (request.ContentLength > info.Length - info.Offset)
            {
                return Results.StatusCode(StatusCodes.Status413PayloadTooLarge);
            }
            appended = await store.AppendAsync(held, BodyOf(http), checksum, cancellationToken);
        }
        switch (appended.Status)
        {
            case AppendStatus.PastLength:
                return Results.StatusCode(StatusCodes.Status413PayloadTooLarge);
            case AppendStatus.ChecksumMismatch:
                return Results.StatusCode(TusProtocol.ChecksumMismatchStatus);
            case AppendStatus.Interrupted:
                // Nobody is listening any more; the offset kept is what the next HEAD answers.
                return Results.Empty;
            case AppendStatus.LockLost:
                // Another request holds the upload now: the client asks the offset and goes on from there.
                return Results.StatusCode(StatusCodes.Status423Locked);
        }
        if (appended.CompletedNow)
        {
            // After the lock is released: the consumer reads the upload and deletes it.
            await completed.OnCompletedAsync(appended.Info, CancellationToken.None);
        }
        http.Response.Headers[TusProtocol.UploadOffset] = Number(appended.Info.Offset);
        http.Response.Headers[TusProtocol.UploadExpires] = TusProtocol.FormatDate(appended.Info.ExpiresUtc);
        return Results.NoContent();
    }

    private static async Task<IResult> DeleteAsync(string id, ClaimsPrincipal user, IUploadStore store, TimeProvider time, CancellationToken cancellationToken)
    {
        var (info, refusal) = await FindAsync(id, user, store, time, cancellationToken);
        if (info is null)
        {
            return refusal!;
        }
        return await store.DeleteAsync(id, cancellationToken) ? Results.NoContent() : Results.StatusCode(StatusCodes.Status423Locked);
    }

    /// <summary>The caller's own, live upload; otherwise 404 (unknown or someone else's) or 410 (expired, deleted now).</summary>
    private static async Task<(UploadInfo? Info, IResult? Refusal)> FindAsync(string id, ClaimsPrincipal user, IUploadStore store, TimeProvider time, CancellationToken cancellationToken)
    {
        var info = await store.GetInfoAsync(id, cancellationToken);
        if (info is null || info.OwnerId != user.UserId())
        {
            return (null, Results.NotFound());
        }
        if (info.IsExpiredAt(time.GetUtcNow()))
        {
            await store.DeleteAsync(id, CancellationToken.None);
            return (null, Results.StatusCode(StatusCodes.Status410Gone));
        }
        return (info, null);
    }

    private static bool IsOffsetStream(HttpRequest request) =>
        string.Equals(request.ContentType, TusProtocol.OffsetContentType, StringComparison.OrdinalIgnoreCase);

    private static bool TryReadChecksum(HttpRequest request, out UploadChecksum? checksum)
    {
        checksum = null;
        var header = request.Headers[TusProtocol.UploadChecksum].ToString();
        if (header.Length == 0)
        {
            return true;
        }
        checksum = TusProtocol.ParseChecksum(header);
        return checksum is not null;
    }

    /// <summary>The raw body, without Kestrel's 30 MB cap: the store bounds it by the upload's remaining length.</summary>
    private static Stream BodyOf(HttpContext http)
    {
        if (http.Features.Get<IHttpMaxRequestBodySizeFeature>() is { IsReadOnly: false } limit)
        {
            limit.MaxRequestBodySize = null;
        }
        return http.Request.Body;
    }

    private static string Number(long value) => value.ToString(System.Globalization.CultureInfo.InvariantCulture);

    private static IResult Problem(string detail) => Results.Problem(detail, statusCode: StatusCodes.Status400BadRequest);
}

using System.IO.Compression;
using System.Text;
using Microsoft.Net.Http.Headers;

namespace Pli.Web.Features.Dce;

/// <summary>
/// A zip written entry by entry straight into the response (a DCE, an opened pli): nothing is held whole in
/// memory or on disk, and a failure half-way cuts the connection, so the client never keeps a zip that
/// looks whole.
/// </summary>
public static class StreamedZip
{
    public static async Task WriteAsync(HttpContext httpContext, string downloadName, Func<ZipArchive, CancellationToken, Task> writeEntries)
    {
        var response = httpContext.Response;
        var cancellationToken = httpContext.RequestAborted;
        response.ContentType = "application/zip";
        var disposition = new ContentDispositionHeaderValue("attachment");
        disposition.SetHttpFileName(downloadName);
        response.Headers.ContentDisposition = disposition.ToString();
        response.Headers.CacheControl = "private, no-store";

        var body = new AsyncOnlyWriteStream(response.Body);
        var archive = await ZipArchive.CreateAsync(body, ZipArchiveMode.Create, leaveOpen: true, Encoding.UTF8, cancellationToken);
        await using (archive)
        {
            try
            {
                await writeEntries(archive, cancellationToken);
            }
            catch
            {
                httpContext.Abort();
                throw;
            }
        }
        // The central directory is written by DisposeAsync; the last entry's tail may still be held.
        await body.FlushAsync(cancellationToken);
    }
}

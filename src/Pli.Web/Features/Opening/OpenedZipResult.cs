using System.IO.Compression;
using System.Text;
using Microsoft.Net.Http.Headers;
using Pli.Domain.Common;
using Pli.Domain.Deposits;
using Pli.Web.Features.Dce;
using Pli.Web.Infrastructure.Crypto;
using Pli.Web.Infrastructure.Storage;

namespace Pli.Web.Features.Opening;

/// <summary>One file of the zip: where it goes in the archive and the deposited file it is decrypted from.</summary>
public sealed record OpenedZipEntry(string Path, DepositFile File);

/// <summary>The files kept out of the zip, and the note that names them: its file name and first line.</summary>
public sealed record OpenedZipLeftOut(IReadOnlyList<string> Files, string NoteName, string Heading);

/// <summary>
/// Opened files as one zip, decrypted straight into the response: each entry is read from storage through the
/// sealed-file reader (one authenticated chunk at a time) into the zip entry, as <see cref="DceZipResult"/> does
/// for the DCE, so nothing holds a whole file nor the archive. A file found altered while streaming (changed in
/// storage since its check) cuts the connection: the client sees a failed download, never a zip that looks whole.
/// Files that may not be served (altered or infected at the check) are left out and named in a note, in the
/// reader's language.
/// </summary>
public sealed class OpenedZipResult(IReadOnlyList<OpenedZipEntry> entries, OpenedZipLeftOut leftOut, string downloadName, IFileStore store, OpenedConsultationKey key) : IResult
{

    public Task ExecuteAsync(HttpContext httpContext) => StreamedZip.WriteAsync(httpContext, downloadName, async (archive, cancellationToken) =>
    {
        foreach (var entry in entries)
        {
            var zipEntry = archive.CreateEntry(entry.Path, CompressionLevel.Fastest);
            zipEntry.LastWriteTime = ParisTime.ToParis(entry.File.ReceivedUtc);
            await using var target = await zipEntry.OpenAsync(cancellationToken);
            await DecryptedFileResult.CopyVerifiedAsync(store, key, entry.File, target, cancellationToken);
        }
        if (leftOut.Files.Count > 0)
        {
            var note = archive.CreateEntry(leftOut.NoteName, CompressionLevel.Fastest);
            await using var target = await note.OpenAsync(cancellationToken);
            var text = leftOut.Heading + "\r\n" + string.Concat(leftOut.Files.Select(l => "- " + l + "\r\n"));
            await target.WriteAsync(Encoding.UTF8.GetBytes(text), cancellationToken);
        }
    });
}

/// <summary>
/// One opened file, decrypted as it streams to the response, with its plaintext length announced. Its bytes
/// are authenticated chunk by chunk; at the end the SHA-256 is compared with the receipt's: any difference cuts
/// the connection, so the client never keeps a file that is not the one deposited.
/// </summary>
public sealed class DecryptedFileResult(DepositFile file, IFileStore store, OpenedConsultationKey key, string contentType) : IResult
{
    public async Task ExecuteAsync(HttpContext httpContext)
    {
        var response = httpContext.Response;
        response.ContentType = contentType;
        response.ContentLength = file.Size;
        var disposition = new ContentDispositionHeaderValue("attachment");
        disposition.SetHttpFileName(file.Name);
        response.Headers.ContentDisposition = disposition.ToString();
        response.Headers.CacheControl = "private, no-store";
        response.Headers.XContentTypeOptions = "nosniff";
        try
        {
            await CopyVerifiedAsync(store, key, file, response.Body, httpContext.RequestAborted);
        }
        catch
        {
            httpContext.Abort();
            throw;
        }
    }

    /// <summary>Decrypts <paramref name="file"/> into <paramref name="target"/>; throws when it is not, to the last byte, the file deposited.</summary>
    public static async Task CopyVerifiedAsync(IFileStore store, OpenedConsultationKey key, DepositFile file, Stream target, CancellationToken cancellationToken)
    {
        var stored = await store.OpenReadAsync(file.StorageKey, cancellationToken);
        SealedFileReader reader;
        try
        {
            reader = await SealedFiles.OpenReaderAsync(stored, key, leaveOpen: false, cancellationToken);
        }
        catch
        {
            await stored.DisposeAsync();
            throw;
        }
        await using var _ = reader;
        await reader.CopyToAsync(target, 81920, cancellationToken);
        if (reader.PlaintextLength != file.Size || !string.Equals(reader.PlaintextSha256Hex, file.Sha256, StringComparison.OrdinalIgnoreCase))
        {
            throw new InvalidDataException($"Deposit file {file.Id} decrypted to other bytes than those deposited.");
        }
    }
}

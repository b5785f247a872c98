using System.IO.Compression;
using System.Text;
using Pli.Domain.Common;
using Pli.Domain.Consultations;
using Pli.Web.Infrastructure.Storage;

namespace Pli.Web.Features.Dce;

/// <summary>
/// DCE files as one zip written straight to the response: each entry is copied from storage
/// into the response body as it is read, so neither memory nor disk ever holds the archive, and
/// the first bytes leave at once however big the DCE. Everything is asynchronous (Kestrel
/// forbids synchronous IO, see <see cref="AsyncOnlyWriteStream"/> for the few writes .NET 10 still
/// makes synchronously): <see cref="ZipArchive.CreateAsync(Stream, ZipArchiveMode, bool, Encoding?, CancellationToken)"/>,
/// <see cref="ZipArchiveEntry.OpenAsync(CancellationToken)"/> and <see cref="ZipArchive.DisposeAsync"/>,
/// which writes the central directory.
/// </summary>
/// <remarks>
/// The response body cannot seek, so ZipArchive writes each entry's sizes and CRC after its data
/// (data descriptor) and the length of the whole zip is unknown: it is sent chunked, without
/// ranges. Names are written in UTF-8 with the zip's UTF-8 flag, so "Pièces techniques/" keeps
/// its accent in every modern unzip tool.
/// </remarks>
public sealed class DceZipResult(IReadOnlyList<DceFile> files, string downloadName, IFileStore store) : IResult
{
    /// <summary>
    /// Formats that are compressed already (PDF streams are deflated; Office and OpenDocument files
    /// are zips; images and archives too): deflating them again costs CPU for a gain of a few
    /// percent, so they are stored. The rest (.txt, .doc, .xls, .rtf, .dwg, .dxf…) shrinks a lot
    /// and gets the fastest deflate level.
    /// </summary>
    private static readonly HashSet<string> AlreadyCompressed = new(StringComparer.OrdinalIgnoreCase)
    {
        ".pdf", ".zip", ".rar", ".7z", ".gz", ".docx", ".xlsx", ".pptx", ".odt", ".ods", ".odp",
        ".jpg", ".jpeg", ".png", ".gif", ".mp4",
    };

    public static CompressionLevel LevelFor(DceFile file) =>
        AlreadyCompressed.Contains(file.Format) ? CompressionLevel.NoCompression : CompressionLevel.Fastest;

    public Task ExecuteAsync(HttpContext httpContext) => StreamedZip.WriteAsync(httpContext, downloadName, WriteEntriesAsync);

    private async Task WriteEntriesAsync(ZipArchive archive, CancellationToken cancellationToken)
    {
        foreach (var file in files)
        {
            var entry = archive.CreateEntry(file.RelativePath, LevelFor(file));
            entry.LastWriteTime = ParisTime.ToParis(file.UploadedUtc);
            await using var source = await store.OpenReadAsync(file.StorageKey, cancellationToken);
            await using var target = await entry.OpenAsync(cancellationToken);
            await source.CopyToAsync(target, cancellationToken);
        }
    }

    /// <summary>
    /// Checked before the download is recorded and the first byte sent: once the zip has started, a
    /// missing file could only cut the download.
    /// </summary>
    public static async Task RequireStoredAsync(IEnumerable<DceFile> files, IFileStore store, CancellationToken cancellationToken)
    {
        foreach (var file in files)
        {
            if (!await store.ExistsAsync(file.StorageKey, cancellationToken))
            {
                throw new FileNotFoundException($"DCE file {file.Id} is missing from storage (key {file.StorageKey}).");
            }
        }
    }

    /// <summary>"DCE_2026-TRV-0042.zip": the reference, with what a file name cannot hold replaced.</summary>
    public static string FileNameFor(Consultation consultation, bool selection)
    {
        var invalid = Path.GetInvalidFileNameChars().Concat(['<', '>', ':', '"', '|', '?', '*', '\\', '/']).ToHashSet();
        var reference = new string([.. consultation.Reference.Select(c => invalid.Contains(c) || char.IsControl(c) ? '_' : c)]);
        return selection ? $"DCE_{reference}_selection.zip" : $"DCE_{reference}.zip";
    }
}

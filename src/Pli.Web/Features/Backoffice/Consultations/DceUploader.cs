using System.ComponentModel.DataAnnotations;
using System.IO.Compression;
using Microsoft.Extensions.Localization;
using Microsoft.Extensions.Options;
using Pli.Domain.Common;
using Pli.Domain.Consultations;
using Pli.Web.Infrastructure.Storage;
using Pli.Web.Features.Shared;

namespace Pli.Web.Features.Backoffice.Consultations;

public sealed class DceUploadOptions
{
    public const string Section = "Backoffice:Dce";

    /// <summary>Largest upload, and largest total once archives are unpacked (zip bombs stop here).</summary>
    [Range(1, long.MaxValue)]
    public long MaxTotalBytes { get; set; } = 2L * 1024 * 1024 * 1024;

    /// <summary>Most files one upload may add, archives unpacked.</summary>
    [Range(1, 100_000)]
    public int MaxEntries { get; set; } = 5_000;
}

/// <summary>
/// Adds uploaded files to a draft's DCE, or stores them for a published one's complement. Everything is checked before the first byte is stored
/// (names, paths, duplicates, sizes declared by the archive), then each file is streamed to the
/// store; if anything fails on the way, what was written for this upload is deleted and the
/// consultation is left as it was: an upload is stored whole or not at all.
/// </summary>
public sealed class DceUploader(IFileStore store, IOptions<DceUploadOptions> options, TimeProvider time, IStringLocalizer<BackofficeTexts> texts)
{
    private const string Field = "Files";

    public async Task<IReadOnlyList<DceFile>> AddAsync(Consultation consultation, IReadOnlyList<IFormFile> files, bool unzip, CancellationToken cancellationToken)
    {
        var stored = await StoreAsync(consultation.Id, files, unzip, consultation.RequireDcePathAvailable, cancellationToken);
        var added = new List<DceFile>();
        try
        {
            foreach (var file in stored)
            {
                added.Add(consultation.AddDceFile(file.RelativePath, file.Size, file.Sha256, file.StorageKey, time.GetUtcNow().UtcDateTime));
            }
            return added;
        }
        catch
        {
            await UndoAsync(consultation, [.. stored.Select(s => s.StorageKey)], added);
            throw;
        }
    }

    /// <summary>
    /// Checks and stores the uploaded files without adding them to any consultation: a published one
    /// takes them as one modification. <paramref name="requirePath"/> checks (and normalises) each path
    /// before the first byte is stored. On failure nothing stays in the store.
    /// </summary>
    public async Task<IReadOnlyList<DceUpload>> StoreAsync(Guid consultationId, IReadOnlyList<IFormFile> files, bool unzip, Func<string, string> requirePath, CancellationToken cancellationToken)
    {
        var limits = options.Value;
        if (files.Count == 0)
        {
            throw new DomainException("dce.no-file", texts["DceNoFile"], Field);
        }
        var archives = new List<ZipArchive>();
        var written = new List<string>();
        var stored = new List<DceUpload>();
        try
        {
            var items = Plan(files, unzip, limits, archives);
            Check(requirePath, items);
            long total = 0;
            foreach (var item in items)
            {
                var key = $"dce/{consultationId:N}/{Guid.NewGuid():N}";
                written.Add(key);
                StoredFile file;
                await using (var source = item.Open())
                await using (var limited = new BudgetStream(source, limits.MaxTotalBytes - total, () => TooLarge(limits)))
                {
                    file = await store.SaveAsync(key, limited, cancellationToken);
                    // The reader stops at the size the archive declares: a wrong size or damaged data
                    // would store a truncated document without a word, so the entry's CRC is checked.
                    if (item.Crc32 is { } expected && (limited.Crc32 != expected || file.Size != item.DeclaredSize))
                    {
                        throw new DomainException("dce.zip.corrupt", texts["DceZipEntryCorrupt", item.Path], Field);
                    }
                }
                total += file.Size;
                stored.Add(new DceUpload(item.Path, file.Size, file.Sha256, key));
            }
            return stored;
        }
        catch (InvalidDataException)
        {
            await DeleteAsync(written);
            throw new DomainException("dce.zip.invalid", texts["DceZipInvalid"], Field);
        }
        catch
        {
            await DeleteAsync(written);
            throw;
        }
        finally
        {
            foreach (var archive in archives)
            {
                archive.Dispose();
            }
        }
    }

    /// <summary>Deletes stored contents that no DCE will hold after all.</summary>
    public async Task DeleteAsync(IEnumerable<string> keys)
    {
        foreach (var key in keys)
        {
            // Not the caller's token: a cancelled upload must still be cleaned up.
            await store.DeleteAsync(key, CancellationToken.None);
        }
    }

    /// <summary>Deletes the stored contents of files that could not be recorded after all.</summary>
    public async Task DiscardAsync(Consultation consultation, IEnumerable<DceFile> files) =>
        await UndoAsync(consultation, [.. files.Select(f => f.StorageKey)], [.. files]);

    private async Task UndoAsync(Consultation consultation, IReadOnlyList<string> written, IReadOnlyList<DceFile> added)
    {
        foreach (var file in added)
        {
            consultation.RemoveDceFile(file.Id);
        }
        await DeleteAsync(written);
    }

    private List<Item> Plan(IReadOnlyList<IFormFile> files, bool unzip, DceUploadOptions limits, List<ZipArchive> archives)
    {
        var items = new List<Item>();
        long declared = 0;
        foreach (var file in files)
        {
            if (unzip && FilePolicy.ExtensionOf(file.FileName) == ".zip")
            {
                var archive = OpenArchive(file);
                archives.Add(archive);
                var before = items.Count;
                foreach (var entry in archive.Entries)
                {
                    if (IsFolderOrSystemEntry(entry))
                    {
                        continue;
                    }
                    declared += entry.Length;
                    items.Add(new Item(entry.FullName, entry.Length, entry.Open, entry.Crc32));
                    CheckLimits(items.Count, declared, limits);
                }
                if (items.Count == before)
                {
                    throw new DomainException("dce.zip.empty", texts["DceZipEmpty", file.FileName], Field);
                }
            }
            else
            {
                declared += file.Length;
                items.Add(new Item(FilePolicy.RequireSafeName(file.FileName, Field), file.Length, file.OpenReadStream, null));
                CheckLimits(items.Count, declared, limits);
            }
        }
        return items;
    }

    private ZipArchive OpenArchive(IFormFile file)
    {
        try
        {
            return new ZipArchive(file.OpenReadStream(), ZipArchiveMode.Read);
        }
        catch (Exception e) when (e is InvalidDataException or ArgumentOutOfRangeException or IOException)
        {
            // A file too short to hold a zip directory makes the reader seek before its start.
            throw new DomainException("dce.zip.invalid", texts["DceZipInvalid"], Field);
        }
    }

    private void Check(Func<string, string> requirePath, List<Item> items)
    {
        var paths = new HashSet<string>(StringComparer.OrdinalIgnoreCase);
        for (var i = 0; i < items.Count; i++)
        {
            var path = requirePath(items[i].Path);
            if (items[i].DeclaredSize <= 0)
            {
                throw new DomainException("file.empty", texts["DceFileEmpty", path], Field);
            }
            if (!paths.Add(path))
            {
                throw new DomainException("dce.duplicate", texts["DceDuplicateInUpload", path], Field);
            }
            items[i] = items[i] with { Path = path };
        }
    }

    private void CheckLimits(int count, long declared, DceUploadOptions limits)
    {
        if (count > limits.MaxEntries)
        {
            throw new DomainException("dce.too-many", texts["DceTooManyFiles", limits.MaxEntries], Field);
        }
        if (declared > limits.MaxTotalBytes)
        {
            throw TooLarge(limits);
        }
    }

    private DomainException TooLarge(DceUploadOptions limits) =>
        new("dce.too-large", texts["DceTooLarge", ConsultationLabels.FileSize(limits.MaxTotalBytes)], Field);

    /// <summary>Folders are implied by the paths of their files; macOS adds metadata nobody asked for.</summary>
    private static bool IsFolderOrSystemEntry(ZipArchiveEntry entry)
    {
        var name = entry.FullName.Replace('\\', '/');
        return (name.EndsWith('/') && entry.Length == 0)
            || name.StartsWith("__MACOSX/", StringComparison.Ordinal)
            || name == ".DS_Store" || name.EndsWith("/.DS_Store", StringComparison.Ordinal);
    }

    private sealed record Item(string Path, long DeclaredSize, Func<Stream> Open, uint? Crc32);

    /// <summary>
    /// Counts what is really read: an archive may declare small sizes and inflate to far more,
    /// so the budget is enforced on the bytes themselves. It also computes the CRC-32 (the zip
    /// polynomial) of what went through.
    /// </summary>
    private sealed class BudgetStream(Stream inner, long budget, Func<Exception> overBudget) : Stream
    {
        private static readonly uint[] CrcTable = BuildCrcTable();
        private long _read;
        private uint _crc = 0xFFFFFFFF;

        public uint Crc32 => ~_crc;

        public override bool CanRead => true;
        public override bool CanSeek => false;
        public override bool CanWrite => false;
        public override long Length => throw new NotSupportedException();
        public override long Position { get => _read; set => throw new NotSupportedException(); }

        public override int Read(byte[] buffer, int offset, int count) => Count(buffer.AsSpan(offset, inner.Read(buffer, offset, count)));

        public override async ValueTask<int> ReadAsync(Memory<byte> buffer, CancellationToken cancellationToken = default)
        {
            var read = await inner.ReadAsync(buffer, cancellationToken);
            return Count(buffer.Span[..read]);
        }

        public override Task<int> ReadAsync(byte[] buffer, int offset, int count, CancellationToken cancellationToken) =>
            ReadAsync(buffer.AsMemory(offset, count), cancellationToken).AsTask();

        private int Count(ReadOnlySpan<byte> read)
        {
            _read += read.Length;
            if (_read > budget)
            {
                throw overBudget();
            }
            var crc = _crc;
            foreach (var b in read)
            {
                crc = CrcTable[(crc ^ b) & 0xFF] ^ (crc >> 8);
            }
            _crc = crc;
            return read.Length;
        }

        private static uint[] BuildCrcTable()
        {
            var table = new uint[256];
            for (uint n = 0; n < 256; n++)
            {
                var c = n;
                for (var k = 0; k < 8; k++)
                {
                    c = (c & 1) != 0 ? 0xEDB88320 ^ (c >> 1) : c >> 1;
                }
                table[n] = c;
            }
            return table;
        }

        public override void Flush() { }
        public override long Seek(long offset, SeekOrigin origin) => throw new NotSupportedException();
        public override void SetLength(long value) => throw new NotSupportedException();
        public override void Write(byte[] buffer, int offset, int count) => throw new NotSupportedException();

        protected override void Dispose(bool disposing)
        {
            if (disposing)
            {
                inner.Dispose();
            }
            base.Dispose(disposing);
        }
    }
}

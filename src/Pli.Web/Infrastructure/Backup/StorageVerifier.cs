using System.Buffers;
using System.Security.Cryptography;
using Microsoft.EntityFrameworkCore;
using Pli.Web.Infrastructure.Crypto;
using Pli.Web.Infrastructure.Data;
using Pli.Web.Infrastructure.Storage;

namespace Pli.Web.Infrastructure.Backup;

/// <summary>
/// One stored file named by the database that the file store does not give back as recorded: its kind (dce,
/// deposit, question or message: which table names it), the row's id, its key and what is wrong.
/// </summary>
public sealed record StoredFileProblem(string Kind, Guid Id, string StorageKey, string Problem);

public sealed record StorageVerification(int Checked, int ProblemCount, IReadOnlyList<StoredFileProblem> FirstProblems)
{
    public bool IsWhole => ProblemCount == 0;
}

/// <summary>
/// Checks that every file the database names is in the file store as it was recorded: after a restore (the
/// database and the objects come from two backups), before a migration to another store, or from cron.
/// <list type="bullet">
/// <item>DCE files, question and message attachments are stored plain: their length and SHA-256 are compared
/// with the row's.</item>
/// <item>Deposit files are stored sealed (docs/sealed-file-format.md) and cannot be read before the deadline:
/// their header must parse and their length must be exactly the one a sealed file of the recorded plaintext
/// length has (header + plaintext + one 16-byte tag per chunk, the final chunk included). A cut or an appended
/// byte is found; a changed byte inside is found only at the opening, by the GCM tags.</item>
/// </list>
/// Every file is read once, streamed; memory stays at one buffer.
/// </summary>
public sealed class StorageVerifier(PliDbContext db, IFileStore store)
{
    private const int BufferSize = 81920;

    public async Task<StorageVerification> VerifyAsync(int keep = 20, CancellationToken cancellationToken = default)
    {
        var problems = new List<StoredFileProblem>();
        var count = 0;
        var checkedCount = 0;

        void Report(StoredFileProblem? problem)
        {
            checkedCount++;
            if (problem is null)
            {
                return;
            }
            count++;
            if (problems.Count < keep)
            {
                problems.Add(problem);
            }
        }

        // Lists first, files after: no database reader stays open while the store is read.
        var dce = await db.DceFiles.AsNoTracking().OrderBy(f => f.Id).Select(f => new PlainFile(f.Id, f.StorageKey, f.Size, f.Sha256)).ToListAsync(cancellationToken);
        foreach (var file in dce)
        {
            Report(await CheckPlainAsync("dce", file, cancellationToken));
        }
        var deposits = await db.DepositFiles.AsNoTracking().OrderBy(f => f.Id).Select(f => new PlainFile(f.Id, f.StorageKey, f.Size, f.Sha256)).ToListAsync(cancellationToken);
        foreach (var file in deposits)
        {
            Report(await CheckSealedAsync(file, cancellationToken));
        }
        var questions = await db.Questions.AsNoTracking().Where(q => q.Attachment != null).OrderBy(q => q.Id)
            .Select(q => new PlainFile(q.Id, q.Attachment!.StorageKey, q.Attachment.Size, q.Attachment.Sha256)).ToListAsync(cancellationToken);
        foreach (var file in questions)
        {
            Report(await CheckPlainAsync("question", file, cancellationToken));
        }
        // A message sent to several companies names one stored copy from each thread's attachment: checked once.
        var messages = (await db.MessageAttachments.AsNoTracking().OrderBy(a => a.Id).Select(a => new PlainFile(a.Id, a.StorageKey, a.Size, a.Sha256)).ToListAsync(cancellationToken))
            .DistinctBy(a => a.StorageKey);
        foreach (var file in messages)
        {
            Report(await CheckPlainAsync("message", file, cancellationToken));
        }
        return new StorageVerification(checkedCount, count, problems);
    }

    private sealed record PlainFile(Guid Id, string StorageKey, long Size, string Sha256);

    private async Task<StoredFileProblem?> CheckPlainAsync(string kind, PlainFile file, CancellationToken cancellationToken)
    {
        var opened = await OpenAsync(kind, file, cancellationToken);
        if (opened.Problem is not null)
        {
            return opened.Problem;
        }
        await using var stream = opened.Stream!;
        using var hash = IncrementalHash.CreateHash(HashAlgorithmName.SHA256);
        var length = await ReadToEndAsync(stream, hash, cancellationToken);
        if (length != file.Size)
        {
            return new(kind, file.Id, file.StorageKey, $"size {length} bytes, recorded {file.Size}");
        }
        var sha256 = Convert.ToHexStringLower(hash.GetHashAndReset());
        return string.Equals(sha256, file.Sha256, StringComparison.OrdinalIgnoreCase)
            ? null
            : new(kind, file.Id, file.StorageKey, $"SHA-256 {sha256}, recorded {file.Sha256}");
    }

    private async Task<StoredFileProblem?> CheckSealedAsync(PlainFile file, CancellationToken cancellationToken)
    {
        const string kind = "deposit";
        var opened = await OpenAsync(kind, file, cancellationToken);
        if (opened.Problem is not null)
        {
            return opened.Problem;
        }
        await using var stream = opened.Stream!;
        SealedFileHeader header;
        try
        {
            header = await SealedFileHeader.ReadAsync(stream, cancellationToken);
        }
        catch (SealedFileTamperedException e)
        {
            return new(kind, file.Id, file.StorageKey, $"not a sealed file ({e.Code})");
        }
        var headerLength = header.Bytes.Length;
        var expected = headerLength + file.Size + ((file.Size / header.ChunkSize) + 1) * SealedFileFormat.TagSize;
        var length = headerLength + await ReadToEndAsync(stream, null, cancellationToken);
        return length == expected
            ? null
            : new(kind, file.Id, file.StorageKey, $"sealed size {length} bytes, expected {expected} for the recorded {file.Size} bytes");
    }

    private async Task<(Stream? Stream, StoredFileProblem? Problem)> OpenAsync(string kind, PlainFile file, CancellationToken cancellationToken)
    {
        try
        {
            return (await store.OpenReadAsync(file.StorageKey, cancellationToken), null);
        }
        catch (Exception e) when (e is FileNotFoundException or DirectoryNotFoundException)
        {
            return (null, new(kind, file.Id, file.StorageKey, "missing"));
        }
        catch (Exception e) when (e is not OperationCanceledException)
        {
            return (null, new(kind, file.Id, file.StorageKey, "unreadable: " + e.Message));
        }
    }

    private static async Task<long> ReadToEndAsync(Stream stream, IncrementalHash? hash, CancellationToken cancellationToken)
    {
        var buffer = ArrayPool<byte>.Shared.Rent(BufferSize);
        try
        {
            long length = 0;
            int read;
            while ((read = await stream.ReadAsync(buffer.AsMemory(0, BufferSize), cancellationToken)) > 0)
            {
                hash?.AppendData(buffer, 0, read);
                length += read;
            }
            return length;
        }
        finally
        {
            ArrayPool<byte>.Shared.Return(buffer);
        }
    }
}

using System.Buffers;
using System.Collections.Concurrent;
using System.Security.Cryptography;
using Pli.Domain.Common;
using Pli.Domain.Consultations;

namespace Pli.Web.Features.Uploads;

/// <summary>Where the bytes of one PATCH go: a store's plaintext or sealed writing, on disk or in parts.</summary>
internal interface IAppendTarget : IAsyncDisposable
{
    ValueTask WriteAsync(ReadOnlyMemory<byte> bytes);

    /// <summary>A copy of the first <paramref name="length"/> bytes of the plaintext (all received already).</summary>
    ValueTask<byte[]> ReadHeadAsync(int length);

    /// <summary>Makes everything received durable, as the state of <paramref name="offset"/>.</summary>
    Task CommitAsync(long offset, bool complete);

    /// <summary>Forgets everything received in this PATCH.</summary>
    Task DiscardAsync();
}

/// <summary>
/// Receives one PATCH body into an <see cref="IAppendTarget"/>, the same way for every upload store: within
/// the upload's length, hashed as it comes, checked against an announced checksum, and with the content check
/// on the first bytes once they have all arrived, before any of them is kept.
/// </summary>
internal static class UploadReceiver
{
    private const int BufferSize = 64 * 1024;

    /// <summary>What a PATCH to a complete upload gets: nothing to append, or past its length.</summary>
    public static async Task<AppendResult> AnswerCompleteAsync(Stream body, UploadInfo info, CancellationToken cancellationToken)
    {
        var probe = new byte[1];
        var extra = await ReadOrInterruptedAsync(body, probe, cancellationToken);
        return new AppendResult(extra > 0 ? AppendStatus.PastLength : AppendStatus.Appended, info, CompletedNow: false);
    }

    /// <summary>
    /// Receives the body up to its end or its break; <paramref name="refuseContent"/> deletes the upload, all of
    /// it, when its first bytes do not fit its name (and the refusal is thrown).
    /// </summary>
    /// <param name="body">The PATCH body.</param>
    /// <param name="info">The upload, read under its lock.</param>
    /// <param name="target">Where the bytes go.</param>
    /// <param name="hash">The plaintext's SHA-256 up to the offset; the bytes received are added.</param>
    /// <param name="checksum">The chunk's announced checksum, if any.</param>
    /// <param name="refuseContent">Deletes the upload.</param>
    /// <param name="logger">Where breaks and refusals are told.</param>
    /// <param name="cancellationToken">The request's abort.</param>
    public static async Task<(AppendStatus Status, long Written)> ReceiveAsync(Stream body, UploadInfo info, IAppendTarget target, IncrementalHash hash,
        UploadChecksum? checksum, Func<Task> refuseContent, ILogger logger, CancellationToken cancellationToken)
    {
        var start = info.Offset;
        var room = info.Length - start;
        var buffer = ArrayPool<byte>.Shared.Rent(BufferSize);
        try
        {
            using var checksumHash = checksum is null ? null : IncrementalHash.CreateHash(checksum.Algorithm);
            var headLength = info.ContentName is null ? 0 : Math.Min(info.Length, FileSignatures.HeadLength);
            long written = 0;
            var status = AppendStatus.Appended;
            while (true)
            {
                var read = await ReadOrInterruptedAsync(body, buffer.AsMemory(0, BufferSize), cancellationToken);
                if (read < 0)
                {
                    // The client went away: keep what arrived (tus semantics), the next HEAD tells the offset.
                    logger.LogInformation("Upload {Id} interrupted after {Bytes} bytes of a chunk.", info.Id, written);
                    status = AppendStatus.Interrupted;
                    break;
                }
                if (read == 0)
                {
                    break;
                }
                if (read > room - written)
                {
                    status = AppendStatus.PastLength;
                    break;
                }
                var bytes = buffer.AsMemory(0, read);
                checksumHash?.AppendData(bytes.Span);
                hash.AppendData(bytes.Span);
                var received = start + written;
                if (received < headLength && received + read >= headLength)
                {
                    var before = (int)(headLength - received);
                    await target.WriteAsync(bytes[..before]);
                    await RequireContentMatchesAsync(info, target, (int)headLength, refuseContent, logger);
                    bytes = bytes[before..];
                }
                await target.WriteAsync(bytes);
                written += read;
            }
            if (status == AppendStatus.Appended && checksumHash is not null && !CryptographicOperations.FixedTimeEquals(checksumHash.GetHashAndReset(), checksum!.Digest))
            {
                status = AppendStatus.ChecksumMismatch;
            }
            return (status, written);
        }
        finally
        {
            ArrayPool<byte>.Shared.Return(buffer, clearArray: true);
        }
    }

    /// <summary>
    /// A chunk that cannot be verified is not kept: past the length, a checksum mismatch, and with a checksum
    /// announced an interrupted chunk too.
    /// </summary>
    public static bool MustDiscard(AppendStatus status, UploadChecksum? checksum) =>
        status is AppendStatus.PastLength or AppendStatus.ChecksumMismatch || (status == AppendStatus.Interrupted && checksum is not null);

    /// <summary>Bytes read, 0 at the end of the body, −1 when the client went away.</summary>
    private static async Task<int> ReadOrInterruptedAsync(Stream body, Memory<byte> buffer, CancellationToken cancellationToken)
    {
        try
        {
            return await body.ReadAsync(buffer, cancellationToken);
        }
        catch (Exception e) when (e is IOException or OperationCanceledException or BadHttpRequestException)
        {
            return -1;
        }
    }

    private static async Task RequireContentMatchesAsync(UploadInfo info, IAppendTarget target, int headLength, Func<Task> refuseContent, ILogger logger)
    {
        var head = await target.ReadHeadAsync(headLength);
        try
        {
            FileSignatures.RequireContentMatches(info.ContentName!, head);
        }
        catch (DomainException)
        {
            logger.LogInformation("Upload {Id} refused: its content does not match {Name}.", info.Id, info.ContentName);
            await refuseContent();
            throw;
        }
        finally
        {
            CryptographicOperations.ZeroMemory(head);
        }
    }
}

/// <summary>
/// The SHA-256 of each upload's plaintext so far, with the offset it stands at: a cache, never the state. The
/// common case (the next PATCH comes to this process) costs nothing; otherwise the hash is rebuilt from the
/// stored bytes.
/// </summary>
internal sealed class RunningHashes
{
    private readonly ConcurrentDictionary<string, (long Offset, IncrementalHash Hash)> _hashes = new(StringComparer.Ordinal);

    /// <summary>The hash at the upload's offset, or a fresh one (<paramref name="rebuild"/>) to fill from the stored bytes.</summary>
    public IncrementalHash Take(UploadInfo info, out bool rebuild)
    {
        if (_hashes.TryRemove(info.Id, out var cached))
        {
            if (cached.Offset == info.Offset)
            {
                rebuild = false;
                return cached.Hash;
            }
            // Another process moved the upload on since this one saw it.
            cached.Hash.Dispose();
        }
        rebuild = true;
        return IncrementalHash.CreateHash(HashAlgorithmName.SHA256);
    }

    public void Keep(string id, long offset, IncrementalHash hash)
    {
        if (_hashes.TryGetValue(id, out var stale))
        {
            stale.Hash.Dispose();
        }
        _hashes[id] = (offset, hash);
    }

    public void Forget(string id)
    {
        if (_hashes.TryRemove(id, out var cached))
        {
            cached.Hash.Dispose();
        }
    }
}

/// <summary>The start of a sealed upload, the same for every store.</summary>
internal static class SealedUploadStart
{
    /// <summary>
    /// A fresh data key wrapped for the consultation's public key, the sealed file's header and, for an empty
    /// file, its only, final record (the initial bytes of the sealed file); the data key kept under the resume key.
    /// </summary>
    public static (UploadSealing Sealing, byte[] Initial) Create(string id, long length, byte[] publicKeyDer, int chunkSize, UploadResumeKey resumeKey)
    {
        var dataKey = RandomNumberGenerator.GetBytes(Infrastructure.Crypto.SealedFileFormat.DataKeySize);
        try
        {
            var header = new Infrastructure.Crypto.SealedFileHeader(chunkSize, Infrastructure.Crypto.ConsultationKeys.KeyIdOf(publicKeyDer),
                Infrastructure.Crypto.ConsultationKeys.WrapDataKey(publicKeyDer, dataKey), RandomNumberGenerator.GetBytes(Infrastructure.Crypto.SealedFileFormat.NoncePrefixSize));
            var initial = header.Bytes.ToArray();
            if (length == 0)
            {
                using var cipher = new Infrastructure.Crypto.SealedChunkCipher(header, dataKey);
                var record = new byte[Infrastructure.Crypto.SealedFileFormat.TagSize];
                cipher.Seal(0, final: true, [], record);
                initial = [.. initial, .. record];
            }
            return (new UploadSealing(header.KeyId, header.ChunkSize, header.Bytes.Length, resumeKey.ProtectDataKey(id, dataKey)), initial);
        }
        finally
        {
            CryptographicOperations.ZeroMemory(dataKey);
        }
    }
}

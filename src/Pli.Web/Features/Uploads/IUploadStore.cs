using System.Security.Cryptography;

namespace Pli.Web.Features.Uploads;

/// <summary>
/// The partial files of tus uploads and what the server knows of each. Writes go through an
/// <see cref="UploadLock"/>, exclusive across processes and instances, so two chunks never interleave.
/// <see cref="UploadStore"/> keeps them on local disk; <see cref="SharedUploadStore"/> keeps their state in the
/// database and their bytes in the file store, so that any instance can take the next chunk.
/// </summary>
public interface IUploadStore
{
    /// <summary>
    /// Creates an empty upload stored as <paramref name="admission"/> says: plain, or sealed for a public key
    /// (the stored bytes are then the sealed file's header, later its records; never plaintext).
    /// </summary>
    /// <exception cref="Pli.Domain.Common.DomainException">An empty file whose (empty) content does not fit <see cref="UploadAdmission.ContentName"/>.</exception>
    Task<UploadInfo> CreateAsync(Guid ownerId, long length, IReadOnlyDictionary<string, string> metadata, UploadAdmission admission, CancellationToken cancellationToken = default);

    /// <summary>The upload's info, or null when there is none under that id (unknown, malformed or deleted).</summary>
    Task<UploadInfo?> GetInfoAsync(string id, CancellationToken cancellationToken = default);

    /// <summary>Takes the exclusive lock of the upload: null when another request (of any process) holds it.</summary>
    /// <exception cref="FileNotFoundException">There is no such upload.</exception>
    Task<UploadLock?> TryLockAsync(string id, CancellationToken cancellationToken = default);

    /// <summary>
    /// Appends <paramref name="body"/> at the current offset, within the upload's length. The new offset is
    /// stored only after the bytes are flushed to disk. A refused chunk (too long, checksum mismatch) leaves
    /// the offset unchanged; an interrupted body keeps what was received, unless a checksum was announced.
    /// A sealed upload's bytes are hashed and sealed on the way; at completion the info's
    /// <see cref="UploadInfo.Sha256"/> is set (plain uploads too).
    /// </summary>
    /// <exception cref="Pli.Domain.Common.DomainException">
    /// The first bytes do not fit <see cref="UploadInfo.ContentName"/>: the upload was deleted, all its files.
    /// </exception>
    Task<AppendResult> AppendAsync(UploadLock upload, Stream body, UploadChecksum? checksum, CancellationToken cancellationToken = default);

    /// <summary>Reads a completed upload: its bytes, or for a sealed upload the sealed file (header and records).</summary>
    /// <exception cref="InvalidOperationException">The upload is not complete.</exception>
    Task<Stream> OpenReadAsync(string id, CancellationToken cancellationToken = default);

    /// <summary>
    /// Hands a completed upload's bytes (the sealed file, for a sealed upload) over to <paramref name="files"/>
    /// under <paramref name="key"/>, for the consumer that keeps it, before it deletes the upload. Doing it again
    /// (a retry after a crash) is not an error.
    /// </summary>
    /// <exception cref="InvalidOperationException">The upload is not complete.</exception>
    Task HandOverAsync(string id, Infrastructure.Storage.IFileStore files, string key, CancellationToken cancellationToken = default);

    /// <summary>Deletes the upload; false when a request is writing to it at that moment.</summary>
    Task<bool> DeleteAsync(string id, CancellationToken cancellationToken = default);

    /// <summary>Deletes every expired upload not being written to; returns how many.</summary>
    Task<int> DeleteExpiredAsync(CancellationToken cancellationToken = default);
}

public enum AppendStatus
{
    Appended,
    PastLength,
    ChecksumMismatch,
    Interrupted,

    /// <summary>The request's lease on the upload ran out and another request took it: the chunk is not kept.</summary>
    LockLost,
}

public sealed record AppendResult(AppendStatus Status, UploadInfo Info, bool CompletedNow);

/// <summary>An Upload-Checksum header: the algorithm and the expected digest of the chunk.</summary>
public sealed record UploadChecksum(HashAlgorithmName Algorithm, byte[] Digest);

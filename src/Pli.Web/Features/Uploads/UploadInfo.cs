namespace Pli.Web.Features.Uploads;

/// <summary>
/// What the server knows of one tus upload, kept as a small JSON file beside the data. <see cref="Offset"/> is
/// the number of bytes durably written (flushed to disk): never more. <see cref="Sealing"/> is set when the
/// upload is stored sealed (what a later request needs to go on sealing it); <see cref="ContentName"/> when
/// the first bytes must fit that name's extension (checked once they have all arrived, before any is
/// kept sealed); <see cref="Sha256"/>, lower-case hex SHA-256 of the plaintext, at completion.
/// </summary>
public sealed record UploadInfo(
    string Id,
    Guid OwnerId,
    long Length,
    long Offset,
    IReadOnlyDictionary<string, string> Metadata,
    DateTimeOffset CreatedUtc,
    DateTimeOffset ExpiresUtc,
    DateTimeOffset? CompletedUtc,
    UploadSealing? Sealing = null,
    string? ContentName = null,
    string? Sha256 = null)
{
    public bool IsComplete => Offset == Length;

    public bool IsExpiredAt(DateTimeOffset now) => ExpiresUtc <= now;
}

/// <summary>
/// How a sealed upload is being written: its data file starts with a sealed-file header, then the records.
/// </summary>
/// <param name="KeyId">The consultation key pair the data key is wrapped for (as in the header).</param>
/// <param name="ChunkSize">Plaintext bytes per chunk (as in the header).</param>
/// <param name="HeaderLength">Bytes of the header at the start of the data file.</param>
/// <param name="ProtectedDataKey">
/// The file's data key encrypted under the platform's resume key (see <see cref="UploadResumeKey"/>), so
/// that any process can append the next chunk: nonce (12) ‖ ciphertext (32) ‖ tag (16).
/// </param>
public sealed record UploadSealing(string KeyId, int ChunkSize, int HeaderLength, byte[] ProtectedDataKey);

/// <summary>Called once when an upload has received its last byte (the data is durable then).</summary>
public interface IUploadCompleted
{
    Task OnCompletedAsync(UploadInfo upload, CancellationToken cancellationToken);
}

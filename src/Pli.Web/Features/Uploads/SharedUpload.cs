namespace Pli.Web.Features.Uploads;

/// <summary>
/// One tus upload as <see cref="SharedUploadStore"/> keeps it: what the server knows, the ordered parts that
/// hold its bytes in the file store, and the lease of the request writing to it. Every instance reads and
/// claims the same row, so the next chunk can go to any of them.
/// </summary>
public sealed class SharedUpload
{
    public string Id { get; set; } = "";

    public Guid OwnerId { get; set; }

    public long Length { get; set; }

    /// <summary>Bytes durably stored in the parts (and the tail): never more.</summary>
    public long Offset { get; set; }

    public string MetadataJson { get; set; } = "{}";

    public DateTime CreatedUtc { get; set; }

    public DateTime ExpiresUtc { get; set; }

    public DateTime? CompletedUtc { get; set; }

    /// <summary>The <see cref="UploadSealing"/> as JSON, for a sealed upload.</summary>
    public string? SealingJson { get; set; }

    public string? ContentName { get; set; }

    public string? Sha256 { get; set; }

    /// <summary>The first bytes of the stored file: a sealed upload's header (and an empty file's final record).</summary>
    public byte[] Initial { get; set; } = [];

    /// <summary>The file-store keys of the parts, in order, as a JSON array: the stored file is Initial ‖ parts.</summary>
    public string PartsJson { get; set; } = "[]";

    /// <summary>A sealed upload's partial last chunk, encrypted under the resume key (see <see cref="UploadResumeKey"/>).</summary>
    public string? TailKey { get; set; }

    /// <summary>The request holding the upload, until <see cref="LockedUntilUtc"/>; it renews the lease while it reads.</summary>
    public Guid? LockToken { get; set; }

    public DateTime? LockedUntilUtc { get; set; }

    /// <summary>
    /// Set when the upload is being deleted: it no longer exists for anyone, and a deletion cut short (a crash
    /// between the row and its parts) is finished by the next sweep, so no part is left behind.
    /// </summary>
    public DateTime? DeletedUtc { get; set; }
}

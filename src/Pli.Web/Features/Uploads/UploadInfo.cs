namespace Pli.Web.Features.Uploads;

/// <summary>
/// What the server knows of one tus upload, kept as a small JSON file beside the data. <see cref="Offset"/> is
/// the number of bytes durably written (flushed to disk): never more.
/// </summary>
public sealed record UploadInfo(
    string Id,
    Guid OwnerId,
    long Length,
    long Offset,
    IReadOnlyDictionary<string, string> Metadata,
    DateTimeOffset CreatedUtc,
    DateTimeOffset ExpiresUtc,
    DateTimeOffset? CompletedUtc)
{
    public bool IsComplete => Offset == Length;

    public bool IsExpiredAt(DateTimeOffset now) => ExpiresUtc <= now;
}

/// <summary>Called once when an upload has received its last byte (the data is durable then).</summary>
public interface IUploadCompleted
{
    Task OnCompletedAsync(UploadInfo upload, CancellationToken cancellationToken);
}

/// <summary>The default hook: the feature that consumes uploads (deposits) replaces it.</summary>
public sealed class NoUploadCompleted : IUploadCompleted
{
    public Task OnCompletedAsync(UploadInfo upload, CancellationToken cancellationToken) => Task.CompletedTask;
}

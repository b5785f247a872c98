using System.ComponentModel.DataAnnotations;

namespace Pli.Web.Features.Uploads;

public sealed class UploadOptions
{
    public const string Section = "Uploads";

    /// <summary>Largest Upload-Length accepted (Tus-Max-Size); 2 GiB by default, the per-file limit of deposits.</summary>
    [Range(1, long.MaxValue)]
    public long MaxSize { get; set; } = 2L * 1024 * 1024 * 1024;

    /// <summary>How long an upload lives after its creation or its last chunk; then it is deleted.</summary>
    [Range(typeof(TimeSpan), "00:01:00", "30.00:00:00")]
    public TimeSpan ExpireAfter { get; set; } = TimeSpan.FromHours(24);

    /// <summary>How often the background sweep deletes expired uploads (they are refused lazily anyway).</summary>
    [Range(typeof(TimeSpan), "00:00:01", "1.00:00:00")]
    public TimeSpan SweepEvery { get; set; } = TimeSpan.FromHours(1);

    /// <summary>
    /// Where uploads live: <see cref="UploadStoreKind.Local"/> on this machine's disk (one instance, or instances
    /// sharing the disk), <see cref="UploadStoreKind.Shared"/> in the database and the file store (any number of instances).
    /// </summary>
    public UploadStoreKind Store { get; set; } = UploadStoreKind.Local;

    /// <summary>
    /// How long a request's hold on a shared upload lasts without renewal (renewed every third of it while the
    /// body comes): how long an upload stays locked after its instance died.
    /// </summary>
    [Range(typeof(TimeSpan), "00:00:03", "00:10:00")]
    public TimeSpan LockLease { get; set; } = TimeSpan.FromSeconds(15);

    /// <summary>How long a PATCH waits for a shared upload held by another request before answering 423.</summary>
    [Range(typeof(TimeSpan), "00:00:00", "00:01:00")]
    public TimeSpan LockWait { get; set; } = TimeSpan.FromSeconds(5);
}

public enum UploadStoreKind
{
    Local,
    Shared,
}

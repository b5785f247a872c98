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
}

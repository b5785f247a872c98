using System.ComponentModel.DataAnnotations;
using Microsoft.Extensions.Options;

namespace Pli.Web.Infrastructure.Storage;

public enum StorageProvider
{
    /// <summary>Files on this machine's disk (<see cref="LocalFileStore"/>): one instance, the embedded default.</summary>
    Local,

    /// <summary>An S3-compatible object store (<see cref="S3FileStore"/>): what several instances share.</summary>
    S3,
}

public sealed class StorageOptions
{
    public const string Section = "Storage";

    public StorageProvider Provider { get; set; } = StorageProvider.Local;

    /// <summary>
    /// Folder of the local-disk store; relative paths are under the content root. With S3 it still holds
    /// the tus uploads in progress when they stay on this machine (<c>Uploads:Store=Local</c>).
    /// </summary>
    [Required]
    public string RootPath { get; set; } = "data/files";

    public S3StorageOptions S3 { get; set; } = new();
}

public sealed class S3StorageOptions
{
    /// <summary>The smallest part S3 accepts in a multipart upload (all parts but the last).</summary>
    public const int MinimumPartSize = 5 * 1024 * 1024;

    /// <summary>The server's URL ("https://s3.fr-par.scw.cloud", "http://127.0.0.1:9000"); empty for AWS itself, by <see cref="Region"/>.</summary>
    public string? ServiceUrl { get; set; }

    public string Bucket { get; set; } = "";

    /// <summary>Empty (with <see cref="SecretKey"/>) for the SDK's own lookup: environment, profile, instance role.</summary>
    public string? AccessKey { get; set; }

    public string? SecretKey { get; set; }

    public string Region { get; set; } = "us-east-1";

    /// <summary>"server/bucket/key" rather than "bucket.server/key": what most S3-compatible servers expect.</summary>
    public bool ForcePathStyle { get; set; } = true;

    /// <summary>
    /// Bytes per part of a multipart upload, and so the memory one upload holds (two parts: one being sent
    /// while the next is read). S3 refuses parts under 5 MiB and allows 10,000 parts: 8 MiB goes to 78 GiB.
    /// </summary>
    public int PartSize { get; set; } = 8 * 1024 * 1024;

    /// <summary>Creates the bucket on first use when it is missing: for development and tests, not production.</summary>
    public bool CreateBucket { get; set; }

    /// <summary>Longest wait for one request (one part, one ranged read) before it is retried or fails (1–3600, checked by <see cref="StorageOptionsValidator"/>).</summary>
    public int TimeoutSeconds { get; set; } = 120;
}

/// <summary>The S3 settings are checked at start only when S3 is the provider: a local install needs none.</summary>
public sealed class StorageOptionsValidator : IValidateOptions<StorageOptions>
{
    public ValidateOptionsResult Validate(string? name, StorageOptions options)
    {
        if (options.Provider != StorageProvider.S3)
        {
            return ValidateOptionsResult.Success;
        }
        var s3 = options.S3;
        var failures = new List<string>();
        if (string.IsNullOrWhiteSpace(s3.Bucket))
        {
            failures.Add("Storage:S3:Bucket is required when Storage:Provider is S3.");
        }
        if (s3.PartSize < S3StorageOptions.MinimumPartSize)
        {
            failures.Add($"Storage:S3:PartSize must be at least {S3StorageOptions.MinimumPartSize} bytes (5 MiB), the smallest part S3 accepts.");
        }
        if (string.IsNullOrWhiteSpace(s3.AccessKey) != string.IsNullOrWhiteSpace(s3.SecretKey))
        {
            failures.Add("Storage:S3:AccessKey and Storage:S3:SecretKey are given together, or neither.");
        }
        if (!string.IsNullOrWhiteSpace(s3.ServiceUrl) && !Uri.TryCreate(s3.ServiceUrl, UriKind.Absolute, out _))
        {
            failures.Add("Storage:S3:ServiceUrl must be an absolute URL.");
        }
        if (s3.TimeoutSeconds is < 1 or > 3600)
        {
            failures.Add("Storage:S3:TimeoutSeconds must be between 1 and 3600.");
        }
        return failures.Count == 0 ? ValidateOptionsResult.Success : ValidateOptionsResult.Fail(failures);
    }
}

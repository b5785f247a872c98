using System.Globalization;
using System.Security.Cryptography;
using System.Text;

namespace Pli.Web.Features.Uploads;

/// <summary>The header grammar of tus 1.0.0 (https://tus.io/protocols/resumable-upload), kept apart from HTTP handling.</summary>
public static class TusProtocol
{
    public const string Version = "1.0.0";
    public const string Extensions = "creation,creation-with-upload,expiration,checksum,termination";
    public const string ChecksumAlgorithms = "sha1,sha256";
    public const string OffsetContentType = "application/offset+octet-stream";

    public const string TusResumable = "Tus-Resumable";
    public const string UploadOffset = "Upload-Offset";
    public const string UploadLength = "Upload-Length";
    public const string UploadMetadata = "Upload-Metadata";
    public const string UploadExpires = "Upload-Expires";
    public const string UploadChecksum = "Upload-Checksum";

    /// <summary>460 Checksum Mismatch, defined by the checksum extension.</summary>
    public const int ChecksumMismatchStatus = 460;

    /// <summary>Parses a non-negative integer header (Upload-Length, Upload-Offset): digits only.</summary>
    public static bool TryParseLength(string? value, out long length)
    {
        length = 0;
        return !string.IsNullOrEmpty(value) && value.All(char.IsAsciiDigit)
            && long.TryParse(value, NumberStyles.None, CultureInfo.InvariantCulture, out length);
    }

    /// <summary>
    /// Upload-Metadata: comma-separated pairs "key base64value" (the value may be absent); keys are unique,
    /// without spaces or commas. Null when the header is malformed.
    /// </summary>
    public static IReadOnlyDictionary<string, string>? ParseMetadata(string? header)
    {
        var metadata = new Dictionary<string, string>(StringComparer.Ordinal);
        if (string.IsNullOrWhiteSpace(header))
        {
            return metadata;
        }
        foreach (var pair in header.Split(','))
        {
            var parts = pair.Trim().Split(' ');
            if (parts.Length is < 1 or > 2 || parts[0].Length == 0 || metadata.ContainsKey(parts[0]))
            {
                return null;
            }
            var value = "";
            if (parts.Length == 2)
            {
                try
                {
                    value = new UTF8Encoding(false, throwOnInvalidBytes: true).GetString(Convert.FromBase64String(parts[1]));
                }
                catch (Exception e) when (e is FormatException or ArgumentException)
                {
                    return null;
                }
            }
            metadata[parts[0]] = value;
        }
        return metadata;
    }

    public static string FormatMetadata(IReadOnlyDictionary<string, string> metadata) =>
        string.Join(',', metadata.Select(p => p.Value.Length == 0 ? p.Key : p.Key + " " + Convert.ToBase64String(Encoding.UTF8.GetBytes(p.Value))));

    /// <summary>Upload-Checksum: "sha1 base64" or "sha256 base64". Null when malformed or of another algorithm.</summary>
    public static UploadChecksum? ParseChecksum(string header)
    {
        var parts = header.Trim().Split(' ');
        if (parts.Length != 2)
        {
            return null;
        }
        var (algorithm, size) = parts[0] switch
        {
            "sha1" => (HashAlgorithmName.SHA1, SHA1.HashSizeInBytes),
            "sha256" => (HashAlgorithmName.SHA256, SHA256.HashSizeInBytes),
            _ => (default(HashAlgorithmName), 0),
        };
        if (size == 0)
        {
            return null;
        }
        try
        {
            var digest = Convert.FromBase64String(parts[1]);
            return digest.Length == size ? new UploadChecksum(algorithm, digest) : null;
        }
        catch (FormatException)
        {
            return null;
        }
    }

    /// <summary>Upload-Expires is an RFC 7231 HTTP-date (RFC 1123 format, GMT).</summary>
    public static string FormatDate(DateTimeOffset instant) => instant.UtcDateTime.ToString("R", CultureInfo.InvariantCulture);
}

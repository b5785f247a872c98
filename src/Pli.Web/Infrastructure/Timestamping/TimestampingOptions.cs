using System.ComponentModel.DataAnnotations;

namespace Pli.Web.Infrastructure.Timestamping;

public sealed class TimestampingOptions
{
    public const string Section = "Timestamping";

    /// <summary>
    /// URL of an external RFC 3161 authority (in production, a qualified eIDAS one). Empty: the embedded
    /// authority signs the tokens itself, so that <c>dotnet run</c> works without any contract.
    /// </summary>
    [Url]
    public string? Url { get; set; }

    /// <summary>Folder of the embedded authority's key and certificate (relative to the content root).</summary>
    [Required]
    public string KeyPath { get; set; } = "data/tsa";

    /// <summary>
    /// PEM file of the external authority's certificate (and chain), given by the operator: tokens must be
    /// signed by one of them. Empty: the certificates the authority embeds in its tokens are used.
    /// </summary>
    public string? CertificatePemPath { get; set; }

    /// <summary>
    /// Policy OID of the embedded authority's tokens. The default (enterprise number 99999 under the IANA
    /// private-enterprise arc 1.3.6.1.4.1) is a placeholder: the operator replaces it with an OID under its own
    /// enterprise number, naming its own time-stamping policy.
    /// </summary>
    [Required]
    [RegularExpression(@"^[0-2](\.(0|[1-9][0-9]*))+$", ErrorMessage = "Timestamping:PolicyOid must be a dotted OID such as 1.3.6.1.4.1.99999.1.1.")]
    public string PolicyOid { get; set; } = "1.3.6.1.4.1.99999.1.1";

    /// <summary>Organisation (O) named in the embedded authority's certificate.</summary>
    [Required]
    public string Organisation { get; set; } = "Pli";

    /// <summary>How long to wait for an external authority.</summary>
    [Range(typeof(TimeSpan), "00:00:01", "00:05:00")]
    public TimeSpan Timeout { get; set; } = TimeSpan.FromSeconds(15);
}

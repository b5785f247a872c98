namespace Pli.Web.Infrastructure.Data;

public enum ReceiptKind
{
    Deposit,
    Withdrawal,
}

/// <summary>
/// What a receipt proves, kept as the exact bytes that were time-stamped: <see cref="Json"/> (UTF-8,
/// canonical), its SHA-256, and the RFC 3161 answer over that digest. The PDF is drawn from them on demand.
/// </summary>
public sealed class DepositReceipt
{
    public Guid Id { get; set; }
    public Guid DepositId { get; set; }
    public ReceiptKind Kind { get; set; }
    public DateTime IssuedUtc { get; set; }
    public string Json { get; set; } = "";
    public string Sha256 { get; set; } = "";

    /// <summary>The DER TimeStampResp (a .tsr file); null while the authority could not be reached.</summary>
    public byte[]? TimestampResponse { get; set; }
    public DateTime? TimestampGenTimeUtc { get; set; }
    public string? TimestampSerial { get; set; }
    public string? TimestampAuthority { get; set; }
}

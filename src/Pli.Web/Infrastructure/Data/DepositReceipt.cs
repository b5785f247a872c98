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

    /// <summary>Where the receipt mail goes (the user who sealed or withdrew), kept for a completion after a crash.</summary>
    public string? MailTo { get; set; }

    /// <summary>When the receipt mail was put in the outbox; null until then.</summary>
    public DateTime? MailQueuedUtc { get; set; }

    /// <summary>
    /// When the receipt had both its token and its mail. Until then <see cref="Features.Deposits.ReceiptCompletion"/>
    /// finishes it: the request that sealed may have died between its two saves, or the authority was down.
    /// </summary>
    public DateTime? CompletedUtc { get; set; }

    /// <summary>The lease of the instance finishing the receipt, so that two never stamp or mail it twice.</summary>
    public DateTime? CompletionLeaseUntilUtc { get; set; }
}

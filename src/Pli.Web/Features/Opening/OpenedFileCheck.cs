using Pli.Web.Infrastructure.Malware;

namespace Pli.Web.Features.Opening;

public enum FileCheckOutcome
{
    /// <summary>Decrypted to its end, every chunk authenticated, SHA-256 and size those of the receipt.</summary>
    Intact,

    /// <summary>Not the file the company sent: see <see cref="OpenedFileCheck.AlterationCode"/>. Never served.</summary>
    Altered,
}

/// <summary>
/// What the opening found in one file of an opened envelope: decrypted once from storage, its SHA-256 and
/// length compared with what the receipt states, and the malware scanner's verdict on the same bytes.
/// </summary>
public sealed class OpenedFileCheck
{
    /// <summary>The store holds no file under the deposit file's key.</summary>
    public const string Missing = "opening.file-missing";

    /// <summary>Every chunk authenticated, but the plaintext's SHA-256 is not the receipt's.</summary>
    public const string HashMismatch = "opening.hash-mismatch";

    /// <summary>Every chunk authenticated, but the plaintext's length is not the receipt's.</summary>
    public const string SizeMismatch = "opening.size-mismatch";

    /// <summary>The file's header names another key pair, or its data key does not unwrap with the consultation's key.</summary>
    public const string WrongKey = "opening.wrong-key";

    public Guid Id { get; set; }
    public Guid ActId { get; set; }
    public Guid DepositFileId { get; set; }
    public DateTime CheckedUtc { get; set; }
    public FileCheckOutcome Outcome { get; set; }

    /// <summary>Why the file is altered: a <c>sealed.*</c> code of the sealed-file reader, or one of the constants above.</summary>
    public string? AlterationCode { get; set; }

    /// <summary>SHA-256 (lower-case hex) of the decrypted bytes, when the file was read to its end.</summary>
    public string? ComputedSha256 { get; set; }

    /// <summary>Bytes decrypted (the whole length when read to its end).</summary>
    public long ComputedLength { get; set; }

    public MalwareVerdict ScanVerdict { get; set; }
    public string? ScanSignature { get; set; }
    public string? ScanDetail { get; set; }

    public bool IsAltered => Outcome == FileCheckOutcome.Altered;

    public bool IsInfected => ScanVerdict == MalwareVerdict.Infected;

    /// <summary>Whether its decrypted content may be handed to an agent: never when altered or infected.</summary>
    public bool MayBeServed => !IsAltered && !IsInfected;
}

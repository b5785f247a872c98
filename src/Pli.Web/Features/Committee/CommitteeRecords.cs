namespace Pli.Web.Features.Committee;

/// <summary>
/// An opener's personal key pair (Infrastructure/Crypto/OpenerKeys): made once by the opener, the
/// private key encrypted under a passphrase that is never stored.
/// </summary>
public sealed class OpenerKey
{
    public Guid UserId { get; set; }
    public byte[] PublicKeyDer { get; set; } = [];
    public byte[] EncryptedPrivateKey { get; set; } = [];
    public DateTime CreatedUtc { get; set; }
    public DateTime? PassphraseChangedUtc { get; set; }

    /// <summary>The first 16 hex digits of the SHA-256 of the public key: what an opener can compare.</summary>
    public string Fingerprint => Pli.Web.Infrastructure.Crypto.ConsultationKeys.KeyIdOf(PublicKeyDer)[..16];
}

/// <summary>
/// One opener's share of a committee-protected consultation key: encrypted for the opener's public key
/// at publication; once presented after the deadline, held encrypted under a key derived from the master
/// secret (<see cref="PresentedShare"/>) until k shares are there, then deleted.
/// </summary>
public sealed class CommitteeShare
{
    public Guid ConsultationId { get; set; }
    public Guid OpenerUserId { get; set; }
    public byte[] EncryptedShare { get; set; } = [];
    public byte[]? PresentedShare { get; set; }
    public DateTime? PresentedUtc { get; set; }
}

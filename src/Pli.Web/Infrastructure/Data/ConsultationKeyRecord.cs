namespace Pli.Web.Infrastructure.Data;

/// <summary>
/// A consultation's key pair as stored (see Infrastructure/Crypto/ConsultationKeys): made when the first
/// pli of the consultation is started, one per consultation, the private key encrypted. A consultation
/// with an opening committee gets it at publication, its private key under the committee secret
/// (docs/committee-opening.md) until k openers unlock it.
/// </summary>
public sealed class ConsultationKeyRecord
{
    public Guid ConsultationId { get; set; }
    public string KeyId { get; set; } = "";
    public byte[] PublicKeyDer { get; set; } = [];
    public byte[] EncryptedPrivateKey { get; set; } = [];
    public DateTime CreatedUtc { get; set; }

    /// <summary>k of the committee holding the key; null when the master secret alone protects it.</summary>
    public int? CommitteeThreshold { get; set; }

    /// <summary>When k shares rebuilt the key, which was then re-encrypted under the master secret.</summary>
    public DateTime? CommitteeUnlockedUtc { get; set; }

    /// <summary>The user ids of the openers whose shares unlocked the key, comma-separated.</summary>
    public string? CommitteeUnlockedBy { get; set; }

    public bool IsCommitteeProtected => CommitteeThreshold is not null;

    /// <summary>Protected by a committee and not unlocked yet: the private key cannot be opened.</summary>
    public bool IsCommitteeLocked => IsCommitteeProtected && CommitteeUnlockedUtc is null;
}

namespace Pli.Web.Infrastructure.Data;

/// <summary>
/// A consultation's key pair as stored (see Infrastructure/Crypto/ConsultationKeys): made when the first
/// pli of the consultation is started, one per consultation, the private key encrypted.
/// </summary>
public sealed class ConsultationKeyRecord
{
    public Guid ConsultationId { get; set; }
    public string KeyId { get; set; } = "";
    public byte[] PublicKeyDer { get; set; } = [];
    public byte[] EncryptedPrivateKey { get; set; } = [];
    public DateTime CreatedUtc { get; set; }
}

namespace Pli.Web.Infrastructure.Crypto;

/// <summary>
/// Gives the secret that encrypts consultations' private keys at rest. The default
/// (<see cref="MasterKeyProvider"/>) reads the platform master secret from configuration
/// (<c>Crypto:MasterKey</c>); an HSM or a key vault can take its place later.
/// </summary>
public interface IKeyEncryptionKeyProvider
{
    /// <summary>A fresh copy of the 32-byte secret: the caller zeroes it after use.</summary>
    byte[] GetKeyEncryptionKey();
}

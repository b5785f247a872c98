using System.Security.Cryptography;

namespace Pli.Web.Infrastructure.Crypto;

/// <summary>Keys of their own for each use of the platform master secret, so that no two uses share a key.</summary>
public static class MasterSecretDerivation
{
    /// <summary>
    /// AES-256-GCM under HKDF-SHA256(master secret, <paramref name="salt"/>, <paramref name="info"/>); the derived key
    /// and the copy of the secret are wiped before this returns. Dispose the cipher after use.
    /// </summary>
    public static AesGcm DeriveAesGcm(this IKeyEncryptionKeyProvider keyEncryptionKeys, ReadOnlySpan<byte> salt, ReadOnlySpan<byte> info, int tagSize = SealedFileFormat.TagSize)
    {
        var secret = keyEncryptionKeys.GetKeyEncryptionKey();
        Span<byte> key = stackalloc byte[32];
        try
        {
            HKDF.DeriveKey(HashAlgorithmName.SHA256, secret, key, salt, info);
            return new AesGcm(key, tagSize);
        }
        finally
        {
            CryptographicOperations.ZeroMemory(secret);
            CryptographicOperations.ZeroMemory(key);
        }
    }
}

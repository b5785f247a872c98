using System.Security.Cryptography;
using Microsoft.Extensions.Options;

namespace Pli.Web.Infrastructure.Crypto;

/// <param name="PublicKeyDer">RSA-3072 public key, SubjectPublicKeyInfo DER: what committee shares are encrypted for.</param>
/// <param name="EncryptedPrivateKey">Encrypted PKCS#8 (PBES2, PBKDF2-HMAC-SHA256, AES-256-CBC) under the opener's passphrase.</param>
public sealed record OpenerKeyPair(byte[] PublicKeyDer, byte[] EncryptedPrivateKey);

/// <summary>
/// An opener's personal key pair: RSA-3072, the private key encrypted under a passphrase only the opener
/// knows (never stored, never logged). Committee shares are encrypted for the public key with
/// RSA-OAEP-SHA256, so the platform cannot read a share without the opener typing the passphrase.
/// </summary>
public sealed class OpenerKeys(IOptions<CryptoOptions> options)
{
    public const int KeySizeInBits = 3072;
    public const int MinPassphraseLength = 12;

    private PbeParameters Parameters => new(PbeEncryptionAlgorithm.Aes256Cbc, HashAlgorithmName.SHA256, options.Value.PrivateKeyIterations);

    public OpenerKeyPair Generate(string passphrase)
    {
        using var rsa = RSA.Create(KeySizeInBits);
        return new OpenerKeyPair(rsa.ExportSubjectPublicKeyInfo(), rsa.ExportEncryptedPkcs8PrivateKey(passphrase, Parameters));
    }

    /// <summary>The private key encrypted under <paramref name="newPassphrase"/>; <see cref="WrongPassphraseException"/> when <paramref name="oldPassphrase"/> does not open it.</summary>
    public byte[] ChangePassphrase(byte[] encryptedPrivateKey, string oldPassphrase, string newPassphrase)
    {
        using var rsa = Open(encryptedPrivateKey, oldPassphrase);
        return rsa.ExportEncryptedPkcs8PrivateKey(newPassphrase, Parameters);
    }

    /// <summary>Encrypts a short payload (at most 318 bytes) for an opener's public key (RSA-OAEP-SHA256). Needs no secret.</summary>
    public static byte[] EncryptFor(ReadOnlySpan<byte> publicKeyDer, ReadOnlySpan<byte> payload)
    {
        using var rsa = RSA.Create();
        rsa.ImportSubjectPublicKeyInfo(publicKeyDer, out _);
        if (rsa.KeySize != KeySizeInBits)
        {
            throw new CryptographicException($"An opener key is RSA-{KeySizeInBits}, not RSA-{rsa.KeySize}.");
        }
        return rsa.Encrypt(payload.ToArray(), RSAEncryptionPadding.OaepSHA256);
    }

    /// <summary>
    /// Opens the private key with the passphrase and decrypts <paramref name="ciphertext"/>:
    /// <see cref="WrongPassphraseException"/> when the passphrase does not open the key, a plain
    /// <see cref="CryptographicException"/> when the ciphertext was not made for this key (altered).
    /// </summary>
    public byte[] Decrypt(byte[] encryptedPrivateKey, string passphrase, byte[] ciphertext)
    {
        using var rsa = Open(encryptedPrivateKey, passphrase);
        return rsa.Decrypt(ciphertext, RSAEncryptionPadding.OaepSHA256);
    }

    private static RSA Open(byte[] encryptedPrivateKey, string passphrase)
    {
        var rsa = RSA.Create();
        try
        {
            rsa.ImportEncryptedPkcs8PrivateKey(passphrase, encryptedPrivateKey, out _);
            return rsa;
        }
        catch (CryptographicException e)
        {
            rsa.Dispose();
            throw new WrongPassphraseException(e);
        }
    }
}

/// <summary>The passphrase typed does not open the opener's private key.</summary>
public sealed class WrongPassphraseException(Exception inner) : CryptographicException("The passphrase does not open this private key.", inner);

using System.Security.Cryptography;
using Microsoft.Extensions.Options;

namespace Pli.Web.Infrastructure.Crypto;

/// <summary>
/// A consultation's key pair as stored: the public key in the clear, the private key encrypted.
/// </summary>
/// <param name="KeyId">Lower-case hex SHA-256 of <paramref name="PublicKeyDer"/>: written in each sealed file's header.</param>
/// <param name="PublicKeyDer">RSA-3072 public key, SubjectPublicKeyInfo DER.</param>
/// <param name="EncryptedPrivateKey">Encrypted PKCS#8 DER (PBES2, PBKDF2-HMAC-SHA256, AES-256-CBC) under the platform master secret.</param>
public sealed record ConsultationKeyPair(string KeyId, byte[] PublicKeyDer, byte[] EncryptedPrivateKey);

/// <summary>
/// The key pairs of consultations: each consultation gets an RSA-3072 pair; every deposited file's
/// random data key is wrapped for its public key with RSA-OAEP-SHA256; the private key is kept
/// encrypted under the secret of <see cref="IKeyEncryptionKeyProvider"/> and is <b>never usable before
/// the deadline</b>: <see cref="UnwrapDataKey"/> refuses, without even decrypting the private key,
/// while the clock (<see cref="TimeProvider"/>) is before the deadline.
/// <para>
/// Rule: the key becomes usable only <b>after</b> the deadline instant (now &gt; deadline). A pli sealed
/// at that very instant is still on time, so the consultation is open until then, inclusive. This service enforces the time barrier; a consultation with an
/// opening committee has its private key under a committee secret instead (<see cref="CommitteeKeys"/>,
/// docs/committee-opening.md).
/// </para>
/// </summary>
public sealed class ConsultationKeys(IKeyEncryptionKeyProvider keyEncryptionKeys, TimeProvider time, IOptions<CryptoOptions> options)
{
    public const int KeySizeInBits = 3072;

    public ConsultationKeyPair Generate()
    {
        using var rsa = RSA.Create(KeySizeInBits);
        var publicKey = rsa.ExportSubjectPublicKeyInfo();
        var secret = keyEncryptionKeys.GetKeyEncryptionKey();
        try
        {
            var parameters = new PbeParameters(PbeEncryptionAlgorithm.Aes256Cbc, HashAlgorithmName.SHA256, options.Value.PrivateKeyIterations);
            return new ConsultationKeyPair(KeyIdOf(publicKey), publicKey, rsa.ExportEncryptedPkcs8PrivateKey(secret, parameters));
        }
        finally
        {
            CryptographicOperations.ZeroMemory(secret);
        }
    }

    /// <summary>The id of a public key: lower-case hex of the SHA-256 of its DER.</summary>
    public static string KeyIdOf(ReadOnlySpan<byte> publicKeyDer) => Convert.ToHexStringLower(SHA256.HashData(publicKeyDer));

    /// <summary>Encrypts a 32-byte data key for the consultation's public key (RSA-OAEP-SHA256). Needs no secret.</summary>
    public static byte[] WrapDataKey(ReadOnlySpan<byte> publicKeyDer, ReadOnlySpan<byte> dataKey)
    {
        if (dataKey.Length != SealedFileFormat.DataKeySize)
        {
            throw new ArgumentException("The data key is 32 bytes.", nameof(dataKey));
        }
        using var rsa = RSA.Create();
        rsa.ImportSubjectPublicKeyInfo(publicKeyDer, out _);
        if (rsa.KeySize != KeySizeInBits)
        {
            throw new CryptographicException($"A consultation key is RSA-{KeySizeInBits}, not RSA-{rsa.KeySize}.");
        }
        return rsa.Encrypt(dataKey, RSAEncryptionPadding.OaepSHA256);
    }

    /// <summary>
    /// Decrypts the private key, then the wrapped data key. Throws <see cref="OpeningTooEarlyException"/>
    /// while now &lt;= <paramref name="deadlineUtc"/> (the private key is not touched then), and a
    /// <see cref="CryptographicException"/> when the master secret or the wrapped key is not the right one.
    /// </summary>
    /// <param name="encryptedPrivateKey">The consultation's <see cref="ConsultationKeyPair.EncryptedPrivateKey"/>.</param>
    /// <param name="wrappedDataKey">The wrapped data key read from a sealed file's header.</param>
    /// <param name="deadlineUtc">The consultation's deadline for receipt of tenders, UTC (an unspecified kind is read as UTC, as EF returns it).</param>
    public byte[] UnwrapDataKey(ReadOnlySpan<byte> encryptedPrivateKey, ReadOnlySpan<byte> wrappedDataKey, DateTime deadlineUtc)
    {
        using var key = OpenPrivateKey(encryptedPrivateKey, deadlineUtc);
        return key.UnwrapDataKey(wrappedDataKey);
    }

    /// <summary>
    /// Decrypts the private key once, for an opening that unwraps many files' data keys (the private
    /// key's PBKDF2 costs about half a second). Same time barrier as <see cref="UnwrapDataKey"/>.
    /// </summary>
    public OpenedConsultationKey OpenPrivateKey(ReadOnlySpan<byte> encryptedPrivateKey, DateTime deadlineUtc)
    {
        RequireAfterDeadline(deadlineUtc);
        var secret = keyEncryptionKeys.GetKeyEncryptionKey();
        try
        {
            return OpenedConsultationKey.Import(secret, encryptedPrivateKey);
        }
        finally
        {
            CryptographicOperations.ZeroMemory(secret);
        }
    }

    /// <summary>Refuses with <see cref="OpeningTooEarlyException"/> while now &lt;= the deadline: every path to a private key starts here.</summary>
    public void RequireAfterDeadline(DateTime deadlineUtc)
    {
        if (deadlineUtc.Kind == DateTimeKind.Local)
        {
            throw new ArgumentException("The deadline must be in UTC.", nameof(deadlineUtc));
        }
        var deadline = DateTime.SpecifyKind(deadlineUtc, DateTimeKind.Utc);
        if (time.GetUtcNow().UtcDateTime <= deadline)
        {
            throw new OpeningTooEarlyException(deadline);
        }
    }
}

/// <summary>A consultation's private key, decrypted for the time of an opening: dispose it as soon as the files are read.</summary>
public sealed class OpenedConsultationKey : IDisposable
{
    private readonly RSA _rsa;

    private OpenedConsultationKey(RSA rsa, string keyId)
    {
        _rsa = rsa;
        KeyId = keyId;
    }

    /// <summary>The id of the key pair (see <see cref="ConsultationKeys.KeyIdOf"/>): a sealed file's header must name it.</summary>
    public string KeyId { get; }

    /// <summary>Imports an encrypted PKCS#8 private key with the secret it was encrypted under (the master secret, or a committee's rebuilt secret).</summary>
    public static OpenedConsultationKey Import(ReadOnlySpan<byte> secret, ReadOnlySpan<byte> encryptedPrivateKey)
    {
        var rsa = RSA.Create();
        try
        {
            rsa.ImportEncryptedPkcs8PrivateKey(secret, encryptedPrivateKey, out _);
            return new OpenedConsultationKey(rsa, ConsultationKeys.KeyIdOf(rsa.ExportSubjectPublicKeyInfo()));
        }
        catch
        {
            rsa.Dispose();
            throw;
        }
    }

    public byte[] UnwrapDataKey(ReadOnlySpan<byte> wrappedDataKey) => _rsa.Decrypt(wrappedDataKey, RSAEncryptionPadding.OaepSHA256);

    public void Dispose() => _rsa.Dispose();
}

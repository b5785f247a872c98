using System.Security.Cryptography;
using System.Text;
using Microsoft.Extensions.Options;

namespace Pli.Web.Infrastructure.Crypto;

/// <param name="KeyPair">The consultation's key pair, its private key encrypted under the committee secret (not the master secret).</param>
/// <param name="EncryptedShares">One share of the committee secret per opener, in the order of the public keys given, each encrypted for its opener.</param>
public sealed record CommitteeSealing(ConsultationKeyPair KeyPair, IReadOnlyList<byte[]> EncryptedShares);

/// <summary>
/// A consultation key pair held by a committee (docs/committee-opening.md): the private key is encrypted
/// (PKCS#8 PBES2) under a random 32-byte committee secret, which is split k-of-n with
/// <see cref="ShamirSecretSharing"/>; each share is encrypted for one opener's public key and the secret
/// itself is zeroed, never stored. Rebuilding needs k shares, which only the openers' passphrases open.
/// </summary>
public sealed class CommitteeKeys(IKeyEncryptionKeyProvider keyEncryptionKeys, IOptions<CryptoOptions> options)
{
    public const int SecretSize = 32;
    private const int ShareSize = SecretSize + 1;
    private const int PayloadSize = 16 + ShareSize;
    private static readonly byte[] PresentedShareInfo = Encoding.ASCII.GetBytes("pli/committee/presented-share/v1");

    private PbeParameters Parameters => new(PbeEncryptionAlgorithm.Aes256Cbc, HashAlgorithmName.SHA256, options.Value.PrivateKeyIterations);

    /// <summary>Makes the consultation's key pair and the openers' encrypted shares of its committee secret.</summary>
    public CommitteeSealing Generate(Guid consultationId, IReadOnlyList<byte[]> openerPublicKeys, int threshold)
    {
        ArgumentNullException.ThrowIfNull(openerPublicKeys);
        using var rsa = RSA.Create(ConsultationKeys.KeySizeInBits);
        var publicKey = rsa.ExportSubjectPublicKeyInfo();
        var secret = RandomNumberGenerator.GetBytes(SecretSize);
        byte[][] shares = [];
        try
        {
            var encryptedPrivateKey = rsa.ExportEncryptedPkcs8PrivateKey(secret, Parameters);
            shares = ShamirSecretSharing.Split(secret, openerPublicKeys.Count, threshold);
            var encrypted = new List<byte[]>(shares.Length);
            for (var i = 0; i < shares.Length; i++)
            {
                var payload = Payload(consultationId, shares[i]);
                try
                {
                    encrypted.Add(OpenerKeys.EncryptFor(openerPublicKeys[i], payload));
                }
                finally
                {
                    CryptographicOperations.ZeroMemory(payload);
                }
            }
            return new CommitteeSealing(new ConsultationKeyPair(ConsultationKeys.KeyIdOf(publicKey), publicKey, encryptedPrivateKey), encrypted);
        }
        finally
        {
            CryptographicOperations.ZeroMemory(secret);
            foreach (var share in shares)
            {
                CryptographicOperations.ZeroMemory(share);
            }
        }
    }

    /// <summary>
    /// The share inside a decrypted payload, checked to be one of <paramref name="consultationId"/>'s
    /// (a share moved from another consultation is refused with <see cref="WrongCommitteeShareException"/>).
    /// </summary>
    public static byte[] ShareOf(Guid consultationId, ReadOnlySpan<byte> payload)
    {
        Span<byte> expected = stackalloc byte[16];
        consultationId.TryWriteBytes(expected, bigEndian: true, out _);
        if (payload.Length != PayloadSize || !payload[..16].SequenceEqual(expected) || payload[16] == 0)
        {
            throw new WrongCommitteeShareException();
        }
        return payload[16..].ToArray();
    }

    /// <summary>Encrypts a presented share at rest (AES-256-GCM under a key derived from the master secret), bound to its consultation and opener.</summary>
    public byte[] ProtectPresentedShare(Guid consultationId, Guid openerUserId, ReadOnlySpan<byte> share)
    {
        using var aes = PresentedShareCipher(consultationId);
        var result = new byte[12 + share.Length + 16];
        var nonce = result.AsSpan(0, 12);
        RandomNumberGenerator.Fill(nonce);
        aes.Encrypt(nonce, share, result.AsSpan(12, share.Length), result.AsSpan(12 + share.Length), Associated(consultationId, openerUserId));
        return result;
    }

    /// <summary>The presented share back; <see cref="WrongCommitteeShareException"/> when it was altered or moved.</summary>
    public byte[] UnprotectPresentedShare(Guid consultationId, Guid openerUserId, ReadOnlySpan<byte> protectedShare)
    {
        if (protectedShare.Length <= 28)
        {
            throw new WrongCommitteeShareException();
        }
        using var aes = PresentedShareCipher(consultationId);
        try
        {
            var share = new byte[protectedShare.Length - 28];
            aes.Decrypt(protectedShare[..12], protectedShare[12..^16], protectedShare[^16..], share, Associated(consultationId, openerUserId));
            return share;
        }
        catch (AuthenticationTagMismatchException e)
        {
            throw new WrongCommitteeShareException(e);
        }
    }

    /// <summary>
    /// Combines the shares, opens the private key with the rebuilt secret, checks that it is the key
    /// named <paramref name="expectedKeyId"/>, and returns it encrypted under the master secret (the
    /// ordinary opening path). A wrong or forged share fails with <see cref="WrongCommitteeShareException"/>.
    /// </summary>
    public byte[] Rebuild(ReadOnlySpan<byte> committeeEncryptedPrivateKey, IReadOnlyList<byte[]> shares, string expectedKeyId)
    {
        byte[] secret;
        try
        {
            secret = ShamirSecretSharing.Combine(shares);
        }
        catch (ArgumentException e)
        {
            throw new WrongCommitteeShareException(e);
        }
        var master = keyEncryptionKeys.GetKeyEncryptionKey();
        using var rsa = RSA.Create();
        try
        {
            try
            {
                rsa.ImportEncryptedPkcs8PrivateKey(secret, committeeEncryptedPrivateKey, out _);
            }
            catch (CryptographicException e)
            {
                throw new WrongCommitteeShareException(e);
            }
            if (ConsultationKeys.KeyIdOf(rsa.ExportSubjectPublicKeyInfo()) != expectedKeyId)
            {
                throw new WrongCommitteeShareException();
            }
            return rsa.ExportEncryptedPkcs8PrivateKey(master, Parameters);
        }
        finally
        {
            CryptographicOperations.ZeroMemory(secret);
            CryptographicOperations.ZeroMemory(master);
        }
    }

    private static byte[] Payload(Guid consultationId, byte[] share)
    {
        var payload = new byte[PayloadSize];
        consultationId.TryWriteBytes(payload, bigEndian: true, out _);
        share.CopyTo(payload, 16);
        return payload;
    }

    private AesGcm PresentedShareCipher(Guid consultationId)
    {
        Span<byte> salt = stackalloc byte[16];
        consultationId.TryWriteBytes(salt, bigEndian: true, out _);
        return keyEncryptionKeys.DeriveAesGcm(salt, PresentedShareInfo);
    }

    private static byte[] Associated(Guid consultationId, Guid openerUserId)
    {
        var data = new byte[32];
        consultationId.TryWriteBytes(data.AsSpan(0, 16), bigEndian: true, out _);
        openerUserId.TryWriteBytes(data.AsSpan(16), bigEndian: true, out _);
        return data;
    }
}

/// <summary>A committee share, or the secret rebuilt from the shares, is not the right one: a share was altered or forged.</summary>
public sealed class WrongCommitteeShareException(Exception? inner = null)
    : CryptographicException("A committee share is wrong: the rebuilt key is not the consultation's.", inner);

/// <summary>
/// The opening of a committee-protected consultation before enough of its named openers have presented
/// their share: the private key cannot be rebuilt yet.
/// </summary>
public sealed class CommitteePendingException(int presented, int threshold)
    : Exception($"La clé de cette consultation est détenue par un comité : {presented} part(s) présentée(s) sur {threshold} requises. Les ouvreurs nommés doivent encore présenter leur part.")
{
    public const string ErrorCode = "opening.committee-pending";

    public string Code => ErrorCode;

    public int Presented { get; } = presented;

    public int Threshold { get; } = threshold;
}

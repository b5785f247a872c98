using System.Security.Cryptography;
using System.Text;
using System.Xml.Linq;
using Microsoft.AspNetCore.DataProtection.XmlEncryption;
using Pli.Web.Infrastructure.Crypto;

namespace Pli.Web.Infrastructure.Security;

/// <summary>
/// Encrypts the secret part of each Data Protection key before it is stored in the database, so that a copy of
/// the database (a backup, a standby, a support dump) does not let anyone forge sign-in cookies, bearer tokens or
/// mailed links.
/// <para>
/// Why the master secret: it already protects every consultation's private key and is already given to every
/// instance; this gives its holder no new power, and an instance needs nothing else to read the shared key ring.
/// </para>
/// <para>
/// Key = HKDF-SHA256(master secret, salt = 32 random bytes stored beside the ciphertext, info =
/// "pli/data-protection-keys/v1"): one AES-256-GCM key per stored element, so random 96-bit nonces never share a
/// key. The associated data is the info string, so the ciphertext cannot be passed off as another kind of Pli secret.
/// </para>
/// </summary>
public sealed class MasterSecretXmlEncryptor(IKeyEncryptionKeyProvider keyEncryptionKeys) : IXmlEncryptor
{
    public EncryptedXmlInfo Encrypt(XElement plaintextElement)
    {
        ArgumentNullException.ThrowIfNull(plaintextElement);
        var plaintext = Encoding.UTF8.GetBytes(plaintextElement.ToString(SaveOptions.DisableFormatting));
        try
        {
            var salt = RandomNumberGenerator.GetBytes(MasterSecretXmlCipher.SaltSize);
            var nonce = RandomNumberGenerator.GetBytes(MasterSecretXmlCipher.NonceSize);
            var tag = new byte[MasterSecretXmlCipher.TagSize];
            var ciphertext = new byte[plaintext.Length];
            using (var aes = MasterSecretXmlCipher.Create(keyEncryptionKeys, salt))
            {
                aes.Encrypt(nonce, plaintext, ciphertext, tag, MasterSecretXmlCipher.Info);
            }
            var element = new XElement(MasterSecretXmlCipher.ElementName,
                new XAttribute("version", "1"),
                new XComment(" AES-256-GCM under HKDF-SHA256(Crypto:MasterKey, salt, \"pli/data-protection-keys/v1\") "),
                new XElement("salt", Convert.ToBase64String(salt)),
                new XElement("nonce", Convert.ToBase64String(nonce)),
                new XElement("tag", Convert.ToBase64String(tag)),
                new XElement("value", Convert.ToBase64String(ciphertext)));
            return new EncryptedXmlInfo(element, typeof(MasterSecretXmlDecryptor));
        }
        finally
        {
            CryptographicOperations.ZeroMemory(plaintext);
        }
    }
}

/// <summary>
/// Reads what <see cref="MasterSecretXmlEncryptor"/> wrote. Data Protection creates it by its type name with the
/// service provider, hence the constructor.
/// </summary>
public sealed class MasterSecretXmlDecryptor : IXmlDecryptor
{
    private readonly IKeyEncryptionKeyProvider _keyEncryptionKeys;

    public MasterSecretXmlDecryptor(IServiceProvider services)
        : this(services.GetRequiredService<IKeyEncryptionKeyProvider>())
    {
    }

    public MasterSecretXmlDecryptor(IKeyEncryptionKeyProvider keyEncryptionKeys) => _keyEncryptionKeys = keyEncryptionKeys;

    /// <exception cref="CryptographicException">Malformed, altered, or encrypted under another master secret.</exception>
    public XElement Decrypt(XElement encryptedElement)
    {
        ArgumentNullException.ThrowIfNull(encryptedElement);
        if (encryptedElement.Name != MasterSecretXmlCipher.ElementName || (string?)encryptedElement.Attribute("version") != "1")
        {
            throw new CryptographicException($"Not a Pli-encrypted Data Protection key (expected <{MasterSecretXmlCipher.ElementName} version=\"1\">).");
        }
        byte[] salt, nonce, tag, ciphertext;
        try
        {
            salt = Read(encryptedElement, "salt", MasterSecretXmlCipher.SaltSize);
            nonce = Read(encryptedElement, "nonce", MasterSecretXmlCipher.NonceSize);
            tag = Read(encryptedElement, "tag", MasterSecretXmlCipher.TagSize);
            ciphertext = Read(encryptedElement, "value", null);
        }
        catch (FormatException e)
        {
            throw new CryptographicException("A Pli-encrypted Data Protection key is malformed.", e);
        }
        var plaintext = new byte[ciphertext.Length];
        try
        {
            using (var aes = MasterSecretXmlCipher.Create(_keyEncryptionKeys, salt))
            {
                aes.Decrypt(nonce, ciphertext, tag, plaintext, MasterSecretXmlCipher.Info);
            }
            return XElement.Parse(Encoding.UTF8.GetString(plaintext));
        }
        catch (AuthenticationTagMismatchException e)
        {
            throw new CryptographicException(
                "This Data Protection key was encrypted under another master secret (Crypto:MasterKey), or altered: every instance must be given the same master secret.", e);
        }
        finally
        {
            CryptographicOperations.ZeroMemory(plaintext);
        }
    }

    private static byte[] Read(XElement element, string name, int? size)
    {
        var value = Convert.FromBase64String((string?)element.Element(name) ?? throw new FormatException($"<{name}> is missing."));
        return size is null || value.Length == size ? value : throw new FormatException($"<{name}> must hold {size} bytes.");
    }
}

internal static class MasterSecretXmlCipher
{
    public const string ElementName = "pliEncryptedKey";
    public const int SaltSize = 32;
    public const int NonceSize = 12;
    public const int TagSize = 16;

    public static ReadOnlySpan<byte> Info => "pli/data-protection-keys/v1"u8;

    public static AesGcm Create(IKeyEncryptionKeyProvider keyEncryptionKeys, byte[] salt) => keyEncryptionKeys.DeriveAesGcm(salt, Info, TagSize);
}

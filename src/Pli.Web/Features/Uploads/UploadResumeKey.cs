using System.Buffers.Binary;
using System.Security.Cryptography;
using System.Text;
using Pli.Web.Infrastructure.Crypto;

namespace Pli.Web.Features.Uploads;

/// <summary>
/// Keeps what a sealed upload must carry from one request to the next without the plaintext or the data
/// key ever lying on disk in the clear: the file's data key and the partial last chunk of a PATCH, each
/// AES-256-GCM under a key derived for that upload from the platform master secret.
/// <para>
/// Why the master secret: it already protects every consultation's private key, so whoever holds it can
/// open every deposit after the deadline anyway (and before it, by decrypting a private key); this key
/// gives them no new power. In exchange any process, on any instance sharing the disk, can resume an
/// upload after a restart. Without the secret, the data key is only reachable through the consultation's
/// private key, which <see cref="ConsultationKeys"/> refuses to use before the deadline.
/// </para>
/// <para>
/// Key = HKDF-SHA256(master secret, salt = upload id, info = "pli/upload-resume/v1"): one key per upload,
/// so the random 96-bit nonces of all uploads never share a key. The associated data binds each
/// ciphertext to its place: the upload id (32 ASCII bytes) for the data key, the upload id and the
/// offset (8 bytes, big-endian) for a tail, so a tail cannot be replayed at another offset or upload.
/// </para>
/// </summary>
public sealed class UploadResumeKey(IKeyEncryptionKeyProvider keyEncryptionKeys)
{
    /// <summary>Nonce and tag around each protected value.</summary>
    public const int Overhead = SealedFileFormat.NonceSize + SealedFileFormat.TagSize;

    private static ReadOnlySpan<byte> Info => "pli/upload-resume/v1"u8;

    public byte[] ProtectDataKey(string uploadId, ReadOnlySpan<byte> dataKey)
    {
        var output = new byte[dataKey.Length + Overhead];
        Seal(uploadId, Encoding.ASCII.GetBytes(uploadId), dataKey, output);
        return output;
    }

    /// <summary>The data key back; the caller zeroes it after use.</summary>
    /// <exception cref="CryptographicException">Not this upload's key, or not under this master secret.</exception>
    public byte[] UnprotectDataKey(string uploadId, ReadOnlySpan<byte> protectedDataKey)
    {
        if (protectedDataKey.Length != SealedFileFormat.DataKeySize + Overhead)
        {
            throw new CryptographicException("A protected data key is 60 bytes.");
        }
        var dataKey = new byte[SealedFileFormat.DataKeySize];
        Open(uploadId, Encoding.ASCII.GetBytes(uploadId), protectedDataKey, dataKey);
        return dataKey;
    }

    /// <summary>Encrypts the partial chunk kept at <paramref name="offset"/> into <paramref name="output"/>; returns its length.</summary>
    public int SealTail(string uploadId, long offset, ReadOnlySpan<byte> plaintext, Span<byte> output)
    {
        Seal(uploadId, TailAssociatedData(uploadId, offset), plaintext, output);
        return plaintext.Length + Overhead;
    }

    /// <summary>Decrypts a tail written by <see cref="SealTail"/> for the same upload and offset; returns the plaintext length.</summary>
    /// <exception cref="CryptographicException">Altered, or not the tail of that offset.</exception>
    public int OpenTail(string uploadId, long offset, ReadOnlySpan<byte> sealedTail, Span<byte> plaintext)
    {
        if (sealedTail.Length < Overhead)
        {
            throw new CryptographicException("A tail is at least 28 bytes.");
        }
        Open(uploadId, TailAssociatedData(uploadId, offset), sealedTail, plaintext);
        return sealedTail.Length - Overhead;
    }

    private static byte[] TailAssociatedData(string uploadId, long offset)
    {
        var data = new byte[Encoding.ASCII.GetByteCount(uploadId) + sizeof(long)];
        var written = Encoding.ASCII.GetBytes(uploadId, data);
        BinaryPrimitives.WriteInt64BigEndian(data.AsSpan(written), offset);
        return data;
    }

    private void Seal(string uploadId, ReadOnlySpan<byte> associatedData, ReadOnlySpan<byte> plaintext, Span<byte> output)
    {
        var nonce = output[..SealedFileFormat.NonceSize];
        RandomNumberGenerator.Fill(nonce);
        using var aes = Aes(uploadId);
        aes.Encrypt(nonce, plaintext, output.Slice(SealedFileFormat.NonceSize, plaintext.Length), output.Slice(SealedFileFormat.NonceSize + plaintext.Length, SealedFileFormat.TagSize), associatedData);
    }

    private void Open(string uploadId, ReadOnlySpan<byte> associatedData, ReadOnlySpan<byte> input, Span<byte> plaintext)
    {
        var length = input.Length - Overhead;
        using var aes = Aes(uploadId);
        aes.Decrypt(input[..SealedFileFormat.NonceSize], input.Slice(SealedFileFormat.NonceSize, length), input[^SealedFileFormat.TagSize..], plaintext[..length], associatedData);
    }

    private AesGcm Aes(string uploadId) => keyEncryptionKeys.DeriveAesGcm(Encoding.ASCII.GetBytes(uploadId), Info);
}

using System.Security.Cryptography;

namespace Pli.Web.Infrastructure.Crypto;

/// <summary>
/// Seals and opens the chunk records of one sealed file (nonce and associated data as
/// docs/sealed-file-format.md says): the one place that knows how a record is made, shared by
/// <see cref="SealedFileWriter"/>, <see cref="SealedFileReader"/> and the resumable sealed uploads.
/// </summary>
public sealed class SealedChunkCipher : IDisposable
{
    private readonly AesGcm _aes;
    private readonly byte[] _nonce = new byte[SealedFileFormat.NonceSize];
    private readonly byte[] _associatedData = new byte[SealedFileFormat.AssociatedDataSize];

    /// <param name="header">The file's header: its nonce prefix and hash go into every record.</param>
    /// <param name="dataKey">The file's 32-byte data key (copied by AES-GCM; the caller may zero its copy).</param>
    public SealedChunkCipher(SealedFileHeader header, ReadOnlySpan<byte> dataKey)
    {
        ArgumentNullException.ThrowIfNull(header);
        if (dataKey.Length != SealedFileFormat.DataKeySize)
        {
            throw new ArgumentException("The data key is 32 bytes.", nameof(dataKey));
        }
        Header = header;
        _aes = new AesGcm(dataKey, SealedFileFormat.TagSize);
    }

    public SealedFileHeader Header { get; }

    /// <summary>Bytes of a record holding <paramref name="plaintextLength"/> bytes: ciphertext then tag.</summary>
    public static int RecordLength(int plaintextLength) => plaintextLength + SealedFileFormat.TagSize;

    /// <summary>Encrypts chunk <paramref name="index"/> into <paramref name="record"/> and returns the record's length.</summary>
    public int Seal(uint index, bool final, ReadOnlySpan<byte> plaintext, Span<byte> record)
    {
        if (index == SealedFileFormat.MaxChunkIndex)
        {
            throw new InvalidOperationException("A sealed file holds at most 2^32 − 1 chunks.");
        }
        if (plaintext.Length > Header.ChunkSize || (final && plaintext.Length == Header.ChunkSize))
        {
            // A full chunk is never final: the reader tells the final chunk by its shorter length.
            throw new ArgumentException("A chunk is at most the chunk size, and the final chunk is shorter.", nameof(plaintext));
        }
        SealedFileFormat.Nonce(Header.NoncePrefix, index, _nonce);
        SealedFileFormat.AssociatedData(Header.Hash, index, final, _associatedData);
        _aes.Encrypt(_nonce, plaintext, record[..plaintext.Length], record.Slice(plaintext.Length, SealedFileFormat.TagSize), _associatedData);
        return RecordLength(plaintext.Length);
    }

    /// <summary>Authenticates and decrypts a record into <paramref name="plaintext"/>; returns the plaintext length.</summary>
    /// <exception cref="CryptographicException">The record is not chunk <paramref name="index"/> of this file under this key.</exception>
    public int Open(uint index, bool final, ReadOnlySpan<byte> record, Span<byte> plaintext)
    {
        var length = record.Length - SealedFileFormat.TagSize;
        SealedFileFormat.Nonce(Header.NoncePrefix, index, _nonce);
        SealedFileFormat.AssociatedData(Header.Hash, index, final, _associatedData);
        _aes.Decrypt(_nonce, record[..length], record.Slice(length, SealedFileFormat.TagSize), plaintext[..length], _associatedData);
        return length;
    }

    public void Dispose() => _aes.Dispose();
}

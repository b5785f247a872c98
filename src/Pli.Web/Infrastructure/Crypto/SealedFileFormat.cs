using System.Buffers.Binary;
using System.Security.Cryptography;
using System.Text;

namespace Pli.Web.Infrastructure.Crypto;

/// <summary>
/// The constants and byte layout of a sealed file, version 1 (docs/sealed-file-format.md describes it
/// byte by byte). All integers are big-endian.
/// </summary>
public static class SealedFileFormat
{
    public static ReadOnlySpan<byte> Magic => "PLISEAL1"u8;
    public const byte Version = 1;
    public const int DefaultChunkSize = 64 * 1024;
    public const int MinChunkSize = 1;
    /// <summary>A reader allocates one chunk: a hostile header must not make it allocate more than this.</summary>
    public const int MaxChunkSize = 16 * 1024 * 1024;
    public const int DataKeySize = 32;
    public const int TagSize = 16;
    public const int NoncePrefixSize = 8;
    public const int NonceSize = 12;
    public const int MaxKeyIdLength = 255;
    public const int MaxWrappedKeyLength = 4096;
    /// <summary>Header hash (32) + chunk index (4) + final flag (1).</summary>
    public const int AssociatedDataSize = 37;
    /// <summary>The chunk counter is 32 bits wide in the nonce: 2^32 − 1 chunks at most (256 TiB at 64 KiB).</summary>
    public const uint MaxChunkIndex = uint.MaxValue;

    internal static void Nonce(ReadOnlySpan<byte> prefix, uint index, Span<byte> nonce)
    {
        prefix.CopyTo(nonce);
        BinaryPrimitives.WriteUInt32BigEndian(nonce[NoncePrefixSize..], index);
    }

    internal static void AssociatedData(ReadOnlySpan<byte> headerHash, uint index, bool final, Span<byte> data)
    {
        headerHash.CopyTo(data);
        BinaryPrimitives.WriteUInt32BigEndian(data[32..], index);
        data[36] = final ? (byte)1 : (byte)0;
    }
}

/// <summary>The header of a sealed file: what an opener needs to find and unwrap the file's data key.</summary>
public sealed class SealedFileHeader
{
    private readonly byte[] _noncePrefix;
    private readonly byte[] _wrappedDataKey;

    public SealedFileHeader(int chunkSize, string keyId, ReadOnlySpan<byte> wrappedDataKey, ReadOnlySpan<byte> noncePrefix)
    {
        if (chunkSize is < SealedFileFormat.MinChunkSize or > SealedFileFormat.MaxChunkSize)
        {
            throw new ArgumentOutOfRangeException(nameof(chunkSize));
        }
        var keyIdLength = Encoding.UTF8.GetByteCount(keyId);
        if (keyIdLength is 0 or > SealedFileFormat.MaxKeyIdLength)
        {
            throw new ArgumentException("The key id must be 1 to 255 UTF-8 bytes.", nameof(keyId));
        }
        if (wrappedDataKey.Length is 0 or > SealedFileFormat.MaxWrappedKeyLength)
        {
            throw new ArgumentException("The wrapped data key must be 1 to 4096 bytes.", nameof(wrappedDataKey));
        }
        if (noncePrefix.Length != SealedFileFormat.NoncePrefixSize)
        {
            throw new ArgumentException("The nonce prefix is 8 bytes.", nameof(noncePrefix));
        }
        ChunkSize = chunkSize;
        KeyId = keyId;
        _wrappedDataKey = wrappedDataKey.ToArray();
        _noncePrefix = noncePrefix.ToArray();
        Bytes = Serialize();
        Hash = SHA256.HashData(Bytes);
    }

    public byte Version => SealedFileFormat.Version;

    public int ChunkSize { get; }

    /// <summary>Names the key pair whose public key wrapped the data key (see <see cref="ConsultationKeys.KeyIdOf"/>).</summary>
    public string KeyId { get; }

    public ReadOnlySpan<byte> WrappedDataKey => _wrappedDataKey;

    public ReadOnlySpan<byte> NoncePrefix => _noncePrefix;

    /// <summary>The header exactly as written in the file.</summary>
    internal byte[] Bytes { get; }

    /// <summary>SHA-256 of <see cref="Bytes"/>: bound into every chunk's associated data.</summary>
    internal byte[] Hash { get; }

    private byte[] Serialize()
    {
        var keyId = Encoding.UTF8.GetBytes(KeyId);
        var bytes = new byte[8 + 1 + 4 + 1 + keyId.Length + 2 + _wrappedDataKey.Length + SealedFileFormat.NoncePrefixSize];
        var span = bytes.AsSpan();
        SealedFileFormat.Magic.CopyTo(span);
        span[8] = SealedFileFormat.Version;
        BinaryPrimitives.WriteUInt32BigEndian(span[9..], (uint)ChunkSize);
        span[13] = (byte)keyId.Length;
        keyId.CopyTo(span[14..]);
        var at = 14 + keyId.Length;
        BinaryPrimitives.WriteUInt16BigEndian(span[at..], (ushort)_wrappedDataKey.Length);
        at += 2;
        _wrappedDataKey.CopyTo(span[at..]);
        at += _wrappedDataKey.Length;
        _noncePrefix.CopyTo(span[at..]);
        return bytes;
    }

    /// <summary>
    /// Reads and checks a header at the current position of <paramref name="input"/>, leaving the stream
    /// positioned on the first chunk. Throws <see cref="SealedFileTamperedException"/> when it is not a
    /// well-formed version 1 header.
    /// </summary>
    public static ValueTask<SealedFileHeader> ReadAsync(Stream input, CancellationToken cancellationToken = default) =>
        ReadCoreAsync(input, useAsync: true, cancellationToken);

    /// <summary>The synchronous twin of <see cref="ReadAsync"/>.</summary>
    public static SealedFileHeader Read(Stream input) => ReadCoreAsync(input, useAsync: false, CancellationToken.None).GetAwaiter().GetResult();

    // One parser for both: with useAsync false every await completes synchronously.
    private static async ValueTask<SealedFileHeader> ReadCoreAsync(Stream input, bool useAsync, CancellationToken cancellationToken)
    {
        var fixedPart = new byte[14];
        await ReadExactlyOrTamperedAsync(input, fixedPart, useAsync, cancellationToken);
        if (!fixedPart.AsSpan(0, 8).SequenceEqual(SealedFileFormat.Magic))
        {
            throw SealedFileTamperedException.BadMagic();
        }
        if (fixedPart[8] != SealedFileFormat.Version)
        {
            throw SealedFileTamperedException.UnsupportedVersion(fixedPart[8]);
        }
        var chunkSize = BinaryPrimitives.ReadUInt32BigEndian(fixedPart.AsSpan(9));
        if (chunkSize is < SealedFileFormat.MinChunkSize or > SealedFileFormat.MaxChunkSize || fixedPart[13] == 0)
        {
            throw SealedFileTamperedException.BadHeader();
        }
        var keyId = new byte[fixedPart[13]];
        await ReadExactlyOrTamperedAsync(input, keyId, useAsync, cancellationToken);
        var length = new byte[2];
        await ReadExactlyOrTamperedAsync(input, length, useAsync, cancellationToken);
        var wrappedLength = BinaryPrimitives.ReadUInt16BigEndian(length);
        if (wrappedLength is 0 or > SealedFileFormat.MaxWrappedKeyLength)
        {
            throw SealedFileTamperedException.BadHeader();
        }
        var wrapped = new byte[wrappedLength];
        await ReadExactlyOrTamperedAsync(input, wrapped, useAsync, cancellationToken);
        var prefix = new byte[SealedFileFormat.NoncePrefixSize];
        await ReadExactlyOrTamperedAsync(input, prefix, useAsync, cancellationToken);
        string keyIdText;
        try
        {
            keyIdText = new UTF8Encoding(false, throwOnInvalidBytes: true).GetString(keyId);
        }
        catch (DecoderFallbackException)
        {
            throw SealedFileTamperedException.BadHeader();
        }
        // Only one encoding of a header is valid, so the hash bound into the chunks is the hash of what was read.
        return new SealedFileHeader((int)chunkSize, keyIdText, wrapped, prefix);
    }

    private static async ValueTask ReadExactlyOrTamperedAsync(Stream input, Memory<byte> buffer, bool useAsync, CancellationToken cancellationToken)
    {
        var read = useAsync
            ? await input.ReadAtLeastAsync(buffer, buffer.Length, throwOnEndOfStream: false, cancellationToken)
            : input.ReadAtLeast(buffer.Span, buffer.Length, throwOnEndOfStream: false);
        if (read < buffer.Length)
        {
            throw SealedFileTamperedException.BadHeader();
        }
    }
}

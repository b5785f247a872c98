using System.Security.Cryptography;

namespace Pli.Web.Infrastructure.Crypto;

/// <summary>
/// Reads back the plaintext of a sealed file (format: docs/sealed-file-format.md), one authenticated
/// chunk at a time, and computes its SHA-256 so that it can be compared with the receipt. Any
/// alteration throws <see cref="SealedFileTamperedException"/>; no byte of a chunk is returned before
/// that chunk is authenticated, but earlier chunks were already returned, so a caller must discard
/// everything it read when the exception comes (write to a temporary place, keep it only at the end).
/// </summary>
public sealed class SealedFileReader : Stream
{
    private readonly Stream _input;
    private readonly bool _leaveOpen;
    private readonly byte[] _dataKey;
    private readonly IncrementalHash _hash = IncrementalHash.CreateHash(HashAlgorithmName.SHA256);
    private SealedFileHeader? _header;
    private SealedChunkCipher? _cipher;
    private byte[] _plain = [];
    private byte[] _record = [];
    private int _plainStart;
    private int _plainEnd;
    private uint _index;
    private bool _finished;
    private bool _disposed;
    private long _length;
    private byte[]? _sha256;

    /// <param name="input">The sealed file from its first byte (the header).</param>
    /// <param name="dataKey">The file's unwrapped data key (copied; the caller may zero its copy).</param>
    /// <param name="leaveOpen">Whether disposing this reader leaves <paramref name="input"/> open.</param>
    public SealedFileReader(Stream input, ReadOnlySpan<byte> dataKey, bool leaveOpen = false)
        : this(input, null, dataKey, leaveOpen)
    {
    }

    /// <summary>For a caller that already read the header (to unwrap the key): <paramref name="input"/> is on the first chunk.</summary>
    public SealedFileReader(Stream input, SealedFileHeader? header, ReadOnlySpan<byte> dataKey, bool leaveOpen = false)
    {
        ArgumentNullException.ThrowIfNull(input);
        if (dataKey.Length != SealedFileFormat.DataKeySize)
        {
            throw new ArgumentException("The data key is 32 bytes.", nameof(dataKey));
        }
        _input = input;
        _leaveOpen = leaveOpen;
        _dataKey = dataKey.ToArray();
        if (header is not null)
        {
            Start(header);
        }
    }

    /// <summary>Lower-case hex SHA-256 of the plaintext; available once the whole file was read.</summary>
    public byte[] PlaintextSha256 => (byte[])(_sha256 ?? throw new InvalidOperationException("The sealed file was not read to its end yet.")).Clone();

    public string PlaintextSha256Hex => Convert.ToHexStringLower(PlaintextSha256);

    /// <summary>Bytes of plaintext returned so far (the whole length once the end is reached).</summary>
    public long PlaintextLength => _length;

    public override bool CanRead => !_disposed;
    public override bool CanSeek => false;
    public override bool CanWrite => false;
    public override long Length => throw new NotSupportedException();
    public override long Position { get => throw new NotSupportedException(); set => throw new NotSupportedException(); }

    public override ValueTask<int> ReadAsync(Memory<byte> buffer, CancellationToken cancellationToken = default) =>
        ReadCoreAsync(buffer, useAsync: true, cancellationToken);

    public override Task<int> ReadAsync(byte[] buffer, int offset, int count, CancellationToken cancellationToken) =>
        ReadAsync(buffer.AsMemory(offset, count), cancellationToken).AsTask();

    public override int Read(byte[] buffer, int offset, int count) => Read(buffer.AsSpan(offset, count));

    public override int Read(Span<byte> buffer)
    {
        ObjectDisposedException.ThrowIf(_disposed, this);
        if (buffer.IsEmpty)
        {
            return 0;
        }
        EnsurePlaintextAsync(useAsync: false, CancellationToken.None).GetAwaiter().GetResult();
        return Take(buffer);
    }

    public override void Flush()
    {
    }

    public override long Seek(long offset, SeekOrigin origin) => throw new NotSupportedException();
    public override void SetLength(long value) => throw new NotSupportedException();
    public override void Write(byte[] buffer, int offset, int count) => throw new NotSupportedException();

    public override async ValueTask DisposeAsync()
    {
        if (!_disposed)
        {
            Release();
            if (!_leaveOpen)
            {
                await _input.DisposeAsync();
            }
        }
        await base.DisposeAsync();
    }

    protected override void Dispose(bool disposing)
    {
        if (disposing && !_disposed)
        {
            Release();
            if (!_leaveOpen)
            {
                _input.Dispose();
            }
        }
        base.Dispose(disposing);
    }

    // One reader for sync and async: with useAsync false every await completes synchronously.
    private async ValueTask<int> ReadCoreAsync(Memory<byte> buffer, bool useAsync, CancellationToken cancellationToken)
    {
        ObjectDisposedException.ThrowIf(_disposed, this);
        if (buffer.IsEmpty)
        {
            return 0;
        }
        await EnsurePlaintextAsync(useAsync, cancellationToken);
        return Take(buffer.Span);
    }

    private int Take(Span<byte> buffer)
    {
        var count = Math.Min(buffer.Length, _plainEnd - _plainStart);
        _plain.AsSpan(_plainStart, count).CopyTo(buffer);
        _plainStart += count;
        return count;
    }

    /// <summary>Opens chunks until some plaintext is waiting or the final chunk was read.</summary>
    private async ValueTask EnsurePlaintextAsync(bool useAsync, CancellationToken cancellationToken)
    {
        if (_header is null)
        {
            Start(useAsync ? await SealedFileHeader.ReadAsync(_input, cancellationToken) : SealedFileHeader.Read(_input));
        }
        while (_plainStart == _plainEnd && !_finished)
        {
            await NextChunkAsync(useAsync, cancellationToken);
        }
    }

    private void Start(SealedFileHeader header)
    {
        _header = header;
        _cipher = new SealedChunkCipher(header, _dataKey);
        _plain = new byte[header.ChunkSize];
        _record = new byte[header.ChunkSize + SealedFileFormat.TagSize];
    }

    private async ValueTask NextChunkAsync(bool useAsync, CancellationToken cancellationToken)
    {
        var read = useAsync
            ? await _input.ReadAtLeastAsync(_record, _record.Length, throwOnEndOfStream: false, cancellationToken)
            : _input.ReadAtLeast(_record, _record.Length, throwOnEndOfStream: false);
        if (read == 0)
        {
            // Every file ends with a chunk flagged final, even an empty one.
            throw SealedFileTamperedException.MissingFinalChunk();
        }
        if (read < SealedFileFormat.TagSize)
        {
            throw SealedFileTamperedException.Truncated();
        }
        // The writer sends every full chunk as soon as it is full, so only the final chunk is shorter, and a
        // short read means the end of the input. Bytes appended after the final chunk therefore become part
        // of what is read as the final chunk (or make it look full): either way it fails authentication.
        var final = read < _record.Length;
        Open(read, final);
        if (final)
        {
            _finished = true;
            _sha256 = _hash.GetHashAndReset();
        }
    }

    private void Open(int recordLength, bool final)
    {
        int plainLength;
        try
        {
            plainLength = _cipher!.Open(_index, final, _record.AsSpan(0, recordLength), _plain);
        }
        catch (CryptographicException exception)
        {
            throw SealedFileTamperedException.AuthenticationFailed(_index, exception);
        }
        if (_index == SealedFileFormat.MaxChunkIndex)
        {
            throw SealedFileTamperedException.TooManyChunks();
        }
        _index++;
        _hash.AppendData(_plain.AsSpan(0, plainLength));
        _length += plainLength;
        _plainStart = 0;
        _plainEnd = plainLength;
    }

    private void Release()
    {
        _disposed = true;
        _cipher?.Dispose();
        _hash.Dispose();
        CryptographicOperations.ZeroMemory(_dataKey);
        CryptographicOperations.ZeroMemory(_plain);
    }
}

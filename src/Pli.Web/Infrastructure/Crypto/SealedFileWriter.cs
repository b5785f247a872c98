using System.Security.Cryptography;

namespace Pli.Web.Infrastructure.Crypto;

/// <summary>
/// Seals what is written to it into <c>output</c> (format: docs/sealed-file-format.md): AES-256-GCM by
/// chunks under the given data key, with the SHA-256 and length of the plaintext computed on the way.
/// It holds one chunk of plaintext at most, whatever the size of the file.
/// <para>
/// <see cref="CompleteAsync"/> writes the final chunk. Disposing without completing does <b>not</b>
/// write it: an aborted upload leaves a file that every reader refuses as truncated, instead of a
/// shorter file that would look whole.
/// </para>
/// <para>
/// Only whole chunks reach <c>output</c> before completion: bytes still in the chunk buffer are not
/// durable, so a resumable upload must acknowledge offsets accordingly.
/// </para>
/// </summary>
public sealed class SealedFileWriter : Stream
{
    private readonly Stream _output;
    private readonly bool _leaveOpen;
    private readonly SealedFileHeader _header;
    private readonly SealedChunkCipher _cipher;
    private readonly IncrementalHash _hash = IncrementalHash.CreateHash(HashAlgorithmName.SHA256);
    private readonly byte[] _plain;
    private readonly byte[] _record;
    private int _buffered;
    private uint _index;
    private bool _headerWritten;
    private bool _completed;
    private bool _disposed;
    private long _length;
    private byte[]? _sha256;

    /// <param name="output">Where the sealed bytes go; written sequentially, never read nor sought.</param>
    /// <param name="dataKey">The file's own random 32-byte key (copied; the caller may zero its copy).</param>
    /// <param name="keyId">Names the key pair that wrapped <paramref name="wrappedDataKey"/>.</param>
    /// <param name="wrappedDataKey">The data key encrypted for the consultation's public key.</param>
    /// <param name="chunkSize">Plaintext bytes per chunk (default 64 KiB).</param>
    /// <param name="leaveOpen">Whether disposing this writer leaves <paramref name="output"/> open.</param>
    public SealedFileWriter(Stream output, ReadOnlySpan<byte> dataKey, string keyId, ReadOnlySpan<byte> wrappedDataKey, int chunkSize = SealedFileFormat.DefaultChunkSize, bool leaveOpen = false)
    {
        ArgumentNullException.ThrowIfNull(output);
        if (!output.CanWrite)
        {
            throw new ArgumentException("The output stream must be writable.", nameof(output));
        }
        if (dataKey.Length != SealedFileFormat.DataKeySize)
        {
            throw new ArgumentException("The data key is 32 bytes.", nameof(dataKey));
        }
        Span<byte> prefix = stackalloc byte[SealedFileFormat.NoncePrefixSize];
        RandomNumberGenerator.Fill(prefix);
        _header = new SealedFileHeader(chunkSize, keyId, wrappedDataKey, prefix);
        _output = output;
        _leaveOpen = leaveOpen;
        _cipher = new SealedChunkCipher(_header, dataKey);
        _plain = new byte[chunkSize];
        _record = new byte[chunkSize + SealedFileFormat.TagSize];
    }

    public SealedFileHeader Header => _header;

    /// <summary>Bytes of plaintext written so far (final once completed).</summary>
    public long PlaintextLength => _length;

    /// <summary>SHA-256 of the whole plaintext; available once <see cref="CompleteAsync"/> has run.</summary>
    public byte[] PlaintextSha256 => (byte[])(_sha256 ?? throw new InvalidOperationException("The sealed file is not complete yet.")).Clone();

    /// <summary>Lower-case hex of <see cref="PlaintextSha256"/>, as receipts show it.</summary>
    public string PlaintextSha256Hex => Convert.ToHexStringLower(PlaintextSha256);

    public bool IsCompleted => _completed;

    public override bool CanRead => false;
    public override bool CanSeek => false;
    public override bool CanWrite => !_disposed && !_completed;
    public override long Length => throw new NotSupportedException();
    public override long Position { get => throw new NotSupportedException(); set => throw new NotSupportedException(); }

    public override async ValueTask WriteAsync(ReadOnlyMemory<byte> buffer, CancellationToken cancellationToken = default)
    {
        EnsureWritable();
        if (!_headerWritten)
        {
            await _output.WriteAsync(_header.Bytes, cancellationToken);
            _headerWritten = true;
        }
        while (!buffer.IsEmpty)
        {
            var take = Math.Min(buffer.Length, _plain.Length - _buffered);
            Append(buffer.Span[..take]);
            buffer = buffer[take..];
            // A full chunk goes out at once: the final chunk is therefore always shorter than a chunk.
            if (_buffered == _plain.Length)
            {
                var length = Seal(final: false);
                await _output.WriteAsync(_record.AsMemory(0, length), cancellationToken);
            }
        }
    }

    public override Task WriteAsync(byte[] buffer, int offset, int count, CancellationToken cancellationToken) =>
        WriteAsync(buffer.AsMemory(offset, count), cancellationToken).AsTask();

    public override void Write(ReadOnlySpan<byte> buffer)
    {
        EnsureWritable();
        if (!_headerWritten)
        {
            _output.Write(_header.Bytes);
            _headerWritten = true;
        }
        while (!buffer.IsEmpty)
        {
            var take = Math.Min(buffer.Length, _plain.Length - _buffered);
            Append(buffer[..take]);
            buffer = buffer[take..];
            if (_buffered == _plain.Length)
            {
                var length = Seal(final: false);
                _output.Write(_record, 0, length);
            }
        }
    }

    public override void Write(byte[] buffer, int offset, int count) => Write(buffer.AsSpan(offset, count));

    /// <summary>Writes the final chunk (possibly empty) and flushes <c>output</c>; the hash and length are then final.</summary>
    public async Task CompleteAsync(CancellationToken cancellationToken = default)
    {
        EnsureWritable();
        if (!_headerWritten)
        {
            await _output.WriteAsync(_header.Bytes, cancellationToken);
            _headerWritten = true;
        }
        var length = Seal(final: true);
        await _output.WriteAsync(_record.AsMemory(0, length), cancellationToken);
        await _output.FlushAsync(cancellationToken);
        _sha256 = _hash.GetHashAndReset();
        _completed = true;
    }

    /// <summary>Flushes the whole chunks already written; the partial chunk stays buffered (it is not final).</summary>
    public override Task FlushAsync(CancellationToken cancellationToken) => _output.FlushAsync(cancellationToken);

    public override void Flush() => _output.Flush();

    public override int Read(byte[] buffer, int offset, int count) => throw new NotSupportedException();
    public override long Seek(long offset, SeekOrigin origin) => throw new NotSupportedException();
    public override void SetLength(long value) => throw new NotSupportedException();

    public override async ValueTask DisposeAsync()
    {
        if (!_disposed)
        {
            Release();
            if (!_leaveOpen)
            {
                await _output.DisposeAsync();
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
                _output.Dispose();
            }
        }
        base.Dispose(disposing);
    }

    private void Release()
    {
        _disposed = true;
        _cipher.Dispose();
        _hash.Dispose();
        CryptographicOperations.ZeroMemory(_plain);
    }

    private void Append(ReadOnlySpan<byte> bytes)
    {
        bytes.CopyTo(_plain.AsSpan(_buffered));
        _hash.AppendData(bytes);
        _buffered += bytes.Length;
        _length += bytes.Length;
    }

    /// <summary>Encrypts the buffered plaintext into <see cref="_record"/> (ciphertext then tag) and returns its length.</summary>
    private int Seal(bool final)
    {
        var length = _cipher.Seal(_index, final, _plain.AsSpan(0, _buffered), _record);
        CryptographicOperations.ZeroMemory(_plain.AsSpan(0, _buffered));
        _buffered = 0;
        _index++;
        return length;
    }

    private void EnsureWritable()
    {
        ObjectDisposedException.ThrowIf(_disposed, this);
        if (_completed)
        {
            throw new InvalidOperationException("The sealed file is already complete.");
        }
    }
}

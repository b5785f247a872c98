using System.Buffers;

namespace Pli.Web.Features.Dce;

/// <summary>
/// A write-only view of the response body for <see cref="System.IO.Compression.ZipArchive"/>.
/// Kestrel forbids synchronous writes, and in .NET 10 ZipArchive still makes a few when an entry
/// stream opened with <c>OpenAsync</c> is disposed with <c>DisposeAsync</c>: the deflater's last
/// block and the entry's data descriptor (dotnet/runtime#121624, fixed after 10.0). Those few
/// bytes are kept here and sent, in order, before the next asynchronous write or flush.
/// Everything else goes straight through. Instead of turning on AllowSynchronousIO, which would
/// block a thread-pool thread on every slow client for the whole download.
/// </summary>
/// <remarks>
/// What is held is bounded (<see cref="MaxPending"/>): the tail of one entry, a few kilobytes. If
/// a future ZipArchive wrote whole entries synchronously the download would fail loudly instead of
/// silently building the zip in memory.
/// </remarks>
internal sealed class AsyncOnlyWriteStream(Stream inner) : Stream
{
    public const int MaxPending = 1024 * 1024;

    private readonly ArrayBufferWriter<byte> _pending = new();
    private long _written;

    public override bool CanRead => false;
    public override bool CanSeek => false;
    public override bool CanWrite => true;
    public override long Length => throw new NotSupportedException();

    public override long Position
    {
        get => _written;
        set => throw new NotSupportedException();
    }

    public override void Write(byte[] buffer, int offset, int count) => Write(buffer.AsSpan(offset, count));

    public override void Write(ReadOnlySpan<byte> buffer)
    {
        if (_pending.WrittenCount + buffer.Length > MaxPending)
        {
            throw new InvalidOperationException("Too many synchronous writes to the response: the zip would be built in memory.");
        }
        _pending.Write(buffer);
        _written += buffer.Length;
    }

    public override async ValueTask WriteAsync(ReadOnlyMemory<byte> buffer, CancellationToken cancellationToken = default)
    {
        await SendPendingAsync(cancellationToken);
        await inner.WriteAsync(buffer, cancellationToken);
        _written += buffer.Length;
    }

    public override Task WriteAsync(byte[] buffer, int offset, int count, CancellationToken cancellationToken) =>
        WriteAsync(buffer.AsMemory(offset, count), cancellationToken).AsTask();

    /// <summary>Synchronous flush: nothing to do, the pending bytes leave with the next asynchronous call.</summary>
    public override void Flush()
    {
    }

    public override async Task FlushAsync(CancellationToken cancellationToken)
    {
        await SendPendingAsync(cancellationToken);
        await inner.FlushAsync(cancellationToken);
    }

    private async ValueTask SendPendingAsync(CancellationToken cancellationToken)
    {
        if (_pending.WrittenCount > 0)
        {
            await inner.WriteAsync(_pending.WrittenMemory, cancellationToken);
            _pending.ResetWrittenCount();
        }
    }

    public override int Read(byte[] buffer, int offset, int count) => throw new NotSupportedException();

    public override long Seek(long offset, SeekOrigin origin) => throw new NotSupportedException();

    public override void SetLength(long value) => throw new NotSupportedException();
}

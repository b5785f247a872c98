using Pli.Web.Features.Dce;

namespace Pli.Web.Tests.Features.Dce;

public sealed class AsyncOnlyWriteStreamTests
{
    [Fact]
    public async Task SynchronousWrites_AreHeldAndSentInOrderBeforeTheNextAsynchronousWrite()
    {
        var inner = new AsyncOnlyTarget();
        var stream = new AsyncOnlyWriteStream(inner);

        await stream.WriteAsync(new byte[] { 1, 2 });
        stream.Write([3, 4], 0, 2);
        stream.Flush();
        await stream.WriteAsync(new byte[] { 5 });

        Assert.Equal([1, 2, 3, 4, 5], inner.ToArray());
        Assert.Equal(5, stream.Position);
    }

    [Fact]
    public async Task FlushAsync_SendsWhatIsHeld()
    {
        var inner = new AsyncOnlyTarget();
        var stream = new AsyncOnlyWriteStream(inner);
        stream.Write([7, 8, 9], 0, 3);

        await stream.FlushAsync();

        Assert.Equal([7, 8, 9], inner.ToArray());
    }

    [Fact]
    public void SynchronousWrites_BeyondTheLimit_AreRefusedRatherThanBufferedInMemory()
    {
        var stream = new AsyncOnlyWriteStream(new AsyncOnlyTarget());

        Assert.Throws<InvalidOperationException>(() => stream.Write(new byte[AsyncOnlyWriteStream.MaxPending + 1]));
    }

    /// <summary>Like Kestrel's response body: synchronous writes throw.</summary>
    private sealed class AsyncOnlyTarget : Stream
    {
        private readonly MemoryStream _received = new();

        public byte[] ToArray() => _received.ToArray();

        public override bool CanRead => false;
        public override bool CanSeek => false;
        public override bool CanWrite => true;
        public override long Length => throw new NotSupportedException();

        public override long Position
        {
            get => throw new NotSupportedException();
            set => throw new NotSupportedException();
        }

        public override void Write(byte[] buffer, int offset, int count) => throw new InvalidOperationException("Synchronous operations are disallowed.");

        public override void Flush() => throw new InvalidOperationException("Synchronous operations are disallowed.");

        public override ValueTask WriteAsync(ReadOnlyMemory<byte> buffer, CancellationToken cancellationToken = default)
        {
            _received.Write(buffer.Span);
            return ValueTask.CompletedTask;
        }

        public override Task FlushAsync(CancellationToken cancellationToken) => Task.CompletedTask;

        public override int Read(byte[] buffer, int offset, int count) => throw new NotSupportedException();

        public override long Seek(long offset, SeekOrigin origin) => throw new NotSupportedException();

        public override void SetLength(long value) => throw new NotSupportedException();
    }
}

using System.Buffers;
using System.Collections.Concurrent;
using Microsoft.AspNetCore.Connections;

namespace Pli.Web.Features.Uploads;

/// <summary>
/// Kestrel's memory pool with blocks of a chosen size instead of 4 KiB: the socket transport receives into
/// one block at a time, so an 8 MiB PATCH takes 2048 reads with the default pool and 128 with 64 KiB blocks.
/// Blocks are pinned (sockets read into them) and kept for reuse; Kestrel holds at most its read-buffer
/// limit (1 MiB) of them per connection.
/// </summary>
internal sealed class ReceiveBlockMemoryPoolFactory(int blockSize) : IMemoryPoolFactory<byte>
{
    public MemoryPool<byte> Create(MemoryPoolOptions? options = null) => new ReceiveBlockMemoryPool(blockSize);
}

internal sealed class ReceiveBlockMemoryPool(int blockSize) : MemoryPool<byte>
{
    private readonly ConcurrentQueue<byte[]> _free = new();

    public override int MaxBufferSize => blockSize;

    public override IMemoryOwner<byte> Rent(int minBufferSize = -1)
    {
        ArgumentOutOfRangeException.ThrowIfGreaterThan(minBufferSize, blockSize);
        return new Block(this, _free.TryDequeue(out var array) ? array : GC.AllocateUninitializedArray<byte>(blockSize, pinned: true));
    }

    protected override void Dispose(bool disposing) => _free.Clear();

    private sealed class Block(ReceiveBlockMemoryPool pool, byte[] array) : IMemoryOwner<byte>
    {
        private byte[]? _array = array;

        public Memory<byte> Memory => _array ?? throw new ObjectDisposedException(nameof(Block));

        public void Dispose()
        {
            if (Interlocked.Exchange(ref _array, null) is { } returned)
            {
                pool._free.Enqueue(returned);
            }
        }
    }
}

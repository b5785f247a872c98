using Amazon.S3;
using Amazon.S3.Model;

namespace Pli.Web.Infrastructure.Storage;

/// <summary>
/// An S3 object as a read-only, seekable stream: its length is the HEAD's, and reading from a position is one
/// ranged GET from there to the end, kept open while reads follow on; a seek drops it and the next read asks
/// again. Every GET names the ETag seen first, so an object replaced meanwhile fails the read instead of
/// mixing two contents (what HTTP range downloads and the ZIP writer rely on).
/// </summary>
internal sealed class S3ReadStream(IAmazonS3 client, string bucket, string key, long length, string etag) : Stream
{
    private GetObjectResponse? _response;
    private Stream? _body;
    private long _position;

    public override bool CanRead => true;

    public override bool CanSeek => true;

    public override bool CanWrite => false;

    public override long Length => length;

    public override long Position
    {
        get => _position;
        set => Seek(value, SeekOrigin.Begin);
    }

    public override async ValueTask<int> ReadAsync(Memory<byte> buffer, CancellationToken cancellationToken = default)
    {
        if (buffer.Length == 0 || _position >= length)
        {
            return 0;
        }
        if (_body is null)
        {
            _response = await client.GetObjectAsync(new GetObjectRequest
            {
                BucketName = bucket,
                Key = key,
                EtagToMatch = etag,
                ByteRange = new ByteRange(_position, length - 1),
            }, cancellationToken);
            _body = _response.ResponseStream;
        }
        var read = await _body.ReadAsync(buffer, cancellationToken);
        if (read == 0)
        {
            throw new IOException($"Object '{key}' ended at byte {_position} of {length}.");
        }
        _position += read;
        return read;
    }

    public override Task<int> ReadAsync(byte[] buffer, int offset, int count, CancellationToken cancellationToken) =>
        ReadAsync(buffer.AsMemory(offset, count), cancellationToken).AsTask();

    // The SDK has no synchronous calls on .NET: a synchronous reader waits for the asynchronous one.
    public override int Read(byte[] buffer, int offset, int count) => ReadAsync(buffer.AsMemory(offset, count)).AsTask().GetAwaiter().GetResult();

    public override long Seek(long offset, SeekOrigin origin)
    {
        var target = origin switch
        {
            SeekOrigin.Begin => offset,
            SeekOrigin.Current => _position + offset,
            SeekOrigin.End => length + offset,
            _ => throw new ArgumentOutOfRangeException(nameof(origin)),
        };
        ArgumentOutOfRangeException.ThrowIfNegative(target, nameof(offset));
        if (target != _position)
        {
            DropResponse();
            _position = target;
        }
        return _position;
    }

    private void DropResponse()
    {
        _body?.Dispose();
        _response?.Dispose();
        _body = null;
        _response = null;
    }

    public override void Flush()
    {
    }

    public override void SetLength(long value) => throw new NotSupportedException();

    public override void Write(byte[] buffer, int offset, int count) => throw new NotSupportedException();

    protected override void Dispose(bool disposing)
    {
        if (disposing)
        {
            DropResponse();
        }
        base.Dispose(disposing);
    }
}

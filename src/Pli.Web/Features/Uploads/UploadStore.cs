using System.Buffers;
using System.Security.Cryptography;
using System.Text.Json;
using Microsoft.Extensions.Options;
using Pli.Web.Infrastructure.Storage;

namespace Pli.Web.Features.Uploads;

/// <summary>
/// Uploads on local disk under {Storage:RootPath}/uploads: {id}.bin (the bytes) and {id}.json (the info,
/// replaced atomically by write-temp-then-rename). The lock is the data file itself opened with
/// <see cref="FileShare.None"/>: on Linux .NET takes an flock on it, which other processes see too.
/// </summary>
public sealed class UploadStore : IUploadStore
{
    private const int BufferSize = 64 * 1024;
    private static readonly JsonSerializerOptions Json = new(JsonSerializerDefaults.Web);

    private readonly string _root;
    private readonly TimeProvider _time;
    private readonly UploadOptions _options;
    private readonly ILogger<UploadStore> _logger;

    public UploadStore(IOptions<StorageOptions> storage, IOptions<UploadOptions> options, IHostEnvironment environment, TimeProvider time, ILogger<UploadStore> logger)
    {
        var path = storage.Value.RootPath;
        _root = Path.Combine(Path.GetFullPath(Path.IsPathRooted(path) ? path : Path.Combine(environment.ContentRootPath, path)), "uploads");
        Directory.CreateDirectory(_root);
        _time = time;
        _options = options.Value;
        _logger = logger;
    }

    public async Task<UploadInfo> CreateAsync(Guid ownerId, long length, IReadOnlyDictionary<string, string> metadata, CancellationToken cancellationToken = default)
    {
        var id = Guid.NewGuid().ToString("N");
        var now = _time.GetUtcNow();
        var info = new UploadInfo(id, ownerId, length, 0, metadata, now, now + _options.ExpireAfter, length == 0 ? now : null);
        await using (new FileStream(DataPath(id), FileMode.CreateNew, FileAccess.Write, FileShare.None))
        {
        }
        await WriteInfoAsync(info, cancellationToken);
        return info;
    }

    public async Task<UploadInfo?> GetInfoAsync(string id, CancellationToken cancellationToken = default)
    {
        if (!IsValidId(id))
        {
            return null;
        }
        try
        {
            await using var stream = new FileStream(InfoPath(id), FileMode.Open, FileAccess.Read, FileShare.ReadWrite | FileShare.Delete, 4096, FileOptions.Asynchronous);
            return await JsonSerializer.DeserializeAsync<UploadInfo>(stream, Json, cancellationToken);
        }
        catch (Exception e) when (e is FileNotFoundException or DirectoryNotFoundException)
        {
            return null;
        }
    }

    public Task<UploadLock?> TryLockAsync(string id, CancellationToken cancellationToken = default)
    {
        if (!IsValidId(id))
        {
            throw new FileNotFoundException($"No upload '{id}'.");
        }
        try
        {
            var data = new FileStream(DataPath(id), FileMode.Open, FileAccess.ReadWrite, FileShare.None, BufferSize, FileOptions.Asynchronous);
            return Task.FromResult<UploadLock?>(new UploadLock(id, data));
        }
        catch (Exception e) when (e is FileNotFoundException or DirectoryNotFoundException)
        {
            throw new FileNotFoundException($"No upload '{id}'.", e);
        }
        catch (IOException)
        {
            // The file exists but another handle holds it exclusively: a request of this or another process.
            return Task.FromResult<UploadLock?>(null);
        }
    }

    public async Task<AppendResult> AppendAsync(UploadLock upload, Stream body, UploadChecksum? checksum, CancellationToken cancellationToken = default)
    {
        // Read under the lock: the info cannot change under us now.
        var info = await GetInfoAsync(upload.Id, CancellationToken.None) ?? throw new FileNotFoundException($"No upload '{upload.Id}'.");
        var data = upload.Data;
        var start = info.Offset;
        var room = info.Length - start;
        // Bytes past the acknowledged offset (a crash between write and info update) are not ours: drop them.
        data.SetLength(start);
        data.Position = start;

        using var hash = checksum is null ? null : IncrementalHash.CreateHash(checksum.Algorithm);
        var buffer = ArrayPool<byte>.Shared.Rent(BufferSize);
        long written = 0;
        var status = AppendStatus.Appended;
        try
        {
            int read;
            while ((read = await body.ReadAsync(buffer.AsMemory(0, BufferSize), cancellationToken)) > 0)
            {
                if (read > room - written)
                {
                    status = AppendStatus.PastLength;
                    break;
                }
                hash?.AppendData(buffer, 0, read);
                await data.WriteAsync(buffer.AsMemory(0, read), cancellationToken);
                written += read;
            }
        }
        catch (Exception e) when (e is IOException or OperationCanceledException or BadHttpRequestException)
        {
            // The client went away: keep what arrived (tus semantics), the next HEAD tells the offset.
            _logger.LogInformation("Upload {Id} interrupted after {Bytes} bytes of a chunk.", upload.Id, written);
            status = AppendStatus.Interrupted;
        }
        finally
        {
            ArrayPool<byte>.Shared.Return(buffer);
        }

        if (status == AppendStatus.Appended && hash is not null && !CryptographicOperations.FixedTimeEquals(hash.GetHashAndReset(), checksum!.Digest))
        {
            status = AppendStatus.ChecksumMismatch;
        }
        // A chunk that cannot be verified is not kept: with a checksum announced, an interrupted chunk is lost too.
        if (status is AppendStatus.PastLength or AppendStatus.ChecksumMismatch || (status == AppendStatus.Interrupted && checksum is not null))
        {
            data.SetLength(start);
            data.Flush(flushToDisk: true);
            return new AppendResult(status, info, CompletedNow: false);
        }

        await data.FlushAsync(CancellationToken.None);
        data.Flush(flushToDisk: true);
        var now = _time.GetUtcNow();
        var offset = start + written;
        var completedNow = written > 0 && offset == info.Length;
        info = info with
        {
            Offset = offset,
            ExpiresUtc = written > 0 ? now + _options.ExpireAfter : info.ExpiresUtc,
            CompletedUtc = completedNow ? now : info.CompletedUtc,
        };
        await WriteInfoAsync(info, CancellationToken.None);
        return new AppendResult(status, info, completedNow);
    }

    public async Task<Stream> OpenReadAsync(string id, CancellationToken cancellationToken = default)
    {
        var info = await GetInfoAsync(id, cancellationToken) ?? throw new FileNotFoundException($"No upload '{id}'.");
        if (!info.IsComplete)
        {
            throw new InvalidOperationException($"Upload '{id}' is not complete ({info.Offset} of {info.Length} bytes).");
        }
        return new FileStream(DataPath(id), FileMode.Open, FileAccess.Read, FileShare.Read, BufferSize, FileOptions.Asynchronous | FileOptions.SequentialScan);
    }

    public async Task<bool> DeleteAsync(string id, CancellationToken cancellationToken = default)
    {
        if (!IsValidId(id))
        {
            return true;
        }
        UploadLock? held;
        try
        {
            held = await TryLockAsync(id, cancellationToken);
        }
        catch (FileNotFoundException)
        {
            File.Delete(InfoPath(id));
            return true;
        }
        if (held is null)
        {
            return false;
        }
        await using (held)
        {
            // Info first: once it is gone, the upload no longer exists for anyone.
            File.Delete(InfoPath(id));
            File.Delete(DataPath(id));
        }
        return true;
    }

    public async Task<int> DeleteExpiredAsync(CancellationToken cancellationToken = default)
    {
        var now = _time.GetUtcNow();
        var deleted = 0;
        foreach (var file in Directory.EnumerateFiles(_root, "*.json"))
        {
            var id = Path.GetFileNameWithoutExtension(file);
            var info = await GetInfoAsync(id, cancellationToken);
            if (info is not null && info.IsExpiredAt(now) && await DeleteAsync(id, cancellationToken))
            {
                deleted++;
            }
        }
        return deleted;
    }

    private async Task WriteInfoAsync(UploadInfo info, CancellationToken cancellationToken)
    {
        var path = InfoPath(info.Id);
        var temp = path + "." + Guid.NewGuid().ToString("N") + ".tmp";
        try
        {
            await using (var stream = new FileStream(temp, FileMode.CreateNew, FileAccess.Write, FileShare.None, 4096, FileOptions.Asynchronous))
            {
                await JsonSerializer.SerializeAsync(stream, info, Json, cancellationToken);
                await stream.FlushAsync(cancellationToken);
                stream.Flush(flushToDisk: true);
            }
            File.Move(temp, path, overwrite: true);
        }
        catch
        {
            File.Delete(temp);
            throw;
        }
    }

    /// <summary>Ids are ours (32 hex digits); anything else cannot name a file.</summary>
    private static bool IsValidId(string id) => id.Length == 32 && id.All(char.IsAsciiHexDigitLower);

    private string DataPath(string id) => Path.Combine(_root, id + ".bin");

    private string InfoPath(string id) => Path.Combine(_root, id + ".json");
}

/// <summary>The exclusive hold on one upload's data file; released on dispose.</summary>
public sealed class UploadLock(string id, FileStream data) : IAsyncDisposable
{
    public string Id { get; } = id;

    internal FileStream Data { get; } = data;

    public ValueTask DisposeAsync() => Data.DisposeAsync();
}

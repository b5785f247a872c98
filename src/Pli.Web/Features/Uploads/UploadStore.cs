using System.Buffers;
using System.Globalization;
using System.Security.Cryptography;
using System.Text.Json;
using Microsoft.Extensions.Options;
using Pli.Domain.Consultations;
using Pli.Web.Infrastructure.Crypto;
using Pli.Web.Infrastructure.Storage;

namespace Pli.Web.Features.Uploads;

/// <summary>
/// Uploads on local disk under {Storage:RootPath}/uploads: {id}.bin (the bytes, or for a sealed upload its
/// header and sealed records), {id}.{offset}.tail (a sealed upload's partial last chunk, encrypted) and
/// {id}.json (the info, replaced atomically by write-temp-then-rename). The lock is the data file itself opened with
/// <see cref="FileShare.None"/>: on Linux .NET takes an flock on it, which other processes see too.
/// </summary>
public sealed class UploadStore : IUploadStore
{
    private const int BufferSize = 64 * 1024;
    private static readonly JsonSerializerOptions Json = new(JsonSerializerDefaults.Web);
    private static readonly string EmptySha256 = Convert.ToHexStringLower(SHA256.HashData([]));

    private readonly string _root;
    private readonly TimeProvider _time;
    private readonly UploadOptions _options;
    private readonly int _chunkSize;
    private readonly UploadResumeKey _resumeKey;
    private readonly ILogger<UploadStore> _logger;

    private readonly RunningHashes _hashes = new();

    public UploadStore(IOptions<StorageOptions> storage, IOptions<UploadOptions> options, IOptions<CryptoOptions> crypto, UploadResumeKey resumeKey, IHostEnvironment environment, TimeProvider time, ILogger<UploadStore> logger)
    {
        var path = storage.Value.RootPath;
        _root = Path.Combine(Path.GetFullPath(Path.IsPathRooted(path) ? path : Path.Combine(environment.ContentRootPath, path)), "uploads");
        Directory.CreateDirectory(_root);
        _time = time;
        _options = options.Value;
        // The head that the content check reads must lie in chunk 0, which stays in memory (or in the
        // encrypted tail) until it is checked: a chunk is never smaller than the head.
        _chunkSize = Math.Max(crypto.Value.ChunkSize, FileSignatures.HeadLength);
        _resumeKey = resumeKey;
        _logger = logger;
    }

    public async Task<UploadInfo> CreateAsync(Guid ownerId, long length, IReadOnlyDictionary<string, string> metadata, UploadAdmission admission, CancellationToken cancellationToken = default)
    {
        ArgumentNullException.ThrowIfNull(admission);
        if (length == 0 && admission.ContentName is { } name)
        {
            // No byte will ever come: an empty file is judged now, before anything exists.
            FileSignatures.RequireContentMatches(name, []);
        }
        var id = Guid.NewGuid().ToString("N");
        var now = _time.GetUtcNow();
        var info = new UploadInfo(id, ownerId, length, 0, metadata, now, now + _options.ExpireAfter, length == 0 ? now : null,
            ContentName: admission.ContentName, Sha256: length == 0 ? EmptySha256 : null);
        try
        {
            await using (var data = new FileStream(DataPath(id), FileMode.CreateNew, FileAccess.Write, FileShare.None, BufferSize, FileOptions.Asynchronous))
            {
                if (admission.SealForPublicKeyDer is { } publicKey)
                {
                    info = info with { Sealing = await StartSealedAsync(id, length, publicKey, data) };
                }
            }
            await WriteInfoAsync(info, cancellationToken);
        }
        catch
        {
            File.Delete(DataPath(id));
            throw;
        }
        return info;
    }

    /// <summary>Writes the header (and, for an empty file, its only, final chunk) of a sealed upload.</summary>
    private async Task<UploadSealing> StartSealedAsync(string id, long length, byte[] publicKeyDer, FileStream data)
    {
        var (sealing, initial) = SealedUploadStart.Create(id, length, publicKeyDer, _chunkSize, _resumeKey);
        await data.WriteAsync(initial);
        await data.FlushAsync();
        data.Flush(flushToDisk: true);
        return sealing;
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
            return Task.FromResult<UploadLock?>(new FileUploadLock(id, data));
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
        var data = ((FileUploadLock)upload).Data;
        // Read under the lock: the info cannot change under us now.
        var info = await GetInfoAsync(upload.Id, CancellationToken.None) ?? throw new FileNotFoundException($"No upload '{upload.Id}'.");
        if (info.IsComplete)
        {
            return await UploadReceiver.AnswerCompleteAsync(body, info, cancellationToken);
        }
        var start = info.Offset;
        var hash = _hashes.Take(info, out var rebuild);
        IAppendTarget? target = null;
        try
        {
            target = info.Sealing is null
                ? await PlainTarget.OpenAsync(data, start, rebuild ? hash : null)
                : await SealedTarget.OpenAsync(this, data, info, rebuild ? hash : null);
            var (status, written) = await UploadReceiver.ReceiveAsync(body, info, target, hash, checksum, () =>
            {
                DeleteFiles(info.Id);
                return Task.CompletedTask;
            }, _logger, cancellationToken);
            if (UploadReceiver.MustDiscard(status, checksum))
            {
                await target.DiscardAsync();
                hash.Dispose();
                return new AppendResult(status, info, CompletedNow: false);
            }
            if (written == 0)
            {
                _hashes.Keep(info.Id, start, hash);
                return new AppendResult(status, info, CompletedNow: false);
            }

            var offset = start + written;
            var completedNow = offset == info.Length;
            // Records and tail are durable before the info that acknowledges them; stale tails go after it.
            await target.CommitAsync(offset, completedNow);
            var now = _time.GetUtcNow();
            info = info with
            {
                Offset = offset,
                ExpiresUtc = now + _options.ExpireAfter,
                CompletedUtc = completedNow ? now : info.CompletedUtc,
                Sha256 = completedNow ? Convert.ToHexStringLower(hash.GetHashAndReset()) : null,
            };
            await WriteInfoAsync(info, CancellationToken.None);
            DeleteTails(info.Id, keepOffset: completedNow ? -1 : offset);
            if (completedNow)
            {
                hash.Dispose();
            }
            else
            {
                _hashes.Keep(info.Id, offset, hash);
            }
            return new AppendResult(status, info, completedNow);
        }
        catch
        {
            hash.Dispose();
            throw;
        }
        finally
        {
            if (target is not null)
            {
                await target.DisposeAsync();
            }
        }
    }

    public async Task HandOverAsync(string id, IFileStore files, string key, CancellationToken cancellationToken = default)
    {
        var info = await GetInfoAsync(id, cancellationToken) ?? throw new FileNotFoundException($"No upload '{id}'.");
        if (!info.IsComplete)
        {
            throw new InvalidOperationException($"Upload '{id}' is not complete ({info.Offset} of {info.Length} bytes).");
        }
        // Moved, not copied, on local disk: the sealed bytes are written once.
        await files.ImportAsync(key, DataPath(id), cancellationToken);
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
            DeleteFiles(id);
            return true;
        }
        if (held is null)
        {
            return false;
        }
        await using (held)
        {
            DeleteFiles(id);
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

    /// <summary>Deletes every file of the upload; the caller holds its lock (or there is no data file).</summary>
    private void DeleteFiles(string id)
    {
        // Info first: once it is gone, the upload no longer exists for anyone.
        File.Delete(InfoPath(id));
        foreach (var file in Directory.EnumerateFiles(_root, id + ".*"))
        {
            File.Delete(file);
        }
        _hashes.Forget(id);
    }

    private void DeleteTails(string id, long keepOffset)
    {
        var keep = keepOffset < 0 ? null : TailPath(id, keepOffset);
        foreach (var file in Directory.EnumerateFiles(_root, id + ".*.tail"))
        {
            if (!string.Equals(file, keep, StringComparison.Ordinal))
            {
                File.Delete(file);
            }
        }
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

    /// <summary>The encrypted partial chunk of a sealed upload acknowledged up to <paramref name="offset"/>.</summary>
    private string TailPath(string id, long offset) => Path.Combine(_root, id + "." + offset.ToString(CultureInfo.InvariantCulture) + ".tail");

    /// <summary>The plaintext goes straight to the data file.</summary>
    private sealed class PlainTarget(FileStream data, long start) : IAppendTarget
    {
        public static async Task<PlainTarget> OpenAsync(FileStream data, long start, IncrementalHash? rebuild)
        {
            // Bytes past the acknowledged offset (a crash between write and info update) are not ours: drop them.
            data.SetLength(start);
            if (rebuild is not null)
            {
                data.Position = 0;
                var buffer = ArrayPool<byte>.Shared.Rent(BufferSize);
                try
                {
                    for (long left = start; left > 0;)
                    {
                        var read = await data.ReadAsync(buffer.AsMemory(0, (int)Math.Min(BufferSize, left)));
                        if (read == 0)
                        {
                            throw new InvalidDataException("The upload's data file is shorter than its offset.");
                        }
                        rebuild.AppendData(buffer, 0, read);
                        left -= read;
                    }
                }
                finally
                {
                    ArrayPool<byte>.Shared.Return(buffer);
                }
            }
            data.Position = start;
            return new PlainTarget(data, start);
        }

        public ValueTask WriteAsync(ReadOnlyMemory<byte> bytes) => data.WriteAsync(bytes);

        public async ValueTask<byte[]> ReadHeadAsync(int length)
        {
            var end = data.Position;
            await data.FlushAsync();
            var head = new byte[length];
            data.Position = 0;
            await data.ReadExactlyAsync(head);
            data.Position = end;
            return head;
        }

        public async Task CommitAsync(long offset, bool complete)
        {
            await data.FlushAsync();
            data.Flush(flushToDisk: true);
        }

        public Task DiscardAsync()
        {
            data.SetLength(start);
            data.Flush(flushToDisk: true);
            return Task.CompletedTask;
        }

        public ValueTask DisposeAsync() => ValueTask.CompletedTask;
    }

    /// <summary>
    /// Seals while it writes (<see cref="SealingAppendTarget"/>): whole chunks become records in the data file; the
    /// partial last chunk is kept encrypted in a tail file named by offset.
    /// </summary>
    private sealed class SealedTarget : SealingAppendTarget
    {
        private readonly UploadStore _store;
        private readonly FileStream _data;
        private readonly long _startLength;

        private SealedTarget(UploadStore store, string id, FileStream data, SealedChunkCipher cipher, long startLength, uint index)
            : base(id, cipher, store._resumeKey, index)
        {
            _store = store;
            _data = data;
            _startLength = startLength;
        }

        public static async Task<SealedTarget> OpenAsync(UploadStore store, FileStream data, UploadInfo info, IncrementalHash? rebuild)
        {
            var sealing = info.Sealing!;
            data.Position = 0;
            var header = await SealedFileHeader.ReadAsync(data);
            var cipher = CipherOf(info, header, data.Position, store._resumeKey);
            var records = (uint)(info.Offset / sealing.ChunkSize);
            var length = sealing.HeaderLength + (records * (long)SealedChunkCipher.RecordLength(sealing.ChunkSize));
            var target = new SealedTarget(store, info.Id, data, cipher, length, records);
            try
            {
                // Records past the acknowledged offset (a crash between write and info update) are not ours.
                data.SetLength(length);
                if (rebuild is not null)
                {
                    data.Position = sealing.HeaderLength;
                    await target.ReplayAsync(data, records, rebuild);
                }
                data.Position = length;
                var tailLength = (int)(info.Offset % sealing.ChunkSize);
                if (tailLength > 0)
                {
                    await using var tail = new FileStream(store.TailPath(info.Id, info.Offset), FileMode.Open, FileAccess.Read, FileShare.Read, 4096, FileOptions.Asynchronous);
                    await target.LoadTailAsync(tail, info.Offset, tailLength, rebuild);
                }
                return target;
            }
            catch
            {
                await target.DisposeAsync();
                throw;
            }
        }

        public override async Task CommitAsync(long offset, bool complete)
        {
            await SealPendingAsync(complete);
            await _data.FlushAsync();
            _data.Flush(flushToDisk: true);
            if (!complete && SealedTail(offset) is { IsEmpty: false } tail)
            {
                await WriteTailAsync(offset, tail);
            }
        }

        public override Task DiscardAsync()
        {
            _data.SetLength(_startLength);
            _data.Flush(flushToDisk: true);
            return Task.CompletedTask;
        }

        protected override ValueTask WriteRecordAsync(ReadOnlyMemory<byte> record, long chunkStart) => _data.WriteAsync(record);

        private async Task WriteTailAsync(long offset, ReadOnlyMemory<byte> sealedTail)
        {
            var path = _store.TailPath(Id, offset);
            var temp = path + "." + Guid.NewGuid().ToString("N") + ".tmp";
            try
            {
                await using (var stream = new FileStream(temp, FileMode.CreateNew, FileAccess.Write, FileShare.None, 4096, FileOptions.Asynchronous))
                {
                    await stream.WriteAsync(sealedTail);
                    await stream.FlushAsync();
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
    }
}

/// <summary>The exclusive hold on one upload, released on dispose: how it is held depends on the store.</summary>
public abstract class UploadLock(string id) : IAsyncDisposable
{
    public string Id { get; } = id;

    public abstract ValueTask DisposeAsync();
}

/// <summary>The upload's data file opened without sharing: on Linux an flock that other processes see too.</summary>
internal sealed class FileUploadLock(string id, FileStream data) : UploadLock(id)
{
    internal FileStream Data { get; } = data;

    public override ValueTask DisposeAsync() => Data.DisposeAsync();
}

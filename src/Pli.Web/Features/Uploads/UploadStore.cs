using System.Buffers;
using System.Collections.Concurrent;
using System.Globalization;
using System.Security.Cryptography;
using System.Text.Json;
using Microsoft.Extensions.Options;
using Pli.Domain.Common;
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

    // The SHA-256 of each upload's plaintext so far, with the offset it stands at: the common case (the
    // next PATCH comes to this process) costs nothing; otherwise the hash is rebuilt from the disk.
    private readonly ConcurrentDictionary<string, RunningHash> _hashes = new(StringComparer.Ordinal);

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
        var dataKey = RandomNumberGenerator.GetBytes(SealedFileFormat.DataKeySize);
        try
        {
            var header = new SealedFileHeader(_chunkSize, ConsultationKeys.KeyIdOf(publicKeyDer), ConsultationKeys.WrapDataKey(publicKeyDer, dataKey), RandomNumberGenerator.GetBytes(SealedFileFormat.NoncePrefixSize));
            await data.WriteAsync(header.Bytes);
            if (length == 0)
            {
                using var cipher = new SealedChunkCipher(header, dataKey);
                var record = new byte[SealedFileFormat.TagSize];
                cipher.Seal(0, final: true, [], record);
                await data.WriteAsync(record);
            }
            await data.FlushAsync();
            data.Flush(flushToDisk: true);
            return new UploadSealing(header.KeyId, header.ChunkSize, header.Bytes.Length, _resumeKey.ProtectDataKey(id, dataKey));
        }
        finally
        {
            CryptographicOperations.ZeroMemory(dataKey);
        }
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
        if (info.IsComplete)
        {
            var probe = new byte[1];
            var extra = await ReadOrInterruptedAsync(body, probe, cancellationToken);
            return new AppendResult(extra > 0 ? AppendStatus.PastLength : AppendStatus.Appended, info, CompletedNow: false);
        }
        var start = info.Offset;
        var room = info.Length - start;
        var hash = TakeHash(info, out var rebuild);
        IAppendTarget? target = null;
        var buffer = ArrayPool<byte>.Shared.Rent(BufferSize);
        try
        {
            target = info.Sealing is null
                ? await PlainTarget.OpenAsync(upload.Data, start, rebuild ? hash : null)
                : await SealedTarget.OpenAsync(this, upload.Data, info, rebuild ? hash : null);

            using var checksumHash = checksum is null ? null : IncrementalHash.CreateHash(checksum.Algorithm);
            // The content check reads the first bytes once they have all arrived, before any of them is sealed.
            var headLength = info.ContentName is null ? 0 : Math.Min(info.Length, FileSignatures.HeadLength);
            long written = 0;
            var status = AppendStatus.Appended;
            while (true)
            {
                var read = await ReadOrInterruptedAsync(body, buffer.AsMemory(0, BufferSize), cancellationToken);
                if (read < 0)
                {
                    // The client went away: keep what arrived (tus semantics), the next HEAD tells the offset.
                    _logger.LogInformation("Upload {Id} interrupted after {Bytes} bytes of a chunk.", upload.Id, written);
                    status = AppendStatus.Interrupted;
                    break;
                }
                if (read == 0)
                {
                    break;
                }
                if (read > room - written)
                {
                    status = AppendStatus.PastLength;
                    break;
                }
                var bytes = buffer.AsMemory(0, read);
                checksumHash?.AppendData(bytes.Span);
                hash.AppendData(bytes.Span);
                var received = start + written;
                if (received < headLength && received + read >= headLength)
                {
                    var before = (int)(headLength - received);
                    await target.WriteAsync(bytes[..before]);
                    await RequireContentMatchesAsync(info, target, (int)headLength);
                    bytes = bytes[before..];
                }
                await target.WriteAsync(bytes);
                written += read;
            }

            if (status == AppendStatus.Appended && checksumHash is not null && !CryptographicOperations.FixedTimeEquals(checksumHash.GetHashAndReset(), checksum!.Digest))
            {
                status = AppendStatus.ChecksumMismatch;
            }
            // A chunk that cannot be verified is not kept: with a checksum announced, an interrupted chunk is lost too.
            if (status is AppendStatus.PastLength or AppendStatus.ChecksumMismatch || (status == AppendStatus.Interrupted && checksum is not null))
            {
                await target.DiscardAsync();
                hash.Dispose();
                return new AppendResult(status, info, CompletedNow: false);
            }
            if (written == 0)
            {
                KeepHash(info.Id, start, hash);
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
                KeepHash(info.Id, offset, hash);
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
            ArrayPool<byte>.Shared.Return(buffer, clearArray: true);
            if (target is not null)
            {
                await target.DisposeAsync();
            }
        }
    }

    /// <summary>Bytes read, 0 at the end of the body, −1 when the client went away.</summary>
    private static async Task<int> ReadOrInterruptedAsync(Stream body, Memory<byte> buffer, CancellationToken cancellationToken)
    {
        try
        {
            return await body.ReadAsync(buffer, cancellationToken);
        }
        catch (Exception e) when (e is IOException or OperationCanceledException or BadHttpRequestException)
        {
            return -1;
        }
    }

    /// <summary>Refuses a file whose head does not fit its name; a refused upload is deleted, all its files.</summary>
    private async Task RequireContentMatchesAsync(UploadInfo info, IAppendTarget target, int headLength)
    {
        var head = await target.ReadHeadAsync(headLength);
        try
        {
            FileSignatures.RequireContentMatches(info.ContentName!, head);
        }
        catch (DomainException)
        {
            _logger.LogInformation("Upload {Id} refused: its content does not match {Name}.", info.Id, info.ContentName);
            DeleteFiles(info.Id);
            throw;
        }
        finally
        {
            CryptographicOperations.ZeroMemory(head);
        }
    }

    /// <summary>The hash of the upload's plaintext up to its offset: cached, or a fresh one to rebuild from the disk.</summary>
    private IncrementalHash TakeHash(UploadInfo info, out bool rebuild)
    {
        if (_hashes.TryRemove(info.Id, out var cached))
        {
            if (cached.Offset == info.Offset)
            {
                rebuild = false;
                return cached.Hash;
            }
            // Another process moved the upload on since this one saw it.
            cached.Hash.Dispose();
        }
        rebuild = true;
        return IncrementalHash.CreateHash(HashAlgorithmName.SHA256);
    }

    private void KeepHash(string id, long offset, IncrementalHash hash)
    {
        if (_hashes.TryGetValue(id, out var stale))
        {
            stale.Hash.Dispose();
        }
        _hashes[id] = new RunningHash(offset, hash);
    }

    public async Task<string> CompletedFilePathAsync(string id, CancellationToken cancellationToken = default)
    {
        var info = await GetInfoAsync(id, cancellationToken) ?? throw new FileNotFoundException($"No upload '{id}'.");
        if (!info.IsComplete)
        {
            throw new InvalidOperationException($"Upload '{id}' is not complete ({info.Offset} of {info.Length} bytes).");
        }
        return DataPath(id);
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
        if (_hashes.TryRemove(id, out var cached))
        {
            cached.Hash.Dispose();
        }
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

    private sealed record RunningHash(long Offset, IncrementalHash Hash);

    /// <summary>Where the bytes of one PATCH go: the plaintext data file, or the sealing of chunks and tail.</summary>
    private interface IAppendTarget : IAsyncDisposable
    {
        ValueTask WriteAsync(ReadOnlyMemory<byte> bytes);

        /// <summary>A copy of the first <paramref name="length"/> bytes of the plaintext (all received already).</summary>
        ValueTask<byte[]> ReadHeadAsync(int length);

        /// <summary>Makes everything received durable, as the state of <paramref name="offset"/>.</summary>
        Task CommitAsync(long offset, bool complete);

        /// <summary>Forgets everything received in this PATCH.</summary>
        Task DiscardAsync();
    }

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
    /// Seals while it writes (docs/sealed-file-format.md, "Resumable sealed uploads"): whole chunks become
    /// records in the data file; the partial last chunk is kept encrypted in a tail file named by offset.
    /// A full chunk is sealed only when the next byte comes (or at commit), so chunk 0 is still in memory
    /// when the head is checked. Memory: one chunk of plaintext and one record, whatever the file's size.
    /// </summary>
    private sealed class SealedTarget : IAppendTarget
    {
        private readonly UploadStore _store;
        private readonly string _id;
        private readonly FileStream _data;
        private readonly SealedChunkCipher _cipher;
        private readonly long _startLength;
        private readonly int _chunkSize;
        private readonly byte[] _plain;
        private readonly byte[] _record;
        private int _buffered;
        private uint _index;

        private SealedTarget(UploadStore store, string id, FileStream data, SealedChunkCipher cipher, long startLength, uint index)
        {
            _store = store;
            _id = id;
            _data = data;
            _cipher = cipher;
            _startLength = startLength;
            _chunkSize = cipher.Header.ChunkSize;
            _index = index;
            _plain = ArrayPool<byte>.Shared.Rent(_chunkSize);
            // Big enough for a record (C + 16) and for a tail (C − 1 + 28).
            _record = ArrayPool<byte>.Shared.Rent(_chunkSize + UploadResumeKey.Overhead);
        }

        public static async Task<SealedTarget> OpenAsync(UploadStore store, FileStream data, UploadInfo info, IncrementalHash? rebuild)
        {
            var sealing = info.Sealing!;
            data.Position = 0;
            var header = await SealedFileHeader.ReadAsync(data);
            if (header.KeyId != sealing.KeyId || header.ChunkSize != sealing.ChunkSize || data.Position != sealing.HeaderLength)
            {
                throw new InvalidDataException($"The header of sealed upload '{info.Id}' does not match its info.");
            }
            var dataKey = store._resumeKey.UnprotectDataKey(info.Id, sealing.ProtectedDataKey);
            SealedChunkCipher cipher;
            try
            {
                cipher = new SealedChunkCipher(header, dataKey);
            }
            finally
            {
                CryptographicOperations.ZeroMemory(dataKey);
            }
            var records = (uint)(info.Offset / sealing.ChunkSize);
            var length = sealing.HeaderLength + (records * (long)SealedChunkCipher.RecordLength(sealing.ChunkSize));
            var target = new SealedTarget(store, info.Id, data, cipher, length, records);
            try
            {
                // Records past the acknowledged offset (a crash between write and info update) are not ours.
                data.SetLength(length);
                if (rebuild is not null)
                {
                    await target.ReplayRecordsAsync(records, rebuild);
                }
                data.Position = length;
                await target.LoadTailAsync(info.Offset, (int)(info.Offset % sealing.ChunkSize));
                rebuild?.AppendData(target._plain, 0, target._buffered);
                return target;
            }
            catch
            {
                await target.DisposeAsync();
                throw;
            }
        }

        public async ValueTask WriteAsync(ReadOnlyMemory<byte> bytes)
        {
            while (!bytes.IsEmpty)
            {
                if (_buffered == _chunkSize)
                {
                    await SealAsync(final: false);
                }
                var take = Math.Min(bytes.Length, _chunkSize - _buffered);
                bytes.Span[..take].CopyTo(_plain.AsSpan(_buffered));
                _buffered += take;
                bytes = bytes[take..];
            }
        }

        public ValueTask<byte[]> ReadHeadAsync(int length) =>
            _index == 0 && length <= _buffered
                ? ValueTask.FromResult(_plain.AsSpan(0, length).ToArray())
                : throw new InvalidOperationException("The head of a sealed upload is read before chunk 0 is sealed.");

        public async Task CommitAsync(long offset, bool complete)
        {
            if (_buffered == _chunkSize)
            {
                await SealAsync(final: false);
            }
            if (complete)
            {
                // The final chunk is always shorter than a chunk, possibly empty.
                await SealAsync(final: true);
            }
            await _data.FlushAsync();
            _data.Flush(flushToDisk: true);
            if (!complete && _buffered > 0)
            {
                await WriteTailAsync(offset);
            }
        }

        public Task DiscardAsync()
        {
            _data.SetLength(_startLength);
            _data.Flush(flushToDisk: true);
            return Task.CompletedTask;
        }

        public ValueTask DisposeAsync()
        {
            _cipher.Dispose();
            ArrayPool<byte>.Shared.Return(_plain, clearArray: true);
            ArrayPool<byte>.Shared.Return(_record, clearArray: true);
            return ValueTask.CompletedTask;
        }

        private async Task SealAsync(bool final)
        {
            var length = _cipher.Seal(_index, final, _plain.AsSpan(0, _buffered), _record);
            await _data.WriteAsync(_record.AsMemory(0, length));
            CryptographicOperations.ZeroMemory(_plain.AsSpan(0, _buffered));
            _buffered = 0;
            _index++;
        }

        /// <summary>Decrypts the records already written, one at a time, into the hash (a restart, another instance).</summary>
        private async Task ReplayRecordsAsync(uint records, IncrementalHash hash)
        {
            var recordLength = SealedChunkCipher.RecordLength(_chunkSize);
            _data.Position = _cipher.Header.Bytes.Length;
            for (uint index = 0; index < records; index++)
            {
                await _data.ReadExactlyAsync(_record.AsMemory(0, recordLength));
                var length = _cipher.Open(index, final: false, _record.AsSpan(0, recordLength), _plain);
                hash.AppendData(_plain, 0, length);
            }
            CryptographicOperations.ZeroMemory(_plain);
        }

        private async Task LoadTailAsync(long offset, int length)
        {
            if (length == 0)
            {
                return;
            }
            await using (var tail = new FileStream(_store.TailPath(_id, offset), FileMode.Open, FileAccess.Read, FileShare.Read, 4096, FileOptions.Asynchronous))
            {
                var expected = length + UploadResumeKey.Overhead;
                if (tail.Length != expected)
                {
                    throw new InvalidDataException($"The tail of sealed upload '{_id}' at {offset} is {tail.Length} bytes, not {expected}.");
                }
                await tail.ReadExactlyAsync(_record.AsMemory(0, expected));
                _store._resumeKey.OpenTail(_id, offset, _record.AsSpan(0, expected), _plain);
            }
            _buffered = length;
        }

        private async Task WriteTailAsync(long offset)
        {
            var length = _store._resumeKey.SealTail(_id, offset, _plain.AsSpan(0, _buffered), _record);
            var path = _store.TailPath(_id, offset);
            var temp = path + "." + Guid.NewGuid().ToString("N") + ".tmp";
            try
            {
                await using (var stream = new FileStream(temp, FileMode.CreateNew, FileAccess.Write, FileShare.None, 4096, FileOptions.Asynchronous))
                {
                    await stream.WriteAsync(_record.AsMemory(0, length));
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

/// <summary>The exclusive hold on one upload's data file; released on dispose.</summary>
public sealed class UploadLock(string id, FileStream data) : IAsyncDisposable
{
    public string Id { get; } = id;

    internal FileStream Data { get; } = data;

    public ValueTask DisposeAsync() => Data.DisposeAsync();
}

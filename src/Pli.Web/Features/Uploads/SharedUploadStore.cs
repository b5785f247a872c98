using System.Buffers;
using System.Diagnostics;
using System.Globalization;
using System.IO.Pipelines;
using System.Security.Cryptography;
using System.Text.Json;
using Microsoft.EntityFrameworkCore;
using Microsoft.Extensions.Options;
using Pli.Domain.Consultations;
using Pli.Web.Infrastructure.Crypto;
using Pli.Web.Infrastructure.Data;
using Pli.Web.Infrastructure.Storage;

namespace Pli.Web.Features.Uploads;

/// <summary>
/// Uploads for several instances (<c>Uploads:Store=Shared</c>): what the server knows of each upload is a row
/// of the database (<see cref="SharedUpload"/>), its bytes are parts in the file store (S3 in production) under
/// "uploads/{id}/", and the request writing to it holds a lease on the row, claimed by one conditional UPDATE and
/// renewed while the body comes. Any instance can therefore take the next chunk, and a dead instance's lease
/// runs out by itself.
/// <para>
/// Each PATCH that keeps bytes writes one new part, streamed to the store while it is received, under a fresh
/// key; the row names it only once it is durable, by an UPDATE that also requires the lease and the offset the
/// PATCH started from. A part written by a request that lost its lease, or cut by a crash, is never named: it is
/// deleted with the upload's folder. A sealed upload's parts are whole records (docs/sealed-file-format.md); its
/// partial last chunk is kept encrypted as the tail, as on local disk.
/// </para>
/// </summary>
public sealed class SharedUploadStore : IUploadStore
{
    private static readonly JsonSerializerOptions Json = new(JsonSerializerDefaults.Web);
    private static readonly string EmptySha256 = Convert.ToHexStringLower(SHA256.HashData([]));

    private readonly IServiceScopeFactory _scopes;
    private readonly IFileStore _files;
    private readonly TimeProvider _time;
    private readonly UploadOptions _options;
    private readonly int _chunkSize;
    private readonly UploadResumeKey _resumeKey;
    private readonly ILogger<SharedUploadStore> _logger;
    private readonly RunningHashes _hashes = new();

    public SharedUploadStore(IServiceScopeFactory scopes, IFileStore files, IOptions<UploadOptions> options, IOptions<CryptoOptions> crypto, UploadResumeKey resumeKey, TimeProvider time, ILogger<SharedUploadStore> logger)
    {
        _scopes = scopes;
        _files = files;
        _time = time;
        _options = options.Value;
        _chunkSize = Math.Max(crypto.Value.ChunkSize, FileSignatures.HeadLength);
        _resumeKey = resumeKey;
        _logger = logger;
    }

    public async Task<UploadInfo> CreateAsync(Guid ownerId, long length, IReadOnlyDictionary<string, string> metadata, UploadAdmission admission, CancellationToken cancellationToken = default)
    {
        ArgumentNullException.ThrowIfNull(admission);
        if (length == 0 && admission.ContentName is { } name)
        {
            FileSignatures.RequireContentMatches(name, []);
        }
        var id = Guid.NewGuid().ToString("N");
        var now = _time.GetUtcNow();
        var info = new UploadInfo(id, ownerId, length, 0, metadata, now, now + _options.ExpireAfter, length == 0 ? now : null,
            ContentName: admission.ContentName, Sha256: length == 0 ? EmptySha256 : null);
        byte[] initial = [];
        if (admission.SealForPublicKeyDer is { } publicKey)
        {
            (var sealing, initial) = SealedUploadStart.Create(id, length, publicKey, _chunkSize, _resumeKey);
            info = info with { Sealing = sealing };
        }
        var row = new SharedUpload
        {
            Id = id,
            OwnerId = ownerId,
            Length = length,
            MetadataJson = JsonSerializer.Serialize(metadata, Json),
            CreatedUtc = now.UtcDateTime,
            ExpiresUtc = info.ExpiresUtc.UtcDateTime,
            CompletedUtc = info.CompletedUtc?.UtcDateTime,
            SealingJson = info.Sealing is null ? null : JsonSerializer.Serialize(info.Sealing, Json),
            ContentName = info.ContentName,
            Sha256 = info.Sha256,
            Initial = initial,
        };
        await WithDbAsync(db =>
        {
            db.SharedUploads.Add(row);
            return db.SaveChangesAsync(cancellationToken);
        });
        return info;
    }

    public async Task<UploadInfo?> GetInfoAsync(string id, CancellationToken cancellationToken = default) =>
        await FindAsync(id, cancellationToken) is { } row ? InfoOf(row) : null;

    public async Task<UploadLock?> TryLockAsync(string id, CancellationToken cancellationToken = default)
    {
        if (!IsValidId(id))
        {
            throw new FileNotFoundException($"No upload '{id}'.");
        }
        // The holder may be a request that is about to end (a client that broke off and came back at once) or
        // a dead instance whose lease runs out: waiting a little spares the client a 423 and a retry.
        var started = Stopwatch.GetTimestamp();
        while (true)
        {
            if (await ClaimAsync(id, includeDeleted: false, cancellationToken) is { } held)
            {
                return held;
            }
            if (await FindAsync(id, cancellationToken) is null)
            {
                throw new FileNotFoundException($"No upload '{id}'.");
            }
            if (Stopwatch.GetElapsedTime(started) >= _options.LockWait)
            {
                return null;
            }
            await Task.Delay(TimeSpan.FromMilliseconds(200), cancellationToken);
        }
    }

    public async Task<AppendResult> AppendAsync(UploadLock upload, Stream body, UploadChecksum? checksum, CancellationToken cancellationToken = default)
    {
        var held = (SharedUploadLock)upload;
        var row = await FindAsync(upload.Id, CancellationToken.None) ?? throw new FileNotFoundException($"No upload '{upload.Id}'.");
        var info = InfoOf(row);
        if (info.IsComplete)
        {
            return await UploadReceiver.AnswerCompleteAsync(body, info, cancellationToken);
        }
        var start = info.Offset;
        var parts = PartsOf(row);
        var hash = _hashes.Take(info, out var rebuild);
        IPartsTarget? target = null;
        try
        {
            target = info.Sealing is null
                ? await PlainPartsTarget.OpenAsync(this, info, parts, rebuild ? hash : null)
                : await SealedPartsTarget.OpenAsync(this, row, info, parts, rebuild ? hash : null);
            var receiving = target;
            var (status, written) = await UploadReceiver.ReceiveAsync(body, info, target, hash, checksum, async () =>
            {
                await receiving.DiscardAsync();
                await DeleteAllAsync(info.Id);
            }, _logger, cancellationToken);
            if (UploadReceiver.MustDiscard(status, checksum) || written == 0)
            {
                await target.DiscardAsync();
                // Nothing received, nothing hashed: the hash still stands at the offset.
                if (written == 0)
                {
                    _hashes.Keep(info.Id, start, hash);
                }
                else
                {
                    hash.Dispose();
                }
                return new AppendResult(status, info, CompletedNow: false);
            }

            var offset = start + written;
            var completedNow = offset == info.Length;
            await target.CommitAsync(offset, completedNow);
            var now = _time.GetUtcNow();
            var expires = (now + _options.ExpireAfter).UtcDateTime;
            DateTime? completedUtc = completedNow ? now.UtcDateTime : null;
            var sha256 = completedNow ? Convert.ToHexStringLower(hash.GetHashAndReset()) : null;
            var partsJson = JsonSerializer.Serialize(target.Stored.Part is { } part ? [.. parts, part] : parts, Json);
            var tail = target.Stored.Tail;
            var token = held.Token;
            var recorded = await WithDbAsync(db => db.SharedUploads
                .Where(u => u.Id == info.Id && u.LockToken == token && u.Offset == start && u.DeletedUtc == null)
                .ExecuteUpdateAsync(s => s
                    .SetProperty(u => u.Offset, offset)
                    .SetProperty(u => u.PartsJson, partsJson)
                    .SetProperty(u => u.TailKey, tail)
                    .SetProperty(u => u.ExpiresUtc, expires)
                    .SetProperty(u => u.CompletedUtc, completedUtc)
                    .SetProperty(u => u.Sha256, sha256), CancellationToken.None));
            if (recorded == 0)
            {
                // The lease ran out under this request (it could not renew it) and another request took the
                // upload: what this one wrote is not the upload's. The client asks the offset and goes on.
                _logger.LogWarning("Upload {Id}: the lease was lost during a chunk; the chunk is not kept.", info.Id);
                await target.Stored.ForgetCommittedAsync();
                hash.Dispose();
                return new AppendResult(AppendStatus.LockLost, info, CompletedNow: false);
            }
            if (row.TailKey is { } stale)
            {
                await DeleteQuietlyAsync(stale);
            }
            info = info with { Offset = offset, ExpiresUtc = new DateTimeOffset(expires), CompletedUtc = completedNow ? now : null, Sha256 = sha256 };
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

    public async Task<Stream> OpenReadAsync(string id, CancellationToken cancellationToken = default)
    {
        var row = await FindAsync(id, cancellationToken) ?? throw new FileNotFoundException($"No upload '{id}'.");
        if (row.Offset != row.Length)
        {
            throw new InvalidOperationException($"Upload '{id}' is not complete ({row.Offset} of {row.Length} bytes).");
        }
        return OpenParts(row.Initial, PartsOf(row));
    }

    public async Task HandOverAsync(string id, IFileStore files, string key, CancellationToken cancellationToken = default)
    {
        // Copied, part after part, into one file: the parts are deleted with the upload.
        await using var content = await OpenReadAsync(id, cancellationToken);
        await files.SaveAsync(key, content, cancellationToken);
    }

    public async Task<bool> DeleteAsync(string id, CancellationToken cancellationToken = default)
    {
        if (!IsValidId(id))
        {
            return true;
        }
        if (!await WithDbAsync(db => db.SharedUploads.AnyAsync(u => u.Id == id, cancellationToken)))
        {
            await _files.DeleteFolderAsync(FolderOf(id), CancellationToken.None);
            return true;
        }
        var held = await ClaimAsync(id, includeDeleted: true, cancellationToken);
        if (held is null)
        {
            return false;
        }
        await using (held)
        {
            await DeleteAllAsync(id);
        }
        return true;
    }

    public async Task<int> DeleteExpiredAsync(CancellationToken cancellationToken = default)
    {
        var now = _time.GetUtcNow().UtcDateTime;
        var due = await WithDbAsync(db => db.SharedUploads.AsNoTracking()
            .Where(u => u.ExpiresUtc <= now || u.DeletedUtc != null)
            .OrderBy(u => u.ExpiresUtc)
            .Select(u => u.Id)
            .Take(500)
            .ToListAsync(cancellationToken));
        var deleted = 0;
        foreach (var id in due)
        {
            // Claimed one by one: instances sweeping at the same time never delete one upload twice, and never
            // one that a request is writing to.
            if (await DeleteAsync(id, cancellationToken))
            {
                deleted++;
            }
        }
        return deleted;
    }

    /// <summary>Marks the row deleted (the upload is gone for everyone), deletes every part, then the row.</summary>
    private async Task DeleteAllAsync(string id)
    {
        var now = _time.GetUtcNow().UtcDateTime;
        await WithDbAsync(db => db.SharedUploads.Where(u => u.Id == id).ExecuteUpdateAsync(s => s.SetProperty(u => u.DeletedUtc, now), CancellationToken.None));
        _hashes.Forget(id);
        await _files.DeleteFolderAsync(FolderOf(id), CancellationToken.None);
        await WithDbAsync(db => db.SharedUploads.Where(u => u.Id == id).ExecuteDeleteAsync(CancellationToken.None));
    }

    private async Task<SharedUploadLock?> ClaimAsync(string id, bool includeDeleted, CancellationToken cancellationToken)
    {
        var token = Guid.NewGuid();
        var now = _time.GetUtcNow().UtcDateTime;
        var until = now + _options.LockLease;
        var claimed = await WithDbAsync(db => db.SharedUploads
            .Where(u => u.Id == id && (includeDeleted || u.DeletedUtc == null) && (u.LockedUntilUtc == null || u.LockedUntilUtc < now))
            .ExecuteUpdateAsync(s => s.SetProperty(u => u.LockToken, token).SetProperty(u => u.LockedUntilUtc, until), cancellationToken));
        return claimed == 1 ? new SharedUploadLock(this, id, token) : null;
    }

    private Task<SharedUpload?> FindAsync(string id, CancellationToken cancellationToken) =>
        IsValidId(id)
            ? WithDbAsync(db => db.SharedUploads.AsNoTracking().FirstOrDefaultAsync(u => u.Id == id && u.DeletedUtc == null, cancellationToken))
            : Task.FromResult<SharedUpload?>(null);

    private async Task<T> WithDbAsync<T>(Func<PliDbContext, Task<T>> work)
    {
        await using var scope = _scopes.CreateAsyncScope();
        return await work(scope.ServiceProvider.GetRequiredService<PliDbContext>());
    }

    private async Task DeleteQuietlyAsync(string key)
    {
        try
        {
            await _files.DeleteAsync(key, CancellationToken.None);
        }
        catch (Exception e) when (e is IOException or UnauthorizedAccessException)
        {
            // Left under the upload's folder: deleted with it.
            _logger.LogInformation(e, "Could not delete {Key} now; it goes with its upload.", key);
        }
    }

    private static UploadInfo InfoOf(SharedUpload row) => new(
        row.Id,
        row.OwnerId,
        row.Length,
        row.Offset,
        JsonSerializer.Deserialize<Dictionary<string, string>>(row.MetadataJson, Json) ?? [],
        new DateTimeOffset(row.CreatedUtc),
        new DateTimeOffset(row.ExpiresUtc),
        row.CompletedUtc is { } completed ? new DateTimeOffset(completed) : null,
        row.SealingJson is null ? null : JsonSerializer.Deserialize<UploadSealing>(row.SealingJson, Json),
        row.ContentName,
        row.Sha256);

    private static List<string> PartsOf(SharedUpload row) => JsonSerializer.Deserialize<List<string>>(row.PartsJson, Json) ?? [];

    private static bool IsValidId(string id) => id.Length == 32 && id.All(char.IsAsciiHexDigitLower);

    private static string FolderOf(string id) => "uploads/" + id;

    /// <summary>A fresh key for what a PATCH stores from <paramref name="offset"/>: never one the row may name already.</summary>
    private static string NewKey(string id, char kind, long offset) =>
        string.Create(CultureInfo.InvariantCulture, $"uploads/{id}/{kind}{offset:D15}-{Guid.NewGuid():N}");

    /// <summary>The lease on one upload's row, renewed in the background while the request holds it.</summary>
    private sealed class SharedUploadLock : UploadLock
    {
        private readonly SharedUploadStore _store;
        private readonly CancellationTokenSource _stop = new();
        private readonly Task _renewal;

        public SharedUploadLock(SharedUploadStore store, string id, Guid token)
            : base(id)
        {
            _store = store;
            Token = token;
            _renewal = Task.Run(() => RenewAsync(_stop.Token));
        }

        public Guid Token { get; }

        public override async ValueTask DisposeAsync()
        {
            await _stop.CancelAsync();
            await _renewal;
            _stop.Dispose();
            var token = Token;
            try
            {
                await _store.WithDbAsync(db => db.SharedUploads.Where(u => u.Id == Id && u.LockToken == token)
                    .ExecuteUpdateAsync(s => s.SetProperty(u => u.LockToken, (Guid?)null).SetProperty(u => u.LockedUntilUtc, (DateTime?)null), CancellationToken.None));
            }
            catch (Exception e) when (e is not OperationCanceledException)
            {
                // The lease runs out by itself.
                _store._logger.LogWarning(e, "Upload {Id}: the lease could not be released; it runs out by itself.", Id);
            }
        }

        private async Task RenewAsync(CancellationToken stop)
        {
            var every = _store._options.LockLease / 3;
            var token = Token;
            while (!stop.IsCancellationRequested)
            {
                try
                {
                    await Task.Delay(every, stop);
                    var until = (_store._time.GetUtcNow() + _store._options.LockLease).UtcDateTime;
                    var renewed = await _store.WithDbAsync(db => db.SharedUploads.Where(u => u.Id == Id && u.LockToken == token)
                        .ExecuteUpdateAsync(s => s.SetProperty(u => u.LockedUntilUtc, until), stop));
                    if (renewed == 0)
                    {
                        // Taken over: the final conditional UPDATE will refuse this request's chunk.
                        return;
                    }
                }
                catch (OperationCanceledException)
                {
                    return;
                }
                catch (Exception e)
                {
                    // The database may be away for a moment: try again at the next beat.
                    _store._logger.LogWarning(e, "Upload {Id}: renewing the lease failed.", Id);
                }
            }
        }
    }

    /// <summary>One part being written: streamed into the file store while the PATCH is received.</summary>
    private sealed class PartWriter
    {
        // Back-pressure: the request reads no faster than the store writes, and holds at most ~1 MiB.
        private readonly Pipe _pipe = new(new PipeOptions(pauseWriterThreshold: 1 << 20, resumeWriterThreshold: 1 << 19, useSynchronizationContext: false));
        private readonly Task _save;
        private bool _ended;

        public PartWriter(IFileStore files, string key)
        {
            Key = key;
            _save = Task.Run(async () =>
            {
                try
                {
                    await using var content = _pipe.Reader.AsStream(leaveOpen: true);
                    await files.SaveAsync(key, content);
                }
                finally
                {
                    // A store that failed stops the writer instead of leaving it waiting on a full pipe.
                    await _pipe.Reader.CompleteAsync();
                }
            });
        }

        public string Key { get; }

        public async ValueTask WriteAsync(ReadOnlyMemory<byte> bytes)
        {
            var written = await _pipe.Writer.WriteAsync(bytes);
            if (written.IsCompleted)
            {
                await _save;
                throw new IOException($"The store stopped reading part {Key}.");
            }
        }

        /// <summary>The part is durable in the store when this returns.</summary>
        public async Task CompleteAsync()
        {
            _ended = true;
            await _pipe.Writer.CompleteAsync();
            await _save;
        }

        public async Task AbortAsync(IFileStore files)
        {
            if (!_ended)
            {
                _ended = true;
                await _pipe.Writer.CompleteAsync(new OperationCanceledException("The part is discarded."));
                try
                {
                    await _save;
                }
                catch (Exception)
                {
                    // The store refused the cut stream, as it should: nothing is kept under the key.
                }
            }
            await files.DeleteAsync(Key, CancellationToken.None);
        }
    }

    /// <summary>What a PATCH stores: a new part (and for a sealed upload a new tail), named by the row once committed.</summary>
    private sealed class NewParts(SharedUploadStore store, string id)
    {
        private PartWriter? _part;

        public string? Part { get; private set; }

        public string? Tail { get; private set; }

        public ValueTask WriteAsync(ReadOnlyMemory<byte> bytes, long partStart)
        {
            _part ??= new PartWriter(store._files, NewKey(id, 'p', partStart));
            return _part.WriteAsync(bytes);
        }

        /// <summary>The part is durable in the store when this returns.</summary>
        public async Task CompleteAsync()
        {
            if (_part is { } part)
            {
                await part.CompleteAsync();
                Part = part.Key;
                _part = null;
            }
        }

        public async Task SaveTailAsync(long offset, ReadOnlyMemory<byte> sealedTail)
        {
            var key = NewKey(id, 't', offset);
            await using (var tail = new MemoryStream(sealedTail.ToArray(), writable: false))
            {
                await store._files.SaveAsync(key, tail);
            }
            Tail = key;
        }

        public async Task DiscardAsync()
        {
            if (_part is { } part)
            {
                _part = null;
                await part.AbortAsync(store._files);
            }
        }

        /// <summary>Deletes what the commit stored, when the row refused to name it.</summary>
        public async Task ForgetCommittedAsync()
        {
            foreach (var key in new[] { Part, Tail })
            {
                if (key is not null)
                {
                    await store.DeleteQuietlyAsync(key);
                }
            }
        }
    }

    /// <summary>A PATCH's target in the shared store: what it stores goes to <see cref="Stored"/>.</summary>
    private interface IPartsTarget : IAppendTarget
    {
        NewParts Stored { get; }
    }

    /// <summary>Plaintext uploads: the bytes go to the part as they come; the head is kept aside for its check.</summary>
    private sealed class PlainPartsTarget : IPartsTarget
    {
        private readonly long _start;
        private readonly byte[] _head;
        private long _position;

        private PlainPartsTarget(SharedUploadStore store, UploadInfo info, byte[] head)
        {
            Stored = new NewParts(store, info.Id);
            _start = info.Offset;
            _position = info.Offset;
            _head = head;
        }

        public NewParts Stored { get; }

        public static async Task<PlainPartsTarget> OpenAsync(SharedUploadStore store, UploadInfo info, IReadOnlyList<string> parts, IncrementalHash? rebuild)
        {
            var headLength = info.ContentName is null ? 0 : (int)Math.Min(info.Length, FileSignatures.HeadLength);
            var head = new byte[headLength];
            var known = (int)Math.Min(info.Offset, headLength);
            if (rebuild is not null || known > 0)
            {
                await using var stored = store.OpenParts([], parts);
                var buffer = ArrayPool<byte>.Shared.Rent(64 * 1024);
                try
                {
                    long read = 0;
                    int n;
                    while ((rebuild is not null || read < known) && (n = await stored.ReadAsync(buffer)) > 0)
                    {
                        var into = (int)Math.Max(0, Math.Min(n, known - read));
                        buffer.AsSpan(0, into).CopyTo(head.AsSpan((int)read));
                        rebuild?.AppendData(buffer, 0, n);
                        read += n;
                    }
                    if (rebuild is not null && read != info.Offset)
                    {
                        throw new InvalidDataException($"The parts of upload '{info.Id}' hold {read} bytes, not {info.Offset}.");
                    }
                }
                finally
                {
                    ArrayPool<byte>.Shared.Return(buffer);
                }
            }
            return new PlainPartsTarget(store, info, head);
        }

        public async ValueTask WriteAsync(ReadOnlyMemory<byte> bytes)
        {
            if (_position < _head.Length)
            {
                var into = (int)Math.Min(bytes.Length, _head.Length - _position);
                bytes.Span[..into].CopyTo(_head.AsSpan((int)_position));
            }
            _position += bytes.Length;
            await Stored.WriteAsync(bytes, _start);
        }

        public ValueTask<byte[]> ReadHeadAsync(int length) => ValueTask.FromResult(_head.AsSpan(0, length).ToArray());

        public Task CommitAsync(long offset, bool complete) => Stored.CompleteAsync();

        public Task DiscardAsync() => Stored.DiscardAsync();

        public async ValueTask DisposeAsync() => await Stored.DiscardAsync();
    }

    /// <summary>
    /// Seals while it writes (<see cref="SealingAppendTarget"/>): whole chunks become records of the part, the partial
    /// last chunk is kept encrypted as the tail object.
    /// </summary>
    private sealed class SealedPartsTarget : SealingAppendTarget, IPartsTarget
    {
        private SealedPartsTarget(SharedUploadStore store, string id, SealedChunkCipher cipher, uint index)
            : base(id, cipher, store._resumeKey, index)
        {
            Stored = new NewParts(store, id);
        }

        public NewParts Stored { get; }

        public static async Task<SealedPartsTarget> OpenAsync(SharedUploadStore store, SharedUpload row, UploadInfo info, IReadOnlyList<string> parts, IncrementalHash? rebuild)
        {
            var sealing = info.Sealing!;
            SealedChunkCipher cipher;
            using (var initial = new MemoryStream(row.Initial, writable: false))
            {
                var header = SealedFileHeader.Read(initial);
                cipher = CipherOf(info, header, initial.Position, store._resumeKey);
            }
            var records = (uint)(info.Offset / sealing.ChunkSize);
            var target = new SealedPartsTarget(store, info.Id, cipher, records);
            try
            {
                if (rebuild is not null)
                {
                    await using var stored = store.OpenParts([], parts);
                    await target.ReplayAsync(stored, records, rebuild);
                }
                var tailLength = (int)(info.Offset % sealing.ChunkSize);
                if (tailLength > 0)
                {
                    await using var tail = await store._files.OpenReadAsync(row.TailKey ?? throw new InvalidDataException($"Sealed upload '{info.Id}' has no tail at {info.Offset}."));
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
            await Stored.CompleteAsync();
            if (!complete && SealedTail(offset) is { IsEmpty: false } tail)
            {
                await Stored.SaveTailAsync(offset, tail);
            }
        }

        public override Task DiscardAsync() => Stored.DiscardAsync();

        public override async ValueTask DisposeAsync()
        {
            await Stored.DiscardAsync();
            await base.DisposeAsync();
        }

        protected override ValueTask WriteRecordAsync(ReadOnlyMemory<byte> record, long chunkStart) => Stored.WriteAsync(record, chunkStart);
    }

    /// <summary>The initial bytes and the parts, read one after the other as one stream.</summary>
    private Stream OpenParts(byte[] initial, IReadOnlyList<string> parts) => new PartsStream(_files, initial, parts);

    /// <summary>The initial bytes and the parts, read one after the other as one stream (read-only, forward only).</summary>
    private sealed class PartsStream(IFileStore files, byte[] initial, IReadOnlyList<string> parts) : Stream
    {
        private int _initialRead;
        private int _next;
        private Stream? _current;

        public override bool CanRead => true;

        public override bool CanSeek => false;

        public override bool CanWrite => false;

        public override long Length => throw new NotSupportedException();

        public override long Position { get => throw new NotSupportedException(); set => throw new NotSupportedException(); }

        public override async ValueTask<int> ReadAsync(Memory<byte> buffer, CancellationToken cancellationToken = default)
        {
            if (buffer.IsEmpty)
            {
                return 0;
            }
            if (_initialRead < initial.Length)
            {
                var take = Math.Min(buffer.Length, initial.Length - _initialRead);
                initial.AsMemory(_initialRead, take).CopyTo(buffer);
                _initialRead += take;
                return take;
            }
            while (true)
            {
                if (_current is null)
                {
                    if (_next == parts.Count)
                    {
                        return 0;
                    }
                    _current = await files.OpenReadAsync(parts[_next++], cancellationToken);
                }
                var read = await _current.ReadAsync(buffer, cancellationToken);
                if (read > 0)
                {
                    return read;
                }
                await _current.DisposeAsync();
                _current = null;
            }
        }

        public override Task<int> ReadAsync(byte[] buffer, int offset, int count, CancellationToken cancellationToken) =>
            ReadAsync(buffer.AsMemory(offset, count), cancellationToken).AsTask();

        public override int Read(byte[] buffer, int offset, int count) => ReadAsync(buffer, offset, count).GetAwaiter().GetResult();

        public override void Flush()
        {
        }

        public override long Seek(long offset, SeekOrigin origin) => throw new NotSupportedException();

        public override void SetLength(long value) => throw new NotSupportedException();

        public override void Write(byte[] buffer, int offset, int count) => throw new NotSupportedException();

        public override async ValueTask DisposeAsync()
        {
            if (_current is not null)
            {
                await _current.DisposeAsync();
                _current = null;
            }
            await base.DisposeAsync();
        }

        protected override void Dispose(bool disposing)
        {
            if (disposing)
            {
                _current?.Dispose();
                _current = null;
            }
            base.Dispose(disposing);
        }
    }
}

using System.Buffers;
using System.Security.Cryptography;
using Pli.Web.Infrastructure.Crypto;

namespace Pli.Web.Features.Uploads;

/// <summary>
/// Seals while it writes (docs/sealed-file-format.md, "Resumable sealed uploads"), the same for every upload store:
/// whole chunks become records, handed to <see cref="WriteRecordAsync"/>; the partial last chunk stays in memory
/// until the commit keeps it encrypted as the tail (<see cref="SealedTail"/>). A full chunk is sealed only when the
/// next byte comes (or at commit), so chunk 0 is still in memory when the head is checked. Memory: one chunk of
/// plaintext and one record, whatever the file's size.
/// </summary>
internal abstract class SealingAppendTarget : IAppendTarget
{
    private readonly SealedChunkCipher _cipher;
    private readonly UploadResumeKey _resumeKey;
    private readonly int _chunkSize;
    private readonly byte[] _plain;
    private readonly byte[] _record;
    private int _buffered;
    private uint _index;

    /// <param name="id">The upload.</param>
    /// <param name="cipher">The file's chunk cipher (owned: disposed with the target).</param>
    /// <param name="resumeKey">What encrypts the tail.</param>
    /// <param name="index">The next chunk's index: the records already stored.</param>
    protected SealingAppendTarget(string id, SealedChunkCipher cipher, UploadResumeKey resumeKey, uint index)
    {
        Id = id;
        _cipher = cipher;
        _resumeKey = resumeKey;
        _chunkSize = cipher.Header.ChunkSize;
        _index = index;
        _plain = ArrayPool<byte>.Shared.Rent(_chunkSize);
        // Big enough for a record (C + 16) and for a tail (C − 1 + 28).
        _record = ArrayPool<byte>.Shared.Rent(_chunkSize + UploadResumeKey.Overhead);
    }

    protected string Id { get; }

    /// <summary>
    /// The cipher of the upload's data key, from its protected copy, once the stored header (of
    /// <paramref name="headerLength"/> bytes) is found to be the info's; the caller owns it.
    /// </summary>
    public static SealedChunkCipher CipherOf(UploadInfo info, SealedFileHeader header, long headerLength, UploadResumeKey resumeKey)
    {
        var sealing = info.Sealing!;
        if (header.KeyId != sealing.KeyId || header.ChunkSize != sealing.ChunkSize || headerLength != sealing.HeaderLength)
        {
            throw new InvalidDataException($"The header of sealed upload '{info.Id}' does not match its info.");
        }
        var dataKey = resumeKey.UnprotectDataKey(info.Id, sealing.ProtectedDataKey);
        try
        {
            return new SealedChunkCipher(header, dataKey);
        }
        finally
        {
            CryptographicOperations.ZeroMemory(dataKey);
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

    public abstract Task CommitAsync(long offset, bool complete);

    public abstract Task DiscardAsync();

    public virtual ValueTask DisposeAsync()
    {
        _cipher.Dispose();
        ArrayPool<byte>.Shared.Return(_plain, clearArray: true);
        ArrayPool<byte>.Shared.Return(_record, clearArray: true);
        return ValueTask.CompletedTask;
    }

    /// <summary>Where a sealed record goes (the data file, a part); the bytes are valid only during the call.</summary>
    protected abstract ValueTask WriteRecordAsync(ReadOnlyMemory<byte> record, long chunkStart);

    /// <summary>What a commit seals: a full chunk still pending, and for a complete file its final chunk (shorter than a chunk, possibly empty).</summary>
    protected async Task SealPendingAsync(bool complete)
    {
        if (_buffered == _chunkSize)
        {
            await SealAsync(final: false);
        }
        if (complete)
        {
            await SealAsync(final: true);
        }
    }

    /// <summary>The partial last chunk encrypted as the tail of <paramref name="offset"/>; empty when there is none.</summary>
    protected ReadOnlyMemory<byte> SealedTail(long offset) =>
        _buffered == 0 ? ReadOnlyMemory<byte>.Empty : _record.AsMemory(0, _resumeKey.SealTail(Id, offset, _plain.AsSpan(0, _buffered), _record));

    /// <summary>Decrypts <paramref name="records"/> stored records, read from <paramref name="stored"/>, one at a time into the hash (a restart, another instance).</summary>
    protected async Task ReplayAsync(Stream stored, uint records, IncrementalHash hash)
    {
        var recordLength = SealedChunkCipher.RecordLength(_chunkSize);
        for (uint index = 0; index < records; index++)
        {
            await stored.ReadExactlyAsync(_record.AsMemory(0, recordLength));
            var length = _cipher.Open(index, final: false, _record.AsSpan(0, recordLength), _plain);
            hash.AppendData(_plain, 0, length);
        }
        CryptographicOperations.ZeroMemory(_plain);
    }

    /// <summary>Takes the tail of <paramref name="offset"/> back into memory, and into <paramref name="rebuild"/> when the hash is being rebuilt.</summary>
    protected async Task LoadTailAsync(Stream tail, long offset, int length, IncrementalHash? rebuild)
    {
        var expected = length + UploadResumeKey.Overhead;
        // One byte more than expected is asked for: a longer tail is as wrong as a shorter one.
        var read = await tail.ReadAtLeastAsync(_record.AsMemory(0, expected + 1), expected + 1, throwOnEndOfStream: false);
        if (read != expected)
        {
            throw new InvalidDataException($"The tail of sealed upload '{Id}' at {offset} is not {expected} bytes.");
        }
        _resumeKey.OpenTail(Id, offset, _record.AsSpan(0, expected), _plain);
        _buffered = length;
        rebuild?.AppendData(_plain, 0, _buffered);
    }

    private async Task SealAsync(bool final)
    {
        var length = _cipher.Seal(_index, final, _plain.AsSpan(0, _buffered), _record);
        await WriteRecordAsync(_record.AsMemory(0, length), _index * (long)_chunkSize);
        CryptographicOperations.ZeroMemory(_plain.AsSpan(0, _buffered));
        _buffered = 0;
        _index++;
    }
}

using Pli.Web.Infrastructure.Crypto;

namespace Pli.Web.Tests.Crypto;

/// <summary>Every alteration of a sealed file is refused. The file: 3 full chunks of 1 KiB and a final chunk of 5 bytes.</summary>
public sealed class SealedFileTamperTests
{
    private readonly byte[] _key = SealedTestFiles.NewDataKey();

    private Task<SealedTestFiles.Sealed> SealAsync() => SealedTestFiles.SealAsync(SealedTestFiles.RandomBytes((3 * SealedTestFiles.SmallChunk) + 5), _key);

    private async Task<SealedFileTamperedException> ReadRefusedAsync(byte[] bytes, byte[]? key = null) =>
        await Assert.ThrowsAsync<SealedFileTamperedException>(() => SealedTestFiles.UnsealAsync(bytes, key ?? _key));

    [Fact]
    public async Task Read_OneCiphertextByteFlipped_IsRefused()
    {
        var sealedFile = await SealAsync();
        sealedFile.Bytes[sealedFile.RecordOffset(1) + 10] ^= 0x01;

        var exception = await ReadRefusedAsync(sealedFile.Bytes);

        Assert.Equal("sealed.authentication-failed", exception.Code);
    }

    [Fact]
    public async Task Read_OneTagByteFlipped_IsRefused()
    {
        var sealedFile = await SealAsync();
        sealedFile.Bytes[sealedFile.RecordOffset(0) + SealedTestFiles.SmallChunk + 3] ^= 0x80;

        var exception = await ReadRefusedAsync(sealedFile.Bytes);

        Assert.Equal("sealed.authentication-failed", exception.Code);
    }

    [Fact]
    public async Task Read_WrappedKeyByteInHeaderChanged_IsRefused()
    {
        var sealedFile = await SealAsync();
        sealedFile.Bytes[sealedFile.HeaderLength - SealedFileFormat.NoncePrefixSize - 1] ^= 0x01;

        var exception = await ReadRefusedAsync(sealedFile.Bytes);

        Assert.Equal("sealed.authentication-failed", exception.Code);
    }

    [Fact]
    public async Task Read_ChunkSizeInHeaderChanged_IsRefused()
    {
        var sealedFile = await SealAsync();
        sealedFile.Bytes[11] ^= 0x01;

        await ReadRefusedAsync(sealedFile.Bytes);
    }

    [Fact]
    public async Task Read_WrongMagic_IsRefused()
    {
        var sealedFile = await SealAsync();
        sealedFile.Bytes[0] = (byte)'X';

        var exception = await ReadRefusedAsync(sealedFile.Bytes);

        Assert.Equal("sealed.bad-magic", exception.Code);
    }

    [Fact]
    public async Task Read_UnknownVersion_IsRefused()
    {
        var sealedFile = await SealAsync();
        sealedFile.Bytes[8] = 2;

        var exception = await ReadRefusedAsync(sealedFile.Bytes);

        Assert.Equal("sealed.unsupported-version", exception.Code);
    }

    [Fact]
    public async Task Read_TwoChunksSwapped_IsRefused()
    {
        var sealedFile = await SealAsync();
        var first = sealedFile.Record(0);
        var second = sealedFile.Record(1);
        second.CopyTo(sealedFile.Bytes, sealedFile.RecordOffset(0));
        first.CopyTo(sealedFile.Bytes, sealedFile.RecordOffset(1));

        var exception = await ReadRefusedAsync(sealedFile.Bytes);

        Assert.Equal("sealed.authentication-failed", exception.Code);
    }

    [Fact]
    public async Task Read_ChunkDuplicated_IsRefused()
    {
        var sealedFile = await SealAsync();
        var bytes = sealedFile.Bytes.Take(sealedFile.RecordOffset(1))
            .Concat(sealedFile.Record(0))
            .Concat(sealedFile.Bytes.Skip(sealedFile.RecordOffset(1)))
            .ToArray();

        var exception = await ReadRefusedAsync(bytes);

        Assert.Equal("sealed.authentication-failed", exception.Code);
    }

    [Fact]
    public async Task Read_LastChunkRemoved_IsRefusedAsTruncated()
    {
        var sealedFile = await SealAsync();
        var bytes = sealedFile.Bytes[..sealedFile.RecordOffset(3)];

        var exception = await ReadRefusedAsync(bytes);

        Assert.Equal("sealed.missing-final-chunk", exception.Code);
    }

    [Fact]
    public async Task Read_EmptyFinalChunkRemoved_IsRefusedAsTruncated()
    {
        var sealedFile = await SealedTestFiles.SealAsync(SealedTestFiles.RandomBytes(2 * SealedTestFiles.SmallChunk), _key);
        var bytes = sealedFile.Bytes[..sealedFile.RecordOffset(2)];

        var exception = await ReadRefusedAsync(bytes);

        Assert.Equal("sealed.missing-final-chunk", exception.Code);
    }

    [Fact]
    public async Task Read_TruncatedMidChunk_IsRefused()
    {
        var sealedFile = await SealAsync();
        var bytes = sealedFile.Bytes[..(sealedFile.RecordOffset(1) + 500)];

        await ReadRefusedAsync(bytes);
    }

    [Fact]
    public async Task Read_TruncatedInsideHeader_IsRefused()
    {
        var sealedFile = await SealAsync();

        var exception = await ReadRefusedAsync(sealedFile.Bytes[..20]);

        Assert.Equal("sealed.bad-header", exception.Code);
    }

    [Theory]
    [InlineData(1)]
    [InlineData(SealedTestFiles.SmallChunk)]
    [InlineData(5 * SealedTestFiles.SmallChunk)]
    public async Task Read_TrailingGarbage_IsRefused(int garbageLength)
    {
        var sealedFile = await SealAsync();
        var bytes = sealedFile.Bytes.Concat(SealedTestFiles.RandomBytes(garbageLength)).ToArray();

        var exception = await ReadRefusedAsync(bytes);

        Assert.Equal("sealed.authentication-failed", exception.Code);
    }

    [Fact]
    public async Task Read_ValidFileFollowedByAnotherValidFile_IsRefused()
    {
        var sealedFile = await SealAsync();
        var bytes = sealedFile.Bytes.Concat(sealedFile.Bytes).ToArray();

        await ReadRefusedAsync(bytes);
    }

    [Fact]
    public async Task Read_WithWrongDataKey_IsRefused()
    {
        var sealedFile = await SealAsync();

        var exception = await ReadRefusedAsync(sealedFile.Bytes, SealedTestFiles.NewDataKey());

        Assert.Equal("sealed.authentication-failed", exception.Code);
    }

    [Fact]
    public async Task Read_Refusal_HasAFrenchMessage()
    {
        var sealedFile = await SealAsync();
        sealedFile.Bytes[^1] ^= 0x01;

        var exception = await ReadRefusedAsync(sealedFile.Bytes);

        Assert.Contains("altéré", exception.Message, StringComparison.Ordinal);
    }
}

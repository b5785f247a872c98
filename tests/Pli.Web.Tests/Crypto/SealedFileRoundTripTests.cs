using System.Security.Cryptography;
using Pli.Web.Infrastructure.Crypto;

namespace Pli.Web.Tests.Crypto;

public sealed class SealedFileRoundTripTests
{
    [Theory]
    [InlineData(0)]
    [InlineData(1)]
    [InlineData(SealedTestFiles.SmallChunk - 1)]
    [InlineData(SealedTestFiles.SmallChunk)]
    [InlineData(SealedTestFiles.SmallChunk + 1)]
    [InlineData((3 * SealedTestFiles.SmallChunk) + 5)]
    public async Task Seal_ThenRead_GivesBackTheSameBytesAndDigest(int size)
    {
        var plaintext = SealedTestFiles.RandomBytes(size);
        var key = SealedTestFiles.NewDataKey();

        var sealedFile = await SealedTestFiles.SealAsync(plaintext, key);
        var (read, readSha256) = await SealedTestFiles.UnsealAsync(sealedFile.Bytes, key);

        Assert.Equal(plaintext, read);
        Assert.Equal(SHA256.HashData(plaintext), sealedFile.PlaintextSha256);
        Assert.Equal(SHA256.HashData(plaintext), readSha256);
        Assert.Equal(size, sealedFile.PlaintextLength);
    }

    [Theory]
    [InlineData(0, 1)]
    [InlineData(SealedTestFiles.SmallChunk, 2)]
    [InlineData((3 * SealedTestFiles.SmallChunk) + 5, 4)]
    public async Task Seal_AlwaysEndsWithAShortFinalChunk(int size, int expectedChunks)
    {
        var sealedFile = await SealedTestFiles.SealAsync(SealedTestFiles.RandomBytes(size), SealedTestFiles.NewDataKey());

        var chunkBytes = sealedFile.Bytes.Length - sealedFile.HeaderLength;

        Assert.Equal(size + (expectedChunks * SealedFileFormat.TagSize), chunkBytes);
    }

    [Fact]
    public async Task Seal_TwentyMebibytesWithDefaultChunks_ReadsBackWholeSyncAndAsync()
    {
        var plaintext = SealedTestFiles.RandomBytes((20 * 1024 * 1024) + 12345);
        var key = SealedTestFiles.NewDataKey();

        var sealedFile = await SealedTestFiles.SealAsync(plaintext, key, SealedFileFormat.DefaultChunkSize);
        var (asyncRead, asyncSha256) = await SealedTestFiles.UnsealAsync(sealedFile.Bytes, key);
        using var syncReader = new SealedFileReader(new MemoryStream(sealedFile.Bytes), key);
        var syncRead = new MemoryStream();
        syncReader.CopyTo(syncRead);

        var expected = SHA256.HashData(plaintext);
        Assert.True(plaintext.AsSpan().SequenceEqual(asyncRead));
        Assert.True(plaintext.AsSpan().SequenceEqual(syncRead.ToArray()));
        Assert.Equal(expected, sealedFile.PlaintextSha256);
        Assert.Equal(expected, asyncSha256);
        Assert.Equal(expected, syncReader.PlaintextSha256);
    }

    [Fact]
    public async Task Seal_SameContentTwice_GivesDifferentCiphertexts()
    {
        var plaintext = SealedTestFiles.RandomBytes(3000);
        var key = SealedTestFiles.NewDataKey();

        var first = await SealedTestFiles.SealAsync(plaintext, key);
        var second = await SealedTestFiles.SealAsync(plaintext, key);

        Assert.NotEqual(first.Bytes, second.Bytes);
    }

    [Fact]
    public async Task Writer_DisposedWithoutComplete_LeavesAFileTheReaderRefuses()
    {
        var key = SealedTestFiles.NewDataKey();
        var output = new MemoryStream();
        await using (var writer = new SealedFileWriter(output, key, "test-key", SealedTestFiles.RandomBytes(384), SealedTestFiles.SmallChunk, leaveOpen: true))
        {
            await writer.WriteAsync(SealedTestFiles.RandomBytes(3000));
        }

        var exception = await Assert.ThrowsAsync<SealedFileTamperedException>(() => SealedTestFiles.UnsealAsync(output.ToArray(), key));
        Assert.Equal("sealed.missing-final-chunk", exception.Code);
    }

    [Fact]
    public async Task Writer_AfterComplete_RefusesMoreData()
    {
        await using var writer = new SealedFileWriter(new MemoryStream(), SealedTestFiles.NewDataKey(), "test-key", SealedTestFiles.RandomBytes(384));
        await writer.CompleteAsync();

        await Assert.ThrowsAsync<InvalidOperationException>(async () => await writer.WriteAsync(new byte[1]));
    }

    [Fact]
    public async Task Writer_BeforeComplete_HasNoDigest()
    {
        await using var writer = new SealedFileWriter(new MemoryStream(), SealedTestFiles.NewDataKey(), "test-key", SealedTestFiles.RandomBytes(384));
        await writer.WriteAsync(new byte[10]);

        Assert.Throws<InvalidOperationException>(() => writer.PlaintextSha256);
    }

    [Fact]
    public async Task Header_ReadBack_NamesTheKeyAndChunkSize()
    {
        var sealedFile = await SealedTestFiles.SealAsync(SealedTestFiles.RandomBytes(10), SealedTestFiles.NewDataKey(), 4096);

        var header = await SealedFileHeader.ReadAsync(new MemoryStream(sealedFile.Bytes));

        Assert.Equal("test-key", header.KeyId);
        Assert.Equal(4096, header.ChunkSize);
        Assert.Equal(384, header.WrappedDataKey.Length);
        Assert.Equal(sealedFile.HeaderLength, header.Bytes.Length);
    }
}

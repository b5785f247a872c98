using System.Security.Cryptography;
using Pli.Web.Infrastructure.Crypto;

namespace Pli.Web.Tests.Crypto;

/// <summary>Seals and unseals byte arrays in memory, and cuts a sealed file into its header and chunk records.</summary>
internal static class SealedTestFiles
{
    public const int SmallChunk = 1024;

    public static byte[] NewDataKey() => RandomNumberGenerator.GetBytes(SealedFileFormat.DataKeySize);

    public static byte[] RandomBytes(int length)
    {
        var bytes = new byte[length];
        Random.Shared.NextBytes(bytes);
        return bytes;
    }

    public static async Task<Sealed> SealAsync(byte[] plaintext, byte[] dataKey, int chunkSize = SmallChunk)
    {
        var output = new MemoryStream();
        await using var writer = new SealedFileWriter(output, dataKey, "test-key", RandomBytes(384), chunkSize, leaveOpen: true);
        // Odd-sized writes, so that chunk boundaries fall inside writes.
        for (var at = 0; at < plaintext.Length; at += 777)
        {
            await writer.WriteAsync(plaintext.AsMemory(at, Math.Min(777, plaintext.Length - at)));
        }
        await writer.CompleteAsync();
        return new Sealed(output.ToArray(), writer.Header.Bytes.Length, chunkSize, writer.PlaintextSha256, writer.PlaintextLength);
    }

    public static async Task<(byte[] Plaintext, byte[] Sha256)> UnsealAsync(byte[] sealedBytes, byte[] dataKey)
    {
        await using var reader = new SealedFileReader(new MemoryStream(sealedBytes), dataKey);
        var plaintext = new MemoryStream();
        await reader.CopyToAsync(plaintext);
        return (plaintext.ToArray(), reader.PlaintextSha256);
    }

    internal sealed record Sealed(byte[] Bytes, int HeaderLength, int ChunkSize, byte[] PlaintextSha256, long PlaintextLength)
    {
        public int RecordLength => ChunkSize + SealedFileFormat.TagSize;

        public int RecordOffset(int index) => HeaderLength + (index * RecordLength);

        public byte[] Record(int index) => Bytes.AsSpan(RecordOffset(index), Math.Min(RecordLength, Bytes.Length - RecordOffset(index))).ToArray();
    }
}

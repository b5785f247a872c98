using Pli.Web.Infrastructure.Crypto;

namespace Pli.Web.Tests.Crypto;

public sealed class SealedFileWriterMemoryTests
{
    [Fact]
    public async Task Write_FiftyMebibytes_AllocatesLessThanTwoMebibytes()
    {
        var slice = SealedTestFiles.RandomBytes(80 * 1024);
        var key = SealedTestFiles.NewDataKey();
        var wrapped = SealedTestFiles.RandomBytes(384);
        const long total = 50L * 1024 * 1024;
        var before = GC.GetAllocatedBytesForCurrentThread();

        await using (var writer = new SealedFileWriter(Stream.Null, key, "test-key", wrapped))
        {
            for (long written = 0; written < total; written += slice.Length)
            {
                await writer.WriteAsync(slice);
            }
            await writer.CompleteAsync();
        }

        var allocated = GC.GetAllocatedBytesForCurrentThread() - before;
        Assert.True(allocated < 2 * 1024 * 1024, $"The writer allocated {allocated} bytes for 50 MiB.");
    }
}

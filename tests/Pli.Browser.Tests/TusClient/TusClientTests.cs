using System.Security.Cryptography;
using Microsoft.Extensions.DependencyInjection;
using Pli.Web.Features.Uploads;

namespace Pli.Browser.Tests.TusClient;

/// <summary>The real tus-js-client (npm, run by Node) against Pli's tus server: a dropped upload resumes.</summary>
public sealed class TusClientTests(TusServerApp app) : IClassFixture<TusServerApp>, IDisposable
{
    private readonly string _work = Directory.CreateTempSubdirectory("pli-tus-client-").FullName;

    [Fact]
    public async Task InterruptedUpload_ResumesFromTheServerOffset_AndStoresTheExactFile()
    {
        var source = Path.Combine(_work, "offre.bin");
        await File.WriteAllBytesAsync(source, RandomNumberGenerator.GetBytes(5 * 1024 * 1024 + 12_345));
        var urls = Path.Combine(_work, "urls.json");
        var token = await TusClientScript.TokenAsync(app.BaseUrl);
        string[] common = ["--endpoint", new Uri(app.BaseUrl, "/api/uploads/").ToString(), "--token", token, "--file", source, "--store", urls];

        var first = await TusClientScript.RunAsync([.. common, "--abort-after", (2 * 1024 * 1024 + 100_000).ToString(System.Globalization.CultureInfo.InvariantCulture)]);
        var store = app.Services.GetRequiredService<IUploadStore>();
        var id = Path.GetFileNameWithoutExtension(Assert.Single(Directory.GetFiles(Path.Combine(app.DataRoot, "files", "uploads"), "*.json")));
        var interrupted = await store.GetInfoAsync(id);
        var second = await TusClientScript.RunAsync(common);

        Assert.Equal("aborted", first.Outcome);
        Assert.Equal(id, first.Id);
        Assert.InRange(interrupted!.Offset, 1, interrupted.Length - 1);
        Assert.Equal("done", second.Outcome);
        Assert.Equal(first.Url, second.ResumedFrom);
        Assert.Equal(first.Url, second.Url);
        Assert.EndsWith("/api/uploads/" + id, second.Url, StringComparison.Ordinal);
        var info = await store.GetInfoAsync(id);
        Assert.True(info!.IsComplete);
        await using var stored = await store.OpenReadAsync(id);
        await using var original = File.OpenRead(source);
        Assert.Equal(await SHA256.HashDataAsync(original), await SHA256.HashDataAsync(stored));
    }

    public void Dispose() => Directory.Delete(_work, recursive: true);
}

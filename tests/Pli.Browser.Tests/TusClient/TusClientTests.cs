using System.Diagnostics;
using System.Net.Http.Json;
using System.Runtime.CompilerServices;
using System.Security.Cryptography;
using System.Text.Json;
using Microsoft.Extensions.DependencyInjection;
using Pli.Web.Features.Demo;
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
        var token = await TokenAsync();
        string[] common = ["--endpoint", new Uri(app.BaseUrl, "/api/uploads/").ToString(), "--token", token, "--file", source, "--store", urls];

        var first = await NodeAsync([.. common, "--abort-after", (2 * 1024 * 1024 + 100_000).ToString(System.Globalization.CultureInfo.InvariantCulture)]);
        var store = app.Services.GetRequiredService<IUploadStore>();
        var id = Path.GetFileNameWithoutExtension(Assert.Single(Directory.GetFiles(Path.Combine(app.DataRoot, "files", "uploads"), "*.json")));
        var interrupted = await store.GetInfoAsync(id);
        var second = await NodeAsync(common);

        Assert.StartsWith("ABORTED ", first, StringComparison.Ordinal);
        Assert.InRange(interrupted!.Offset, 1, interrupted.Length - 1);
        var resumed = Line(second, "RESUMED ");
        Assert.Equal(resumed, Line(second, "DONE "));
        Assert.EndsWith("/api/uploads/" + id, resumed, StringComparison.Ordinal);
        var info = await store.GetInfoAsync(id);
        Assert.True(info!.IsComplete);
        await using var stored = await store.OpenReadAsync(id);
        await using var original = File.OpenRead(source);
        Assert.Equal(await SHA256.HashDataAsync(original), await SHA256.HashDataAsync(stored));
    }

    private async Task<string> TokenAsync()
    {
        using var client = new HttpClient { BaseAddress = app.BaseUrl };
        using var response = await client.PostAsJsonAsync("/api/auth/token", new { email = DemoData.CompanyEmail, password = DemoData.Password });
        response.EnsureSuccessStatusCode();
        return (await response.Content.ReadFromJsonAsync<JsonElement>()).GetProperty("accessToken").GetString()!;
    }

    private static string Line(string output, string prefix) =>
        output.Split('\n').Select(l => l.Trim()).FirstOrDefault(l => l.StartsWith(prefix, StringComparison.Ordinal))?[prefix.Length..]
        ?? throw new Xunit.Sdk.XunitException($"No '{prefix}' line in the client's output:\n{output}");

    /// <summary>Runs upload.mjs; fails with Node's stderr when it exits badly or hangs.</summary>
    private static async Task<string> NodeAsync(IEnumerable<string> arguments)
    {
        var start = new ProcessStartInfo("/usr/bin/env")
        {
            WorkingDirectory = ScriptDirectory(),
            RedirectStandardOutput = true,
            RedirectStandardError = true,
            UseShellExecute = false,
        };
        start.ArgumentList.Add("node");
        start.ArgumentList.Add("upload.mjs");
        foreach (var argument in arguments)
        {
            start.ArgumentList.Add(argument);
        }
        using var node = Process.Start(start)!;
        var stdout = node.StandardOutput.ReadToEndAsync();
        var stderr = node.StandardError.ReadToEndAsync();
        using var timeout = new CancellationTokenSource(TimeSpan.FromSeconds(60));
        try
        {
            await node.WaitForExitAsync(timeout.Token);
        }
        catch (OperationCanceledException)
        {
            node.Kill(entireProcessTree: true);
            throw new Xunit.Sdk.XunitException($"node upload.mjs timed out.\nstdout: {await stdout}\nstderr: {await stderr}");
        }
        if (node.ExitCode != 0)
        {
            throw new Xunit.Sdk.XunitException($"node upload.mjs exited with {node.ExitCode} (run `npm ci` in TusClient?).\nstdout: {await stdout}\nstderr: {await stderr}");
        }
        return await stdout;
    }

    private static string ScriptDirectory([CallerFilePath] string path = "") => Path.GetDirectoryName(path)!;

    public void Dispose() => Directory.Delete(_work, recursive: true);
}

using System.Diagnostics;
using System.Net.Http.Json;
using System.Runtime.CompilerServices;
using System.Text.Json;
using Pli.Web.Features.Demo;

namespace Pli.Browser.Tests.TusClient;

/// <summary>What one run of upload.mjs printed: how it ended, the upload's URL, and the error tus-js-client raised.</summary>
public sealed record TusClientRun(string Outcome, string? Url, string? ResumedFrom, long Sent, string? Message, int? Status, string? Body)
{
    public string Id => Url is null ? throw new Xunit.Sdk.XunitException($"No upload URL in {this}") : Url[(Url.LastIndexOf('/') + 1)..];
}

/// <summary>Runs upload.mjs (the real tus-js-client under Node) and reads the JSON line it prints.</summary>
public static class TusClientScript
{
    private static readonly JsonSerializerOptions Json = new(JsonSerializerDefaults.Web);

    public static async Task<string> TokenAsync(Uri baseUrl, string email = DemoData.CompanyEmail, string password = DemoData.Password)
    {
        using var client = new HttpClient { BaseAddress = baseUrl };
        using var response = await client.PostAsJsonAsync("/api/auth/token", new { email, password });
        response.EnsureSuccessStatusCode();
        return (await response.Content.ReadFromJsonAsync<JsonElement>()).GetProperty("accessToken").GetString()!;
    }

    /// <summary>
    /// Runs the script; fails with Node's output when it hangs, exits for another reason than the outcome
    /// it printed (0 for aborted or done, 1 for error), or prints no result.
    /// </summary>
    public static async Task<TusClientRun> RunAsync(IEnumerable<string> arguments)
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
        using var timeout = new CancellationTokenSource(TimeSpan.FromSeconds(120));
        try
        {
            await node.WaitForExitAsync(timeout.Token);
        }
        catch (OperationCanceledException)
        {
            node.Kill(entireProcessTree: true);
            throw new Xunit.Sdk.XunitException($"node upload.mjs timed out.\nstdout: {await stdout}\nstderr: {await stderr}");
        }
        var output = await stdout;
        var line = output.Split('\n').Select(l => l.Trim()).LastOrDefault(l => l.StartsWith('{'));
        var run = line is null ? null : JsonSerializer.Deserialize<TusClientRun>(line, Json);
        var expectedExit = run?.Outcome == "error" ? 1 : 0;
        if (run is null || node.ExitCode != expectedExit)
        {
            throw new Xunit.Sdk.XunitException($"node upload.mjs exited with {node.ExitCode} (run `npm ci` in TusClient?).\nstdout: {output}\nstderr: {await stderr}");
        }
        return run;
    }

    private static string ScriptDirectory([CallerFilePath] string path = "") => Path.GetDirectoryName(path)!;
}

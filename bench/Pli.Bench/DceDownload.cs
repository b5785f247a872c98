using System.Diagnostics;
using System.Globalization;
using System.Net;
using System.Text.RegularExpressions;
using Pli.Web.Features.Demo;

/// <summary>
/// DCE download benchmark: one DCE file of N MiB, downloaded as the streamed zip over real Kestrel
/// by a signed-in company, while the process's memory is sampled.
/// </summary>
internal static class DceDownload
{
    public static async Task<int> RunAsync(string[] args)
    {
        var mebibytes = args.Length > 0 ? int.Parse(args[0], CultureInfo.InvariantCulture) : 1024;
        using var app = new BenchApp();
        var baseUrl = app.StartOnKestrel();
        var consultationId = await app.SeedBigDceAsync(mebibytes);

        using var handler = new HttpClientHandler { CookieContainer = new CookieContainer(), AllowAutoRedirect = false };
        using var client = new HttpClient(handler) { BaseAddress = baseUrl, Timeout = TimeSpan.FromMinutes(30) };
        await SignInAsync(client);

        Collect();
        var baseline = Process.GetCurrentProcess().WorkingSet64;
        var allocatedBefore = GC.GetTotalAllocatedBytes(precise: true);
        long peak = baseline;
        using var sampling = new CancellationTokenSource();
        var sampler = Task.Run(async () =>
        {
            while (!sampling.IsCancellationRequested)
            {
                var process = Process.GetCurrentProcess();
                peak = Math.Max(peak, process.WorkingSet64);
                await Task.Delay(50);
            }
        });

        var clock = Stopwatch.StartNew();
        using var response = await client.GetAsync($"/consultations/{consultationId}/dce/zip", HttpCompletionOption.ResponseHeadersRead);
        response.EnsureSuccessStatusCode();
        await using var body = await response.Content.ReadAsStreamAsync();
        var buffer = new byte[81920];
        long received = 0;
        int read;
        while ((read = await body.ReadAsync(buffer)) > 0)
        {
            received += read;
        }
        clock.Stop();
        await sampling.CancelAsync();
        await sampler;

        var allocated = GC.GetTotalAllocatedBytes(precise: true) - allocatedBefore;
        Console.WriteLine(string.Create(CultureInfo.InvariantCulture,
            $"DCE of {mebibytes} MiB as a streamed zip: {received / 1048576.0:F0} MiB in {clock.Elapsed.TotalSeconds:F1} s = {received / 1048576.0 / clock.Elapsed.TotalSeconds:F0} MiB/s; " +
            $"working set {baseline / 1048576.0:F0} MiB before, peak {peak / 1048576.0:F0} MiB during (+{(peak - baseline) / 1048576.0:F0} MiB); " +
            $"managed allocations during the download {allocated / 1048576.0:F1} MiB (client and server in one process)"));
        return 0;
    }

    private static void Collect()
    {
        GC.Collect();
        GC.WaitForPendingFinalizers();
        GC.Collect();
    }

    private static async Task SignInAsync(HttpClient client)
    {
        var form = await client.GetStringAsync("/compte/connexion");
        var token = Regex.Match(form, "name=\"__RequestVerificationToken\" type=\"hidden\" value=\"([^\"]+)\"").Groups[1].Value;
        using var content = new FormUrlEncodedContent(new Dictionary<string, string>
        {
            ["Email"] = DemoData.CompanyEmail,
            ["Password"] = DemoData.Password,
            ["__RequestVerificationToken"] = token,
        });
        using var response = await client.PostAsync("/compte/connexion", content);
        if (response.StatusCode != HttpStatusCode.Redirect)
        {
            throw new InvalidOperationException("Sign-in failed: " + response.StatusCode);
        }
    }
}

/// <summary>Incompressible bytes without holding them: a PDF-named file is stored, not deflated, in the zip.</summary>
internal sealed class PseudoRandomStream(long length) : Stream
{
    private readonly Random _random = new(42);
    private long _position;

    public override bool CanRead => true;
    public override bool CanSeek => false;
    public override bool CanWrite => false;
    public override long Length => length;
    public override long Position { get => _position; set => throw new NotSupportedException(); }

    public override int Read(byte[] buffer, int offset, int count)
    {
        var n = (int)Math.Min(count, length - _position);
        _random.NextBytes(buffer.AsSpan(offset, n));
        _position += n;
        return n;
    }

    public override void Flush() { }
    public override long Seek(long offset, SeekOrigin origin) => throw new NotSupportedException();
    public override void SetLength(long value) => throw new NotSupportedException();
    public override void Write(byte[] buffer, int offset, int count) => throw new NotSupportedException();
}

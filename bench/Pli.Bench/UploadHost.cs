using System.Globalization;
using System.Net.Http.Headers;
using System.Net.Http.Json;
using System.Runtime.InteropServices;
using System.Text.Json;
using Pli.Web.Features.Demo;

/// <summary>
/// Pli's tus deposit endpoint for the shared upload harness (shared/bench/tus-client.mjs, run-all.sh): Pli on
/// real Kestrel with its own folders and SQLite, benchmark consultations accepting the harness's extension,
/// a bearer token of the demo company and one draft deposit per run. The uploads take the real path: admission,
/// content check, sealing, SHA-256, fsync before each acknowledged offset, hand-over to the deposit.
/// Prints one JSON line (url, pid, token, drafts, the tus-client arguments), then serves until --max-seconds
/// have passed or SIGTERM/SIGINT comes.
/// </summary>
internal static class UploadHost
{
    public static async Task<int> RunAsync(string[] args)
    {
        var drafts = 4;
        var extension = ".bin";
        var maxSeconds = 1800;
        var settings = new Dictionary<string, string?>
        {
            // The deposit limits as in production (2 GiB a file, 8 GiB a pli): 4 x 1 GiB fits in one draft.
            ["Deposits:MaxFileSize"] = (2L << 30).ToString(CultureInfo.InvariantCulture),
            ["Deposits:MaxDepositSize"] = (8L << 30).ToString(CultureInfo.InvariantCulture),
            ["Uploads:MaxSize"] = (2L << 30).ToString(CultureInfo.InvariantCulture),
        };
        for (var i = 0; i + 1 < args.Length; i += 2)
        {
            switch (args[i])
            {
                case "--drafts": drafts = int.Parse(args[i + 1], CultureInfo.InvariantCulture); break;
                case "--extension": extension = args[i + 1]; break;
                case "--max-seconds": maxSeconds = int.Parse(args[i + 1], CultureInfo.InvariantCulture); break;
                case "--setting" when args[i + 1].Split('=', 2) is [var key, var value]: settings[key] = value; break;
                default: throw new ArgumentException($"Unknown option {args[i]}; expected --drafts N, --extension .ext, --max-seconds S, --setting Key=Value.");
            }
        }

        using var stop = new CancellationTokenSource(TimeSpan.FromSeconds(maxSeconds));
        using var sigterm = PosixSignalRegistration.Create(PosixSignal.SIGTERM, c => { c.Cancel = true; stop.Cancel(); });
        using var sigint = PosixSignalRegistration.Create(PosixSignal.SIGINT, c => { c.Cancel = true; stop.Cancel(); });

        using var app = new BenchApp(settings);
        var baseUrl = app.StartOnKestrel();
        using var client = new HttpClient { BaseAddress = baseUrl };
        var token = await TokenAsync(client);
        client.DefaultRequestHeaders.Authorization = new AuthenticationHeaderValue("Bearer", token);

        // A company has one draft per consultation, and a name is unique in an envelope: one consultation
        // and one draft per run keep every run's four names free.
        var draftIds = new List<Guid>();
        for (var run = 0; run < drafts; run++)
        {
            var consultationId = await app.SeedDepositConsultationAsync($"BENCH-UPLOAD-{run}", [extension]);
            draftIds.Add(await StartDraftAsync(client, consultationId));
        }

        var uploadUrl = new Uri(baseUrl, "/api/uploads/");
        var metadata = $"--header \"Authorization: Bearer {token}\" --metadata deposit=DRAFT --metadata envelope=offre --metadata filename=bench-{{i}}{extension}";
        Console.WriteLine(JsonSerializer.Serialize(new
        {
            listening = true,
            url = uploadUrl,
            pid = Environment.ProcessId,
            token,
            envelope = "offre",
            filename = $"bench-{{i}}{extension}",
            drafts = draftIds,
            tusClientArgs = metadata,
            maxSeconds,
            settings,
            // What the process holds before the first byte: the harness's peak RSS includes it.
            startupPeakRssMiB = PeakRssMiB(),
        }));
        Console.Out.Flush();

        try
        {
            await Task.Delay(Timeout.Infinite, stop.Token);
        }
        catch (OperationCanceledException)
        {
            // --max-seconds elapsed or a signal came: the app and its folders are disposed below.
        }
        return 0;
    }

    private static double PeakRssMiB()
    {
        var line = File.ReadLines("/proc/self/status").FirstOrDefault(l => l.StartsWith("VmHWM:", StringComparison.Ordinal));
        return line is null ? double.NaN : Math.Round(long.Parse(line.Split(' ', StringSplitOptions.RemoveEmptyEntries)[1], CultureInfo.InvariantCulture) / 1024.0, 1);
    }

    private static async Task<string> TokenAsync(HttpClient client)
    {
        using var response = await client.PostAsJsonAsync("/api/auth/token", new { email = DemoData.CompanyEmail, password = DemoData.Password });
        response.EnsureSuccessStatusCode();
        using var json = JsonDocument.Parse(await response.Content.ReadAsStringAsync());
        return json.RootElement.GetProperty("accessToken").GetString()!;
    }

    private static async Task<Guid> StartDraftAsync(HttpClient client, Guid consultationId)
    {
        using var response = await client.PostAsJsonAsync($"/api/consultations/{consultationId}/deposits", new { mode = "Solo", candidatureType = "Standard", lots = Array.Empty<int>() });
        response.EnsureSuccessStatusCode();
        using var json = JsonDocument.Parse(await response.Content.ReadAsStringAsync());
        return json.RootElement.GetProperty("id").GetGuid();
    }
}

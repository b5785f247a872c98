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
/// <para>
/// With <c>--role ingest --ingest-dll path/Pli.Web.dll</c> the uploads go to a second process instead: the real
/// Pli.Web.dll started with <c>Pli:Role=Ingest</c> (Production, Local upload store) over this host's database and
/// folders, as an ingest instance beside an All instance on one machine. This host (the All role, in the test
/// fixture) still seeds, signs in and answers <c>GET /api/deposits/{id}</c>; the JSON line names the ingest
/// process in <c>serverPid</c>, whose peak RSS the harness then measures. Environment for that process only:
/// <c>--ingest-env NAME=VALUE</c> (e.g. <c>DOTNET_gcServer=0</c>), repeatable.
/// </para>
/// </summary>
internal static class UploadHost
{
    public static async Task<int> RunAsync(string[] args)
    {
        var drafts = 4;
        var extension = ".bin";
        var maxSeconds = 1800;
        var role = "all";
        string? ingestDll = null;
        var ingestEnvironment = new Dictionary<string, string>();
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
                case "--role" when args[i + 1] is "all" or "ingest": role = args[i + 1]; break;
                case "--ingest-dll": ingestDll = Path.GetFullPath(args[i + 1]); break;
                case "--ingest-env" when args[i + 1].Split('=', 2) is [var name, var value]: ingestEnvironment[name] = value; break;
                default: throw new ArgumentException($"Unknown option {args[i]}; expected --drafts N, --extension .ext, --max-seconds S, --setting Key=Value, --role all|ingest, --ingest-dll PATH, --ingest-env NAME=VALUE.");
            }
        }

        using var stop = new CancellationTokenSource(TimeSpan.FromSeconds(maxSeconds));
        using var sigterm = PosixSignalRegistration.Create(PosixSignal.SIGTERM, c => { c.Cancel = true; stop.Cancel(); });
        using var sigint = PosixSignalRegistration.Create(PosixSignal.SIGINT, c => { c.Cancel = true; stop.Cancel(); });

        if (role == "ingest" && (ingestDll is null || !File.Exists(ingestDll)))
        {
            throw new ArgumentException($"--role ingest needs --ingest-dll naming a built Pli.Web.dll (not found: {ingestDll}).");
        }

        using var app = new BenchApp(settings);
        if (role == "ingest")
        {
            // The ingest process reads the system clock: the fixture's fake clock starts there too, so that the
            // drafts' deadlines lie ahead of both. (It stands still afterwards: tokens stay valid 15 minutes of real time.)
            app.Time.SetUtcNow(TimeProvider.System.GetUtcNow());
        }
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

        using var ingest = role == "ingest" ? await IngestProcess.StartAsync(ingestDll!, app, settings, ingestEnvironment, stop.Token) : null;
        var uploadUrl = new Uri(ingest?.BaseUrl ?? baseUrl, "/api/uploads/");
        var metadata = $"--header \"Authorization: Bearer {token}\" --metadata deposit=DRAFT --metadata envelope=offre --metadata filename=bench-{{i}}{extension}";
        Console.WriteLine(JsonSerializer.Serialize(new
        {
            listening = true,
            url = uploadUrl,
            pid = Environment.ProcessId,
            // The process that receives the uploads: this one, or the ingest process.
            serverPid = ingest?.Pid ?? Environment.ProcessId,
            role,
            // Where the rest of the API is (the deposits read back for their digests).
            api = baseUrl,
            token,
            envelope = "offre",
            filename = $"bench-{{i}}{extension}",
            drafts = draftIds,
            tusClientArgs = metadata,
            maxSeconds,
            settings,
            // What the process holds before the first byte: the harness's peak RSS includes it.
            startupPeakRssMiB = ingest is null ? PeakRssMiB() : PeakRssMiB(ingest.Pid),
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

    internal static double PeakRssMiB(int? pid = null)
    {
        var line = File.ReadLines($"/proc/{(pid is { } id ? id.ToString(CultureInfo.InvariantCulture) : "self")}/status").FirstOrDefault(l => l.StartsWith("VmHWM:", StringComparison.Ordinal));
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

/// <summary>
/// The real Pli.Web.dll in the ingest role (<c>Pli:Role=Ingest</c>, Production, Local upload store) over the
/// folders and the SQLite database of a <see cref="BenchApp"/>, on a free loopback port; killed on dispose.
/// </summary>
internal sealed class IngestProcess : IDisposable
{
    private readonly System.Diagnostics.Process _process;

    private IngestProcess(System.Diagnostics.Process process, Uri baseUrl)
    {
        _process = process;
        BaseUrl = baseUrl;
    }

    public Uri BaseUrl { get; }

    public int Pid => _process.Id;

    public static async Task<IngestProcess> StartAsync(string dll, BenchApp app, IReadOnlyDictionary<string, string?> settings, IReadOnlyDictionary<string, string> environment, CancellationToken cancellationToken)
    {
        int port;
        using (var probe = new System.Net.Sockets.TcpListener(System.Net.IPAddress.Loopback, 0))
        {
            probe.Start();
            port = ((System.Net.IPEndPoint)probe.LocalEndpoint).Port;
        }
        var baseUrl = new Uri($"http://127.0.0.1:{port}/");
        var start = new System.Diagnostics.ProcessStartInfo("dotnet") { WorkingDirectory = Path.GetDirectoryName(dll)!, UseShellExecute = false };
        start.ArgumentList.Add(dll);
        var configuration = new Dictionary<string, string?>(settings)
        {
            ["Pli:Role"] = "Ingest",
            ["Data:Provider"] = "Sqlite",
            ["Data:ConnectionString"] = $"Data Source={Path.Combine(app.DataRoot, "pli.db")}",
            ["Storage:RootPath"] = Path.Combine(app.DataRoot, "files"),
            ["Mail:PickupDirectory"] = app.MailDirectory,
            // Production wants the master key itself: the one the fixture generated for this data root.
            ["Crypto:MasterKey"] = Convert.ToBase64String(File.ReadAllBytes(Path.Combine(app.DataRoot, "crypto", "master-key.dev"))),
            ["Crypto:PrivateKeyIterations"] = "100000",
            ["Security:SecureCookies"] = "false",
        };
        start.Environment["ASPNETCORE_ENVIRONMENT"] = "Production";
        start.Environment["ASPNETCORE_URLS"] = baseUrl.ToString().TrimEnd('/');
        foreach (var (key, value) in configuration)
        {
            start.Environment[key.Replace(":", "__", StringComparison.Ordinal)] = value;
        }
        foreach (var (name, value) in environment)
        {
            start.Environment[name] = value;
        }
        var process = System.Diagnostics.Process.Start(start) ?? throw new InvalidOperationException($"dotnet {dll} did not start.");
        var ingest = new IngestProcess(process, baseUrl);
        using var client = new HttpClient { BaseAddress = baseUrl, Timeout = TimeSpan.FromSeconds(5) };
        for (var attempt = 0; attempt < 300; attempt++)
        {
            if (process.HasExited)
            {
                break;
            }
            try
            {
                using var health = await client.GetAsync("/health", cancellationToken);
                if (health.IsSuccessStatusCode)
                {
                    return ingest;
                }
            }
            catch (HttpRequestException)
            {
                // Not listening yet.
            }
            await Task.Delay(200, cancellationToken);
        }
        ingest.Dispose();
        throw new InvalidOperationException($"The ingest process (dotnet {dll}) did not answer /health.");
    }

    public void Dispose()
    {
        if (!_process.HasExited)
        {
            _process.Kill(entireProcessTree: true);
            _process.WaitForExit(10_000);
        }
        _process.Dispose();
    }
}

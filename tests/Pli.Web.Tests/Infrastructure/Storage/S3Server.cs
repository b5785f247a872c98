using System.Diagnostics;
using System.Globalization;
using System.Net;
using System.Net.Sockets;
using System.Runtime.CompilerServices;
using System.Text;
using Pli.Web.Infrastructure.Storage;

namespace Pli.Web.Tests.Infrastructure.Storage;

/// <summary>
/// One real S3-compatible server for the whole test run: s3rver under Node (tests/S3Server, installed by
/// `npm ci --prefix tests/S3Server`), on a free loopback port, its objects in a temp folder. Started by the first
/// test that asks, killed when the test process exits; each test class takes a bucket of its own.
/// </summary>
public sealed class S3Server
{
    /// <summary>s3rver's one account.</summary>
    public const string AccessKey = "S3RVER";
    public const string SecretKey = "S3RVER";

    private static readonly Lazy<Task<S3Server>> Instance = new(StartAsync);

    private readonly Process _process;
    private readonly StringBuilder _output = new();

    private S3Server(Process process, string directory, int port)
    {
        _process = process;
        Directory = directory;
        ServiceUrl = $"http://127.0.0.1:{port.ToString(CultureInfo.InvariantCulture)}";
    }

    public static Task<S3Server> SharedAsync() => Instance.Value;

    public static S3Server Shared => SharedAsync().GetAwaiter().GetResult();

    public string ServiceUrl { get; }

    /// <summary>Where s3rver keeps its buckets (pending multipart uploads under {bucket}/._S3rver_uploads).</summary>
    public string Directory { get; }

    public static string NewBucketName() => "pli-test-" + Guid.NewGuid().ToString("N")[..16];

    /// <summary>Settings of an S3 store in a fresh bucket of this server, created on first use.</summary>
    public S3StorageOptions Options(string bucket, int partSize = S3StorageOptions.MinimumPartSize)
    {
        RequireRunning();
        return new()
        {
            ServiceUrl = ServiceUrl,
            Bucket = bucket,
            AccessKey = AccessKey,
            SecretKey = SecretKey,
            PartSize = partSize,
            CreateBucket = true,
            TimeoutSeconds = 30,
        };
    }

    /// <summary>The same, as the app's configuration.</summary>
    public IDictionary<string, string?> Settings(string bucket, int partSize = S3StorageOptions.MinimumPartSize)
    {
        RequireRunning();
        return new Dictionary<string, string?>
        {
            ["Storage:Provider"] = "S3",
            ["Storage:S3:ServiceUrl"] = ServiceUrl,
            ["Storage:S3:Bucket"] = bucket,
            ["Storage:S3:AccessKey"] = AccessKey,
            ["Storage:S3:SecretKey"] = SecretKey,
            ["Storage:S3:PartSize"] = partSize.ToString(CultureInfo.InvariantCulture),
            ["Storage:S3:CreateBucket"] = "true",
            ["Storage:S3:TimeoutSeconds"] = "30",
        };
    }

    private static async Task<S3Server> StartAsync()
    {
        var script = Path.Combine(RepositoryRoot(), "tests", "S3Server", "server.js");
        if (!System.IO.Directory.Exists(Path.Combine(Path.GetDirectoryName(script)!, "node_modules", "s3rver")))
        {
            throw new InvalidOperationException("s3rver is not installed: run `npm ci --prefix tests/S3Server` (tests/run-all.sh does).");
        }
        var directory = Path.Combine(Path.GetTempPath(), "pli-s3rver-" + Guid.NewGuid().ToString("N")[..12]);
        System.IO.Directory.CreateDirectory(directory);
        var port = FreePort();
        var start = new ProcessStartInfo("node")
        {
            ArgumentList = { script, "--directory", directory, "--address", "127.0.0.1", "--port", port.ToString(CultureInfo.InvariantCulture), "--exit-with-stdin", "true" },
            // server.js stops when its stdin closes: when this process ends, even killed without ProcessExit.
            RedirectStandardInput = true,
            RedirectStandardOutput = true,
            RedirectStandardError = true,
            UseShellExecute = false,
        };
        var process = Process.Start(start) ?? throw new InvalidOperationException("node did not start.");
        var server = new S3Server(process, directory, port);
        process.OutputDataReceived += (_, e) => server.Keep(e.Data);
        process.ErrorDataReceived += (_, e) => server.Keep(e.Data);
        process.BeginOutputReadLine();
        process.BeginErrorReadLine();
        AppDomain.CurrentDomain.ProcessExit += (_, _) => server.Stop();
        await server.WaitUntilReadyAsync();
        return server;
    }

    /// <summary>A server that stopped says why (its output), rather than leaving the tests to "connection refused".</summary>
    private void RequireRunning()
    {
        if (_process.HasExited)
        {
            throw new InvalidOperationException($"s3rver stopped (exit code {_process.ExitCode}):\n{Output}");
        }
    }

    private async Task WaitUntilReadyAsync()
    {
        using var http = new HttpClient { Timeout = TimeSpan.FromSeconds(2) };
        var deadline = Stopwatch.StartNew();
        while (deadline.Elapsed < TimeSpan.FromSeconds(30))
        {
            if (_process.HasExited)
            {
                break;
            }
            try
            {
                // Unsigned: s3rver answers 403 AccessDenied, which is an answer.
                using var response = await http.GetAsync(new Uri(ServiceUrl + "/"));
                if (response.StatusCode is HttpStatusCode.OK or HttpStatusCode.Forbidden)
                {
                    return;
                }
            }
            catch (HttpRequestException)
            {
                // Not listening yet.
            }
            await Task.Delay(100);
        }
        Stop();
        throw new InvalidOperationException($"s3rver did not answer on {ServiceUrl}.\n{Output}");
    }

    public string Output
    {
        get
        {
            lock (_output)
            {
                return _output.ToString();
            }
        }
    }

    private void Keep(string? line)
    {
        if (line is not null)
        {
            lock (_output)
            {
                _output.AppendLine(line);
            }
        }
    }

    private void Stop()
    {
        try
        {
            if (!_process.HasExited)
            {
                _process.Kill(entireProcessTree: true);
                _process.WaitForExit(5000);
            }
            System.IO.Directory.Delete(Directory, recursive: true);
        }
        catch (Exception e) when (e is IOException or InvalidOperationException or UnauthorizedAccessException)
        {
            // The test process is leaving: a temp folder left behind is harmless.
        }
    }

    private static int FreePort()
    {
        using var listener = new TcpListener(IPAddress.Loopback, 0);
        listener.Start();
        return ((IPEndPoint)listener.LocalEndpoint).Port;
    }

    private static string RepositoryRoot([CallerFilePath] string path = "") =>
        Path.GetFullPath(Path.Combine(Path.GetDirectoryName(path)!, "..", "..", "..", ".."));
}

using Microsoft.AspNetCore.Hosting;
using Microsoft.AspNetCore.Hosting.Server;
using Microsoft.AspNetCore.Hosting.Server.Features;
using Microsoft.AspNetCore.Mvc.Testing;
using Microsoft.Extensions.Configuration;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.DependencyInjection.Extensions;
using Microsoft.Extensions.Time.Testing;
using MimeKit;
using Npgsql;
using Pli.Web.Infrastructure.Data;
using Pli.Web.Infrastructure.Mail;

namespace Pli.Web.Tests.Infrastructure;

/// <summary>
/// Pli hosted in memory on its own database and folders, with a fake clock. The demo data is
/// seeded (so tests can sign in as the demo agent and company); each test class gets its own app.
/// </summary>
public abstract class PliApp : WebApplicationFactory<Program>
{
    /// <summary>Monday 1 June 2026, 10:00 in Paris: demo deadlines fall weeks later.</summary>
    public static readonly DateTimeOffset Start = new(2026, 6, 1, 8, 0, 0, TimeSpan.Zero);

    protected PliApp()
        : this(null)
    {
    }

    /// <param name="sharedDataRoot">
    /// The folders (database, files, keys) of an earlier app, to start over them as a restarted process
    /// would; null for fresh ones. The app deletes its folders on dispose only when <see cref="OwnsDataRoot"/>.
    /// </param>
    /// <param name="smtp">The SMTP server of an earlier app (a restarted process sends to the same server); null for a new one.</param>
    protected PliApp(string? sharedDataRoot, SmtpSink? smtp = null)
    {
        DataRoot = sharedDataRoot ?? Path.Combine(Path.GetTempPath(), "pli-tests", Guid.NewGuid().ToString("N"));
        OwnsDataRoot = sharedDataRoot is null;
        OwnsSmtp = smtp is null;
        Smtp = smtp ?? SmtpSink.StartAsync().GetAwaiter().GetResult();
    }

    /// <summary>The SMTP server Pli sends to, running in the test process.</summary>
    public SmtpSink Smtp { get; }

    private bool OwnsSmtp { get; }

    public FakeTimeProvider Time { get; } = new(Start);
    public string DataRoot { get; }

    /// <summary>Whether disposing the app deletes <see cref="DataRoot"/> (an app handing its folders over to the next one does not).</summary>
    protected bool OwnsDataRoot { get; set; }
    public string MailDirectory => Path.Combine(DataRoot, "mail");

    /// <summary>
    /// Whether the outbox's background worker runs. Off by default so that <see cref="Mails"/> sends the
    /// outbox itself and sees every mail; tests of the worker turn it on.
    /// </summary>
    protected virtual bool OutboxWorker => false;

    public abstract DatabaseProvider Provider { get; }

    /// <summary>Extra configuration a test class needs (e.g. a low rate limit).</summary>
    protected virtual IDictionary<string, string?> Settings => new Dictionary<string, string?>();

    protected abstract string ConnectionString { get; }

    protected override void ConfigureWebHost(IWebHostBuilder builder)
    {
        Directory.CreateDirectory(DataRoot);
        builder.UseEnvironment("Testing");
        var settings = new Dictionary<string, string?>
        {
            ["Data:Provider"] = Provider.ToString(),
            ["Data:ConnectionString"] = ConnectionString,
            ["Storage:RootPath"] = Path.Combine(DataRoot, "files"),
            ["Mail:PickupDirectory"] = MailDirectory,
            ["Mail:Smtp:Host"] = "127.0.0.1",
            ["Mail:Smtp:Port"] = Smtp.Port.ToString(System.Globalization.CultureInfo.InvariantCulture),
            ["Mail:Smtp:Security"] = "None",
            ["Mail:Smtp:TimeoutSeconds"] = "10",
            ["Mail:Outbox:WorkerEnabled"] = OutboxWorker ? "true" : "false",
            ["Mail:Outbox:PollMilliseconds"] = "100",
            // Digest tests run the digest themselves, on the fake clock.
            ["Alerts:WorkerEnabled"] = "false",
            // Audit tests chain the trail themselves.
            ["Audit:ChainWorkerEnabled"] = "false",
            // Receipt tests finish incomplete receipts themselves.
            ["Deposits:ReceiptCompletionWorkerEnabled"] = "false",
            ["Timestamping:KeyPath"] = Path.Combine(DataRoot, "tsa"),
            ["Crypto:DevelopmentKeyFile"] = Path.Combine(DataRoot, "crypto", "master-key.dev"),
            ["Platform:PublicBaseUrl"] = "https://localhost",
            ["Demo:Seed"] = "true",
            ["Demo:ClosingSoon"] = "false",
            ["Security:AuthenticationPermitsPerMinute"] = "10000",
            // Portal tests count consultations: the permanent test consultation is asked for where a test needs it.
            ["Deposits:TestConsultation"] = "false",
            // Consultation key pairs in tests: the lowest PBKDF2 count allowed keeps them fast.
            ["Crypto:PrivateKeyIterations"] = "100000",
        };
        foreach (var (key, value) in Settings)
        {
            settings[key] = value;
        }
        builder.UseSetting("Data:Provider", Provider.ToString());
        builder.ConfigureAppConfiguration(c => c.AddInMemoryCollection(settings));
        foreach (var (key, value) in settings)
        {
            builder.UseSetting(key, value);
        }
        builder.ConfigureServices(services =>
        {
            services.RemoveAll<TimeProvider>();
            services.AddSingleton<TimeProvider>(Time);
        });
    }

    /// <summary>
    /// Starts Pli on a free Kestrel port on loopback, for clients outside the process (Chromium, Node,
    /// a benchmark's HttpClient), and returns its base URL.
    /// </summary>
    public Uri StartOnKestrel()
    {
        UseKestrel(0);
        StartServer();
        var address = Services.GetRequiredService<IServer>().Features.Get<IServerAddressesFeature>()!.Addresses.First();
        _kestrel = new Uri(address.Replace("[::]", "127.0.0.1", StringComparison.Ordinal).Replace("0.0.0.0", "127.0.0.1", StringComparison.Ordinal));
        return _kestrel;
    }

    private Uri? _kestrel;

    /// <summary>Where test clients send their requests: the in-memory server over https like production, or Kestrel once started.</summary>
    public Uri ClientBaseAddress => _kestrel ?? new Uri("https://localhost");

    /// <summary>A client that keeps cookies and does not follow redirects, over https like production.</summary>
    public TestBrowser Browser() => new(_kestrel is { } kestrel
        // On Kestrel the factory's client follows redirects whatever it is told: a plain socket client here.
        ? new HttpClient(new HttpClientHandler { AllowAutoRedirect = false, UseCookies = true, CookieContainer = new System.Net.CookieContainer() }) { BaseAddress = kestrel }
        : CreateClient(new WebApplicationFactoryClientOptions
        {
            BaseAddress = ClientBaseAddress,
            AllowAutoRedirect = false,
            HandleCookies = true,
        }), this);

    /// <summary>Runs <paramref name="action"/> on a fresh DbContext of the app.</summary>
    public async Task<T> WithDb<T>(Func<PliDbContext, Task<T>> action)
    {
        await using var scope = Services.CreateAsyncScope();
        return await action(scope.ServiceProvider.GetRequiredService<PliDbContext>());
    }

    public async Task WithDb(Func<PliDbContext, Task> action)
    {
        await using var scope = Services.CreateAsyncScope();
        await action(scope.ServiceProvider.GetRequiredService<PliDbContext>());
    }

    /// <summary>Sends what the outbox holds due now, then returns every mail the SMTP server received, oldest first.</summary>
    public IReadOnlyList<MimeMessage> Mails()
    {
        if (!OutboxWorker)
        {
            SendOutbox();
        }
        return Smtp.Received;
    }

    /// <summary>What the outbox's worker does on each round, run now.</summary>
    public int SendOutbox() => Services.GetRequiredService<OutboxDispatcher>().DispatchDueAsync().GetAwaiter().GetResult();

    public IReadOnlyList<MimeMessage> MailsTo(string address) =>
        [.. Mails().Where(m => m.To.Mailboxes.Any(b => string.Equals(b.Address, address, StringComparison.OrdinalIgnoreCase)))];

    protected override void Dispose(bool disposing)
    {
        base.Dispose(disposing);
        if (disposing && OwnsSmtp)
        {
            Smtp.DisposeAsync().AsTask().GetAwaiter().GetResult();
        }
        if (disposing && OwnsDataRoot)
        {
            try
            {
                Directory.Delete(DataRoot, recursive: true);
            }
            catch (IOException)
            {
                // A file still held open by a finished request is harmless in a temp folder.
            }
        }
    }
}

public class SqliteApp : PliApp
{
    public SqliteApp()
    {
    }

    protected SqliteApp(string? sharedDataRoot, SmtpSink? smtp = null)
        : base(sharedDataRoot, smtp)
    {
    }

    public override DatabaseProvider Provider => DatabaseProvider.Sqlite;

    protected override string ConnectionString => $"Data Source={Path.Combine(DataRoot, "pli.db")}";
}

/// <summary>
/// A fresh database on the PostgreSQL server named by PLI_TEST_POSTGRES (default: a local server
/// with user pli/pli, as .ci/run sets up), dropped when the app is disposed.
/// </summary>
public class PostgresApp : PliApp
{
    private readonly string _database = "pli_test_" + Guid.NewGuid().ToString("N")[..12];

    public static string ServerConnectionString =>
        Environment.GetEnvironmentVariable("PLI_TEST_POSTGRES") ?? "Host=127.0.0.1;Port=5432;Username=pli;Password=pli;Database=postgres";

    public override DatabaseProvider Provider => DatabaseProvider.PostgreSql;

    protected override string ConnectionString => new NpgsqlConnectionStringBuilder(ServerConnectionString) { Database = _database, Pooling = false }.ConnectionString;

    protected override void Dispose(bool disposing)
    {
        base.Dispose(disposing);
        if (disposing)
        {
            PostgresTestDatabase.Drop(_database);
        }
    }
}

/// <summary>
/// PostgreSQL and an S3 bucket of its own on the test run's s3rver (<see cref="Storage.S3Server"/>): the
/// production topology. Uploads in progress stay on local disk; what <c>IFileStore</c> keeps goes to S3.
/// Subclasses adding settings start from <c>base.Settings</c>.
/// </summary>
public class PostgresS3App : PostgresApp
{
    public string Bucket { get; } = Storage.S3Server.NewBucketName();

    protected override IDictionary<string, string?> Settings => Storage.S3Server.Shared.Settings(Bucket);
}

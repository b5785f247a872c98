using System.Diagnostics;
using System.Globalization;
using Microsoft.AspNetCore.Identity;
using Microsoft.EntityFrameworkCore;
using Microsoft.Extensions.DependencyInjection;
using Pli.Domain.Companies;
using Pli.Domain.Consultations;
using Pli.Web.Features.Demo;
using Pli.Web.Features.Notices;
using Pli.Web.Infrastructure.Data;
using Pli.Web.Infrastructure.Mail;
using Pli.Web.Tests.Infrastructure;

/// <summary>
/// Notice fan-out benchmark on PostgreSQL: a consultation with N identified downloaders (N companies, one
/// user each, a download and a follower line each); the agent moves its deadline through the notices service
/// (the modification page's coordinator), which records the change and its N mails in one save; then the
/// outbox is sent to the test suite's SMTP server, as the worker's rounds do, until every mail is accepted.
/// </summary>
internal static class FanoutBench
{
    public static async Task<int> RunAsync(string[] args)
    {
        var downloaders = args.Length > 0 && args[0] != "--one-connection-per-mail" ? int.Parse(args[0], CultureInfo.InvariantCulture) : 10_000;
        // The dispatcher before it kept one connection per batch: the transport's own one-mail SendAsync, a connection each.
        var oneByOne = args.Contains("--one-connection-per-mail");
        using var app = new BenchPostgresApp(new Dictionary<string, string?> { ["Logging:LogLevel:Default"] = "Warning" },
            oneByOne ? s => s.Decorate() : null);
        Console.WriteLine(oneByOne ? "transport: one SMTP connection per mail (as before)" : "transport: one SMTP connection per dispatch batch");
        app.StartOnKestrel();
        // SIGTERM (fanout.sh's MAX_SECONDS) stops and disposes the app's host under this code: say so, rather than
        // die of an ObjectDisposedException in the dispatcher as the first 10,000 run did.
        var stopping = app.Services.GetRequiredService<Microsoft.Extensions.Hosting.IHostApplicationLifetime>().ApplicationStopping;
        try
        {
            return await RunAsync(app, downloaders, stopping);
        }
        catch (Exception e) when (stopping.IsCancellationRequested && e is ObjectDisposedException or OperationCanceledException)
        {
            Console.WriteLine("stopped: the process was asked to stop (SIGTERM, e.g. the time limit MAX_SECONDS of fanout.sh) before the end");
            return 2;
        }
    }

    private static async Task<int> RunAsync(BenchPostgresApp app, int downloaders, CancellationToken stopping)
    {
        var clock = Stopwatch.StartNew();
        var consultationId = await SeedAsync(app, downloaders);
        Console.WriteLine(string.Create(CultureInfo.InvariantCulture, $"seeded a consultation with {downloaders} identified downloaders in {clock.Elapsed.TotalSeconds:F1} s"));
        var sinkBefore = app.Smtp.Received.Count;

        await using var memory = new MemorySampler();
        var (enqueueSeconds, told) = await EnqueueAsync(app, consultationId);
        var enqueuePeak = memory.TakePeak();
        var pending = await app.WithDb(db => db.OutboxMails.CountAsync(m => m.Status == OutboxMailStatus.Pending));
        Console.WriteLine(string.Create(CultureInfo.InvariantCulture,
            $"enqueue: deadline moved, {told} people told, {pending} mails pending, in {enqueueSeconds:F2} s; working set {memory.Baseline / 1048576.0:F0} MiB before, peak {enqueuePeak / 1048576.0:F0} MiB"));

        var dispatcher = app.Services.GetRequiredService<OutboxDispatcher>();
        clock.Restart();
        var sent = 0;
        var rounds = 0;
        while (true)
        {
            var accepted = await dispatcher.DispatchDueAsync(stopping);
            rounds++;
            sent += accepted;
            if (accepted == 0)
            {
                break;
            }
        }
        clock.Stop();
        var deliveryPeak = memory.TakePeak();
        var received = app.Smtp.Received.Count - sinkBefore;
        var failed = await app.WithDb(db => db.OutboxMails.CountAsync(m => m.Status != OutboxMailStatus.Sent));
        Console.WriteLine(string.Create(CultureInfo.InvariantCulture,
            $"delivery: {sent} accepted ({received} received by the sink, {failed} not sent) in {clock.Elapsed.TotalSeconds:F1} s = {sent / clock.Elapsed.TotalSeconds:F0} mails/s " +
            $"({rounds} rounds of DispatchDueAsync); working set peak {deliveryPeak / 1048576.0:F0} MiB (the sink keeps every message it received, in the same process)"));
        return sent == told && received == told ? 0 : 1;
    }

    private static async Task<(double Seconds, int Told)> EnqueueAsync(PliApp app, Guid consultationId)
    {
        await using var scope = app.Services.CreateAsyncScope();
        var services = scope.ServiceProvider;
        var users = services.GetRequiredService<UserManager<PliUser>>();
        var agent = await users.FindByEmailAsync(DemoData.AgentEmail) ?? throw new InvalidOperationException("no demo agent");
        var principal = await services.GetRequiredService<IUserClaimsPrincipalFactory<PliUser>>().CreateAsync(agent);
        var db = services.GetRequiredService<PliDbContext>();
        var notices = services.GetRequiredService<ConsultationNotices>();

        var clock = Stopwatch.StartNew();
        // What the modification page's "report" handler does: load the consultation, let the domain move the deadline, publish.
        var consultation = await db.Consultations.Include(c => c.Lots).Include(c => c.Modifications).SingleAsync(c => c.Id == consultationId);
        var latest = await notices.LatestDepositAsync(consultationId, CancellationToken.None);
        var modification = consultation.ChangeDeadline(consultation.DeadlineUtc.AddDays(7), latest, notices.NowUtc);
        var told = await notices.PublishAsync(consultation, modification, principal);
        clock.Stop();
        return (clock.Elapsed.TotalSeconds, told);
    }

    /// <summary>A published consultation of the demo agent's organisation, downloaded identified by N companies.</summary>
    private static async Task<Guid> SeedAsync(PliApp app, int downloaders)
    {
        var cpv = app.Services.GetRequiredService<CpvCatalog>();
        var now = app.Time.GetUtcNow().UtcDateTime;
        var consultationId = await app.WithDb(async db =>
        {
            var agent = await db.Users.SingleAsync(u => u.Email == DemoData.AgentEmail);
            var details = new ConsultationDetails("FANOUT-" + downloaders, "Réhabilitation du groupe scolaire", "Banc de mesure des avis.",
                ProcedureType.AppelOffresOuvert, Nature.Travaux, cpv.Require("45000000-7"), "Marseille", now.AddDays(30), now.AddDays(20), FilePolicy.DefaultAcceptedFormats);
            var consultation = Consultation.CreateDraft(agent.OrganisationId!.Value, details, now);
            consultation.AddDceFile("RC.pdf", 123_456, new string('0', 64), "dce/bench/rc", now);
            consultation.Publish(now);
            db.Consultations.Add(consultation);
            await db.SaveChangesAsync();
            return consultation.Id;
        });
        const int batch = 1000;
        for (var done = 0; done < downloaders; done += batch)
        {
            await app.WithDb(async db =>
            {
                db.ChangeTracker.AutoDetectChangesEnabled = false;
                for (var i = done; i < Math.Min(downloaders, done + batch); i++)
                {
                    var company = Company.CreateForeign($"Entreprise {i:D5}", "BE", $"BE0{i:D9}", new Address($"{i} rue de la Loi", "1000", "Bruxelles", "BE"), now);
                    var email = string.Create(CultureInfo.InvariantCulture, $"contact{i:D5}@entreprise-{i:D5}.localhost");
                    var user = new PliUser
                    {
                        Id = Guid.NewGuid(), UserName = email, NormalizedUserName = email.ToUpperInvariant(), Email = email, NormalizedEmail = email.ToUpperInvariant(),
                        EmailConfirmed = true, FullName = $"Contact {i:D5}", CompanyId = company.Id, IsCompanyAdmin = true, CreatedUtc = now,
                        SecurityStamp = Guid.NewGuid().ToString("N"), ConcurrencyStamp = Guid.NewGuid().ToString("N"),
                    };
                    db.Companies.Add(company);
                    db.Users.Add(user);
                    db.DceDownloads.Add(Pli.Domain.Dce.DceDownload.Identified(consultationId, user.Id, company.Id, Pli.Domain.Dce.DceDownload.WholeDce, now));
                    db.ConsultationFollowers.Add(new Pli.Domain.Dce.ConsultationFollower(consultationId, company.Id, now));
                }
                db.ChangeTracker.DetectChanges();
                await db.SaveChangesAsync();
            });
        }
        await app.WithDb(db => db.Database.ExecuteSqlRawAsync("VACUUM ANALYZE"));
        return consultationId;
    }

    /// <summary>Hides the transport's sessions: every mail goes through its one-mail SendAsync.</summary>
    private static void Decorate(this IServiceCollection services)
    {
        var real = services.Last(d => d.ServiceType == typeof(IMailTransport));
        services.Remove(real);
        services.AddSingleton<IMailTransport>(sp => new OneConnectionPerMail((IMailTransport)real.ImplementationFactory!(sp)));
    }

    private sealed class OneConnectionPerMail(IMailTransport inner) : IMailTransport
    {
        public Task SendAsync(MimeKit.MimeMessage message, CancellationToken cancellationToken) => inner.SendAsync(message, cancellationToken);
    }

    /// <summary>The process's working set, sampled every 20 ms.</summary>
    private sealed class MemorySampler : IAsyncDisposable
    {
        private readonly CancellationTokenSource _stop = new();
        private readonly Task _sampling;
        private long _peak;

        public MemorySampler()
        {
            GC.Collect();
            GC.WaitForPendingFinalizers();
            GC.Collect();
            Baseline = Process.GetCurrentProcess().WorkingSet64;
            _peak = Baseline;
            _sampling = Task.Run(async () =>
            {
                while (!_stop.IsCancellationRequested)
                {
                    using var process = Process.GetCurrentProcess();
                    Interlocked.Exchange(ref _peak, Math.Max(Interlocked.Read(ref _peak), process.WorkingSet64));
                    await Task.Delay(20);
                }
            });
        }

        public long Baseline { get; }

        /// <summary>The peak since the last call.</summary>
        public long TakePeak()
        {
            using var process = Process.GetCurrentProcess();
            return Math.Max(Interlocked.Exchange(ref _peak, process.WorkingSet64), process.WorkingSet64);
        }

        public async ValueTask DisposeAsync()
        {
            await _stop.CancelAsync();
            await _sampling;
            _stop.Dispose();
        }
    }
}

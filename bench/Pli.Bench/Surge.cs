using System.Diagnostics;
using System.Globalization;
using System.Net;
using System.Net.Http.Headers;
using System.Net.Http.Json;
using System.Security.Cryptography;
using System.Text;
using System.Text.Json;
using Microsoft.AspNetCore.Hosting;
using Microsoft.AspNetCore.Identity;
using Microsoft.AspNetCore.TestHost;
using Microsoft.EntityFrameworkCore;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.DependencyInjection.Extensions;
using Npgsql;
using Pli.Domain.Companies;
using Pli.Domain.Consultations;
using Pli.Domain.Deposits;
using Pli.Web.Features.Deposits;
using Pli.Web.Features.Deposits.Receipts;
using Pli.Web.Infrastructure.Data;
using Pli.Web.Infrastructure.Storage;
using Pli.Web.Tests.Features.Account;
using Pli.Web.Tests.Infrastructure;

/// <summary>
/// The deadline surge (issue 6): N companies each start a deposit, send 3 files of 1–5 MB with tus and seal
/// it at a planned instant spread over [deadline − 55 s, deadline + 5 s], while the real clock crosses the
/// deadline. Pli runs on real Kestrel on PostgreSQL (or SQLite) with TimeProvider.System, the outbox and
/// audit-chain workers on, as in production; the load client is this process (HttpClient, one tus client
/// per company, at most --concurrency companies uploading at once; seals are not throttled).
/// Of the late companies, half have a file whose transmission started before the deadline and ended after
/// (sealed "hors délai", IsLate), half had everything received before (refused: deposit.deadline-passed).
/// Afterwards every company is checked from the database and through the API, every receipt's RFC 3161
/// token is verified; one JSON line and a summary are printed; the exit code is 1 when an invariant fails.
/// </summary>
internal static class Surge
{
    private const string Extension = ".bin";

    public static async Task<int> RunAsync(string[] args)
    {
        var o = SurgeOptions.Parse(args);
        using var stop = new CancellationTokenSource(TimeSpan.FromSeconds(o.MaxSeconds));
        var total = Stopwatch.StartNew();
        var settings = new Dictionary<string, string?>
        {
            ["Security:SecureCookies"] = "false",
            // Production runs both workers: their work competes with the seals for the CPU and the database.
            ["Mail:Outbox:WorkerEnabled"] = "true",
            ["Mail:Outbox:PollMilliseconds"] = "1000",
            ["Audit:ChainWorkerEnabled"] = "true",
        };
        using PliApp app = o.Provider == "sqlite" ? new SurgeSqliteApp(settings) : new SurgePostgresApp(settings);
        var baseUrl = app.StartOnKestrel();
        using var client = new HttpClient(new SocketsHttpHandler { MaxConnectionsPerServer = 1024, PooledConnectionLifetime = TimeSpan.FromMinutes(10) })
        {
            BaseAddress = baseUrl,
            Timeout = TimeSpan.FromSeconds(o.MaxSeconds),
        };
        Log($"Pli on {baseUrl} ({o.Provider}), seeding {o.Companies} companies");

        var seedWatch = Stopwatch.StartNew();
        var companies = await SeedCompaniesAsync(app, o.Companies);
        Log($"companies stored in {seedWatch.Elapsed.TotalSeconds:F1} s");
        await SignInAllAsync(client, companies, stop.Token);
        var clock = TimeProvider.System;
        var start = clock.GetUtcNow();
        // Whole milliseconds, as the horodatage is kept.
        var deadline = new DateTimeOffset(start.UtcTicks - (start.UtcTicks % TimeSpan.TicksPerSecond), TimeSpan.Zero).AddSeconds(o.LeadSeconds);
        var consultationId = await SeedConsultationAsync(app, deadline.UtcDateTime);
        // The consultation's key pair is made by its first draft, days before a real deadline; N first drafts at
        // once would each generate one (RSA + PBKDF2, about a second each) and all but one be thrown away.
        await using (var scope = app.Services.CreateAsyncScope())
        {
            await scope.ServiceProvider.GetRequiredService<ConsultationKeyStore>().EnsureAsync(consultationId, stop.Token);
        }
        Log($"seeded in {seedWatch.Elapsed.TotalSeconds:F1} s; deadline {deadline:HH:mm:ss.fff} UTC (in {(deadline - clock.GetUtcNow()).TotalSeconds:F1} s)");

        // Company i seals at deadline − 55 s + i × 60 s / N: the last 5 s of the window are after the deadline.
        var random = new Random(o.Seed);
        foreach (var (company, i) in companies.Select((c, i) => (c, i)))
        {
            company.PlannedSeal = deadline.AddSeconds(-o.WindowSeconds + o.LateSeconds + (o.WindowSeconds * (i + 0.5) / o.Companies));
            company.Kind = company.PlannedSeal <= deadline ? SurgeKind.OnTime : (i % 2 == 0 ? SurgeKind.LateUnderWay : SurgeKind.LateRefused);
            company.FileSizes = [.. Enumerable.Range(0, 3).Select(_ => random.Next(o.MinBytes, o.MaxBytes + 1))];
        }
        var shared = new byte[o.MaxBytes];
        new Random(o.Seed + 1).NextBytes(shared);

        // Started in this order, they take the upload slots in it (SemaphoreSlim serves async waiters first come,
        // first served): late companies first, as their last file must start before the deadline.
        using var uploadSlots = new SemaphoreSlim(o.Concurrency);
        var runWatch = Stopwatch.StartNew();
        // Client and server share this process's thread pool: a queue that grows says requests wait for a thread, not for work.
        var poolSamples = new List<(int Threads, long Pending)>();
        using var sampler = new Timer(_ => { lock (poolSamples) { poolSamples.Add((ThreadPool.ThreadCount, ThreadPool.PendingWorkItemCount)); } }, null, 0, 500);
        var tasks = companies.OrderBy(c => c.Kind == SurgeKind.OnTime).ThenBy(c => c.PlannedSeal)
            .Select(c => RunCompanyAsync(client, c, consultationId, deadline, shared, uploadSlots, clock, stop.Token)).ToList();
        await Task.WhenAll(tasks);
        var runSeconds = runWatch.Elapsed.TotalSeconds;
        await sampler.DisposeAsync();
        Log($"all {companies.Count} companies done in {runSeconds:F1} s; verifying");
        foreach (var c in companies.Where(c => c.Error is not null).Take(5))
        {
            Log($"company {c.Index}: {c.Error}");
        }

        var verdict = await VerifyAsync(app, client, companies, consultationId, deadline, stop.Token);
        var sealedLatencies = companies.Where(c => c.SealStatus == 200).Select(c => c.SealLatency.TotalMilliseconds).Order().ToList();
        var allLatencies = companies.Where(c => c.SealStatus > 0).Select(c => c.SealLatency.TotalMilliseconds).Order().ToList();
        var beforeHorodatage = companies.Where(c => c.SealedAt is not null).Select(c => (c.SealedAt!.Value - c.SealSent).TotalMilliseconds).Order().ToList();
        var afterHorodatage = companies.Where(c => c.SealedAt is not null).Select(c => (c.SealAnswered - c.SealedAt!.Value).TotalMilliseconds).Order().ToList();
        var uploadedBytes = companies.Where(c => c.UploadsDone is not null).Sum(c => c.FileSizes.Sum(s => (long)s));
        // The late companies' last halves wait for the deadline on purpose: the rate is the on-time ones'.
        var uploadLatest = companies.Where(c => c.Kind == SurgeKind.OnTime).Select(c => c.UploadsDone ?? start).DefaultIfEmpty(start).Max();
        var result = new
        {
            bench = "deadline-surge",
            provider = o.Provider,
            companies = o.Companies,
            concurrency = o.Concurrency,
            fileMB = $"{o.MinBytes / 1e6:0.#}-{o.MaxBytes / 1e6:0.#}",
            uploadedMB = Math.Round(uploadedBytes / 1e6, 1),
            uploadMBps = Math.Round(uploadedBytes / 1e6 / Math.Max(0.001, (uploadLatest - start).TotalSeconds), 1),
            deadlineUtc = deadline,
            accounted = verdict.Accounted,
            onTimeSealed = companies.Count(c => c.SealStatus == 200 && c.SealedLate == false),
            lateSealed = companies.Count(c => c.SealStatus == 200 && c.SealedLate == true),
            lateRefused = companies.Count(c => c.RefusalCode is not null),
            // Planned on time, refused because the request or the uploads took them past the deadline.
            onTimeRefused = companies.Count(c => c.RefusalCode is not null && c.Kind == SurgeKind.OnTime),
            receiptsVerified = verdict.ReceiptsVerified,
            lost = verdict.Lost,
            misclassified = verdict.Misclassified,
            failedRequests = companies.Count(c => c.Error is not null),
            sealsDelayedByUpload = companies.Count(c => c.SealSent - c.PlannedSeal > TimeSpan.FromMilliseconds(100)),
            sealMs = Percentiles(sealedLatencies),
            allSealRequestsMs = Percentiles(allLatencies),
            sendToHorodatageMs = Percentiles(beforeHorodatage),
            horodatageToAnswerMs = Percentiles(afterHorodatage),
            threadPool = new
            {
                maxThreads = poolSamples.Max(p => p.Threads),
                maxPending = poolSamples.Max(p => p.Pending),
                medianPending = poolSamples.Select(p => p.Pending).Order().ElementAt(poolSamples.Count / 2),
            },
            partsMs = await ProfileSealPartsAsync(app, consultationId, stop.Token),
            p99Under1s = sealedLatencies.Count > 0 && Percentile(sealedLatencies, 0.99) < 1000,
            runSeconds = Math.Round(runSeconds, 1),
            totalSeconds = Math.Round(total.Elapsed.TotalSeconds, 1),
            ok = verdict.Failures.Count == 0,
            failures = verdict.Failures.Take(20).ToList(),
        };
        Console.WriteLine(JsonSerializer.Serialize(result));
        Console.WriteLine($"""
            Deadline surge on {o.Provider}: {o.Companies} companies, 3 files each, {result.uploadedMB} MB uploaded in full ({result.uploadMBps} MB/s until the last on-time upload), deadline {deadline:HH:mm:ss} UTC
              accounted {result.accounted}/{o.Companies}: {result.onTimeSealed} sealed on time, {result.lateSealed} sealed late (flagged), {result.lateRefused} refused after the deadline ({result.onTimeRefused} of them planned on time)
              receipts verified {result.receiptsVerified}, lost {result.lost}, misclassified {result.misclassified}, failed requests {result.failedRequests}, seals delayed by their uploads {result.sealsDelayedByUpload}
              seal latency (2xx) p50 {result.sealMs.p50} ms, p95 {result.sealMs.p95} ms, p99 {result.sealMs.p99} ms, max {result.sealMs.max} ms (target p99 < 1000 ms: {(result.p99Under1s ? "met" : "MISSED")})
              of which send→horodatage p50 {result.sendToHorodatageMs.p50} / p99 {result.sendToHorodatageMs.p99} ms, horodatage→answer p50 {result.horodatageToAnswerMs.p50} / p99 {result.horodatageToAnswerMs.p99} ms
              thread pool during the run: {JsonSerializer.Serialize(result.threadPool)}
              the parts of a seal, alone after the run (median ms): {JsonSerializer.Serialize(result.partsMs)}
              run {result.runSeconds} s, total {result.totalSeconds} s: {(result.ok ? "all invariants hold" : $"{verdict.Failures.Count} INVARIANT FAILURES")}
            """);
        foreach (var failure in verdict.Failures.Take(20))
        {
            Console.WriteLine("  ! " + failure);
        }
        return result.ok ? 0 : 1;
    }

    private static async Task RunCompanyAsync(HttpClient client, SurgeCompany c, Guid consultationId, DateTimeOffset deadline, byte[] shared,
        SemaphoreSlim slots, TimeProvider clock, CancellationToken cancellationToken)
    {
        try
        {
            await slots.WaitAsync(cancellationToken);
            var pending = default((string Location, byte[] Bytes, int Offset)?);
            try
            {
                c.DepositId = await StartDraftAsync(client, c, consultationId, cancellationToken);
                for (var f = 0; f < 3; f++)
                {
                    var content = FileBytes(shared, c.Index, f, c.FileSizes[f]);
                    c.FileSha256[f] = Convert.ToHexStringLower(SHA256.HashData(content));
                    var envelope = f == 0 ? "candidature" : "offre";
                    var location = await CreateUploadAsync(client, c, envelope, $"piece-{f}{Extension}", content.Length, cancellationToken);
                    if (f == 2 && c.Kind == SurgeKind.LateUnderWay)
                    {
                        // Half now, the rest after the deadline: the transmission is under way when the clock crosses it.
                        var half = content.Length / 2;
                        await PatchAsync(client, c, location, content.AsMemory(0, half), 0, cancellationToken);
                        pending = (location, content, half);
                    }
                    else
                    {
                        await PatchAsync(client, c, location, content, 0, cancellationToken);
                    }
                }
            }
            finally
            {
                slots.Release();
            }
            if (pending is var (pendingLocation, rest, offset))
            {
                var resume = deadline + ((c.PlannedSeal - deadline) / 3);
                await DelayUntilAsync(clock, resume, cancellationToken);
                await PatchAsync(client, c, pendingLocation, rest.AsMemory(offset), offset, cancellationToken);
            }
            c.UploadsDone = clock.GetUtcNow();
            await DelayUntilAsync(clock, c.PlannedSeal, cancellationToken);
            await SealAsync(client, c, clock, cancellationToken);
        }
        catch (SurgeRefusal refusal)
        {
            c.RefusalCode = refusal.Code;
            c.SealAnswered = clock.GetUtcNow();
        }
        catch (Exception e) when (e is HttpRequestException or InvalidOperationException or OperationCanceledException or JsonException)
        {
            c.Error ??= $"{e.GetType().Name}: {e.Message}";
        }
    }

    private static async Task DelayUntilAsync(TimeProvider clock, DateTimeOffset instant, CancellationToken cancellationToken)
    {
        var wait = instant - clock.GetUtcNow();
        if (wait > TimeSpan.Zero)
        {
            await Task.Delay(wait, clock, cancellationToken);
        }
    }

    /// <summary>A file of its own: the shared random bytes, with the company and file numbers in its first 8 bytes.</summary>
    private static byte[] FileBytes(byte[] shared, int company, int file, int size)
    {
        var bytes = shared.AsSpan(0, size).ToArray();
        BitConverter.TryWriteBytes(bytes.AsSpan(0, 4), company);
        BitConverter.TryWriteBytes(bytes.AsSpan(4, 4), file);
        return bytes;
    }

    private static HttpRequestMessage Request(HttpMethod method, string url, SurgeCompany c)
    {
        var request = new HttpRequestMessage(method, url);
        request.Headers.Authorization = new AuthenticationHeaderValue("Bearer", c.Token);
        return request;
    }

    private static async Task<Guid> StartDraftAsync(HttpClient client, SurgeCompany c, Guid consultationId, CancellationToken cancellationToken)
    {
        using var request = Request(HttpMethod.Post, $"/api/consultations/{consultationId}/deposits", c);
        request.Content = JsonContent.Create(new { mode = "Solo", candidatureType = "Standard", lots = Array.Empty<int>() });
        using var response = await client.SendAsync(request, cancellationToken);
        await EnsureAsync(response, "start draft");
        using var json = JsonDocument.Parse(await response.Content.ReadAsStringAsync(cancellationToken));
        return json.RootElement.GetProperty("id").GetGuid();
    }

    private static async Task<string> CreateUploadAsync(HttpClient client, SurgeCompany c, string envelope, string name, long length, CancellationToken cancellationToken)
    {
        static string B64(string value) => Convert.ToBase64String(Encoding.UTF8.GetBytes(value));
        using var request = Request(HttpMethod.Post, "/api/uploads/", c);
        request.Headers.Add("Tus-Resumable", "1.0.0");
        request.Headers.Add("Upload-Length", length.ToString(CultureInfo.InvariantCulture));
        request.Headers.Add("Upload-Metadata", $"deposit {B64(c.DepositId.ToString())},envelope {B64(envelope)},filename {B64(name)}");
        using var response = await client.SendAsync(request, cancellationToken);
        await EnsureAsync(response, "tus create");
        return response.Headers.Location?.ToString() ?? throw new InvalidOperationException("tus create: no Location");
    }

    private static async Task PatchAsync(HttpClient client, SurgeCompany c, string location, ReadOnlyMemory<byte> bytes, long offset, CancellationToken cancellationToken)
    {
        using var request = Request(HttpMethod.Patch, location, c);
        request.Headers.Add("Tus-Resumable", "1.0.0");
        request.Headers.Add("Upload-Offset", offset.ToString(CultureInfo.InvariantCulture));
        request.Content = new ReadOnlyMemoryContent(bytes);
        request.Content.Headers.ContentType = new MediaTypeHeaderValue("application/offset+octet-stream");
        using var response = await client.SendAsync(request, cancellationToken);
        await EnsureAsync(response, "tus patch");
        if (response.Headers.TryGetValues("Upload-Offset", out var values) && long.Parse(values.First(), CultureInfo.InvariantCulture) != offset + bytes.Length)
        {
            throw new InvalidOperationException($"tus patch: offset {values.First()}, expected {offset + bytes.Length}");
        }
    }

    private static async Task SealAsync(HttpClient client, SurgeCompany c, TimeProvider clock, CancellationToken cancellationToken)
    {
        using var request = Request(HttpMethod.Post, $"/api/deposits/{c.DepositId}/seal", c);
        request.Content = JsonContent.Create(new { acceptTerms = true });
        c.SealSent = clock.GetUtcNow();
        var watch = Stopwatch.StartNew();
        using var response = await client.SendAsync(request, cancellationToken);
        var body = await response.Content.ReadAsStringAsync(cancellationToken);
        c.SealLatency = watch.Elapsed;
        c.SealAnswered = clock.GetUtcNow();
        c.SealStatus = (int)response.StatusCode;
        using var json = body.Length > 0 ? JsonDocument.Parse(body) : null;
        if (response.StatusCode == HttpStatusCode.OK && json is not null)
        {
            c.SealedAt = json.RootElement.GetProperty("receivedAt").GetDateTimeOffset();
            c.SealedLate = json.RootElement.GetProperty("late").GetBoolean();
            c.ReceiptSha256 = json.RootElement.GetProperty("receiptSha256").GetString();
        }
        else if (json?.RootElement.TryGetProperty("code", out var code) == true)
        {
            c.RefusalCode = code.GetString();
        }
        else
        {
            c.Error = $"seal: {(int)response.StatusCode} {body[..Math.Min(body.Length, 200)]}";
        }
    }

    private static async Task EnsureAsync(HttpResponseMessage response, string what)
    {
        if (!response.IsSuccessStatusCode)
        {
            var body = await response.Content.ReadAsStringAsync();
            foreach (var code in new[] { "deposit.upload-after-deadline", "deposit.deadline-passed" })
            {
                if (response.StatusCode == HttpStatusCode.BadRequest && body.Contains($"\"code\":\"{code}\"", StringComparison.Ordinal))
                {
                    throw new SurgeRefusal(code);
                }
            }
            throw new InvalidOperationException($"{what}: {(int)response.StatusCode} {body[..Math.Min(body.Length, 300)]}");
        }
    }

    /// <summary>What every company must come to, checked from the database and through the company's API.</summary>
    private static async Task<SurgeVerdict> VerifyAsync(PliApp app, HttpClient client, IReadOnlyList<SurgeCompany> companies, Guid consultationId, DateTimeOffset deadline, CancellationToken cancellationToken)
    {
        var verdict = new SurgeVerdict();
        var (deposits, receipts) = await app.WithDb(async db =>
        {
            var all = await db.Deposits.AsNoTracking().Include(d => d.Files).Where(d => d.ConsultationId == consultationId).ToListAsync(cancellationToken);
            var ids = all.Select(d => d.Id).ToList();
            var kept = await db.DepositReceipts.AsNoTracking().Where(r => ids.Contains(r.DepositId)).ToListAsync(cancellationToken);
            return (all, kept);
        });
        using var pemResponse = await client.GetAsync("/api/timestamping/certificate.pem", cancellationToken);
        var tsa = ParseCertificate(await pemResponse.Content.ReadAsStringAsync(cancellationToken));
        var deadlineUtc = deadline.UtcDateTime;

        foreach (var c in companies)
        {
            var fail = (string why) => verdict.Failures.Add($"company {c.Index} ({c.Kind}): {why}");
            var mine = deposits.Where(d => d.CompanyId == c.CompanyId).ToList();
            var sealedOnes = mine.Where(d => d.Status == DepositStatus.Sealed).ToList();
            if (c.Error is not null)
            {
                fail("request failed: " + c.Error);
                if (sealedOnes.Count > 0 && c.SealStatus != 200)
                {
                    fail("sealed in the database without a 2xx answer");
                }
                continue;
            }
            if (c.SealStatus == 200)
            {
                // Lost: a seal answered 2xx must exist sealed, with the receipt the company was given.
                if (sealedOnes.SingleOrDefault(d => d.Id == c.DepositId) is not { } deposit)
                {
                    verdict.Lost++;
                    fail("answered 2xx but not sealed in the database");
                    continue;
                }
                verdict.Accounted++;
                var sealedUtc = DateTime.SpecifyKind(deposit.SealedUtc!.Value, DateTimeKind.Utc);
                // The horodatage falls between the request and its answer (one clock, one machine).
                var misclassified = deposit.IsLate != (sealedUtc > deadlineUtc)
                    || c.SealedLate != deposit.IsLate
                    || (c.SealAnswered <= deadline && deposit.IsLate)
                    || (c.SealSent > deadline && !deposit.IsLate)
                    || Math.Abs((c.SealedAt!.Value.UtcDateTime - sealedUtc).TotalMilliseconds) >= 1;
                if (misclassified)
                {
                    verdict.Misclassified++;
                    fail($"sealed {sealedUtc:HH:mm:ss.fff}, IsLate {deposit.IsLate}, answer said late {c.SealedLate}, sent {c.SealSent:HH:mm:ss.fff}, answered {c.SealAnswered:HH:mm:ss.fff}");
                }
                if (deposit.Files.Count != 3 || !deposit.Files.Select(f => f.Sha256).Order().SequenceEqual(c.FileSha256.Order()))
                {
                    fail($"files differ: {deposit.Files.Count} in the database");
                }
                var receipt = receipts.SingleOrDefault(r => r.DepositId == deposit.Id && r.Kind == ReceiptKind.Deposit);
                if (receipt is null || receipt.Sha256 != c.ReceiptSha256)
                {
                    verdict.Lost++;
                    fail("no receipt, or not the one the company was given");
                    continue;
                }
                if (await VerifyReceiptAsync(client, c, deposit, tsa, cancellationToken) is { } why)
                {
                    fail("receipt: " + why);
                }
                else
                {
                    verdict.ReceiptsVerified++;
                }
            }
            else if (c.RefusalCode is not null)
            {
                // A refusal is right only when the server may have decided after the deadline (answered after it);
                // a file under way at the deadline must have let its pli be sealed. The draft stays, nothing is sealed.
                var draft = mine.SingleOrDefault(d => d.Id == c.DepositId);
                if (c.RefusalCode is not ("deposit.deadline-passed" or "deposit.upload-after-deadline") || c.SealAnswered <= deadline
                    || (c.Kind == SurgeKind.LateUnderWay && c.UploadsDone is not null))
                {
                    verdict.Misclassified++;
                    fail($"refused {c.RefusalCode}, sent {c.SealSent:HH:mm:ss.fff}");
                }
                else if (sealedOnes.Count > 0 || (c.DepositId != Guid.Empty && draft is not { Status: DepositStatus.Draft }))
                {
                    fail("refused, yet a deposit is sealed or the draft is gone");
                }
                else
                {
                    verdict.Accounted++;
                }
            }
            else
            {
                fail("no answer recorded");
            }
        }
        var strays = deposits.Count(d => companies.All(c => c.DepositId != d.Id));
        if (strays > 0)
        {
            verdict.Failures.Add($"{strays} deposits of no company's run");
        }
        return verdict;
    }

    /// <summary>
    /// A rough profile of the work after the horodatage, each part alone on a quiet server after the run
    /// (median of 20): the RFC 3161 stamp, the receipt PDF the mail attaches, the receipt's JSON.
    /// </summary>
    private static async Task<Dictionary<string, double>> ProfileSealPartsAsync(PliApp app, Guid consultationId, CancellationToken cancellationToken)
    {
        var receipt = await app.WithDb(db => db.DepositReceipts.AsNoTracking()
            .FirstAsync(r => db.Deposits.Any(d => d.Id == r.DepositId && d.ConsultationId == consultationId), cancellationToken));
        var timestamps = app.Services.GetRequiredService<Pli.Web.Infrastructure.Timestamping.ITimestampAuthority>();
        var culture = CultureInfo.GetCultureInfo("fr-FR");
        async Task<double> MedianAsync(Func<Task> part)
        {
            var times = new List<double>();
            for (var i = 0; i < 20; i++)
            {
                var watch = Stopwatch.StartNew();
                await part();
                times.Add(watch.Elapsed.TotalMilliseconds);
            }
            return Math.Round(times.Order().ElementAt(times.Count / 2), 1);
        }
        return new Dictionary<string, double>
        {
            ["tsaStamp"] = await MedianAsync(() => timestamps.StampAsync(Convert.FromHexString(receipt.Sha256), cancellationToken)),
            ["receiptPdf"] = await MedianAsync(() => ReceiptPdf.WriteAsync(DepositService.ToDocument(receipt, culture), Stream.Null, culture, cancellationToken)),
            ["receiptJson"] = await MedianAsync(() => { _ = ReceiptContent.Sha256Of(ReceiptContent.FromJson(receipt.Json).ToJson()); return Task.CompletedTask; }),
        };
    }

    /// <summary>
    /// The receipt as the company downloads it: its JSON hashes to the receipt's SHA-256, the RFC 3161 token
    /// is granted over that digest, signed by the platform's TSA certificate, at a time between the request
    /// and the answer (a second's accuracy); the JSON says the horodatage and the lateness of the database.
    /// </summary>
    private static async Task<string?> VerifyReceiptAsync(HttpClient client, SurgeCompany c, Deposit deposit, Org.BouncyCastle.X509.X509Certificate tsa, CancellationToken cancellationToken)
    {
        using var jsonRequest = Request(HttpMethod.Get, $"/api/deposits/{deposit.Id}/receipt.json", c);
        using var jsonResponse = await client.SendAsync(jsonRequest, cancellationToken);
        using var tsrRequest = Request(HttpMethod.Get, $"/api/deposits/{deposit.Id}/receipt.tsr", c);
        using var tsrResponse = await client.SendAsync(tsrRequest, cancellationToken);
        if (!jsonResponse.IsSuccessStatusCode || !tsrResponse.IsSuccessStatusCode)
        {
            return $"download {(int)jsonResponse.StatusCode}/{(int)tsrResponse.StatusCode}";
        }
        var json = await jsonResponse.Content.ReadAsByteArrayAsync(cancellationToken);
        var digest = SHA256.HashData(json);
        if (Convert.ToHexStringLower(digest) != c.ReceiptSha256?.ToLowerInvariant())
        {
            return "JSON does not hash to the receipt's SHA-256";
        }
        var content = ReceiptContent.FromJson(Encoding.UTF8.GetString(json));
        if (content.Late != deposit.IsLate || Math.Abs((content.ReceivedAt.UtcDateTime - DateTime.SpecifyKind(deposit.SealedUtc!.Value, DateTimeKind.Utc)).TotalMilliseconds) >= 1)
        {
            return "JSON's horodatage or lateness differ from the database";
        }
        try
        {
            var response = new Org.BouncyCastle.Tsp.TimeStampResponse(await tsrResponse.Content.ReadAsByteArrayAsync(cancellationToken));
            if (response.Status != 0 || response.TimeStampToken is not { } token)
            {
                return $"token not granted ({response.Status})";
            }
            if (!token.TimeStampInfo.GetMessageImprintDigest().AsSpan().SequenceEqual(digest))
            {
                return "token over another digest";
            }
            token.Validate(tsa);
            var genTime = DateTime.SpecifyKind(token.TimeStampInfo.GenTime, DateTimeKind.Utc);
            if (genTime < c.SealSent.UtcDateTime.AddSeconds(-1) || genTime > c.SealAnswered.UtcDateTime.AddSeconds(1))
            {
                return $"token time {genTime:HH:mm:ss.fff} outside the request {c.SealSent:HH:mm:ss.fff}–{c.SealAnswered:HH:mm:ss.fff}";
            }
        }
        catch (Exception e) when (e is Org.BouncyCastle.Tsp.TspException or Org.BouncyCastle.Cms.CmsException or IOException or ArgumentException)
        {
            return "token does not verify: " + e.Message;
        }
        return null;
    }

    private static Org.BouncyCastle.X509.X509Certificate ParseCertificate(string pem) =>
        PemEncoding.TryFind(pem, out var fields)
            ? new Org.BouncyCastle.X509.X509Certificate(Convert.FromBase64String(pem[fields.Base64Data]))
            : throw new InvalidOperationException("No certificate in the TSA's PEM.");

    /// <summary>N companies, each with one admin user; the users share one password hash (made once), so seeding costs no N hashings.</summary>
    private static async Task<List<SurgeCompany>> SeedCompaniesAsync(PliApp app, int count)
    {
        await using var scope = app.Services.CreateAsyncScope();
        var db = scope.ServiceProvider.GetRequiredService<PliDbContext>();
        var hasher = scope.ServiceProvider.GetRequiredService<IPasswordHasher<PliUser>>();
        var normalizer = scope.ServiceProvider.GetRequiredService<ILookupNormalizer>();
        var now = TimeProvider.System.GetUtcNow().UtcDateTime;
        var hash = hasher.HashPassword(new PliUser(), AccountTestKit.Password);
        var result = new List<SurgeCompany>();
        var sirets = new HashSet<string>();
        for (var i = 0; i < count; i++)
        {
            string siret;
            do
            {
                siret = AccountTestKit.NewSiret();
            }
            while (!sirets.Add(siret));
            var company = Company.CreateFrench($"Entreprise du banc {i:D4}", siret, new Address("1 rue du Banc", "13002", "Marseille", "FR"), now);
            var email = $"surge-{i:D4}@bench.localhost";
            db.Companies.Add(company);
            db.Users.Add(new PliUser
            {
                Id = Guid.NewGuid(),
                UserName = email,
                NormalizedUserName = normalizer.NormalizeName(email),
                Email = email,
                NormalizedEmail = normalizer.NormalizeEmail(email),
                EmailConfirmed = true,
                PasswordHash = hash,
                SecurityStamp = Guid.NewGuid().ToString("N"),
                ConcurrencyStamp = Guid.NewGuid().ToString(),
                FullName = $"Candidat {i:D4}",
                CompanyId = company.Id,
                IsCompanyAdmin = true,
                CreatedUtc = now,
                TermsAcceptedUtc = now,
            });
            result.Add(new SurgeCompany { Index = i, CompanyId = company.Id, Email = email });
        }
        await db.SaveChangesAsync();
        return result;
    }

    /// <summary>Bearer tokens through POST /api/auth/token, a few at a time (each checks a PBKDF2 hash).</summary>
    private static async Task SignInAllAsync(HttpClient client, IReadOnlyList<SurgeCompany> companies, CancellationToken cancellationToken)
    {
        await Parallel.ForEachAsync(companies, new ParallelOptions { MaxDegreeOfParallelism = 4, CancellationToken = cancellationToken }, async (c, ct) =>
        {
            using var response = await client.PostAsJsonAsync("/api/auth/token", new { email = c.Email, password = AccountTestKit.Password }, ct);
            await EnsureAsync(response, "sign-in");
            using var json = JsonDocument.Parse(await response.Content.ReadAsStringAsync(ct));
            c.Token = json.RootElement.GetProperty("accessToken").GetString()!;
        });
    }

    /// <summary>A published consultation closing at <paramref name="deadlineUtc"/>, accepting .bin files (FileSignatures does not know them, so random bytes pass).</summary>
    private static async Task<Guid> SeedConsultationAsync(PliApp app, DateTime deadlineUtc)
    {
        var store = app.Services.GetRequiredService<IFileStore>();
        var cpv = app.Services.GetRequiredService<CpvCatalog>();
        return await app.WithDb(async db =>
        {
            var organisation = db.Organisations.First();
            var now = TimeProvider.System.GetUtcNow().UtcDateTime;
            var details = new ConsultationDetails("BENCH-SURGE", "Banc de mesure : rush de la date limite", "", ProcedureType.AppelOffresOuvert, Nature.Travaux,
                cpv.Require("45000000-7"), "", deadlineUtc, deadlineUtc.AddSeconds(-1), [Extension]);
            var consultation = Consultation.CreateDraft(organisation.Id, details, now);
            var key = $"dce/{consultation.Id:N}/{Guid.NewGuid():N}";
            await using (var content = new MemoryStream("Règlement de consultation du banc de mesure."u8.ToArray()))
            {
                var stored = await store.SaveAsync(key, content);
                consultation.AddDceFile("RC.txt", stored.Size, stored.Sha256, key, now);
            }
            consultation.Publish(now);
            db.Consultations.Add(consultation);
            await db.SaveChangesAsync();
            return consultation.Id;
        });
    }

    private static SurgePercentiles Percentiles(List<double> sorted) => sorted.Count == 0
        ? new SurgePercentiles(0, 0, 0, 0, 0)
        : new SurgePercentiles(sorted.Count, Math.Round(Percentile(sorted, 0.50)), Math.Round(Percentile(sorted, 0.95)), Math.Round(Percentile(sorted, 0.99)), Math.Round(sorted[^1]));

    /// <summary>Nearest rank.</summary>
    private static double Percentile(List<double> sorted, double p) => sorted[Math.Clamp((int)Math.Ceiling(p * sorted.Count) - 1, 0, sorted.Count - 1)];

    private static void Log(string message) => Console.Error.WriteLine($"surge: {message}");

    /// <summary>
    /// The system clock instead of the fixture's fake one: the deadline is crossed for real. And a cheap
    /// password hash: N bearer-token sign-ins before the surge (setup, not measured) would otherwise cost
    /// N PBKDF2 runs of 100,000 iterations on a shared 2-core machine.
    /// </summary>
    internal static void Configure(IServiceCollection services)
    {
        services.RemoveAll<TimeProvider>();
        services.AddSingleton(TimeProvider.System);
        services.Configure<PasswordHasherOptions>(o => o.IterationCount = 1000);
    }
}

/// <summary>A file refused because it started after the deadline: an outcome, not a failure.</summary>
internal sealed class SurgeRefusal(string code) : Exception(code)
{
    public string Code { get; } = code;
}

internal sealed record SurgePercentiles(int n, double p50, double p95, double p99, double max);

internal enum SurgeKind
{
    OnTime,
    /// <summary>Planned after the deadline, its last file started before and finished after: sealed, flagged late.</summary>
    LateUnderWay,
    /// <summary>Planned after the deadline with everything received before: refused.</summary>
    LateRefused,
}

internal sealed class SurgeCompany
{
    public int Index { get; init; }
    public Guid CompanyId { get; init; }
    public string Email { get; init; } = "";
    public string Token { get; set; } = "";
    public SurgeKind Kind { get; set; }
    public DateTimeOffset PlannedSeal { get; set; }
    public int[] FileSizes { get; set; } = [];
    public string[] FileSha256 { get; } = new string[3];
    public Guid DepositId { get; set; }
    public DateTimeOffset? UploadsDone { get; set; }
    public DateTimeOffset SealSent { get; set; }
    public DateTimeOffset SealAnswered { get; set; }
    public TimeSpan SealLatency { get; set; }
    public int SealStatus { get; set; }
    public DateTimeOffset? SealedAt { get; set; }
    public bool? SealedLate { get; set; }
    public string? ReceiptSha256 { get; set; }
    public string? RefusalCode { get; set; }
    public string? Error { get; set; }
}

internal sealed class SurgeVerdict
{
    public int Accounted { get; set; }
    public int ReceiptsVerified { get; set; }
    public int Lost { get; set; }
    public int Misclassified { get; set; }
    public List<string> Failures { get; } = [];
}

internal sealed record SurgeOptions(string Provider, int Companies, int Concurrency, int LeadSeconds, int WindowSeconds, int LateSeconds, int MinBytes, int MaxBytes, int MaxSeconds, int Seed)
{
    public static SurgeOptions Parse(string[] args)
    {
        var o = new SurgeOptions("postgres", 500, 64, 150, 60, 5, 1_000_000, 5_000_000, 300, 42);
        for (var i = 0; i + 1 < args.Length; i += 2)
        {
            var value = args[i + 1];
            int Int() => int.Parse(value, CultureInfo.InvariantCulture);
            o = args[i] switch
            {
                "--provider" when value is "postgres" or "sqlite" => o with { Provider = value },
                "--companies" => o with { Companies = Int() },
                "--concurrency" => o with { Concurrency = Int() },
                "--lead-seconds" => o with { LeadSeconds = Int() },
                "--window-seconds" => o with { WindowSeconds = Int() },
                "--late-seconds" => o with { LateSeconds = Int() },
                "--min-mb" => o with { MinBytes = (int)(double.Parse(value, CultureInfo.InvariantCulture) * 1_000_000) },
                "--max-mb" => o with { MaxBytes = (int)(double.Parse(value, CultureInfo.InvariantCulture) * 1_000_000) },
                "--max-seconds" => o with { MaxSeconds = Int() },
                "--seed" => o with { Seed = Int() },
                _ => throw new ArgumentException($"Unknown option {args[i]} {value}; see Surge.cs for --provider postgres|sqlite, --companies, --concurrency, --lead-seconds, --window-seconds, --late-seconds, --min-mb, --max-mb, --max-seconds, --seed."),
            };
        }
        if (o.LeadSeconds < o.WindowSeconds - o.LateSeconds + 5)
        {
            throw new ArgumentException("--lead-seconds must leave at least 5 s before the first seal.");
        }
        return o;
    }
}

/// <summary>Pli on a fresh PostgreSQL database (the production path), with a connection pool as in production (the test fixture turns pooling off) and the system clock.</summary>
internal sealed class SurgePostgresApp(IDictionary<string, string?> settings) : PostgresApp
{
    protected override IDictionary<string, string?> Settings => settings;

    protected override string ConnectionString => new NpgsqlConnectionStringBuilder(base.ConnectionString) { Pooling = true, MaxPoolSize = 50 }.ConnectionString;

    protected override void ConfigureWebHost(IWebHostBuilder builder)
    {
        base.ConfigureWebHost(builder);
        builder.ConfigureTestServices(Surge.Configure);
    }
}

/// <summary>Pli on its own SQLite file, with the system clock.</summary>
internal sealed class SurgeSqliteApp(IDictionary<string, string?> settings) : SqliteApp
{
    protected override IDictionary<string, string?> Settings => settings;

    protected override void ConfigureWebHost(IWebHostBuilder builder)
    {
        base.ConfigureWebHost(builder);
        builder.ConfigureTestServices(Surge.Configure);
    }
}

using System.Net;
using System.Net.Http.Headers;
using System.Net.Http.Json;
using System.Security.Cryptography;
using System.Text.Json;
using Microsoft.EntityFrameworkCore;
using Microsoft.Extensions.DependencyInjection;
using Npgsql;
using Pli.Web.Features.Deposits;
using Pli.Web.Infrastructure.Crypto;
using Pli.Web.Infrastructure.Data;
using Pli.Web.Infrastructure.Mail;
using Pli.Web.Infrastructure.Storage;
using Pli.Web.Tests.Features.Deposits;
using Pli.Web.Tests.Features.Portal;
using Pli.Web.Tests.Features.Uploads;
using Pli.Web.Tests.Infrastructure;

namespace Pli.Web.Tests.Scale;

/// <summary>
/// Two instances of Pli on two Kestrel ports over one PostgreSQL database and one S3 server, as behind a
/// load balancer without sticky sessions: the chunks of one upload go alternately to both, the deposit is
/// sealed on the second, and the mails go out once although both outboxes run.
/// </summary>
public sealed class TwoInstancesTests : IAsyncLifetime
{
    private const long FileSize = 3 * 1024 * 1024 + 12345;
    private readonly string _database = "pli_test_" + Guid.NewGuid().ToString("N")[..12];
    private readonly string _dataRoot = Path.Combine(Path.GetTempPath(), "pli-tests", Guid.NewGuid().ToString("N"));
    private SmtpSink _smtp = null!;
    private Instance _first = null!;
    private Instance _second = null!;
    private Uri _firstUrl = null!;
    private Uri _secondUrl = null!;

    public async Task InitializeAsync()
    {
        _smtp = await SmtpSink.StartAsync();
        var bucket = Infrastructure.Storage.S3Server.NewBucketName();
        _first = new Instance(_database, _dataRoot, _smtp, bucket);
        _firstUrl = _first.StartOnKestrel();
        // Started once the first has migrated and seeded the database, as a rolling deployment does.
        _second = new Instance(_database, _dataRoot, _smtp, bucket);
        _secondUrl = _second.StartOnKestrel();
    }

    public async Task DisposeAsync()
    {
        await _second.DisposeAsync();
        await _first.DisposeAsync();
        await _smtp.DisposeAsync();
        PostgresTestDatabase.Drop(_database);
        try
        {
            Directory.Delete(_dataRoot, recursive: true);
        }
        catch (IOException)
        {
            // A file still held by a finished request is harmless in a temp folder.
        }
    }

    private void AdvanceBoth(TimeSpan by)
    {
        _first.Time.Advance(by);
        _second.Time.SetUtcNow(_first.Time.GetUtcNow());
    }

    private async Task<HttpClient> CompanyClientAsync(Uri instance, string token)
    {
        await Task.CompletedTask;
        var client = new HttpClient { BaseAddress = instance };
        client.DefaultRequestHeaders.Authorization = new AuthenticationHeaderValue("Bearer", token);
        return client;
    }

    private async Task<string> TokenAsync(Uri instance)
    {
        using var client = new HttpClient { BaseAddress = instance };
        using var response = await client.PostAsJsonAsync("/api/auth/token", new { email = Pli.Web.Features.Demo.DemoData.CompanyEmail, password = Pli.Web.Features.Demo.DemoData.Password });
        Assert.Equal(HttpStatusCode.OK, response.StatusCode);
        return (await response.Content.ReadFromJsonAsync<JsonElement>()).GetProperty("accessToken").GetString()!;
    }

    [Fact]
    public async Task Chunks_sent_alternately_to_two_instances_and_sealed_on_the_second_make_one_sealed_file_with_the_right_digest()
    {
        var consultation = await new ConsultationBuilder(_first).DeadlineIn(TimeSpan.FromDays(2)).SaveAsync();
        // A token issued by one instance is accepted by the other: the Data Protection keys are shared.
        var token = await TokenAsync(_firstUrl);
        using var first = await CompanyClientAsync(_firstUrl, token);
        using var second = await CompanyClientAsync(_secondUrl, token);
        var deposit = DepositScenario.IdOf(await DepositScenario.StartAsync(first, consultation.Id));
        var source = DepositScenario.PdfOfSize((int)FileSize);
        await DepositScenario.UploadOkAsync(second, deposit, "candidature", "dc1.pdf", DepositScenario.Pdf);

        string url;
        using (var created = await first.SendAsync(Tus.Create(source.Length, DepositScenario.Metadata(deposit, "offre", "offre-technique.pdf"))))
        {
            Assert.Equal(HttpStatusCode.Created, created.StatusCode);
            url = created.Headers.Location!.ToString();
        }
        const int piece = 700 * 1024;
        for (int offset = 0, i = 0; offset < source.Length; offset += piece, i++)
        {
            var instance = i % 2 == 0 ? second : first;
            var body = source[offset..Math.Min(source.Length, offset + piece)];
            using var patched = await instance.SendAsync(Tus.Patch(url, offset, body));
            Assert.True(patched.StatusCode == HttpStatusCode.NoContent, $"PATCH {i} to instance {(i % 2) + 1}: {patched.StatusCode} {await patched.Content.ReadAsStringAsync()}");
            if (offset + piece >= source.Length)
            {
                // The last chunk handed the file over to the deposit: the upload is gone.
                break;
            }
            // The other instance knows the new offset at once.
            using var head = await (i % 2 == 0 ? first : second).SendAsync(Tus.Request(HttpMethod.Head, url));
            Assert.True(head.StatusCode == HttpStatusCode.OK, $"HEAD after PATCH {i}: {head.StatusCode}");
            Assert.Equal((offset + piece).ToString(System.Globalization.CultureInfo.InvariantCulture), head.Headers.GetValues("Upload-Offset").Single());
        }

        using (var sealedResponse = await DepositScenario.SealAsync(second, deposit))
        {
            Assert.True(sealedResponse.StatusCode == HttpStatusCode.OK, $"{sealedResponse.StatusCode}: {await sealedResponse.Content.ReadAsStringAsync()}");
        }
        var recorded = await _first.WithDb(db => db.DepositFiles.AsNoTracking().SingleAsync(f => f.DepositId == deposit && f.Name == "offre-technique.pdf"));
        Assert.Equal(Convert.ToHexStringLower(SHA256.HashData(source)), recorded.Sha256);
        Assert.Equal(source.Length, recorded.Size);
        // Nothing of the upload is left once its file is the deposit's, and nothing went to the local disk.
        Assert.Empty(await _first.WithDb(db => db.SharedUploads.AsNoTracking().ToListAsync()));
        var local = Path.Combine(_dataRoot, "files");
        Assert.True(!Directory.Exists(local) || Directory.GetFiles(local, "*", SearchOption.AllDirectories).Length == 0, "A file of the deposit is on the local disk.");
        Assert.True(await _second.Services.GetRequiredService<IFileStore>().ExistsAsync(recorded.StorageKey));

        // The receipt mail of the seal goes out once, whichever outbox took it (before the clock jumps two days,
        // which would make a mail being sent look abandoned).
        var mails = await WaitForMailsAsync(Pli.Web.Features.Demo.DemoData.CompanyEmail, 1);
        Assert.True(mails.Count == 1, string.Join(" | ", mails.Select(m => $"{m.Subject} [{m.MessageId}]")));

        // After the deadline the stored file opens with the consultation's key and is the bytes sent.
        AdvanceBoth(TimeSpan.FromDays(2) + TimeSpan.FromSeconds(1));
        await using var scope = _first.Services.CreateAsyncScope();
        using var key = await scope.ServiceProvider.GetRequiredService<ConsultationKeyStore>().OpenPrivateKeyAsync(consultation.Id, consultation.DeadlineUtc, CancellationToken.None);
        await using var stored = await _second.Services.GetRequiredService<IFileStore>().OpenReadAsync(recorded.StorageKey);
        await using var reader = await SealedFiles.OpenReaderAsync(stored, key);
        using var plaintext = new MemoryStream();
        await reader.CopyToAsync(plaintext);
        Assert.Equal(source, plaintext.ToArray());
    }

    [Fact]
    public async Task Two_outboxes_running_over_one_database_send_each_mail_once()
    {
        const int count = 40;
        await _first.WithDb(async db =>
        {
            var outbox = new MailOutbox(db, _first.Services.GetRequiredService<Microsoft.Extensions.Options.IOptions<MailOptions>>(), _first.Time);
            var template = _first.Services.GetRequiredService<MailTemplate>();
            for (var i = 0; i < count; i++)
            {
                outbox.Enqueue(template.Create($"destinataire-{i}@fanout.localhost", $"Avis {i}", ["Un avis."]));
            }
            await db.SaveChangesAsync();
        });

        for (var i = 0; i < count; i++)
        {
            Assert.Single(await WaitForMailsAsync($"destinataire-{i}@fanout.localhost", 1));
        }
        Assert.Equal(count, await _first.WithDb(db => db.OutboxMails.CountAsync(m => m.To.EndsWith("@fanout.localhost") && m.Status == OutboxMailStatus.Sent)));
    }

    /// <summary>
    /// The mails to <paramref name="address"/> once <paramref name="expected"/> have come, then a little longer,
    /// so that a second copy sent by the other instance would be seen (both outboxes poll every 100 ms).
    /// </summary>
    private async Task<IReadOnlyList<MimeKit.MimeMessage>> WaitForMailsAsync(string address, int expected)
    {
        using var timeout = new CancellationTokenSource(TimeSpan.FromSeconds(30));
        while (_smtp.To(address).Count < expected)
        {
            await Task.Delay(50, timeout.Token);
        }
        await Task.Delay(600, timeout.Token);
        return _smtp.To(address);
    }

    /// <summary>
    /// One instance: the PostgreSQL database and the S3 bucket shared with the other, its outbox running. (The
    /// folders are shared too, for the development master secret and the TSA key, which production gives every
    /// instance by configuration; nothing an upload or a deposit stores is on the local disk.)
    /// </summary>
    private sealed class Instance(string database, string dataRoot, SmtpSink smtp, string bucket) : PliApp(dataRoot, smtp)
    {
        public override DatabaseProvider Provider => DatabaseProvider.PostgreSql;

        protected override string ConnectionString =>
            new NpgsqlConnectionStringBuilder(PostgresApp.ServerConnectionString) { Database = database, Pooling = false }.ConnectionString;

        protected override bool OutboxWorker => true;

        protected override IDictionary<string, string?> Settings => new Dictionary<string, string?>(Infrastructure.Storage.S3Server.Shared.Settings(bucket))
        {
            ["Uploads:Store"] = "Shared",
            ["Deposits:MaxFileSize"] = (8 * 1024 * 1024).ToString(System.Globalization.CultureInfo.InvariantCulture),
        };
    }
}

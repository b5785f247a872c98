using System.Globalization;
using System.Net;
using System.Net.Http.Headers;
using System.Net.Http.Json;
using System.Security.Cryptography;
using System.Text.Json;
using Microsoft.EntityFrameworkCore;
using Microsoft.Extensions.DependencyInjection;
using Pli.Domain.Consultations;
using Pli.Web.Features.Uploads;
using Pli.Web.Infrastructure.Crypto;
using Pli.Web.Infrastructure.Storage;
using Pli.Web.Tests.Features.Deposits;

namespace Pli.Browser.Tests.TusClient;

/// <summary>
/// The deposit path with the real tus-js-client: a large candidature file dropped mid-way and resumed is
/// recorded with the source's digest, sealed at rest, and opens after the deadline to the same bytes.
/// </summary>
public sealed class TusClientDepositTests(TusServerApp app) : IClassFixture<TusServerApp>, IDisposable
{
    // Not a multiple of the sealed chunk size: every PATCH ends inside a sealed chunk, so each resumption
    // goes through the encrypted tail the server keeps for it.
    private const int ChunkSize = 1_000_000;
    private readonly string _work = Directory.CreateTempSubdirectory("pli-tus-deposit-").FullName;
    private readonly DepositScenario _scenario = new(app);

    [Fact]
    public async Task InterruptedDepositFile_Resumed_IsRecordedSealedAndOpensAfterTheDeadlineToTheSourceBytes()
    {
        var consultation = await _scenario.ConsultationAsync(TimeSpan.FromHours(2));
        var token = await TusClientScript.TokenAsync(app.BaseUrl);
        using var api = Api(token);
        var deposit = await StartAsync(api, consultation.Id);
        var content = DepositScenario.PdfOfSize(20 * 1024 * 1024 + 54_321);
        var source = await WriteAsync("candidature.pdf", content);
        var name = "DC1 Société.pdf";
        string[] upload = [.. Arguments(token, source, "urls.json"), .. Meta(deposit, "candidature", name), "--chunk-size", Number(ChunkSize)];
        var abortAfter = (7 * ChunkSize) + 300_000;

        var first = await TusClientScript.RunAsync([.. upload, "--abort-after", Number(abortAfter)]);
        var interrupted = await SettledAsync(first.Id);
        var filesWhileInterrupted = (await GetAsync(api, deposit)).GetProperty("files").GetArrayLength();
        var lastReceived = content.AsMemory((int)interrupted!.Offset - 64, 64);
        var heldWhileInterrupted = FilesHolding(app.DataRoot, lastReceived);
        var tailWhileInterrupted = File.Exists(Path.Combine(app.DataRoot, "files", "uploads", $"{first.Id}.{interrupted.Offset}.tail"));
        var second = await TusClientScript.RunAsync(upload);

        Assert.Equal("aborted", first.Outcome);
        Assert.InRange(interrupted.Offset, abortAfter - ChunkSize, content.Length - 1);
        Assert.True(tailWhileInterrupted, $"No sealed tail at offset {interrupted.Offset}: the cut should fall inside a sealed chunk.");
        Assert.Equal(0, filesWhileInterrupted);
        Assert.Empty(heldWhileInterrupted);
        Assert.Equal("done", second.Outcome);
        Assert.Equal(first.Url, second.ResumedFrom);
        Assert.Equal(first.Url, second.Url);

        var sha256 = Convert.ToHexStringLower(SHA256.HashData(content));
        var file = Assert.Single((await GetAsync(api, deposit)).GetProperty("files").EnumerateArray());
        Assert.Equal("candidature", file.GetProperty("envelope").GetString());
        Assert.Equal(name, file.GetProperty("name").GetString());
        Assert.Equal(content.Length, file.GetProperty("size").GetInt64());
        Assert.Equal(sha256, file.GetProperty("sha256").GetString());

        // The search can find a sample: it finds it in the source; what Pli holds is the size of the file, yet no sample.
        ReadOnlyMemory<byte>[] samples = [content.AsMemory(1_000, 64), content.AsMemory(content.Length / 2, 64), content.AsMemory(content.Length - 64, 64)];
        Assert.All(samples, sample => Assert.Contains(source, FilesHolding(_work, sample)));
        Assert.Contains(Directory.EnumerateFiles(Path.Combine(app.DataRoot, "files"), "*", SearchOption.AllDirectories), f => new FileInfo(f).Length > content.Length);
        Assert.All(samples, sample => Assert.Empty(FilesHolding(app.DataRoot, sample)));

        var offer = await WriteAsync("offre.pdf", DepositScenario.Pdf);
        var offerRun = await TusClientScript.RunAsync([.. Arguments(token, offer, "offer-urls.json"), .. Meta(deposit, "offre", "Offre.pdf")]);
        Assert.Equal("done", offerRun.Outcome);
        using var sealing = await api.PostAsJsonAsync($"/api/deposits/{deposit}/seal", new { acceptTerms = true });
        Assert.True(sealing.StatusCode == HttpStatusCode.OK, $"{sealing.StatusCode}: {await sealing.Content.ReadAsStringAsync()}");
        var receipt = await sealing.Content.ReadFromJsonAsync<JsonElement>();
        var listed = Assert.Single(receipt.GetProperty("files").EnumerateArray(), f => f.GetProperty("envelope").GetString() == "candidature");
        Assert.Equal(sha256, listed.GetProperty("sha256").GetString());
        Assert.Equal(content.Length, listed.GetProperty("size").GetInt64());
        Assert.Equal(name, listed.GetProperty("name").GetString());

        Assert.Equal(content, await OpenAfterTheDeadlineAsync(consultation, deposit));
    }

    [Fact]
    public async Task ExecutableRenamedPdf_IsRefusedWithTheServersMessage_AndNothingIsRecorded()
    {
        var consultation = await _scenario.ConsultationAsync(TimeSpan.FromHours(2));
        var token = await TusClientScript.TokenAsync(app.BaseUrl);
        using var api = Api(token);
        var deposit = await StartAsync(api, consultation.Id);
        var executable = RandomNumberGenerator.GetBytes(3 * 1024 * 1024);
        "MZ"u8.CopyTo(executable);
        var source = await WriteAsync("setup.pdf", executable);

        var run = await TusClientScript.RunAsync([.. Arguments(token, source, "urls.json"), .. Meta(deposit, "candidature", "DC1.pdf"), "--chunk-size", Number(ChunkSize)]);

        Assert.Equal("error", run.Outcome);
        Assert.Equal(400, run.Status);
        Assert.Contains("method: PATCH", run.Message, StringComparison.Ordinal);
        var problem = JsonDocument.Parse(run.Body!).RootElement;
        Assert.Equal("file.content-mismatch", problem.GetProperty("code").GetString());
        var title = problem.GetProperty("title").GetString()!;
        Assert.Contains("ne correspond pas à son format (.pdf)", title, StringComparison.Ordinal);
        Assert.Contains(title, run.Message, StringComparison.Ordinal);
        Assert.Empty((await GetAsync(api, deposit)).GetProperty("files").EnumerateArray());
        Assert.Null(await app.Services.GetRequiredService<IUploadStore>().GetInfoAsync(run.Id));
        Assert.Empty(Directory.GetFiles(Path.Combine(app.DataRoot, "files", "uploads"), run.Id + ".*"));
        Assert.False(await app.WithDb(db => db.DepositFiles.AnyAsync(f => f.DepositId == deposit)));
    }

    /// <summary>The stored file of the deposit's candidature, decrypted with the consultation's key once the clock is past the deadline.</summary>
    private async Task<byte[]> OpenAfterTheDeadlineAsync(Consultation consultation, Guid deposit)
    {
        var stored = await app.WithDb(db => db.DepositFiles.SingleAsync(f => f.DepositId == deposit && f.Envelope == Pli.Domain.Deposits.EnvelopeKind.Candidature));
        var key = await app.WithDb(db => db.ConsultationKeys.SingleAsync(k => k.ConsultationId == consultation.Id));
        var pair = new ConsultationKeyPair(key.KeyId, key.PublicKeyDer, key.EncryptedPrivateKey);
        var sealedFiles = app.Services.GetRequiredService<SealedFiles>();
        var files = app.Services.GetRequiredService<IFileStore>();
        await using (var early = await files.OpenReadAsync(stored.StorageKey))
        {
            await Assert.ThrowsAsync<OpeningTooEarlyException>(() => sealedFiles.OpenReaderAsync(early, pair, consultation.DeadlineUtc));
        }
        app.Time.SetUtcNow(new DateTimeOffset(consultation.DeadlineUtc).AddMilliseconds(1));
        await using var input = await files.OpenReadAsync(stored.StorageKey);
        await using var reader = await sealedFiles.OpenReaderAsync(input, pair, consultation.DeadlineUtc);
        using var plain = new MemoryStream();
        await reader.CopyToAsync(plain);
        return plain.ToArray();
    }

    /// <summary>The upload once the server has finished with the cut request (it holds the upload's lock until then).</summary>
    private async Task<UploadInfo?> SettledAsync(string id)
    {
        var store = app.Services.GetRequiredService<IUploadStore>();
        for (var attempt = 0; attempt < 100; attempt++)
        {
            await using var held = await store.TryLockAsync(id);
            if (held is not null)
            {
                return await store.GetInfoAsync(id);
            }
            await Task.Delay(50);
        }
        throw new Xunit.Sdk.XunitException($"Upload {id} is still locked 5 s after its client went away.");
    }

    private HttpClient Api(string token)
    {
        var client = new HttpClient { BaseAddress = app.BaseUrl };
        client.DefaultRequestHeaders.Authorization = new AuthenticationHeaderValue("Bearer", token);
        return client;
    }

    private static async Task<Guid> StartAsync(HttpClient api, Guid consultationId) =>
        DepositScenario.IdOf(await DepositScenario.StartAsync(api, consultationId));

    private static async Task<JsonElement> GetAsync(HttpClient api, Guid deposit) =>
        await api.GetFromJsonAsync<JsonElement>($"/api/deposits/{deposit}");

    private string[] Arguments(string token, string file, string store) =>
        ["--endpoint", new Uri(app.BaseUrl, "/api/uploads/").ToString(), "--token", token, "--file", file, "--store", Path.Combine(_work, store)];

    private static string[] Meta(Guid deposit, string envelope, string fileName) =>
        ["--meta", $"deposit={deposit}", "--meta", $"envelope={envelope}", "--meta", $"filename={fileName}"];

    private async Task<string> WriteAsync(string fileName, byte[] content)
    {
        var path = Path.Combine(_work, fileName);
        await File.WriteAllBytesAsync(path, content);
        return path;
    }

    /// <summary>Every file under <paramref name="folder"/> that holds <paramref name="sample"/> anywhere.</summary>
    private static List<string> FilesHolding(string folder, ReadOnlyMemory<byte> sample) =>
        [.. Directory.EnumerateFiles(folder, "*", SearchOption.AllDirectories).Where(f => ReadShared(f).AsSpan().IndexOf(sample.Span) >= 0)];

    private static byte[] ReadShared(string path)
    {
        using var stream = new FileStream(path, FileMode.Open, FileAccess.Read, FileShare.ReadWrite | FileShare.Delete);
        using var copy = new MemoryStream();
        stream.CopyTo(copy);
        return copy.ToArray();
    }

    private static string Number(long value) => value.ToString(CultureInfo.InvariantCulture);

    public void Dispose() => Directory.Delete(_work, recursive: true);
}

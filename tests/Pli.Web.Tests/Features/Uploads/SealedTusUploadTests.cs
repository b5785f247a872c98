using System.Net;
using System.Net.Http.Headers;
using System.Net.Http.Json;
using System.Security.Cryptography;
using System.Text;
using System.Text.Json;
using Pli.Web.Infrastructure.Crypto;
using static Pli.Web.Tests.Features.Uploads.Tus;

namespace Pli.Web.Tests.Features.Uploads;

public sealed class SealedTusUploadTests(SealedUploadsApp app) : IClassFixture<SealedUploadsApp>
{
    private const int Chunk = SealedFileFormat.DefaultChunkSize;
    private static readonly string EmptySha256 = Convert.ToHexStringLower(SHA256.HashData([]));

    private static string Header(HttpResponseMessage response, string name) => response.Headers.GetValues(name).Single();

    private static string Named(string fileName) => "filename " + Convert.ToBase64String(Encoding.UTF8.GetBytes(fileName));

    private static string Hex(byte[] bytes) => Convert.ToHexStringLower(SHA256.HashData(bytes));

    /// <summary>A PDF as far as the content check goes: the signature, then random bytes.</summary>
    private static byte[] Pdf(int length)
    {
        var bytes = RandomBytes(length);
        "%PDF-1.7\n"u8.CopyTo(bytes);
        return bytes;
    }

    private static byte[] Executable(int length)
    {
        var bytes = RandomBytes(length);
        "MZ"u8.CopyTo(bytes);
        return bytes;
    }

    private string[] FilesOf(string id) => Directory.GetFiles(app.UploadsDirectory, id + "*");

    private string[] TailsOf(string id) => Directory.GetFiles(app.UploadsDirectory, id + ".*.tail");

    /// <summary>No file of the upload holds a 64-byte run of the plaintext received so far.</summary>
    private void AssertNoPlaintextOnDisk(string id, byte[] source, long received)
    {
        var lastChunk = received / Chunk * Chunk;
        var samples = new[] { 0, received / 2, lastChunk, received - 64 }
            .Where(at => at >= 0 && at + 64 <= received)
            .Select(at => source.AsSpan((int)at, 64).ToArray())
            .ToList();
        Assert.NotEmpty(samples);
        foreach (var file in FilesOf(id))
        {
            var bytes = File.ReadAllBytes(file);
            foreach (var sample in samples)
            {
                Assert.True(bytes.AsSpan().IndexOf(sample) < 0, $"{Path.GetFileName(file)} holds plaintext.");
            }
        }
    }

    private static async Task<string> CodeOf(HttpResponseMessage response)
    {
        Assert.Equal("application/problem+json", response.Content.Headers.ContentType?.MediaType);
        return (await response.Content.ReadFromJsonAsync<JsonElement>()).GetProperty("code").GetString()!;
    }

    [Fact]
    public async Task SealedUpload_InUnevenPatches_OpensAfterTheDeadlineToTheExactFile_WithItsSha256()
    {
        using var client = await app.CompanyClientAsync();
        var source = Pdf(1_000_123);
        var url = await CreateAsync(client, source.Length, Named("offre.pdf"));
        var id = IdOf(url);

        long offset = 0;
        foreach (var size in new[] { 1_000, 70_000, 200_000, source.Length - 271_000 })
        {
            using var response = await client.SendAsync(Patch(url, offset, source[(int)offset..(int)(offset + size)]));
            offset += size;
            Assert.Equal(HttpStatusCode.NoContent, response.StatusCode);
            Assert.Equal(offset.ToString(System.Globalization.CultureInfo.InvariantCulture), Header(response, "Upload-Offset"));
            AssertNoPlaintextOnDisk(id, source, offset);
        }

        var info = await app.Store.GetInfoAsync(id);
        Assert.Equal(Hex(source), info!.Sha256);
        var (plaintext, sha256) = await app.OpenAsync(id);
        Assert.Equal(source, plaintext);
        Assert.Equal(info.Sha256, sha256);
        Assert.Contains(id, app.Completed.Ids);
        Assert.Empty(TailsOf(id));
    }

    [Fact]
    public async Task SealedPatch_KeepsThePartialChunkEncrypted_InATailNamedByItsOffset()
    {
        using var client = await app.CompanyClientAsync();
        var source = Pdf(200_000);
        var url = await CreateAsync(client, source.Length);
        var id = IdOf(url);
        var headerLength = (await app.Store.GetInfoAsync(id))!.Sealing!.HeaderLength;

        using var first = await client.SendAsync(Patch(url, 0, source[..1_000]));
        var afterFirst = TailsOf(id);
        using var second = await client.SendAsync(Patch(url, 1_000, source[1_000..71_000]));

        Assert.Equal(HttpStatusCode.NoContent, second.StatusCode);
        Assert.Equal([Path.Combine(app.UploadsDirectory, id + ".1000.tail")], afterFirst);
        var tail = Assert.Single(TailsOf(id));
        Assert.Equal(id + ".71000.tail", Path.GetFileName(tail));
        Assert.Equal(71_000 - Chunk + 28, new FileInfo(tail).Length);
        Assert.Equal(headerLength + Chunk + SealedFileFormat.TagSize, new FileInfo(Path.Combine(app.UploadsDirectory, id + ".bin")).Length);
        AssertNoPlaintextOnDisk(id, source, 71_000);
    }

    [Fact]
    public async Task SealedUpload_ResumedByARestartedProcess_CompletesWithTheRightSha256()
    {
        var first = new SealedUploadsApp();
        SealedUploadsApp? second = null;
        try
        {
            var source = Pdf(300_000);
            string url;
            using (var client = await first.CompanyClientAsync())
            {
                url = await CreateAsync(client, source.Length, Named("offre.pdf"));
                using var one = await client.SendAsync(Patch(url, 0, source[..100_000]));
                using var two = await client.SendAsync(Patch(url, 100_000, source[100_000..150_000]));
                Assert.Equal(HttpStatusCode.NoContent, two.StatusCode);
            }
            second = first.Restarted();
            first.Dispose();

            using var resumed = await second.CompanyClientAsync();
            var offset = await OffsetAsync(resumed, url);
            using var rest = await resumed.SendAsync(Patch(url, offset, source[(int)offset..]));

            Assert.Equal(150_000, offset);
            Assert.Equal(HttpStatusCode.NoContent, rest.StatusCode);
            Assert.Equal(Hex(source), (await second.Store.GetInfoAsync(IdOf(url)))!.Sha256);
            Assert.Equal(source, (await second.OpenAsync(IdOf(url))).Plaintext);
        }
        finally
        {
            first.Dispose();
            second?.Dispose();
        }
    }

    [Fact]
    public async Task SealedPatch_ExecutableNamedPdf_Is400_AndTheUploadIsGone()
    {
        using var client = await app.CompanyClientAsync();
        var executable = Executable(20_000);
        var url = await CreateAsync(client, executable.Length, Named("offer.pdf"));
        // The head is not all there yet: nothing can be judged, the bytes wait encrypted.
        using var first = await client.SendAsync(Patch(url, 0, executable[..1_000]));

        using var second = await client.SendAsync(Patch(url, 1_000, executable[1_000..]));
        using var head = await client.SendAsync(Request(HttpMethod.Head, url));

        Assert.Equal(HttpStatusCode.NoContent, first.StatusCode);
        Assert.Equal(HttpStatusCode.BadRequest, second.StatusCode);
        Assert.Equal("file.content-mismatch", await CodeOf(second));
        Assert.Equal("1.0.0", Header(second, "Tus-Resumable"));
        Assert.Equal(HttpStatusCode.NotFound, head.StatusCode);
        Assert.Empty(FilesOf(IdOf(url)));
    }

    [Fact]
    public async Task SealedPost_WithBody_ExecutableNamedPdf_Is400_AndStoresNothing()
    {
        using var client = await app.CompanyClientAsync();
        var before = Directory.GetFiles(app.UploadsDirectory).Length;

        using var response = await client.SendAsync(Create(30_000, Named("offer.pdf"), Executable(30_000)));

        Assert.Equal(HttpStatusCode.BadRequest, response.StatusCode);
        Assert.Equal("file.content-mismatch", await CodeOf(response));
        Assert.Equal("1.0.0", Header(response, "Tus-Resumable"));
        Assert.Equal(before, Directory.GetFiles(app.UploadsDirectory).Length);
    }

    [Fact]
    public async Task Post_RefusedByTheAdmission_Is400WithTheRule_AndStoresNothing()
    {
        using var client = await app.CompanyClientAsync();
        var before = Directory.GetFiles(app.UploadsDirectory).Length;

        using var response = await client.SendAsync(Create(10, Named("a/b.pdf")));

        Assert.Equal(HttpStatusCode.BadRequest, response.StatusCode);
        Assert.Equal("file.name.forbidden", await CodeOf(response));
        Assert.Equal("1.0.0", Header(response, "Tus-Resumable"));
        Assert.Equal(before, Directory.GetFiles(app.UploadsDirectory).Length);
    }

    [Fact]
    public async Task SealedPost_WithBody_CreatesAndSeals_ThenPatchCompletes()
    {
        using var client = await app.CompanyClientAsync();
        var source = Pdf(150_000);

        using var created = await client.SendAsync(Create(source.Length, Named("offre.pdf"), source[..100_000]));
        var url = created.Headers.Location!.ToString();
        AssertNoPlaintextOnDisk(IdOf(url), source, 100_000);
        using var rest = await client.SendAsync(Patch(url, 100_000, source[100_000..]));

        Assert.Equal(HttpStatusCode.Created, created.StatusCode);
        Assert.Equal("100000", Header(created, "Upload-Offset"));
        Assert.Equal(HttpStatusCode.NoContent, rest.StatusCode);
        Assert.Equal(source, (await app.OpenAsync(IdOf(url))).Plaintext);
    }

    [Fact]
    public async Task SealedPatch_WithChecksumMismatch_Is460_KeepsTheOffset_AndTheUploadStillCompletes()
    {
        using var client = await app.CompanyClientAsync();
        var source = Pdf(200_000);
        var url = await CreateAsync(client, source.Length);
        var data = Path.Combine(app.UploadsDirectory, IdOf(url) + ".bin");
        using var first = await client.SendAsync(Patch(url, 0, source[..70_000]));
        var sealedLength = new FileInfo(data).Length;
        var chunk = source[70_000..170_000];

        using var refused = await client.SendAsync(Patch(url, 70_000, chunk, "sha256 " + Convert.ToBase64String(SHA256.HashData(RandomBytes(5)))));
        var offsetAfterRefusal = await OffsetAsync(client, url);
        var lengthAfterRefusal = new FileInfo(data).Length;
        using var again = await client.SendAsync(Patch(url, 70_000, chunk, "sha256 " + Convert.ToBase64String(SHA256.HashData(chunk))));
        using var rest = await client.SendAsync(Patch(url, 170_000, source[170_000..]));

        Assert.Equal(460, (int)refused.StatusCode);
        Assert.Equal(70_000, offsetAfterRefusal);
        Assert.Equal(sealedLength, lengthAfterRefusal);
        Assert.Equal(HttpStatusCode.NoContent, again.StatusCode);
        Assert.Equal(HttpStatusCode.NoContent, rest.StatusCode);
        Assert.Equal(Hex(source), (await app.Store.GetInfoAsync(IdOf(url)))!.Sha256);
        Assert.Equal(source, (await app.OpenAsync(IdOf(url))).Plaintext);
    }

    [Fact]
    public async Task InterruptedSealedPatch_KeepsWhatArrived_SealedAndInTheTail()
    {
        using var client = await app.CompanyClientAsync();
        var source = Pdf(300_000);
        var url = await CreateAsync(client, source.Length);
        var id = IdOf(url);
        var oneRecord = (await app.Store.GetInfoAsync(id))!.Sealing!.HeaderLength + Chunk + SealedFileFormat.TagSize;
        var dropping = new SlowContent(source, 100_000);
        dropping.Headers.ContentType = new MediaTypeHeaderValue("application/offset+octet-stream");
        using var line = new CancellationTokenSource();
        var first = client.SendAsync(Patch(url, 0, dropping), line.Token);
        await dropping.FirstPartSent.Task.WaitAsync(TimeSpan.FromSeconds(10));
        var data = Path.Combine(app.UploadsDirectory, id + ".bin");
        for (var i = 0; i < 200 && new FileInfo(data).Length < oneRecord; i++)
        {
            await Task.Delay(25);
        }

        await line.CancelAsync();
        await Assert.ThrowsAnyAsync<OperationCanceledException>(() => first.WaitAsync(TimeSpan.FromSeconds(10)));
        var offset = await WaitForUnlockedOffsetAsync(client, url);

        Assert.Equal(100_000, offset);
        Assert.Equal(id + ".100000.tail", Path.GetFileName(Assert.Single(TailsOf(id))));
        AssertNoPlaintextOnDisk(id, source, offset);
        using var rest = await client.SendAsync(Patch(url, offset, source[(int)offset..]));
        Assert.Equal(HttpStatusCode.NoContent, rest.StatusCode);
        Assert.Equal(source, (await app.OpenAsync(id)).Plaintext);
    }

    [Fact]
    public async Task EmptySealedFile_IsCompleteAtCreation_WithTheSha256OfNothing()
    {
        using var client = await app.CompanyClientAsync();

        var url = await CreateAsync(client, 0, Named("vide.txt"));

        var info = await app.Store.GetInfoAsync(IdOf(url));
        Assert.Equal(EmptySha256, info!.Sha256);
        Assert.NotNull(info.CompletedUtc);
        Assert.Contains(IdOf(url), app.Completed.Ids);
        var (plaintext, sha256) = await app.OpenAsync(IdOf(url));
        Assert.Empty(plaintext);
        Assert.Equal(EmptySha256, sha256);
    }

    [Fact]
    public async Task EmptySealedFile_NamedPdf_IsRefusedAtCreation_AndStoresNothing()
    {
        using var client = await app.CompanyClientAsync();
        var before = Directory.GetFiles(app.UploadsDirectory).Length;

        using var response = await client.SendAsync(Create(0, Named("offre.pdf")));

        Assert.Equal(HttpStatusCode.BadRequest, response.StatusCode);
        Assert.Equal("file.content-mismatch", await CodeOf(response));
        Assert.Equal(before, Directory.GetFiles(app.UploadsDirectory).Length);
    }

    [Fact]
    public async Task Delete_SealedUpload_DeletesItsTailsToo()
    {
        using var client = await app.CompanyClientAsync();
        var url = await CreateAsync(client, 100_000);
        using var patch = await client.SendAsync(Patch(url, 0, Pdf(1_000)));
        var tailsBefore = TailsOf(IdOf(url)).Length;

        using var delete = await client.SendAsync(Request(HttpMethod.Delete, url));

        Assert.Equal(1, tailsBefore);
        Assert.Equal(HttpStatusCode.NoContent, delete.StatusCode);
        Assert.Empty(FilesOf(IdOf(url)));
    }

    [Fact]
    public async Task ExpiredSealedUpload_IsSweptWithItsTails()
    {
        using var client = await app.CompanyClientAsync();
        var url = await CreateAsync(client, 100_000);
        using var patch = await client.SendAsync(Patch(url, 0, Pdf(1_000)));
        var tailsBefore = TailsOf(IdOf(url)).Length;
        app.Time.Advance(TimeSpan.FromHours(24) + TimeSpan.FromSeconds(1));

        // The app's own sweep may be deleting it at this very moment on the advanced clock (then this call
        // finds it locked): either way, nothing of the upload stays once the one that holds it is done.
        await app.Store.DeleteExpiredAsync();
        for (var i = 0; i < 100 && FilesOf(IdOf(url)).Length > 0; i++)
        {
            await Task.Delay(50);
            await app.Store.DeleteExpiredAsync();
        }

        Assert.Equal(1, tailsBefore);
        Assert.Empty(FilesOf(IdOf(url)));
    }

    /// <summary>The server notices the drop on its own schedule: wait until the upload is free again.</summary>
    private async Task<long> WaitForUnlockedOffsetAsync(HttpClient client, string url)
    {
        for (var i = 0; i < 200; i++)
        {
            await using (var held = await app.Store.TryLockAsync(IdOf(url)))
            {
                if (held is not null)
                {
                    break;
                }
            }
            await Task.Delay(25);
        }
        return await OffsetAsync(client, url);
    }
}

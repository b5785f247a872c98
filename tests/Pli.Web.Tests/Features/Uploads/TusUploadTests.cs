using System.Net;
using System.Net.Http.Headers;
using System.Security.Cryptography;
using System.Text;
using static Pli.Web.Tests.Features.Uploads.Tus;

namespace Pli.Web.Tests.Features.Uploads;

public sealed class TusUploadTests(UploadsApp app) : IClassFixture<UploadsApp>
{
    private static string Header(HttpResponseMessage response, string name) => response.Headers.GetValues(name).Single();

    private async Task<byte[]> StoredAsync(string url)
    {
        await using var stream = await app.Store.OpenReadAsync(IdOf(url));
        using var copy = new MemoryStream();
        await stream.CopyToAsync(copy);
        return copy.ToArray();
    }

    [Fact]
    public async Task Options_AnswersVersionExtensionsMaxSizeAndChecksumAlgorithms()
    {
        using var client = await app.CompanyClientAsync();

        using var response = await client.SendAsync(Request(HttpMethod.Options, "/api/uploads/", resumable: false));

        Assert.Equal(HttpStatusCode.NoContent, response.StatusCode);
        Assert.Equal("1.0.0", Header(response, "Tus-Resumable"));
        Assert.Equal("1.0.0", Header(response, "Tus-Version"));
        Assert.Equal("creation,creation-with-upload,expiration,checksum,termination", Header(response, "Tus-Extension"));
        Assert.Equal((2L * 1024 * 1024 * 1024).ToString(System.Globalization.CultureInfo.InvariantCulture), Header(response, "Tus-Max-Size"));
        Assert.Equal("sha1,sha256", Header(response, "Tus-Checksum-Algorithm"));
    }

    [Fact]
    public async Task Post_CreatesAnEmptyUpload_ThatHeadDescribes()
    {
        using var client = await app.CompanyClientAsync();
        var metadata = "filename " + Convert.ToBase64String(Encoding.UTF8.GetBytes("offre été.pdf")) + ",confidential";

        using var created = await client.SendAsync(Create(1000, metadata));
        using var head = await client.SendAsync(Request(HttpMethod.Head, created.Headers.Location!.ToString()));

        Assert.Equal(HttpStatusCode.Created, created.StatusCode);
        Assert.Matches("^/api/uploads/[0-9a-f]{32}$", created.Headers.Location!.ToString());
        Assert.Equal("1.0.0", Header(created, "Tus-Resumable"));
        Assert.Equal(app.Time.GetUtcNow().AddHours(24), DateTimeOffset.Parse(Header(created, "Upload-Expires"), System.Globalization.CultureInfo.InvariantCulture));
        Assert.Equal(HttpStatusCode.OK, head.StatusCode);
        Assert.Equal("0", Header(head, "Upload-Offset"));
        Assert.Equal("1000", Header(head, "Upload-Length"));
        Assert.Equal("no-store", head.Headers.CacheControl!.ToString());
        var info = await app.Store.GetInfoAsync(IdOf(created.Headers.Location!.ToString()));
        Assert.Equal("offre été.pdf", info!.Metadata["filename"]);
        Assert.Equal("", info.Metadata["confidential"]);
    }

    [Fact]
    public async Task Patch_InThreeChunks_StoresTheExactBytes_AndCallsTheHookOnce()
    {
        using var client = await app.CompanyClientAsync();
        var source = RandomBytes(300_000);
        var url = await CreateAsync(client, source.Length);

        foreach (var start in new[] { 0, 100_000, 200_000 })
        {
            using var response = await client.SendAsync(Patch(url, start, source[start..(start + 100_000)]));
            Assert.Equal(HttpStatusCode.NoContent, response.StatusCode);
            Assert.Equal((start + 100_000).ToString(System.Globalization.CultureInfo.InvariantCulture), Header(response, "Upload-Offset"));
        }

        Assert.Equal(SHA256.HashData(source), SHA256.HashData(await StoredAsync(url)));
        Assert.Single(app.Completed.Ids, IdOf(url));
    }

    [Fact]
    public async Task Completion_SetsTheSha256OfThePlainFile_InTheInfo()
    {
        using var client = await app.CompanyClientAsync();
        var source = RandomBytes(150_000);
        var url = await CreateAsync(client, source.Length);
        using var first = await client.SendAsync(Patch(url, 0, source[..70_000]));
        var whileIncomplete = (await app.Store.GetInfoAsync(IdOf(url)))!.Sha256;

        using var rest = await client.SendAsync(Patch(url, 70_000, source[70_000..]));

        Assert.Null(whileIncomplete);
        Assert.Equal(Convert.ToHexStringLower(SHA256.HashData(source)), (await app.Store.GetInfoAsync(IdOf(url)))!.Sha256);
        Assert.Null((await app.Store.GetInfoAsync(IdOf(url)))!.Sealing);
    }

    [Fact]
    public async Task Post_WithBody_CreatesAndAppendsInOneRequest()
    {
        using var client = await app.CompanyClientAsync();
        var source = RandomBytes(50_000);

        using var response = await client.SendAsync(Create(source.Length, body: source));

        Assert.Equal(HttpStatusCode.Created, response.StatusCode);
        Assert.Equal("50000", Header(response, "Upload-Offset"));
        Assert.Equal(source, await StoredAsync(response.Headers.Location!.ToString()));
    }

    [Fact]
    public async Task Post_WithBodyPastTheLength_Is413AndStoresNothing()
    {
        using var client = await app.CompanyClientAsync();
        var before = Directory.GetFiles(app.UploadsDirectory).Length;

        using var response = await client.SendAsync(Create(10, body: RandomBytes(11)));

        Assert.Equal(HttpStatusCode.RequestEntityTooLarge, response.StatusCode);
        Assert.Equal(before, Directory.GetFiles(app.UploadsDirectory).Length);
    }

    [Fact]
    public async Task Request_WithoutTusResumable_Is412()
    {
        using var client = await app.CompanyClientAsync();
        var url = await CreateAsync(client, 10);

        using var post = await client.SendAsync(Request(HttpMethod.Post, "/api/uploads/", resumable: false));
        using var head = await client.SendAsync(Request(HttpMethod.Head, url, resumable: false));

        Assert.Equal(HttpStatusCode.PreconditionFailed, post.StatusCode);
        Assert.Equal("1.0.0", Header(post, "Tus-Version"));
        Assert.Equal(HttpStatusCode.PreconditionFailed, head.StatusCode);
    }

    [Fact]
    public async Task Post_WithoutUploadLength_Is400()
    {
        using var client = await app.CompanyClientAsync();

        using var response = await client.SendAsync(Request(HttpMethod.Post, "/api/uploads/"));

        Assert.Equal(HttpStatusCode.BadRequest, response.StatusCode);
    }

    [Fact]
    public async Task Post_WithMalformedMetadata_Is400()
    {
        using var client = await app.CompanyClientAsync();

        using var response = await client.SendAsync(Create(10, "filename pas-du-base64!"));

        Assert.Equal(HttpStatusCode.BadRequest, response.StatusCode);
    }

    [Fact]
    public async Task Post_OverMaxSize_Is413()
    {
        using var client = await app.CompanyClientAsync();

        using var response = await client.SendAsync(Create(2L * 1024 * 1024 * 1024 + 1));

        Assert.Equal(HttpStatusCode.RequestEntityTooLarge, response.StatusCode);
    }

    [Fact]
    public async Task Patch_WithAnotherContentType_Is415AndOffsetUnchanged()
    {
        using var client = await app.CompanyClientAsync();
        var url = await CreateAsync(client, 10);

        using var response = await client.SendAsync(Patch(url, 0, Bytes(RandomBytes(5), "application/octet-stream")));

        Assert.Equal(HttpStatusCode.UnsupportedMediaType, response.StatusCode);
        Assert.Equal(0, await OffsetAsync(client, url));
    }

    [Fact]
    public async Task Patch_AtAnotherOffset_Is409AndStoresNothing()
    {
        using var client = await app.CompanyClientAsync();
        var url = await CreateAsync(client, 10);

        using var response = await client.SendAsync(Patch(url, 3, RandomBytes(5)));

        Assert.Equal(HttpStatusCode.Conflict, response.StatusCode);
        Assert.Equal(0, await OffsetAsync(client, url));
    }

    [Fact]
    public async Task Patch_WithChecksumMismatch_Is460AndOffsetUnchanged()
    {
        using var client = await app.CompanyClientAsync();
        var url = await CreateAsync(client, 20);
        using var first = await client.SendAsync(Patch(url, 0, RandomBytes(5)));
        var chunk = RandomBytes(5);

        using var response = await client.SendAsync(Patch(url, 5, chunk, "sha256 " + Convert.ToBase64String(SHA256.HashData(RandomBytes(5)))));

        Assert.Equal(460, (int)response.StatusCode);
        Assert.Equal(5, await OffsetAsync(client, url));
        Assert.Equal(5, new FileInfo(Path.Combine(app.UploadsDirectory, IdOf(url) + ".bin")).Length);
    }

    [Fact]
    public async Task Patch_WithMatchingSha1Checksum_IsAccepted()
    {
        using var client = await app.CompanyClientAsync();
        var url = await CreateAsync(client, 5);
        var chunk = RandomBytes(5);

        using var response = await client.SendAsync(Patch(url, 0, chunk, "sha1 " + Convert.ToBase64String(SHA1.HashData(chunk))));

        Assert.Equal(HttpStatusCode.NoContent, response.StatusCode);
        Assert.Equal(chunk, await StoredAsync(url));
    }

    [Fact]
    public async Task Patch_WithUnknownChecksumAlgorithm_Is400()
    {
        using var client = await app.CompanyClientAsync();
        var url = await CreateAsync(client, 5);

        using var response = await client.SendAsync(Patch(url, 0, RandomBytes(5), "md5 " + Convert.ToBase64String(MD5.HashData(RandomBytes(5)))));

        Assert.Equal(HttpStatusCode.BadRequest, response.StatusCode);
        Assert.Equal(0, await OffsetAsync(client, url));
    }

    [Fact]
    public async Task Patch_PastTheLength_Is413AndAppendsNothing()
    {
        using var client = await app.CompanyClientAsync();
        var url = await CreateAsync(client, 10);
        using var first = await client.SendAsync(Patch(url, 0, RandomBytes(6)));

        using var response = await client.SendAsync(Patch(url, 6, RandomBytes(5)));

        Assert.Equal(HttpStatusCode.RequestEntityTooLarge, response.StatusCode);
        Assert.Equal(6, await OffsetAsync(client, url));
    }

    [Fact]
    public async Task Patch_PastTheLength_WithoutContentLength_Is413AndAppendsNothing()
    {
        using var client = await app.CompanyClientAsync();
        var url = await CreateAsync(client, 10);
        var content = new StreamContent(new NonSeekableStream(RandomBytes(11)));
        content.Headers.ContentType = new MediaTypeHeaderValue("application/offset+octet-stream");

        using var response = await client.SendAsync(Patch(url, 0, content));

        Assert.Equal(HttpStatusCode.RequestEntityTooLarge, response.StatusCode);
        Assert.Equal(0, await OffsetAsync(client, url));
        Assert.Equal(0, new FileInfo(Path.Combine(app.UploadsDirectory, IdOf(url) + ".bin")).Length);
    }

    [Fact]
    public async Task AnotherUsersUpload_Is404ForHeadPatchAndDelete()
    {
        using var client = await app.CompanyClientAsync();
        var url = await CreateAsync(client, 10);
        using var agent = app.Browser();
        await agent.SignInAsDemoAgentAsync();

        using var head = await agent.Client.SendAsync(Request(HttpMethod.Head, url));
        using var patch = await agent.Client.SendAsync(Patch(url, 0, RandomBytes(5)));
        using var delete = await agent.Client.SendAsync(Request(HttpMethod.Delete, url));

        Assert.Equal(HttpStatusCode.NotFound, head.StatusCode);
        Assert.Equal(HttpStatusCode.NotFound, patch.StatusCode);
        Assert.Equal(HttpStatusCode.NotFound, delete.StatusCode);
        Assert.Equal(0, await OffsetAsync(client, url));
    }

    [Fact]
    public async Task Anonymous_Is401AndCreatesNothing()
    {
        using var anonymous = app.CreateClient(new() { BaseAddress = new Uri("https://localhost"), AllowAutoRedirect = false });
        var before = Directory.Exists(app.UploadsDirectory) ? Directory.GetFiles(app.UploadsDirectory).Length : 0;

        using var response = await anonymous.SendAsync(Create(10));

        Assert.Equal(HttpStatusCode.Unauthorized, response.StatusCode);
        Assert.Equal(before, Directory.Exists(app.UploadsDirectory) ? Directory.GetFiles(app.UploadsDirectory).Length : 0);
    }

    [Fact]
    public async Task ExpiredUpload_IsGone_AndItsFilesDeleted()
    {
        using var before = await app.CompanyClientAsync();
        var url = await CreateAsync(before, 10);
        app.Time.Advance(TimeSpan.FromHours(24) + TimeSpan.FromSeconds(1));
        using var client = await app.CompanyClientAsync();

        using var head = await client.SendAsync(Request(HttpMethod.Head, url));

        Assert.Contains(head.StatusCode, new[] { HttpStatusCode.Gone, HttpStatusCode.NotFound });
        Assert.False(File.Exists(Path.Combine(app.UploadsDirectory, IdOf(url) + ".bin")));
        Assert.Null(await app.Store.GetInfoAsync(IdOf(url)));
    }

    [Fact]
    public async Task Delete_ThenHead_Is404_AndFilesAreGone()
    {
        using var client = await app.CompanyClientAsync();
        var url = await CreateAsync(client, 10);

        using var delete = await client.SendAsync(Request(HttpMethod.Delete, url));
        using var head = await client.SendAsync(Request(HttpMethod.Head, url));

        Assert.Equal(HttpStatusCode.NoContent, delete.StatusCode);
        Assert.Equal(HttpStatusCode.NotFound, head.StatusCode);
        Assert.Empty(Directory.GetFiles(app.UploadsDirectory, IdOf(url) + "*"));
    }

    [Fact]
    public async Task ConcurrentPatch_SecondIsLocked_AndTheContentIsNotCorrupted()
    {
        using var client = await app.CompanyClientAsync();
        var source = RandomBytes(512 * 1024);
        var url = await CreateAsync(client, source.Length);
        var slow = new SlowContent(source, 256 * 1024);
        slow.Headers.ContentType = new MediaTypeHeaderValue("application/offset+octet-stream");
        var first = client.SendAsync(Patch(url, 0, slow));
        await slow.FirstPartSent.Task.WaitAsync(TimeSpan.FromSeconds(10));
        await WhileWritingAsync(url);

        using var second = await client.SendAsync(Patch(url, 0, RandomBytes(1024)));
        slow.Release.SetResult();
        using var firstResponse = await first.WaitAsync(TimeSpan.FromSeconds(10));

        Assert.Equal(HttpStatusCode.Locked, second.StatusCode);
        Assert.Equal(HttpStatusCode.NoContent, firstResponse.StatusCode);
        Assert.Equal(source, await StoredAsync(url));
    }

    [Fact]
    public async Task InterruptedPatch_KeepsTheBytesReceived_AndHeadTellsTheOffset()
    {
        using var client = await app.CompanyClientAsync();
        var source = RandomBytes(512 * 1024);
        var url = await CreateAsync(client, source.Length);
        var dropping = new SlowContent(source, 256 * 1024);
        dropping.Headers.ContentType = new MediaTypeHeaderValue("application/offset+octet-stream");
        using var line = new CancellationTokenSource();
        var first = client.SendAsync(Patch(url, 0, dropping), line.Token);
        await dropping.FirstPartSent.Task.WaitAsync(TimeSpan.FromSeconds(10));
        await WhileWritingAsync(url);

        await line.CancelAsync();
        await Assert.ThrowsAnyAsync<OperationCanceledException>(() => first.WaitAsync(TimeSpan.FromSeconds(10)));
        var offset = await WaitForUnlockedOffsetAsync(client, url);

        Assert.Equal(256 * 1024, offset);
        using var rest = await client.SendAsync(Patch(url, offset, source[(int)offset..]));
        Assert.Equal(HttpStatusCode.NoContent, rest.StatusCode);
        Assert.Equal(source, await StoredAsync(url));
    }

    /// <summary>Waits until the first request has bytes on disk: it holds the upload's lock then.</summary>
    private async Task WhileWritingAsync(string url)
    {
        var data = Path.Combine(app.UploadsDirectory, IdOf(url) + ".bin");
        for (var i = 0; i < 200 && new FileInfo(data).Length == 0; i++)
        {
            await Task.Delay(25);
        }
        Assert.True(new FileInfo(data).Length > 0, "The first PATCH never started writing.");
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

    /// <summary>A body of unknown length: sent chunked, without Content-Length.</summary>
    private sealed class NonSeekableStream(byte[] bytes) : MemoryStream(bytes)
    {
        public override bool CanSeek => false;
    }
}

public sealed class UploadOptionsTests
{
    [Theory]
    [InlineData("00:00:00", "01:00:00")]
    [InlineData("1.00:00:00", "00:00:00")]
    public void ZeroDurations_AreRefusedAtStart(string expireAfter, string sweepEvery)
    {
        var options = new Pli.Web.Features.Uploads.UploadOptions { ExpireAfter = TimeSpan.Parse(expireAfter, System.Globalization.CultureInfo.InvariantCulture), SweepEvery = TimeSpan.Parse(sweepEvery, System.Globalization.CultureInfo.InvariantCulture) };

        var valid = System.ComponentModel.DataAnnotations.Validator.TryValidateObject(options, new(options), [], validateAllProperties: true);

        Assert.False(valid);
    }

    [Theory]
    [InlineData("00:00:02", "00:00:05")]
    [InlineData("00:15:00", "00:00:05")]
    [InlineData("00:00:15", "00:02:00")]
    public void SharedLocksOutsideTheirBounds_AreRefusedAtStart(string lockLease, string lockWait)
    {
        var options = new Pli.Web.Features.Uploads.UploadOptions { LockLease = TimeSpan.Parse(lockLease, System.Globalization.CultureInfo.InvariantCulture), LockWait = TimeSpan.Parse(lockWait, System.Globalization.CultureInfo.InvariantCulture) };

        var valid = System.ComponentModel.DataAnnotations.Validator.TryValidateObject(options, new(options), [], validateAllProperties: true);

        Assert.False(valid);
    }

    [Fact]
    public void Defaults_AreValid()
    {
        var options = new Pli.Web.Features.Uploads.UploadOptions();

        Assert.True(System.ComponentModel.DataAnnotations.Validator.TryValidateObject(options, new(options), [], validateAllProperties: true));
    }
}

using System.Net;
using System.Text.Json;
using Microsoft.AspNetCore.Hosting;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.DependencyInjection.Extensions;
using Pli.Web.Features.Uploads;
using static Pli.Web.Tests.Features.Uploads.Tus;

namespace Pli.Web.Tests.Features.Uploads;

/// <summary>
/// A full disk (ENOSPC) while a chunk is written: the client gets a 507 with a message in its language, not a bare 500,
/// and the upload resumes from the offset acknowledged before once space returns. bench/faults/run.sh
/// (scenario diskfull) does the same on a real tmpfs.
/// </summary>
public sealed class UploadStorageFullTests(UploadStorageFullTests.FullDiskApp app) : IClassFixture<UploadStorageFullTests.FullDiskApp>
{
    [Fact]
    public async Task Patch_WhenTheDiskIsFull_Answers507InFrench_KeepsTheOffset_AndResumesOnceSpaceReturns()
    {
        using var client = await app.CompanyClientAsync();
        var body = RandomBytes(3000);
        var url = await CreateAsync(client, body.Length);
        using (var first = await client.SendAsync(Patch(url, 0, body[..1000])))
        {
            Assert.Equal(HttpStatusCode.NoContent, first.StatusCode);
        }

        app.Disk.Full = true;
        using var full = await client.SendAsync(Patch(url, 1000, body[1000..]));
        app.Disk.Full = false;
        var offsetAfter = await OffsetAsync(client, url);
        using var resumed = await client.SendAsync(Patch(url, 1000, body[1000..]));

        Assert.Equal(HttpStatusCode.InsufficientStorage, full.StatusCode);
        Assert.Equal("1.0.0", full.Headers.GetValues("Tus-Resumable").Single());
        var problem = JsonDocument.Parse(await full.Content.ReadAsStringAsync()).RootElement;
        Assert.StartsWith("Espace de stockage insuffisant", problem.GetProperty("title").GetString(), StringComparison.Ordinal);
        Assert.DoesNotContain("/", problem.GetProperty("title").GetString(), StringComparison.Ordinal);
        Assert.Equal(1000, offsetAfter);
        Assert.Equal(HttpStatusCode.NoContent, resumed.StatusCode);
        await using var stored = await app.Store.OpenReadAsync(IdOf(url));
        using var copy = new MemoryStream();
        await stored.CopyToAsync(copy);
        Assert.Equal(body, copy.ToArray());
    }

    [Fact]
    public async Task Patch_WhenTheDiskIsFull_AnswersInEnglish_ToAnEnglishReader()
    {
        using var client = await app.CompanyClientAsync();
        var body = RandomBytes(2000);
        var url = await CreateAsync(client, body.Length);

        app.Disk.Full = true;
        using var full = await client.SendAsync(Patch(url + "?culture=en-GB", 0, body));
        app.Disk.Full = false;

        Assert.Equal(HttpStatusCode.InsufficientStorage, full.StatusCode);
        var problem = JsonDocument.Parse(await full.Content.ReadAsStringAsync()).RootElement;
        Assert.Equal("Not enough storage space on the platform: your file could not be received in full.", problem.GetProperty("title").GetString());
        Assert.StartsWith("The part already received is kept", problem.GetProperty("detail").GetString(), StringComparison.Ordinal);
    }

    [Fact]
    public void IsStorageFull_KnowsTheFullDiskErrors_AndNoOtherIoError()
    {
        Assert.False(UploadEndpoints.IsStorageFull(new IOException("Input/output error", 5)));
        Assert.True(UploadEndpoints.IsStorageFull(new IOException("No space left on device", 28)));
        Assert.True(UploadEndpoints.IsStorageFull(new IOException("Disk quota exceeded", 122)));
    }

    public sealed class FullDiskApp : UploadsApp
    {
        public FullDisk Disk => Services.GetRequiredService<FullDisk>();

        protected override void ConfigureWebHost(IWebHostBuilder builder)
        {
            base.ConfigureWebHost(builder);
            builder.ConfigureServices(services =>
            {
                services.RemoveAll<IUploadStore>();
                services.AddSingleton<UploadStore>();
                services.AddSingleton<FullDisk>();
                services.AddSingleton<IUploadStore>(sp => sp.GetRequiredService<FullDisk>());
            });
        }
    }

    /// <summary>The real store, except that while <see cref="Full"/> a write fails as Linux fails it on a full disk.</summary>
    public sealed class FullDisk(UploadStore store) : IUploadStore
    {
        public bool Full { get; set; }

        public Task<UploadInfo> CreateAsync(Guid ownerId, long length, IReadOnlyDictionary<string, string> metadata, UploadAdmission admission, CancellationToken cancellationToken = default) =>
            store.CreateAsync(ownerId, length, metadata, admission, cancellationToken);

        public Task<UploadInfo?> GetInfoAsync(string id, CancellationToken cancellationToken = default) => store.GetInfoAsync(id, cancellationToken);

        public Task<UploadLock?> TryLockAsync(string id, CancellationToken cancellationToken = default) => store.TryLockAsync(id, cancellationToken);

        public async Task<AppendResult> AppendAsync(UploadLock upload, Stream body, UploadChecksum? checksum, CancellationToken cancellationToken = default)
        {
            if (Full)
            {
                // Part of the chunk arrives, then the write fails.
                _ = await body.ReadAtLeastAsync(new byte[100], 1, throwOnEndOfStream: false, cancellationToken);
                throw new IOException("No space left on device : '/data/files/uploads/x.bin'", 28);
            }
            return await store.AppendAsync(upload, body, checksum, cancellationToken);
        }

        public Task<Stream> OpenReadAsync(string id, CancellationToken cancellationToken = default) => store.OpenReadAsync(id, cancellationToken);

        public Task HandOverAsync(string id, Pli.Web.Infrastructure.Storage.IFileStore files, string key, CancellationToken cancellationToken = default) => store.HandOverAsync(id, files, key, cancellationToken);

        public Task<bool> DeleteAsync(string id, CancellationToken cancellationToken = default) => store.DeleteAsync(id, cancellationToken);

        public Task<int> DeleteExpiredAsync(CancellationToken cancellationToken = default) => store.DeleteExpiredAsync(cancellationToken);
    }
}

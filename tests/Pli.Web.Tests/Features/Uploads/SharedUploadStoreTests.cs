using System.Net;
using System.Security.Cryptography;
using System.Text;
using Microsoft.EntityFrameworkCore;
using Pli.Domain.Common;
using Pli.Web.Features.Uploads;
using static Pli.Web.Tests.Features.Uploads.Tus;

namespace Pli.Web.Tests.Features.Uploads;

/// <summary>
/// Uploads kept for several instances (Uploads:Store=Shared): the state and the lease in the database, the
/// bytes as parts in the file store. Two apps over one database and one store stand for two instances.
/// </summary>
public sealed class SharedUploadStoreTests(SharedSealedUploadsApp app) : IClassFixture<SharedSealedUploadsApp>
{
    private const int Chunk = Pli.Web.Infrastructure.Crypto.SealedFileFormat.DefaultChunkSize;

    private static string Named(string fileName) => "filename " + Convert.ToBase64String(Encoding.UTF8.GetBytes(fileName));

    private static string Hex(byte[] bytes) => Convert.ToHexStringLower(SHA256.HashData(bytes));

    private static byte[] Pdf(int length)
    {
        var bytes = RandomBytes(length);
        "%PDF-1.7\n"u8.CopyTo(bytes);
        return bytes;
    }

    private string[] StoredFilesOf(string id)
    {
        var folder = Path.Combine(app.FilesDirectory, "uploads", id);
        return Directory.Exists(folder) ? Directory.GetFiles(folder) : [];
    }

    private Task<SharedUpload?> RowAsync(string id) => app.WithDb(db => db.SharedUploads.AsNoTracking().FirstOrDefaultAsync(u => u.Id == id));

    private static async Task PatchAsync(HttpClient client, string url, long offset, byte[] body, HttpStatusCode expected = HttpStatusCode.NoContent)
    {
        using var response = await client.SendAsync(Patch(url, offset, body));
        Assert.Equal(expected, response.StatusCode);
    }

    [Fact]
    public async Task A_sealed_upload_sent_in_uneven_chunks_is_stored_as_parts_and_reads_back_as_its_sealed_file()
    {
        using var client = await app.CompanyClientAsync();
        var source = Pdf((2 * Chunk) + 1234);
        var url = await CreateAsync(client, source.Length, Named("plan.pdf"));
        var id = IdOf(url);
        await PatchAsync(client, url, 0, source[..1000]);
        await PatchAsync(client, url, 1000, source[1000..(Chunk + 10)]);
        await PatchAsync(client, url, Chunk + 10, source[(Chunk + 10)..]);

        var row = await RowAsync(id);
        Assert.NotNull(row);
        Assert.Equal(source.Length, row.Offset);
        Assert.Equal(Hex(source), row.Sha256);
        Assert.Null(row.TailKey);
        Assert.Null(row.LockToken);
        // The first PATCH kept its 1000 bytes in the tail only; the next two wrote one part each.
        Assert.Equal(2, System.Text.Json.JsonSerializer.Deserialize<string[]>(row.PartsJson)!.Length);
        Assert.Equal(2, StoredFilesOf(id).Length);
        foreach (var file in StoredFilesOf(id))
        {
            Assert.True(File.ReadAllBytes(file).AsSpan().IndexOf(source.AsSpan(Chunk, 64)) < 0, "A part holds plaintext.");
        }

        var (plaintext, sha256) = await app.OpenAsync(id);
        Assert.Equal(source, plaintext);
        Assert.Equal(Hex(source), sha256);

        Assert.True(await app.Store.DeleteAsync(id));
        Assert.Null(await RowAsync(id));
        Assert.Empty(StoredFilesOf(id));
    }

    [Fact]
    public async Task Chunks_sent_alternately_to_two_instances_make_one_file_with_the_right_digest()
    {
        await using var other = app.Sibling();
        other.Time.SetUtcNow(app.Time.GetUtcNow());
        using var first = await app.CompanyClientAsync();
        using var second = await other.CompanyClientAsync();
        var source = Pdf((3 * Chunk) + 77);
        var url = await CreateAsync(first, source.Length, Named("offre.pdf"));
        var cuts = new[] { 0, 500, Chunk + 3, (2 * Chunk) + 100, source.Length };
        for (var i = 0; i + 1 < cuts.Length; i++)
        {
            await PatchAsync(i % 2 == 0 ? first : second, url, cuts[i], source[cuts[i]..cuts[i + 1]]);
            Assert.Equal(cuts[i + 1], await OffsetAsync(i % 2 == 0 ? second : first, url));
        }

        var info = await other.Store.GetInfoAsync(IdOf(url));
        Assert.Equal(Hex(source), info!.Sha256);
        var (plaintext, _) = await app.OpenAsync(IdOf(url));
        Assert.Equal(source, plaintext);
    }

    [Fact]
    public async Task An_upload_held_by_a_request_of_another_instance_is_refused_with_423_until_it_is_released()
    {
        await using var other = app.Sibling();
        other.Time.SetUtcNow(app.Time.GetUtcNow());
        using var client = await app.CompanyClientAsync();
        var source = Pdf(3000);
        var url = await CreateAsync(client, source.Length, Named("a.pdf"));
        var held = await other.Store.TryLockAsync(IdOf(url));
        Assert.NotNull(held);

        await PatchAsync(client, url, 0, source[..1000], HttpStatusCode.Locked);
        Assert.Null(await app.Store.TryLockAsync(IdOf(url)));
        Assert.False(await app.Store.DeleteAsync(IdOf(url)));

        await held.DisposeAsync();
        await PatchAsync(client, url, 0, source[..1000]);
        Assert.Equal(1000, await OffsetAsync(client, url));
    }

    [Fact]
    public async Task The_lease_of_a_dead_instance_runs_out_and_the_upload_goes_on_elsewhere()
    {
        using var client = await app.CompanyClientAsync();
        var source = Pdf(3000);
        var url = await CreateAsync(client, source.Length, Named("b.pdf"));
        var id = IdOf(url);
        // An instance that died while writing: its lease was never released.
        var until = app.Time.GetUtcNow().UtcDateTime.AddSeconds(15);
        await app.WithDb(db => db.SharedUploads.Where(u => u.Id == id)
            .ExecuteUpdateAsync(s => s.SetProperty(u => u.LockToken, Guid.NewGuid()).SetProperty(u => u.LockedUntilUtc, until)));

        await PatchAsync(client, url, 0, source[..1000], HttpStatusCode.Locked);
        app.Time.Advance(TimeSpan.FromSeconds(14));
        await PatchAsync(client, url, 0, source[..1000], HttpStatusCode.Locked);
        app.Time.Advance(TimeSpan.FromSeconds(2));
        await PatchAsync(client, url, 0, source[..1000]);
        await PatchAsync(client, url, 1000, source[1000..]);
        Assert.Equal(Hex(source), (await app.Store.GetInfoAsync(id))!.Sha256);
    }

    [Fact]
    public async Task A_chunk_whose_lease_was_taken_over_meanwhile_is_not_kept_and_leaves_no_part()
    {
        var store = app.Store;
        var info = await store.CreateAsync(Guid.NewGuid(), 3 * Chunk, new Dictionary<string, string>(), new UploadAdmission(app.KeyPair.PublicKeyDer, null));
        var held = await store.TryLockAsync(info.Id);
        Assert.NotNull(held);
        // The lease ran out and another request claimed the upload while this one was still receiving.
        await app.WithDb(db => db.SharedUploads.Where(u => u.Id == info.Id).ExecuteUpdateAsync(s => s.SetProperty(u => u.LockToken, Guid.NewGuid())));

        await using (held)
        {
            var result = await store.AppendAsync(held, new MemoryStream(RandomBytes((2 * Chunk) + 5)), null);
            Assert.Equal(AppendStatus.LockLost, result.Status);
        }
        Assert.Equal(0, (await store.GetInfoAsync(info.Id))!.Offset);
        Assert.Empty(StoredFilesOf(info.Id));
    }

    [Fact]
    public async Task A_chunk_with_a_wrong_checksum_is_refused_and_leaves_no_part()
    {
        using var client = await app.CompanyClientAsync();
        var source = Pdf(2 * Chunk);
        var url = await CreateAsync(client, source.Length, Named("c.pdf"));
        var wrong = "sha256 " + Convert.ToBase64String(SHA256.HashData(source[..(Chunk + 9)]));
        using (var response = await client.SendAsync(Patch(url, 0, source[..(Chunk + 10)], wrong)))
        {
            Assert.Equal((HttpStatusCode)460, response.StatusCode);
        }
        Assert.Equal(0, await OffsetAsync(client, url));
        Assert.Empty(StoredFilesOf(IdOf(url)));
        await PatchAsync(client, url, 0, source);
        Assert.Equal(Hex(source), (await app.Store.GetInfoAsync(IdOf(url)))!.Sha256);
    }

    [Fact]
    public async Task A_file_whose_first_bytes_do_not_fit_its_name_is_refused_and_nothing_of_it_remains()
    {
        using var client = await app.CompanyClientAsync();
        var executable = RandomBytes(Chunk + 100);
        "MZ"u8.CopyTo(executable);
        var url = await CreateAsync(client, executable.Length, Named("cv.pdf"));
        using (var response = await client.SendAsync(Patch(url, 0, executable)))
        {
            Assert.Equal(HttpStatusCode.BadRequest, response.StatusCode);
        }
        Assert.Null(await app.WithDb(db => db.SharedUploads.FirstOrDefaultAsync(u => u.Id == IdOf(url))));
        Assert.Empty(StoredFilesOf(IdOf(url)));
    }

    [Fact]
    public async Task A_plain_upload_checks_a_head_that_spans_two_chunks_and_keeps_the_bytes_as_they_came()
    {
        var store = app.Store;
        var source = Pdf(40_000);
        var info = await store.CreateAsync(Guid.NewGuid(), source.Length, new Dictionary<string, string>(), new UploadAdmission(null, "note.pdf"));
        foreach (var (from, to) in new[] { (0, 3), (3, 20_000), (20_000, source.Length) })
        {
            var held = await store.TryLockAsync(info.Id);
            await using (held)
            {
                var result = await store.AppendAsync(held!, new MemoryStream(source[from..to]), null);
                Assert.Equal(AppendStatus.Appended, result.Status);
            }
        }
        await using var read = await store.OpenReadAsync(info.Id);
        using var copy = new MemoryStream();
        await read.CopyToAsync(copy);
        Assert.Equal(source, copy.ToArray());
        Assert.Equal(Hex(source), (await store.GetInfoAsync(info.Id))!.Sha256);

        var refused = await store.CreateAsync(Guid.NewGuid(), 100, new Dictionary<string, string>(), new UploadAdmission(null, "note.pdf"));
        var lockOfRefused = await store.TryLockAsync(refused.Id);
        await using (lockOfRefused)
        {
            await store.AppendAsync(lockOfRefused!, new MemoryStream("%P"u8.ToArray()), null);
            await Assert.ThrowsAsync<DomainException>(() => store.AppendAsync(lockOfRefused!, new MemoryStream(RandomBytes(98)), null));
        }
        Assert.Null(await store.GetInfoAsync(refused.Id));
        Assert.Empty(StoredFilesOf(refused.Id));
    }

    [Fact]
    public async Task The_hand_over_copies_the_sealed_file_into_the_file_store_and_can_be_done_again()
    {
        using var client = await app.CompanyClientAsync();
        var source = Pdf(Chunk + 5);
        var url = await CreateAsync(client, source.Length, Named("d.pdf"));
        await PatchAsync(client, url, 0, source);
        var key = $"deposits/test/{IdOf(url)}.sealed";
        await app.Store.HandOverAsync(IdOf(url), app.Files, key);
        await app.Store.HandOverAsync(IdOf(url), app.Files, key);

        await using var stored = await app.Files.OpenReadAsync(key);
        await using var fromUpload = await app.Store.OpenReadAsync(IdOf(url));
        using var a = new MemoryStream();
        using var b = new MemoryStream();
        await stored.CopyToAsync(a);
        await fromUpload.CopyToAsync(b);
        Assert.Equal(b.ToArray(), a.ToArray());
        Assert.True(a.Length > source.Length);
    }

    [Fact]
    public async Task Expired_uploads_are_deleted_with_every_part_even_one_no_row_names()
    {
        using var client = await app.CompanyClientAsync();
        var source = Pdf(3 * Chunk);
        var url = await CreateAsync(client, source.Length, Named("e.pdf"));
        var id = IdOf(url);
        await PatchAsync(client, url, 0, source[..(Chunk + 10)]);
        // A part written just before a crash: stored, never named by the row.
        await using (var orphan = new MemoryStream(RandomBytes(100)))
        {
            await app.Files.SaveAsync($"uploads/{id}/p000000000065536-crashed", orphan);
        }
        // A deletion cut short by a crash: the row says deleted, its parts are still there.
        var cut = await app.Store.CreateAsync(Guid.NewGuid(), 10, new Dictionary<string, string>(), UploadAdmission.Plain);
        await using (var part = new MemoryStream(RandomBytes(5)))
        {
            await app.Files.SaveAsync($"uploads/{cut.Id}/p000000000000000-x", part);
        }
        var now = app.Time.GetUtcNow().UtcDateTime;
        await app.WithDb(db => db.SharedUploads.Where(u => u.Id == cut.Id).ExecuteUpdateAsync(s => s.SetProperty(u => u.DeletedUtc, now)));
        Assert.Null(await app.Store.GetInfoAsync(cut.Id));
        Assert.NotEmpty(StoredFilesOf(id));

        app.Time.Advance(TimeSpan.FromHours(24) + TimeSpan.FromSeconds(1));
        Assert.True(await app.Store.DeleteExpiredAsync() >= 2);

        Assert.Null(await RowAsync(id));
        Assert.Null(await RowAsync(cut.Id));
        Assert.Empty(StoredFilesOf(id));
        Assert.Empty(StoredFilesOf(cut.Id));
    }
}

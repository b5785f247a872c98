namespace Pli.Web.Infrastructure.Storage;

/// <summary>
/// Where Pli keeps file contents (DCE files, later sealed deposits). Keys are opaque paths chosen
/// by Pli ("dce/{consultation}/{file}"), never names typed by a user. Contents are streamed both
/// ways: no implementation may hold a whole file in memory.
/// </summary>
public interface IFileStore
{
    /// <summary>Writes the stream under <paramref name="key"/>, durably, and returns its size and SHA-256 (hex).</summary>
    Task<StoredFile> SaveAsync(string key, Stream content, CancellationToken cancellationToken = default);

    /// <summary>
    /// Takes over a file of this machine's disk (a completed upload) under <paramref name="key"/>; the source
    /// is gone afterwards. On local disk it is a rename, so a large deposit file is not written twice. Done
    /// already (no source, the key there) is not an error: it is the retry after a crash.
    /// </summary>
    Task ImportAsync(string key, string sourcePath, CancellationToken cancellationToken = default);

    /// <summary>Opens the content for reading (seekable where the backend allows, for HTTP ranges).</summary>
    Task<Stream> OpenReadAsync(string key, CancellationToken cancellationToken = default);

    Task<bool> ExistsAsync(string key, CancellationToken cancellationToken = default);

    Task DeleteAsync(string key, CancellationToken cancellationToken = default);

    /// <summary>
    /// Deletes every file whose key lies under <paramref name="prefix"/> ("uploads/{id}"), including files
    /// no record names any more (a part written just before a crash); nothing there is not an error.
    /// </summary>
    Task DeleteFolderAsync(string prefix, CancellationToken cancellationToken = default);

    /// <summary>Writes, reads back and deletes a small probe: what /health asks of storage (the same for every store).</summary>
    async Task ProbeAsync(CancellationToken cancellationToken = default)
    {
        var key = $"health/{Guid.NewGuid():N}";
        await using (var probe = new MemoryStream([1, 2, 3]))
        {
            await SaveAsync(key, probe, cancellationToken);
        }
        await using (var read = await OpenReadAsync(key, cancellationToken))
        {
            if (read.Length != 3)
            {
                throw new IOException("Storage probe read back a different size.");
            }
        }
        await DeleteAsync(key, cancellationToken);
    }
}

public sealed record StoredFile(string Key, long Size, string Sha256);

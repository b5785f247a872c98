using System.Security.Cryptography;
using Microsoft.Extensions.Options;

namespace Pli.Web.Infrastructure.Storage;

/// <summary>
/// Files on local disk: the embedded default. A file is written to a temporary name, flushed to
/// disk, then renamed, so a crash never leaves a half-written file under a real key.
/// </summary>
public sealed class LocalFileStore : IFileStore
{
    private const int BufferSize = 81920;
    private readonly string _root;

    public LocalFileStore(IOptions<StorageOptions> options, IHostEnvironment environment)
    {
        var path = options.Value.RootPath;
        _root = Path.GetFullPath(Path.IsPathRooted(path) ? path : Path.Combine(environment.ContentRootPath, path));
        Directory.CreateDirectory(_root);
    }

    public async Task<StoredFile> SaveAsync(string key, Stream content, CancellationToken cancellationToken = default)
    {
        var path = PathOf(key);
        Directory.CreateDirectory(Path.GetDirectoryName(path)!);
        var temp = path + "." + Guid.NewGuid().ToString("N") + ".tmp";
        using var hash = IncrementalHash.CreateHash(HashAlgorithmName.SHA256);
        long size = 0;
        try
        {
            await using (var output = new FileStream(temp, FileMode.CreateNew, FileAccess.Write, FileShare.None, BufferSize, FileOptions.Asynchronous))
            {
                var buffer = new byte[BufferSize];
                int read;
                while ((read = await content.ReadAsync(buffer, cancellationToken)) > 0)
                {
                    hash.AppendData(buffer, 0, read);
                    await output.WriteAsync(buffer.AsMemory(0, read), cancellationToken);
                    size += read;
                }
                await output.FlushAsync(cancellationToken);
                output.Flush(flushToDisk: true);
            }
            File.Move(temp, path, overwrite: true);
        }
        catch
        {
            File.Delete(temp);
            throw;
        }
        return new StoredFile(key, size, Convert.ToHexStringLower(hash.GetHashAndReset()));
    }

    public Task<Stream> OpenReadAsync(string key, CancellationToken cancellationToken = default)
    {
        var path = PathOf(key);
        if (!File.Exists(path))
        {
            throw new FileNotFoundException($"No stored file under key '{key}'.");
        }
        Stream stream = new FileStream(path, FileMode.Open, FileAccess.Read, FileShare.Read, BufferSize, FileOptions.Asynchronous | FileOptions.SequentialScan);
        return Task.FromResult(stream);
    }

    public Task ImportAsync(string key, string sourcePath, CancellationToken cancellationToken = default)
    {
        var path = PathOf(key);
        if (!File.Exists(sourcePath) && File.Exists(path))
        {
            return Task.CompletedTask;
        }
        Directory.CreateDirectory(Path.GetDirectoryName(path)!);
        // The source was flushed to disk when its last byte came; a rename within one file system keeps it so.
        File.Move(sourcePath, path, overwrite: true);
        return Task.CompletedTask;
    }

    public Task<bool> ExistsAsync(string key, CancellationToken cancellationToken = default) => Task.FromResult(File.Exists(PathOf(key)));

    public Task DeleteAsync(string key, CancellationToken cancellationToken = default)
    {
        File.Delete(PathOf(key));
        return Task.CompletedTask;
    }

    public Task DeleteFolderAsync(string prefix, CancellationToken cancellationToken = default)
    {
        var path = PathOf(prefix.TrimEnd('/'));
        if (Directory.Exists(path))
        {
            Directory.Delete(path, recursive: true);
        }
        return Task.CompletedTask;
    }

    /// <summary>Keys are Pli's own, but are checked anyway so that no key can leave the root.</summary>
    private string PathOf(string key)
    {
        StorageKeys.Require(key);
        var full = Path.GetFullPath(Path.Combine(_root, key));
        if (!full.StartsWith(_root + Path.DirectorySeparatorChar, StringComparison.Ordinal))
        {
            throw new ArgumentException($"Invalid storage key '{key}'.", nameof(key));
        }
        return full;
    }
}

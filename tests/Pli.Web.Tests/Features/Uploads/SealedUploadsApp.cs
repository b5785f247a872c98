using System.Security.Cryptography;
using Microsoft.AspNetCore.Hosting;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.DependencyInjection.Extensions;
using Microsoft.Extensions.Options;
using Microsoft.Extensions.Time.Testing;
using Pli.Domain.Consultations;
using Pli.Web.Features.Uploads;
using Pli.Web.Infrastructure.Crypto;
using Pli.Web.Infrastructure.Storage;

namespace Pli.Web.Tests.Features.Uploads;

/// <summary>
/// Pli whose uploads are all sealed for one generated consultation key pair, as the deposit feature will
/// admit them; an upload named by its "filename" metadata must have the content that name says.
/// </summary>
public class SealedUploadsApp : UploadsApp
{
    private readonly string _masterKey;

    public SealedUploadsApp()
        : this(null, Convert.ToBase64String(RandomNumberGenerator.GetBytes(32)), null)
    {
    }

    protected SealedUploadsApp(UploadStoreKind store)
        : this(null, Convert.ToBase64String(RandomNumberGenerator.GetBytes(32)), null, store)
    {
    }

    private SealedUploadsApp(string? sharedDataRoot, string masterKey, ConsultationKeyPair? keyPair, UploadStoreKind store = UploadStoreKind.Local)
        : base(sharedDataRoot)
    {
        OwnsDataRoot = true;
        _masterKey = masterKey;
        _store = store;
        KeyPair = keyPair ?? KeysAt(Start).Generate();
    }

    private readonly UploadStoreKind _store;

    public ConsultationKeyPair KeyPair { get; }

    protected override IDictionary<string, string?> Settings => new Dictionary<string, string?>
    {
        ["Crypto:MasterKey"] = _masterKey,
        ["Uploads:Store"] = _store.ToString(),
        // A held upload answers 423 at once: the tests say when a holder lets go.
        ["Uploads:LockWait"] = "00:00:00",
    };

    /// <summary>Another instance over the same database, folders and master secret, running beside this one (it deletes nothing).</summary>
    public SealedUploadsApp Sibling() => new(DataRoot, _masterKey, KeyPair, _store) { OwnsDataRoot = false };

    /// <summary>
    /// A new app over the same folders and master secret, as a restarted (or another) process: this one
    /// hands its folders over and no longer deletes them.
    /// </summary>
    public SealedUploadsApp Restarted()
    {
        OwnsDataRoot = false;
        return new SealedUploadsApp(DataRoot, _masterKey, KeyPair, _store);
    }

    /// <summary>Decrypts a completed upload with the consultation key, on a clock past the deadline.</summary>
    public async Task<(byte[] Plaintext, string Sha256)> OpenAsync(string id)
    {
        var deadline = new DateTime(2026, 6, 30, 10, 0, 0, DateTimeKind.Utc);
        var opener = new SealedFiles(KeysAt(new DateTimeOffset(deadline).AddSeconds(1)), Options.Create(new CryptoOptions()));
        await using var stored = await Store.OpenReadAsync(id);
        await using var reader = await opener.OpenReaderAsync(stored, KeyPair, deadline);
        using var plaintext = new MemoryStream();
        await reader.CopyToAsync(plaintext);
        return (plaintext.ToArray(), reader.PlaintextSha256Hex);
    }

    protected override void ConfigureWebHost(IWebHostBuilder builder)
    {
        base.ConfigureWebHost(builder);
        builder.ConfigureServices(services =>
        {
            services.RemoveAll<IUploadAdmission>();
            services.AddSingleton<IUploadAdmission>(new SealingAdmission(KeyPair.PublicKeyDer));
        });
    }

    private ConsultationKeys KeysAt(DateTimeOffset now) =>
        new(new FixedKey(Convert.FromBase64String(_masterKey)), new FakeTimeProvider(now), Options.Create(new CryptoOptions { PrivateKeyIterations = 100_000 }));

    private sealed class FixedKey(byte[] key) : IKeyEncryptionKeyProvider
    {
        public byte[] GetKeyEncryptionKey() => (byte[])key.Clone();
    }

    /// <summary>Seals every upload; refuses an unsafe file name at creation, as the deposit will.</summary>
    private sealed class SealingAdmission(byte[] publicKeyDer) : IUploadAdmission
    {
        public Task<UploadAdmission> AdmitAsync(Guid ownerId, long length, IReadOnlyDictionary<string, string> metadata, CancellationToken cancellationToken)
        {
            var name = metadata.TryGetValue("filename", out var value) ? FilePolicy.RequireSafeName(value) : null;
            return Task.FromResult(new UploadAdmission(publicKeyDer, name));
        }
    }
}

/// <summary>The same, with the uploads in the database and the file store, as several instances keep them.</summary>
public sealed class SharedSealedUploadsApp() : SealedUploadsApp(UploadStoreKind.Shared)
{
    public IFileStore Files => Services.GetRequiredService<IFileStore>();

    public string FilesDirectory => Path.Combine(DataRoot, "files");
}

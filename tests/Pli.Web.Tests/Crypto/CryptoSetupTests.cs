using System.Security.Cryptography;
using Microsoft.Extensions.Configuration;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.Hosting;
using Microsoft.Extensions.Hosting.Internal;
using Microsoft.Extensions.Options;
using Microsoft.Extensions.Time.Testing;
using Pli.Web.Infrastructure.Crypto;

namespace Pli.Web.Tests.Crypto;

public sealed class CryptoSetupTests : IDisposable
{
    private readonly string _root = Path.Combine(Path.GetTempPath(), "pli-crypto-" + Guid.NewGuid().ToString("N"));

    public void Dispose()
    {
        if (Directory.Exists(_root))
        {
            Directory.Delete(_root, recursive: true);
        }
    }

    private ServiceProvider Services(string environment, string? masterKey = null, TimeProvider? time = null)
    {
        var settings = new Dictionary<string, string?>();
        if (masterKey is not null)
        {
            settings["Crypto:MasterKey"] = masterKey;
        }
        var configuration = new ConfigurationBuilder().AddInMemoryCollection(settings).Build();
        var services = new ServiceCollection();
        services.AddSingleton<IHostEnvironment>(new HostingEnvironment { EnvironmentName = environment, ContentRootPath = _root });
        if (time is not null)
        {
            services.AddSingleton(time);
        }
        services.AddCrypto(configuration);
        return services.BuildServiceProvider();
    }

    [Fact]
    public void Start_InProductionWithoutMasterKey_IsRefused()
    {
        using var services = Services(Environments.Production);

        Assert.Throws<OptionsValidationException>(() => services.GetRequiredService<IStartupValidator>().Validate());
    }

    [Fact]
    public void Start_WithMasterKeyOfWrongLength_IsRefused()
    {
        using var services = Services(Environments.Production, Convert.ToBase64String(new byte[16]));

        Assert.Throws<OptionsValidationException>(() => services.GetRequiredService<IStartupValidator>().Validate());
    }

    [Fact]
    public void Start_InProductionWithMasterKey_UsesIt()
    {
        var masterKey = RandomNumberGenerator.GetBytes(32);
        using var services = Services(Environments.Production, Convert.ToBase64String(masterKey));

        services.GetRequiredService<IStartupValidator>().Validate();

        Assert.Equal(masterKey, services.GetRequiredService<IKeyEncryptionKeyProvider>().GetKeyEncryptionKey());
        Assert.False(Directory.Exists(_root));
    }

    [Fact]
    public void Start_InDevelopmentWithoutMasterKey_GeneratesAKeyFileOnceAndKeepsIt()
    {
        byte[] first;
        using (var services = Services(Environments.Development))
        {
            services.GetRequiredService<IStartupValidator>().Validate();
            first = services.GetRequiredService<IKeyEncryptionKeyProvider>().GetKeyEncryptionKey();
        }
        using var restarted = Services(Environments.Development);

        var second = restarted.GetRequiredService<IKeyEncryptionKeyProvider>().GetKeyEncryptionKey();

        Assert.Equal(32, first.Length);
        Assert.Equal(first, second);
        var file = Path.Combine(_root, "data", "crypto", "master-key.dev");
        if (!OperatingSystem.IsWindows())
        {
            Assert.Equal(UnixFileMode.UserRead | UnixFileMode.UserWrite, File.GetUnixFileMode(file));
        }
    }

    [Fact]
    public async Task SealedFiles_SealThenOpenAfterDeadline_GivesBackTheContent()
    {
        var deadline = new DateTime(2026, 3, 20, 11, 0, 0, DateTimeKind.Utc);
        var time = new FakeTimeProvider(new DateTimeOffset(deadline.AddDays(-1)));
        using var services = Services("Testing", time: time);
        var keys = services.GetRequiredService<ConsultationKeys>();
        var sealedFiles = services.GetRequiredService<SealedFiles>();
        var pair = keys.Generate();
        var plaintext = SealedTestFiles.RandomBytes(200_000);
        var output = new MemoryStream();
        await using (var writer = sealedFiles.CreateWriter(output, pair.PublicKeyDer, leaveOpen: true))
        {
            await writer.WriteAsync(plaintext);
            await writer.CompleteAsync();
        }
        time.SetUtcNow(deadline.AddMilliseconds(1));

        await using var reader = await sealedFiles.OpenReaderAsync(new MemoryStream(output.ToArray()), pair, deadline);
        var read = new MemoryStream();
        await reader.CopyToAsync(read);

        Assert.Equal(plaintext, read.ToArray());
        Assert.Equal(SHA256.HashData(plaintext), reader.PlaintextSha256);
    }

    [Fact]
    public async Task SealedFiles_OpenBeforeDeadline_IsRefused()
    {
        var deadline = new DateTime(2026, 3, 20, 11, 0, 0, DateTimeKind.Utc);
        var time = new FakeTimeProvider(new DateTimeOffset(deadline.AddMilliseconds(-1)));
        using var services = Services("Testing", time: time);
        var sealedFiles = services.GetRequiredService<SealedFiles>();
        var pair = services.GetRequiredService<ConsultationKeys>().Generate();
        var output = new MemoryStream();
        await using (var writer = sealedFiles.CreateWriter(output, pair.PublicKeyDer, leaveOpen: true))
        {
            await writer.WriteAsync(new byte[100]);
            await writer.CompleteAsync();
        }

        await Assert.ThrowsAsync<OpeningTooEarlyException>(() => sealedFiles.OpenReaderAsync(new MemoryStream(output.ToArray()), pair, deadline));
    }
}

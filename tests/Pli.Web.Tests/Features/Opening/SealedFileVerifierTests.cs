using System.Security.Cryptography;
using Microsoft.Extensions.Logging.Abstractions;
using Microsoft.Extensions.Time.Testing;
using Pli.Domain.Deposits;
using Pli.Web.Features.Opening;
using Pli.Web.Infrastructure.Crypto;
using Pli.Web.Infrastructure.Malware;
using Pli.Web.Infrastructure.Storage;

namespace Pli.Web.Tests.Features.Opening;

/// <summary>The check of one sealed file at its opening, on a key pair and a store in memory.</summary>
public sealed class SealedFileVerifierTests : IDisposable
{
    private static readonly byte[] Secret = RandomNumberGenerator.GetBytes(32);
    private readonly RSA _rsa = RSA.Create(ConsultationKeys.KeySizeInBits);
    private readonly MemoryStore _store = new();

    [Fact]
    public async Task Verify_TwentyMebibytes_FeedsTheScannerEveryByte_InOnePass_AndAllocatesLittle()
    {
        var plaintext = RandomNumberGenerator.GetBytes(20 * 1024 * 1024);
        var file = await SealAsync("Offre.pdf", plaintext);
        var scanner = new HashingScanner();
        using var key = OpenKey();
        var verifier = Verifier(scanner);
        await verifier.VerifyAsync(Guid.NewGuid(), await SealAsync("petit.pdf", [1, 2, 3]), key, CancellationToken.None);
        var before = GC.GetAllocatedBytesForCurrentThread();

        var check = await verifier.VerifyAsync(Guid.NewGuid(), file, key, CancellationToken.None);

        var allocated = GC.GetAllocatedBytesForCurrentThread() - before;
        Assert.Equal(FileCheckOutcome.Intact, check.Outcome);
        Assert.Equal(Convert.ToHexStringLower(SHA256.HashData(plaintext)), check.ComputedSha256);
        Assert.Equal(plaintext.Length, check.ComputedLength);
        Assert.Equal(check.ComputedSha256, scanner.LastSha256);
        Assert.Equal(MalwareVerdict.Clean, check.ScanVerdict);
        Assert.True(allocated < 4 * 1024 * 1024, $"The check allocated {allocated} bytes for 20 MiB.");
    }

    [Fact]
    public async Task Verify_InfectedFile_RecordsTheSignature_AndMayNotBeServed()
    {
        var file = await SealAsync("facture.pdf", [1, 2, 3, 4]);
        using var key = OpenKey();

        var check = await Verifier(new HashingScanner("Eicar-Test-Signature")).VerifyAsync(Guid.NewGuid(), file, key, CancellationToken.None);

        Assert.Equal(FileCheckOutcome.Intact, check.Outcome);
        Assert.Equal(MalwareVerdict.Infected, check.ScanVerdict);
        Assert.Equal("Eicar-Test-Signature", check.ScanSignature);
        Assert.False(check.MayBeServed);
    }

    [Fact]
    public async Task Verify_AuthenticChunks_ButNotTheReceiptsHash_IsAltered()
    {
        var sealedFile = await SealAsync("DC1.pdf", [5, 6, 7]);
        var file = new DepositFile(Guid.NewGuid(), Guid.NewGuid(), EnvelopeKind.Candidature, null, sealedFile.Name, sealedFile.Size, new string('0', 64), sealedFile.StorageKey, Guid.NewGuid(), DateTime.UnixEpoch, DateTime.UnixEpoch);
        using var key = OpenKey();

        var check = await Verifier(new HashingScanner()).VerifyAsync(Guid.NewGuid(), file, key, CancellationToken.None);

        Assert.Equal(FileCheckOutcome.Altered, check.Outcome);
        Assert.Equal(OpenedFileCheck.HashMismatch, check.AlterationCode);
        Assert.False(check.MayBeServed);
    }

    [Fact]
    public async Task Verify_FileMissingFromStorage_IsAltered()
    {
        var file = new DepositFile(Guid.NewGuid(), Guid.NewGuid(), EnvelopeKind.Candidature, null, "DC1.pdf", 3, new string('0', 64), "deposits/absent.sealed", Guid.NewGuid(), DateTime.UnixEpoch, DateTime.UnixEpoch);
        using var key = OpenKey();

        var check = await Verifier(new HashingScanner()).VerifyAsync(Guid.NewGuid(), file, key, CancellationToken.None);

        Assert.Equal(OpenedFileCheck.Missing, check.AlterationCode);
    }

    public void Dispose() => _rsa.Dispose();

    private SealedFileVerifier Verifier(IMalwareScanner scanner) =>
        new(_store, scanner, new FakeTimeProvider(), NullLogger<SealedFileVerifier>.Instance);

    private OpenedConsultationKey OpenKey() =>
        OpenedConsultationKey.Import(Secret, _rsa.ExportEncryptedPkcs8PrivateKey(Secret, new PbeParameters(PbeEncryptionAlgorithm.Aes256Cbc, HashAlgorithmName.SHA256, 1000)));

    private async Task<DepositFile> SealAsync(string name, byte[] plaintext)
    {
        var publicKey = _rsa.ExportSubjectPublicKeyInfo();
        var dataKey = RandomNumberGenerator.GetBytes(SealedFileFormat.DataKeySize);
        var output = new MemoryStream();
        await using (var writer = new SealedFileWriter(output, dataKey, ConsultationKeys.KeyIdOf(publicKey), ConsultationKeys.WrapDataKey(publicKey, dataKey), 64 * 1024, leaveOpen: true))
        {
            await writer.WriteAsync(plaintext);
            await writer.CompleteAsync();
        }
        var storageKey = $"deposits/{Guid.NewGuid():N}.sealed";
        _store.Files[storageKey] = output.ToArray();
        return new DepositFile(Guid.NewGuid(), Guid.NewGuid(), EnvelopeKind.Offre, null, name, plaintext.Length, Convert.ToHexStringLower(SHA256.HashData(plaintext)), storageKey, Guid.NewGuid(), DateTime.UnixEpoch, DateTime.UnixEpoch);
    }

    /// <summary>A scanner that hashes what it is fed, and finds <paramref name="signature"/> in every file when one is given.</summary>
    private sealed class HashingScanner(string? signature = null) : IMalwareScanner
    {
        public string? LastSha256 { get; private set; }

        public string? Signature { get; } = signature;

        public Task<IMalwareScan> StartAsync(string fileName, CancellationToken cancellationToken) => Task.FromResult<IMalwareScan>(new Scan(this));

        private sealed class Scan(HashingScanner owner) : IMalwareScan
        {
            private readonly IncrementalHash _hash = IncrementalHash.CreateHash(HashAlgorithmName.SHA256);

            public ValueTask WriteAsync(ReadOnlyMemory<byte> chunk, CancellationToken cancellationToken)
            {
                _hash.AppendData(chunk.Span);
                return ValueTask.CompletedTask;
            }

            public Task<MalwareScanResult> CompleteAsync(CancellationToken cancellationToken)
            {
                owner.LastSha256 = Convert.ToHexStringLower(_hash.GetHashAndReset());
                return Task.FromResult(owner.Signature is { } s ? new MalwareScanResult(MalwareVerdict.Infected, s) : MalwareScanResult.Clean);
            }

            public ValueTask DisposeAsync()
            {
                _hash.Dispose();
                return ValueTask.CompletedTask;
            }
        }
    }

    /// <summary>Sealed files held in memory (read through streams over the stored arrays, so reading allocates nothing per file).</summary>
    private sealed class MemoryStore : IFileStore
    {
        public Dictionary<string, byte[]> Files { get; } = [];

        public Task<Stream> OpenReadAsync(string key, CancellationToken cancellationToken = default) =>
            Files.TryGetValue(key, out var bytes) ? Task.FromResult<Stream>(new MemoryStream(bytes, writable: false)) : throw new FileNotFoundException(key);

        public Task<bool> ExistsAsync(string key, CancellationToken cancellationToken = default) => Task.FromResult(Files.ContainsKey(key));

        public Task<StoredFile> SaveAsync(string key, Stream content, CancellationToken cancellationToken = default) => throw new NotSupportedException();

        public Task ImportAsync(string key, string sourcePath, CancellationToken cancellationToken = default) => throw new NotSupportedException();

        public Task DeleteAsync(string key, CancellationToken cancellationToken = default) => throw new NotSupportedException();

        public Task DeleteFolderAsync(string prefix, CancellationToken cancellationToken = default) => throw new NotSupportedException();

        public Task ProbeAsync(CancellationToken cancellationToken = default) => Task.CompletedTask;
    }
}

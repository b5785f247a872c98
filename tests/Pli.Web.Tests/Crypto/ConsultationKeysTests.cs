using System.Security.Cryptography;
using Microsoft.Extensions.Options;
using Microsoft.Extensions.Time.Testing;
using Pli.Web.Infrastructure.Crypto;

namespace Pli.Web.Tests.Crypto;

public sealed class ConsultationKeysTests
{
    private static readonly DateTime Deadline = new(2026, 3, 20, 11, 0, 0, DateTimeKind.Utc);
    private readonly byte[] _masterKey = RandomNumberGenerator.GetBytes(32);
    private readonly FakeTimeProvider _time = new(new DateTimeOffset(Deadline.AddDays(-10)));

    private ConsultationKeys Keys(byte[]? masterKey = null) =>
        new(new FixedKeyProvider(masterKey ?? _masterKey), _time, Options.Create(new CryptoOptions()));

    [Fact]
    public void Unwrap_AfterTheDeadline_GivesBackTheDataKey()
    {
        var keys = Keys();
        var pair = keys.Generate();
        var dataKey = SealedTestFiles.NewDataKey();
        var wrapped = ConsultationKeys.WrapDataKey(pair.PublicKeyDer, dataKey);
        _time.SetUtcNow(Deadline.AddHours(1));

        var unwrapped = keys.UnwrapDataKey(pair.EncryptedPrivateKey, wrapped, Deadline);

        Assert.Equal(dataKey, unwrapped);
    }

    [Fact]
    public void Unwrap_OneTickBeforeTheDeadline_IsRefusedAsTooEarly()
    {
        var keys = Keys();
        var pair = keys.Generate();
        var wrapped = ConsultationKeys.WrapDataKey(pair.PublicKeyDer, SealedTestFiles.NewDataKey());
        _time.SetUtcNow(Deadline.AddTicks(-1));

        var exception = Assert.Throws<OpeningTooEarlyException>(() => keys.UnwrapDataKey(pair.EncryptedPrivateKey, wrapped, Deadline));

        Assert.Equal("opening.too-early", exception.Code);
        Assert.Contains("date limite", exception.Message, StringComparison.Ordinal);
    }

    [Fact]
    public void Unwrap_BeforeTheDeadline_DoesNotEvenTouchThePrivateKey()
    {
        var provider = new FixedKeyProvider(_masterKey);
        var keys = new ConsultationKeys(provider, _time, Options.Create(new CryptoOptions()));
        var pair = keys.Generate();
        var wrapped = ConsultationKeys.WrapDataKey(pair.PublicKeyDer, SealedTestFiles.NewDataKey());
        var callsAfterGenerate = provider.Calls;

        Assert.Throws<OpeningTooEarlyException>(() => keys.UnwrapDataKey(pair.EncryptedPrivateKey, wrapped, Deadline));

        Assert.Equal(callsAfterGenerate, provider.Calls);
    }

    [Fact]
    public void Unwrap_AtTheDeadlineInstant_IsRefused()
    {
        // A pli sealed at the deadline instant is on time: nothing may be opened until that instant has passed.
        var keys = Keys();
        var pair = keys.Generate();
        var wrapped = ConsultationKeys.WrapDataKey(pair.PublicKeyDer, SealedTestFiles.NewDataKey());
        _time.SetUtcNow(Deadline);

        Assert.Throws<OpeningTooEarlyException>(() => keys.UnwrapDataKey(pair.EncryptedPrivateKey, wrapped, Deadline));
    }

    [Fact]
    public void Unwrap_OneMillisecondAfterTheDeadline_Works()
    {
        var keys = Keys();
        var pair = keys.Generate();
        var dataKey = SealedTestFiles.NewDataKey();
        var wrapped = ConsultationKeys.WrapDataKey(pair.PublicKeyDer, dataKey);
        _time.SetUtcNow(Deadline.AddMilliseconds(1));

        var unwrapped = keys.UnwrapDataKey(pair.EncryptedPrivateKey, wrapped, Deadline);

        Assert.Equal(dataKey, unwrapped);
    }

    [Fact]
    public void Unwrap_WithAnotherMasterSecret_Fails()
    {
        var pair = Keys().Generate();
        var wrapped = ConsultationKeys.WrapDataKey(pair.PublicKeyDer, SealedTestFiles.NewDataKey());
        _time.SetUtcNow(Deadline.AddHours(1));
        var otherPlatform = Keys(RandomNumberGenerator.GetBytes(32));

        Assert.ThrowsAny<CryptographicException>(() => otherPlatform.UnwrapDataKey(pair.EncryptedPrivateKey, wrapped, Deadline));
    }

    [Fact]
    public void Unwrap_DataKeyWrappedForAnotherConsultation_Fails()
    {
        var keys = Keys();
        var pair = keys.Generate();
        var other = keys.Generate();
        var wrapped = ConsultationKeys.WrapDataKey(other.PublicKeyDer, SealedTestFiles.NewDataKey());
        _time.SetUtcNow(Deadline.AddHours(1));

        Assert.ThrowsAny<CryptographicException>(() => keys.UnwrapDataKey(pair.EncryptedPrivateKey, wrapped, Deadline));
    }

    [Fact]
    public void Generate_EncryptedPrivateKey_ContainsNoRawKeyMaterial()
    {
        var pair = Keys().Generate();

        using var rsa = RSA.Create();
        rsa.ImportEncryptedPkcs8PrivateKey(_masterKey, pair.EncryptedPrivateKey, out _);
        var secret = rsa.ExportParameters(includePrivateParameters: true);

        var stored = pair.EncryptedPrivateKey.AsSpan();
        foreach (var part in new[] { secret.D!, secret.P!, secret.Q!, secret.DP!, secret.DQ!, secret.InverseQ! })
        {
            Assert.Equal(-1, stored.IndexOf(part.AsSpan(0, 16)));
        }
        Assert.Equal(-1, stored.IndexOf(rsa.ExportPkcs8PrivateKey().AsSpan(0, 64)));
    }

    [Fact]
    public void Generate_EncryptedPrivateKey_IsPbes2Aes256CbcWithHighIterationCount()
    {
        var pair = Keys().Generate();

        var stored = pair.EncryptedPrivateKey.AsSpan();

        // OIDs as DER: PBES2 1.2.840.113549.1.5.13, aes256-CBC 2.16.840.1.101.3.4.1.42, hmacWithSHA256 1.2.840.113549.2.9.
        Assert.NotEqual(-1, stored.IndexOf((ReadOnlySpan<byte>)[0x06, 0x09, 0x2A, 0x86, 0x48, 0x86, 0xF7, 0x0D, 0x01, 0x05, 0x0D]));
        Assert.NotEqual(-1, stored.IndexOf((ReadOnlySpan<byte>)[0x06, 0x09, 0x60, 0x86, 0x48, 0x01, 0x65, 0x03, 0x04, 0x01, 0x2A]));
        Assert.NotEqual(-1, stored.IndexOf((ReadOnlySpan<byte>)[0x06, 0x08, 0x2A, 0x86, 0x48, 0x86, 0xF7, 0x0D, 0x02, 0x09]));
        // INTEGER 600 000.
        Assert.NotEqual(-1, stored.IndexOf((ReadOnlySpan<byte>)[0x02, 0x03, 0x09, 0x27, 0xC0]));
    }

    [Fact]
    public void Generate_PublicKey_IsRsa3072SubjectPublicKeyInfoNamedByItsDigest()
    {
        var pair = Keys().Generate();

        using var rsa = RSA.Create();
        rsa.ImportSubjectPublicKeyInfo(pair.PublicKeyDer, out _);

        Assert.Equal(3072, rsa.KeySize);
        Assert.Equal(Convert.ToHexStringLower(SHA256.HashData(pair.PublicKeyDer)), pair.KeyId);
    }

    [Fact]
    public void Wrap_ForASmallerRsaKey_IsRefused()
    {
        using var weak = RSA.Create(2048);

        Assert.ThrowsAny<CryptographicException>(() => ConsultationKeys.WrapDataKey(weak.ExportSubjectPublicKeyInfo(), SealedTestFiles.NewDataKey()));
    }

    private sealed class FixedKeyProvider(byte[] key) : IKeyEncryptionKeyProvider
    {
        public int Calls { get; private set; }

        public byte[] GetKeyEncryptionKey()
        {
            Calls++;
            return (byte[])key.Clone();
        }
    }
}

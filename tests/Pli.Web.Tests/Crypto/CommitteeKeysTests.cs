using System.Security.Cryptography;
using Microsoft.Extensions.Options;
using Pli.Web.Infrastructure.Crypto;

namespace Pli.Web.Tests.Crypto;

public sealed class CommitteeKeysTests
{
    private const string Passphrase = "une phrase de passe d'ouvreur";
    private static readonly IOptions<CryptoOptions> Options = Microsoft.Extensions.Options.Options.Create(new CryptoOptions { PrivateKeyIterations = 100_000 });
    private static readonly Lazy<OpenerKeyPair[]> Openers = new(() => [.. Enumerable.Range(0, 3).Select(_ => new OpenerKeys(Options).Generate(Passphrase))]);
    private readonly byte[] _master = RandomNumberGenerator.GetBytes(32);
    private readonly Guid _consultationId = Guid.NewGuid();

    private CommitteeKeys Keys() => new(new Master(_master), Options);

    private CommitteeSealing Seal() => Keys().Generate(_consultationId, [.. Openers.Value.Select(o => o.PublicKeyDer)], 2);

    private byte[] ShareOf(CommitteeSealing sealing, int opener) =>
        CommitteeKeys.ShareOf(_consultationId, new OpenerKeys(Options).Decrypt(Openers.Value[opener].EncryptedPrivateKey, Passphrase, sealing.EncryptedShares[opener]));

    [Fact]
    public void Generate_TheMasterSecretAlone_DoesNotOpenThePrivateKey()
    {
        var sealing = Seal();

        Assert.ThrowsAny<CryptographicException>(() => OpenedConsultationKey.Import(_master, sealing.KeyPair.EncryptedPrivateKey));
    }

    [Fact]
    public void Rebuild_WithTwoShares_GivesThePrivateKeyUnderTheMasterSecret()
    {
        var sealing = Seal();

        var reencrypted = Keys().Rebuild(sealing.KeyPair.EncryptedPrivateKey, [ShareOf(sealing, 2), ShareOf(sealing, 0)], sealing.KeyPair.KeyId);

        using var key = OpenedConsultationKey.Import(_master, reencrypted);
        Assert.Equal(sealing.KeyPair.KeyId, key.KeyId);
    }

    [Fact]
    public void Rebuild_WithOneShare_IsRefusedAsWrongShare()
    {
        var sealing = Seal();

        Assert.Throws<WrongCommitteeShareException>(() => Keys().Rebuild(sealing.KeyPair.EncryptedPrivateKey, [ShareOf(sealing, 1)], sealing.KeyPair.KeyId));
    }

    [Fact]
    public void Rebuild_WithAForgedShare_IsRefusedAsWrongShare()
    {
        var sealing = Seal();
        var forged = ShareOf(sealing, 1);
        forged[10] ^= 0x80;

        Assert.Throws<WrongCommitteeShareException>(() => Keys().Rebuild(sealing.KeyPair.EncryptedPrivateKey, [ShareOf(sealing, 0), forged], sealing.KeyPair.KeyId));
    }

    [Fact]
    public void ShareOf_AShareOfAnotherConsultation_IsRefused()
    {
        var sealing = Seal();
        var payload = new OpenerKeys(Options).Decrypt(Openers.Value[0].EncryptedPrivateKey, Passphrase, sealing.EncryptedShares[0]);

        Assert.Throws<WrongCommitteeShareException>(() => CommitteeKeys.ShareOf(Guid.NewGuid(), payload));
    }

    [Fact]
    public void Decrypt_WithAWrongPassphrase_IsRefusedAsWrongPassphrase()
    {
        var sealing = Seal();

        Assert.Throws<WrongPassphraseException>(() => new OpenerKeys(Options).Decrypt(Openers.Value[0].EncryptedPrivateKey, Passphrase + "!", sealing.EncryptedShares[0]));
    }

    [Fact]
    public void PresentedShare_RoundTrips_AndIsBoundToItsOpener()
    {
        var keys = Keys();
        var opener = Guid.NewGuid();
        var share = RandomNumberGenerator.GetBytes(33);

        var stored = keys.ProtectPresentedShare(_consultationId, opener, share);

        Assert.Equal(share, keys.UnprotectPresentedShare(_consultationId, opener, stored));
        Assert.Throws<WrongCommitteeShareException>(() => keys.UnprotectPresentedShare(_consultationId, Guid.NewGuid(), stored));
        Assert.Equal(-1, stored.AsSpan().IndexOf(share.AsSpan(1, 16)));
    }

    private sealed class Master(byte[] key) : IKeyEncryptionKeyProvider
    {
        public byte[] GetKeyEncryptionKey() => (byte[])key.Clone();
    }
}

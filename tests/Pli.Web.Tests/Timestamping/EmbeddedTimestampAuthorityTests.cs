using System.Security.Cryptography;
using System.Security.Cryptography.X509Certificates;
using Org.BouncyCastle.Asn1.Cmp;
using Org.BouncyCastle.Asn1.Pkcs;
using Org.BouncyCastle.Cms;
using Org.BouncyCastle.Math;
using Org.BouncyCastle.Tsp;
using Pli.Web.Infrastructure.Timestamping;
using BcCertificate = Org.BouncyCastle.X509.X509Certificate;

namespace Pli.Web.Tests.Timestamping;

public sealed class EmbeddedTimestampAuthorityTests : IDisposable
{
    private readonly TimestampingTestEnvironment _env = new();

    public void Dispose() => _env.Dispose();

    private static byte[] Digest(string text) => SHA256.HashData(System.Text.Encoding.UTF8.GetBytes(text));

    private static BcCertificate CertificateOf(string pem) =>
        new(X509Certificate2.CreateFromPem(pem).RawData);

    [Fact]
    public async Task Stamp_TokenVerifiesAgainstTheCertificate_CoversTheDigest_AtTheClockTime()
    {
        var authority = _env.Embedded();
        var digest = Digest("offre.pdf");

        var result = await authority.StampAsync(digest);

        var token = new TimeStampToken(new CmsSignedData(result.TokenDer));
        token.Validate(CertificateOf(await authority.GetCertificatePemAsync()));
        Assert.Equal(digest, token.TimeStampInfo.GetMessageImprintDigest());
        Assert.Equal(TspAlgorithms.Sha256, token.TimeStampInfo.MessageImprintAlgOid);
        Assert.Equal(TimestampingTestEnvironment.Now, result.GenTime);
        Assert.Equal(TimestampingTestEnvironment.Now.UtcDateTime, token.TimeStampInfo.GenTime.ToUniversalTime());
        Assert.Equal("1.3.6.1.4.1.99999.1.1", result.PolicyOid);
        Assert.Equal(token.TimeStampInfo.SerialNumber, new BigInteger(result.SerialNumber, 16));
        Assert.Contains("CN=Pli — autorité d'horodatage", result.AuthorityName, StringComparison.Ordinal);
    }

    [Fact]
    public async Task Stamp_ResponseIsAGrantedTimeStampRespHoldingTheToken()
    {
        var authority = _env.Embedded();

        var result = await authority.StampAsync(Digest("offre.pdf"));

        var response = new TimeStampResponse(result.ResponseDer);
        Assert.Equal((int)PkiStatus.Granted, response.Status);
        Assert.Equal(result.TokenDer, response.TimeStampToken.GetEncoded());
    }

    [Fact]
    public async Task Stamp_TokenNamesItsCertificateWithSigningCertificateV2AndCarriesIt()
    {
        var authority = _env.Embedded();

        var result = await authority.StampAsync(Digest("offre.pdf"));

        var token = new TimeStampToken(new CmsSignedData(result.TokenDer));
        Assert.NotNull(token.SignedAttributes[PkcsObjectIdentifiers.IdAASigningCertificateV2]);
        Assert.Null(token.SignedAttributes[PkcsObjectIdentifiers.IdAASigningCertificate]);
        var carried = Assert.Single(token.GetCertificates().EnumerateMatches(null));
        Assert.Equal(CertificateOf(await authority.GetCertificatePemAsync()), carried);
    }

    [Fact]
    public async Task Stamp_TwoStamps_HaveDifferentSerialNumbers()
    {
        var authority = _env.Embedded();

        var first = await authority.StampAsync(Digest("a"));
        var second = await authority.StampAsync(Digest("a"));

        Assert.NotEqual(first.SerialNumber, second.SerialNumber);
    }

    [Fact]
    public async Task Stamp_DigestThatIsNotSha256Sized_IsRefused()
    {
        var authority = _env.Embedded();

        await Assert.ThrowsAsync<ArgumentException>(() => authority.StampAsync(new byte[20]));
        Assert.False(Directory.Exists(_env.KeyDirectory));
    }

    [Fact]
    public async Task Answer_EchoesTheQueryNonce()
    {
        var authority = _env.Embedded();
        var generator = new TimeStampRequestGenerator();
        var nonce = BigInteger.ValueOf(0x1234_5678_9ABC);
        var query = generator.Generate(TspAlgorithms.Sha256, Digest("x"), nonce);

        var response = new TimeStampResponse(await authority.AnswerAsync(query.GetEncoded()));

        Assert.Equal((int)PkiStatus.Granted, response.Status);
        Assert.Equal(nonce, response.TimeStampToken.TimeStampInfo.Nonce);
        // certReq was not set: the certificate is left out, as RFC 3161 asks.
        Assert.Empty(response.TimeStampToken.GetCertificates().EnumerateMatches(null));
    }

    [Fact]
    public async Task Answer_QueryForAnotherPolicy_IsRejected()
    {
        var authority = _env.Embedded();
        var generator = new TimeStampRequestGenerator();
        generator.SetReqPolicy(new Org.BouncyCastle.Asn1.DerObjectIdentifier("1.2.3.4"));

        var response = new TimeStampResponse(await authority.AnswerAsync(generator.Generate(TspAlgorithms.Sha256, Digest("x")).GetEncoded()));

        Assert.Equal((int)PkiStatus.Rejection, response.Status);
        Assert.Null(response.TimeStampToken);
    }

    [Fact]
    public async Task Answer_Sha1Query_IsRejected()
    {
        var authority = _env.Embedded();

        var query = new TimeStampRequestGenerator().Generate(TspAlgorithms.Sha1, SHA1.HashData([1, 2, 3]));
        var response = new TimeStampResponse(await authority.AnswerAsync(query.GetEncoded()));

        Assert.Equal((int)PkiStatus.Rejection, response.Status);
    }

    [Fact]
    public async Task Certificate_IsATimeStampingCertificateValidTenYears()
    {
        var authority = _env.Embedded(organisation: "Ville de Lyon");

        using var certificate = X509Certificate2.CreateFromPem(await authority.GetCertificatePemAsync());

        var eku = Assert.Single(certificate.Extensions.OfType<X509EnhancedKeyUsageExtension>());
        Assert.True(eku.Critical);
        Assert.Equal("1.3.6.1.5.5.7.3.8", Assert.Single(eku.EnhancedKeyUsages.Cast<Oid>()).Value);
        var keyUsage = Assert.Single(certificate.Extensions.OfType<X509KeyUsageExtension>());
        Assert.Equal(X509KeyUsageFlags.DigitalSignature, keyUsage.KeyUsages);
        Assert.Equal("Pli — autorité d'horodatage", certificate.GetNameInfo(X509NameType.SimpleName, false));
        Assert.Contains("O=Ville de Lyon", certificate.Subject, StringComparison.Ordinal);
        Assert.Equal(TimestampingTestEnvironment.Now.AddDays(-1).UtcDateTime, certificate.NotBefore.ToUniversalTime(), TimeSpan.FromSeconds(1));
        Assert.Equal(TimestampingTestEnvironment.Now.AddYears(10).UtcDateTime, certificate.NotAfter.ToUniversalTime(), TimeSpan.FromSeconds(1));
        Assert.NotNull(certificate.GetECDsaPublicKey());
    }

    [Fact]
    public async Task SecondInstanceOverTheSameFolder_ReusesKeyAndCertificate()
    {
        var first = await _env.Embedded().GetCertificatePemAsync();
        _env.Time.Advance(TimeSpan.FromDays(30));

        var restarted = _env.Embedded();
        var second = await restarted.GetCertificatePemAsync();
        var token = new TimeStampToken(new CmsSignedData((await restarted.StampAsync(Digest("x"))).TokenDer));

        Assert.Equal(first, second);
        token.Validate(CertificateOf(first));
    }

    [Fact]
    public async Task KeyFile_IsReadableByItsOwnerOnly()
    {
        await _env.Embedded().GetCertificatePemAsync();

        var key = Path.Combine(_env.KeyDirectory, EmbeddedTimestampAuthority.KeyFileName);
        Assert.True(File.Exists(key));
        Assert.StartsWith("-----BEGIN PRIVATE KEY-----", await File.ReadAllTextAsync(key), StringComparison.Ordinal);
        if (!OperatingSystem.IsWindows())
        {
            Assert.Equal(UnixFileMode.UserRead | UnixFileMode.UserWrite, File.GetUnixFileMode(key));
        }
    }

    [Fact]
    public async Task ConcurrentFirstCalls_OnOneAndTwoInstances_CreateOneKey()
    {
        var one = _env.Embedded();
        var two = _env.Embedded();

        var pems = await Task.WhenAll(Enumerable.Range(0, 16).Select(i => Task.Run(() => (i % 2 == 0 ? one : two).GetCertificatePemAsync())));

        Assert.Single(pems.Distinct());
        Assert.Equal(pems[0], await File.ReadAllTextAsync(Path.Combine(_env.KeyDirectory, EmbeddedTimestampAuthority.CertificateFileName)));
        Assert.Empty(Directory.GetFiles(_env.KeyDirectory, "*.tmp"));
    }

    [Fact]
    public async Task KeyThatIsNotTheCertificates_IsRefused()
    {
        await _env.Embedded().GetCertificatePemAsync();
        using var other = ECDsa.Create(ECCurve.NamedCurves.nistP256);
        await File.WriteAllTextAsync(Path.Combine(_env.KeyDirectory, EmbeddedTimestampAuthority.KeyFileName), other.ExportPkcs8PrivateKeyPem());

        var refused = await Assert.ThrowsAsync<TimestampingException>(() => _env.Embedded().StampAsync(Digest("x")));

        Assert.Contains(EmbeddedTimestampAuthority.KeyFileName, refused.Message, StringComparison.Ordinal);
    }
}

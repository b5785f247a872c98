using System.Security.Cryptography;
using Microsoft.AspNetCore.Http;
using Microsoft.Extensions.DependencyInjection;
using Org.BouncyCastle.Asn1.Cmp;
using Org.BouncyCastle.Asn1.Tsp;
using Org.BouncyCastle.Math;
using Org.BouncyCastle.Tsp;
using Pli.Web.Infrastructure.Timestamping;

namespace Pli.Web.Tests.Timestamping;

public sealed class HttpTimestampAuthorityTests : IDisposable
{
    private static readonly byte[] Digest = SHA256.HashData("offre.pdf"u8.ToArray());

    private readonly TimestampingTestEnvironment _env = new();

    public void Dispose() => _env.Dispose();

    /// <summary>The external authority: here the embedded one, in its own folder, behind HTTP.</summary>
    private EmbeddedTimestampAuthority RemoteAuthority() => _env.Embedded(keyPath: "remote-tsa", organisation: "TSA externe");

    private ITimestampAuthority Client(FakeTsaServer server, string? certificatePemPath = null, string timeout = "00:00:05") =>
        _env.Services(new Dictionary<string, string?>
        {
            ["Timestamping:Url"] = server.Url.ToString(),
            ["Timestamping:CertificatePemPath"] = certificatePemPath,
            ["Timestamping:Timeout"] = timeout,
        }).GetRequiredService<ITimestampAuthority>();

    /// <summary>The remote authority's answer to another query than the one received (same format, other values).</summary>
    private static async Task<IResult> AnswerOther(EmbeddedTimestampAuthority remote, byte[] digest, BigInteger nonce)
    {
        var generator = new TimeStampRequestGenerator();
        generator.SetCertReq(true);
        return FakeTsaServer.Reply(await remote.AnswerAsync(generator.Generate(TspAlgorithms.Sha256, digest, nonce).GetEncoded()));
    }

    [Fact]
    public async Task Stamp_AgainstAnRfc3161Server_GivesACheckedResult()
    {
        var remote = RemoteAuthority();
        await using var server = await FakeTsaServer.StartAsync(async query => FakeTsaServer.Reply(await remote.AnswerAsync(query)));
        var client = Client(server);

        var result = await client.StampAsync(Digest);

        Assert.IsType<HttpTimestampAuthority>(client);
        Assert.Equal("application/timestamp-query", server.LastContentType);
        var query = new TimeStampRequest(server.LastQuery!);
        Assert.True(query.CertReq);
        Assert.NotNull(query.Nonce);
        Assert.Equal(Digest, query.GetMessageImprintDigest());
        var token = new TimeStampResponse(result.ResponseDer).TimeStampToken;
        Assert.Equal(Digest, token.TimeStampInfo.GetMessageImprintDigest());
        Assert.Equal(query.Nonce, token.TimeStampInfo.Nonce);
        Assert.Equal(TimestampingTestEnvironment.Now, result.GenTime);
        Assert.Contains("O=TSA externe", result.AuthorityName, StringComparison.Ordinal);
        Assert.Equal(await remote.GetCertificatePemAsync(), await client.GetCertificatePemAsync());
    }

    [Fact]
    public async Task Stamp_WithTheOperatorsCertificateFile_VerifiesAgainstIt()
    {
        var remote = RemoteAuthority();
        await using var server = await FakeTsaServer.StartAsync(async query => FakeTsaServer.Reply(await remote.AnswerAsync(query)));
        var pemPath = _env.WriteFile("remote.pem", System.Text.Encoding.ASCII.GetBytes(await remote.GetCertificatePemAsync()));
        var client = Client(server, pemPath);

        var result = await client.StampAsync(Digest);

        Assert.Equal(Digest, new TimeStampResponse(result.ResponseDer).TimeStampToken.TimeStampInfo.GetMessageImprintDigest());
        Assert.Equal(await remote.GetCertificatePemAsync(), await client.GetCertificatePemAsync());
    }

    [Fact]
    public async Task Stamp_SignedByAnotherCertificateThanTheOperatorsFile_IsRefused()
    {
        var remote = RemoteAuthority();
        await using var server = await FakeTsaServer.StartAsync(async query => FakeTsaServer.Reply(await remote.AnswerAsync(query)));
        var pemPath = _env.WriteFile("other.pem", System.Text.Encoding.ASCII.GetBytes(await _env.Embedded(keyPath: "other-tsa").GetCertificatePemAsync()));

        var refused = await Assert.ThrowsAsync<TimestampingException>(() => Client(server, pemPath).StampAsync(Digest));

        Assert.Contains("CertificatePemPath", refused.Message, StringComparison.Ordinal);
    }

    [Fact]
    public async Task Stamp_AnswerWithAnotherNonce_IsRefused()
    {
        var remote = RemoteAuthority();
        await using var server = await FakeTsaServer.StartAsync(query =>
            AnswerOther(remote, new TimeStampRequest(query).GetMessageImprintDigest(), new TimeStampRequest(query).Nonce.Add(BigInteger.One)));

        var refused = await Assert.ThrowsAsync<TimestampingException>(() => Client(server).StampAsync(Digest));

        Assert.Contains("nonce", refused.Message, StringComparison.Ordinal);
    }

    [Fact]
    public async Task Stamp_AnswerForAnotherDigest_IsRefused()
    {
        var remote = RemoteAuthority();
        await using var server = await FakeTsaServer.StartAsync(query =>
            AnswerOther(remote, SHA256.HashData("autre offre"u8.ToArray()), new TimeStampRequest(query).Nonce));

        var refused = await Assert.ThrowsAsync<TimestampingException>(() => Client(server).StampAsync(Digest));

        Assert.Contains("empreinte", refused.Message, StringComparison.Ordinal);
    }

    [Fact]
    public async Task Stamp_Rejection_IsRefusedWithTheAuthoritysReason()
    {
        var rejection = new TimeStampResp(
            new PkiStatusInfo((int)PkiStatus.Rejection, new PkiFreeText("quota exceeded"), new PkiFailureInfo(PkiFailureInfo.SystemFailure)), null).GetEncoded();
        await using var server = await FakeTsaServer.StartAsync(_ => Task.FromResult(FakeTsaServer.Reply(rejection)));

        var refused = await Assert.ThrowsAsync<TimestampingException>(() => Client(server).StampAsync(Digest));

        Assert.Contains("refusé", refused.Message, StringComparison.Ordinal);
        Assert.Contains("quota exceeded", refused.Message, StringComparison.Ordinal);
    }

    [Fact]
    public async Task Stamp_Http500_IsRefused()
    {
        await using var server = await FakeTsaServer.StartAsync(_ => Task.FromResult(Results.StatusCode(StatusCodes.Status500InternalServerError)));

        var refused = await Assert.ThrowsAsync<TimestampingException>(() => Client(server).StampAsync(Digest));

        Assert.Contains("HTTP 500", refused.Message, StringComparison.Ordinal);
    }

    [Fact]
    public async Task Stamp_AnswerThatIsNotATimeStampReply_IsRefused()
    {
        await using var server = await FakeTsaServer.StartAsync(_ => Task.FromResult(Results.Text("<html>maintenance</html>", "text/html")));

        var refused = await Assert.ThrowsAsync<TimestampingException>(() => Client(server).StampAsync(Digest));

        Assert.Contains("text/html", refused.Message, StringComparison.Ordinal);
    }

    [Fact]
    public async Task Stamp_GarbageWithTheRightContentType_IsRefused()
    {
        await using var server = await FakeTsaServer.StartAsync(_ => Task.FromResult(FakeTsaServer.Reply([0x30, 0x03, 0x02, 0x01])));

        var refused = await Assert.ThrowsAsync<TimestampingException>(() => Client(server).StampAsync(Digest));

        Assert.Contains("lisible", refused.Message, StringComparison.Ordinal);
    }

    [Fact]
    public async Task Stamp_AuthorityTooSlow_IsRefusedAfterTheTimeout()
    {
        await using var server = await FakeTsaServer.StartAsync(async _ =>
        {
            await Task.Delay(TimeSpan.FromSeconds(10));
            return Results.StatusCode(StatusCodes.Status500InternalServerError);
        });

        var refused = await Assert.ThrowsAsync<TimestampingException>(() => Client(server, timeout: "00:00:01").StampAsync(Digest));

        Assert.Contains("n'a pas répondu en 1 s", refused.Message, StringComparison.Ordinal);
    }

    [Fact]
    public async Task Stamp_AuthorityUnreachable_IsRefused()
    {
        var server = await FakeTsaServer.StartAsync(_ => Task.FromResult(Results.Ok()));
        var client = Client(server);
        await server.DisposeAsync();

        var refused = await Assert.ThrowsAsync<TimestampingException>(() => client.StampAsync(Digest));

        Assert.Contains("injoignable", refused.Message, StringComparison.Ordinal);
    }
}

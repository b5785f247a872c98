using System.Security.Cryptography;

namespace Pli.Web.Tests.Timestamping;

/// <summary>The proof a company can check alone: openssl, outside .NET, verifies the embedded authority's tokens.</summary>
public sealed class OpensslVerifyTests : IDisposable
{
    private static readonly byte[] Receipt = "{\"consultation\":\"2026-042\",\"depot\":\"offre.zip\"}"u8.ToArray();

    private readonly TimestampingTestEnvironment _env = new();

    public void Dispose() => _env.Dispose();

    private async Task<string> StampReceiptAsync()
    {
        var authority = _env.Embedded();
        var result = await authority.StampAsync(SHA256.HashData(Receipt));
        _env.WriteFile("receipt.json", Receipt);
        _env.WriteFile("receipt.tsr", result.ResponseDer);
        _env.WriteFile("tsa.pem", System.Text.Encoding.ASCII.GetBytes(await authority.GetCertificatePemAsync()));
        return _env.Root;
    }

    [Fact]
    public async Task OpensslTsVerify_ByDigest_SaysOk()
    {
        var folder = await StampReceiptAsync();

        var (exitCode, output) = await Openssl.RunAsync(folder, "ts", "-verify", "-digest", Convert.ToHexStringLower(SHA256.HashData(Receipt)), "-in", "receipt.tsr", "-CAfile", "tsa.pem");

        Assert.True(exitCode == 0, output);
        Assert.Contains("Verification: OK", output, StringComparison.Ordinal);
    }

    [Fact]
    public async Task OpensslTsVerify_ByData_SaysOk()
    {
        var folder = await StampReceiptAsync();

        var (exitCode, output) = await Openssl.RunAsync(folder, "ts", "-verify", "-data", "receipt.json", "-in", "receipt.tsr", "-CAfile", "tsa.pem");

        Assert.True(exitCode == 0, output);
        Assert.Contains("Verification: OK", output, StringComparison.Ordinal);
    }

    [Fact]
    public async Task OpensslTsVerify_TamperedDigest_Fails()
    {
        var folder = await StampReceiptAsync();
        var tampered = SHA256.HashData(Receipt);
        tampered[0] ^= 1;

        var (exitCode, output) = await Openssl.RunAsync(folder, "ts", "-verify", "-digest", Convert.ToHexStringLower(tampered), "-in", "receipt.tsr", "-CAfile", "tsa.pem");

        Assert.NotEqual(0, exitCode);
        Assert.Contains("Verification: FAILED", output, StringComparison.Ordinal);
    }

    [Fact]
    public async Task OpensslTsVerify_AnotherAuthoritysCertificate_Fails()
    {
        var folder = await StampReceiptAsync();
        var other = _env.Embedded(keyPath: "other-tsa");
        _env.WriteFile("other.pem", System.Text.Encoding.ASCII.GetBytes(await other.GetCertificatePemAsync()));

        var (exitCode, output) = await Openssl.RunAsync(folder, "ts", "-verify", "-data", "receipt.json", "-in", "receipt.tsr", "-CAfile", "other.pem");

        Assert.NotEqual(0, exitCode);
        Assert.Contains("Verification: FAILED", output, StringComparison.Ordinal);
    }

    [Fact]
    public async Task OpensslTsReply_ShowsTheClockTimeWithMilliseconds()
    {
        var folder = await StampReceiptAsync();

        var (exitCode, output) = await Openssl.RunAsync(folder, "ts", "-reply", "-in", "receipt.tsr", "-text");

        Assert.True(exitCode == 0, output);
        Assert.Contains("Time stamp: Jun  1 08:00:00.123 2026 GMT", output, StringComparison.Ordinal);
        Assert.Contains("Accuracy: 0x01 seconds", output, StringComparison.Ordinal);
    }
}

using System.Net;
using System.Security.Cryptography.X509Certificates;
using Pli.Web.Tests.Infrastructure;

namespace Pli.Web.Tests.Timestamping;

public sealed class TimestampingEndpointTests
{
    /// <summary>The app with its authority's key in the app's temp folder rather than under the content root.</summary>
    private sealed class TimestampingApp : SqliteApp
    {
        protected override IDictionary<string, string?> Settings => new Dictionary<string, string?> { ["Timestamping:KeyPath"] = Path.Combine(DataRoot, "tsa") };
    }

    [Fact]
    public async Task Get_CertificatePem_AnswersTheTimeStampingCertificate()
    {
        await using var app = new TimestampingApp();
        var client = app.CreateClient();

        using var response = await client.GetAsync("/api/timestamping/certificate.pem");

        Assert.Equal(HttpStatusCode.OK, response.StatusCode);
        Assert.Equal("application/x-pem-file", response.Content.Headers.ContentType?.MediaType);
        Assert.Equal("tsa.pem", response.Content.Headers.ContentDisposition?.FileName);
        using var certificate = X509Certificate2.CreateFromPem(await response.Content.ReadAsStringAsync());
        var eku = Assert.Single(certificate.Extensions.OfType<X509EnhancedKeyUsageExtension>());
        Assert.True(eku.Critical);
        Assert.Contains(eku.EnhancedKeyUsages.Cast<System.Security.Cryptography.Oid>(), o => o.Value == "1.3.6.1.5.5.7.3.8");
        Assert.True(File.Exists(Path.Combine(app.DataRoot, "tsa", "tsa.pem")));
    }
}

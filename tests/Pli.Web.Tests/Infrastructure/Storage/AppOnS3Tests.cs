using System.Net;
using System.Net.Http.Headers;
using Amazon.S3.Model;
using Microsoft.Extensions.DependencyInjection;
using Pli.Web.Features.Opening;
using Pli.Web.Infrastructure.Storage;
using Pli.Web.Tests.Features.Dce;
using Pli.Web.Tests.Features.Deposits;
using Pli.Web.Tests.Features.Opening;

namespace Pli.Web.Tests.Infrastructure.Storage;

/// <summary>
/// The whole app with <c>Storage:Provider=S3</c>: sealed deposit files go to the bucket (not to local disk),
/// are opened and decrypted from there, and DCE files are served from there with HTTP ranges.
/// </summary>
public sealed class AppOnS3Tests(DepositsPostgresS3App app) : IClassFixture<DepositsPostgresS3App>
{
    private readonly OpeningScenario _scenario = new(app);

    [Fact]
    public async Task SealedDeposit_IsStoredInTheBucket_AndOpensByteForByte()
    {
        Assert.IsType<S3FileStore>(app.Services.GetRequiredService<IFileStore>());
        var consultation = await _scenario.ConsultationAsync();
        using var company = await _scenario.Deposits.ClientAsync();
        var deposit = await OpeningScenario.SealAsync(company, consultation.Id);
        var candidature = await _scenario.FileAsync(deposit, "DC1.pdf");
        using var agent = await _scenario.AgentAsync();
        _scenario.PassDeadline(consultation);

        await OpeningScenario.OkAsync(await OpeningScenario.OpenCandidaturesAsync(agent, consultation.Id));
        var file = await agent.Client.GetByteArrayAsync(OpeningPaths.File(consultation.Id, candidature.Id));

        Assert.Equal(OpeningScenario.Candidature, file);
        using var client = S3FileStore.CreateClient(S3Server.Shared.Options(app.Bucket));
        var head = await client.GetObjectMetadataAsync(new GetObjectMetadataRequest { BucketName = app.Bucket, Key = candidature.StorageKey });
        Assert.True(head.ContentLength > OpeningScenario.Candidature.Length, "the sealed file is in the bucket");
        Assert.False(File.Exists(Path.Combine(app.DataRoot, "files", candidature.StorageKey)));
    }

    [Fact]
    public async Task DceFile_RangeRequest_Returns206WithTheRightBytes_FromTheBucket()
    {
        var sample = await DceScenario.CreateAsync(app);
        using var browser = app.Browser();
        await browser.SignInAsDemoCompanyAsync();
        using var request = new HttpRequestMessage(HttpMethod.Get, sample.FilePath(DceScenario.Cctp));
        request.Headers.Range = new RangeHeaderValue(100_000, 100_099);

        using var response = await browser.Client.SendAsync(request);
        var whole = await browser.Client.GetByteArrayAsync(sample.FilePath(DceScenario.Cctp));

        Assert.Equal(HttpStatusCode.PartialContent, response.StatusCode);
        Assert.Equal(sample.Contents[DceScenario.Cctp][100_000..100_100], await response.Content.ReadAsByteArrayAsync());
        Assert.Equal(sample.Contents[DceScenario.Cctp], whole);
    }
}

using System.Net;
using System.Net.Http.Json;
using System.Text.Json;
using Microsoft.AspNetCore.Hosting;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.DependencyInjection.Extensions;
using Pli.Web.Infrastructure.Timestamping;
using Pli.Web.Tests.Infrastructure;

namespace Pli.Web.Tests.Features.Deposits;

/// <summary>Pli whose time-stamping authority does not answer.</summary>
public sealed class TimestampingOutageApp : SqliteApp
{
    protected override void ConfigureWebHost(IWebHostBuilder builder)
    {
        base.ConfigureWebHost(builder);
        builder.ConfigureServices(services =>
        {
            services.RemoveAll<ITimestampAuthority>();
            services.AddSingleton<ITimestampAuthority, UnreachableAuthority>();
        });
    }

    private sealed class UnreachableAuthority : ITimestampAuthority
    {
        public Task<TimestampResult> StampAsync(ReadOnlyMemory<byte> sha256Digest, CancellationToken cancellationToken = default) =>
            throw new TimestampingException("L'autorité d'horodatage ne répond pas.");

        public Task<string> GetCertificatePemAsync(CancellationToken cancellationToken = default) =>
            throw new TimestampingException("L'autorité d'horodatage ne répond pas.");
    }
}

/// <summary>An authority that does not answer never costs a deposit: the pli is sealed, its receipt says the token is missing.</summary>
public sealed class TimestampingOutageTests(TimestampingOutageApp app) : IClassFixture<TimestampingOutageApp>
{
    [Fact]
    public async Task Seal_WhileTheAuthorityIsDown_SealsAndMailsTheReceipt_WithoutAToken()
    {
        var scenario = new DepositScenario(app);
        var consultation = await scenario.ConsultationAsync();
        using var client = await scenario.ClientAsync();
        var deposit = DepositScenario.IdOf(await DepositScenario.StartAsync(client, consultation.Id));
        await DepositScenario.UploadOkAsync(client, deposit, "candidature", "DC1.pdf", DepositScenario.Pdf);
        await DepositScenario.UploadOkAsync(client, deposit, "offre", "Offre.pdf", DepositScenario.Pdf);

        using var sealedResponse = await DepositScenario.SealAsync(client, deposit);
        using var token = await client.GetAsync($"/api/deposits/{deposit}/receipt.tsr");
        using var pdf = await client.GetAsync($"/api/deposits/{deposit}/receipt.pdf");

        Assert.Equal(HttpStatusCode.OK, sealedResponse.StatusCode);
        var receipt = await sealedResponse.Content.ReadFromJsonAsync<JsonElement>();
        Assert.False(receipt.GetProperty("timeStamped").GetBoolean());
        Assert.Equal("Sealed", (await client.GetFromJsonAsync<JsonElement>($"/api/deposits/{deposit}")).GetProperty("status").GetString());
        Assert.Equal(HttpStatusCode.NotFound, token.StatusCode);
        Assert.Equal(HttpStatusCode.OK, pdf.StatusCode);
        Assert.Contains(app.MailsTo(Pli.Web.Features.Demo.DemoData.CompanyEmail), m => m.Subject?.Contains(receipt.GetProperty("number").GetString()!, StringComparison.Ordinal) == true);
    }
}

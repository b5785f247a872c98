using System.Net;
using System.Net.Http.Headers;
using System.Net.Http.Json;
using System.Security.Cryptography;
using System.Text.Json;
using Microsoft.Extensions.Configuration;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.Hosting;
using Pli.Web.Features.Demo;
using Pli.Web.Features.Ingest;
using Pli.Web.Tests.Features.Deposits;
using Pli.Web.Tests.Features.Uploads;
using Pli.Web.Tests.Infrastructure;

namespace Pli.Web.Tests.Features.Ingest;

/// <summary>
/// Pli in the ingest role (<c>Pli:Role=Ingest</c>) over the database and folders of an All instance, as on one
/// machine with the Local upload store: the All instance migrated and seeded them, signs in and seals.
/// </summary>
public sealed class IngestApp(PliApp all) : SqliteApp(all.DataRoot, all.Smtp)
{
    protected override IDictionary<string, string?> Settings => new Dictionary<string, string?>
    {
        [PliRoles.Setting] = "Ingest",
        // The workers the test fixture turns off are on here: the role must leave them out by itself.
        ["Mail:Outbox:WorkerEnabled"] = "true",
        ["Audit:ChainWorkerEnabled"] = "true",
        ["Deposits:ReceiptCompletionWorkerEnabled"] = "true",
        ["Alerts:WorkerEnabled"] = "true",
    };

    public string UploadsDirectory => Path.Combine(DataRoot, "files", "uploads");

    public HttpClient Client(string? bearerToken = null)
    {
        var client = CreateClient(new() { BaseAddress = new Uri("https://localhost"), AllowAutoRedirect = false, HandleCookies = false });
        if (bearerToken is not null)
        {
            client.DefaultRequestHeaders.Authorization = new AuthenticationHeaderValue("Bearer", bearerToken);
        }
        return client;
    }
}

public sealed class IngestRoleTests : IAsyncLifetime
{
    private readonly SqliteApp _all = new();
    private IngestApp _ingest = null!;
    private DepositScenario _scenario = null!;

    public Task InitializeAsync()
    {
        // Started once the All instance has migrated and seeded the database, as a deployment does.
        _ = _all.Services;
        _ingest = new IngestApp(_all);
        _ = _ingest.Services;
        _scenario = new DepositScenario(_all);
        return Task.CompletedTask;
    }

    public async Task DisposeAsync()
    {
        await _ingest.DisposeAsync();
        await _all.DisposeAsync();
    }

    /// <summary>A bearer token of the demo company, from the All instance (the ingest role signs nobody in).</summary>
    private async Task<string> CompanyTokenAsync()
    {
        using var client = _all.CreateClient(new() { BaseAddress = _all.ClientBaseAddress, AllowAutoRedirect = false, HandleCookies = false });
        using var response = await client.PostAsJsonAsync("/api/auth/token", new { email = DemoData.CompanyEmail, password = DemoData.Password });
        Assert.Equal(HttpStatusCode.OK, response.StatusCode);
        return (await response.Content.ReadFromJsonAsync<JsonElement>()).GetProperty("accessToken").GetString()!;
    }

    private async Task<Guid> DraftAsync()
    {
        var consultation = await _scenario.ConsultationAsync();
        using var company = await _scenario.ClientAsync();
        return DepositScenario.IdOf(await DepositScenario.StartAsync(company, consultation.Id));
    }

    [Fact]
    public async Task Upload_ThroughTheIngestInstance_JoinsTheDepositWithItsDigest()
    {
        var deposit = await DraftAsync();
        using var ingest = _ingest.Client(await CompanyTokenAsync());
        var content = DepositScenario.PdfOfSize(200_000);

        var url = await Tus.CreateAsync(ingest, content.Length, DepositScenario.Metadata(deposit, "offre", "offre.pdf"));
        using var first = await ingest.SendAsync(Tus.Patch(url, 0, content[..120_000]));
        using var last = await ingest.SendAsync(Tus.Patch(url, 120_000, content[120_000..]));

        Assert.Equal(HttpStatusCode.NoContent, first.StatusCode);
        Assert.Equal(HttpStatusCode.NoContent, last.StatusCode);
        using var company = await _scenario.ClientAsync();
        var file = Assert.Single((await company.GetFromJsonAsync<JsonElement>($"/api/deposits/{deposit}")).GetProperty("files").EnumerateArray());
        Assert.Equal("offre.pdf", file.GetProperty("name").GetString());
        Assert.Equal(Convert.ToHexStringLower(SHA256.HashData(content)), file.GetProperty("sha256").GetString());
        Assert.Empty(Directory.EnumerateFiles(_ingest.UploadsDirectory));
    }

    [Fact]
    public async Task Create_WithoutAToken_Is401_AndStoresNothing()
    {
        var deposit = await DraftAsync();
        using var anonymous = _ingest.Client();

        using var response = await anonymous.SendAsync(Tus.Create(1000, DepositScenario.Metadata(deposit, "offre", "offre.pdf"), DepositScenario.PdfOfSize(1000)));

        Assert.Equal(HttpStatusCode.Unauthorized, response.StatusCode);
        Assert.Empty(Directory.EnumerateFiles(_ingest.UploadsDirectory));
    }

    [Fact]
    public async Task Create_ForADepositNotTheCompanys_IsRefusedWithTheRulesCode()
    {
        using var ingest = _ingest.Client(await CompanyTokenAsync());

        using var response = await ingest.SendAsync(Tus.Create(1000, DepositScenario.Metadata(Guid.NewGuid(), "offre", "offre.pdf"), DepositScenario.PdfOfSize(1000)));

        Assert.Equal("deposit.unknown", await DepositScenario.CodeOfAsync(response));
        Assert.Empty(Directory.EnumerateFiles(_ingest.UploadsDirectory));
    }

    [Theory]
    [InlineData("GET", "/")]
    [InlineData("GET", "/messages")]
    [InlineData("GET", "/compte/connexion")]
    [InlineData("POST", "/api/auth/token")]
    [InlineData("GET", "/openapi/v1.json")]
    public async Task EverythingButUploadsAndHealth_OnTheIngestInstance_Is404(string method, string path)
    {
        using var client = _ingest.Client();

        using var response = await client.SendAsync(new HttpRequestMessage(new HttpMethod(method), path));

        Assert.Equal(HttpStatusCode.NotFound, response.StatusCode);
    }

    [Fact]
    public async Task Health_OnTheIngestInstance_Answers200()
    {
        using var client = _ingest.Client();

        using var response = await client.GetAsync("/health");

        Assert.Equal(HttpStatusCode.OK, response.StatusCode);
    }

    [Fact]
    public void BackgroundWork_OnTheIngestInstance_IsOnlyTheExpiryOfUploads()
    {
        var pliWorkers = _ingest.Services.GetServices<IHostedService>().Select(s => s.GetType()).Where(t => t.Assembly == typeof(Program).Assembly).Select(t => t.Name);

        Assert.Equal(["ExpiredUploadsSweep"], pliWorkers);
    }

    [Fact]
    public async Task DefaultRole_StillServesPagesAndUploads()
    {
        using var client = _all.CreateClient(new() { BaseAddress = _all.ClientBaseAddress, AllowAutoRedirect = false });

        using var page = await client.GetAsync("/");
        using var tus = await client.SendAsync(Tus.Request(HttpMethod.Options, "/api/uploads/", resumable: false));

        Assert.Equal(HttpStatusCode.OK, page.StatusCode);
        Assert.Equal(HttpStatusCode.NoContent, tus.StatusCode);
        Assert.Equal("1.0.0", tus.Headers.GetValues("Tus-Version").Single());
    }

    [Theory]
    [InlineData(null, PliRole.All)]
    [InlineData("", PliRole.All)]
    [InlineData("All", PliRole.All)]
    [InlineData("ingest", PliRole.Ingest)]
    public void Of_ReadsTheRoleByName(string? value, PliRole expected)
    {
        var configuration = new ConfigurationBuilder().AddInMemoryCollection(new Dictionary<string, string?> { [PliRoles.Setting] = value }).Build();

        Assert.Equal(expected, PliRoles.Of(configuration));
    }

    [Theory]
    [InlineData("Worker")]
    [InlineData("1")]
    public void Of_AnUnknownRole_StopsTheStartNamingTheSetting(string value)
    {
        var configuration = new ConfigurationBuilder().AddInMemoryCollection(new Dictionary<string, string?> { [PliRoles.Setting] = value }).Build();

        var refused = Assert.Throws<InvalidOperationException>(() => PliRoles.Of(configuration));

        Assert.Contains(PliRoles.Setting, refused.Message);
    }
}

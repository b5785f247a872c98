using System.Net;
using System.Net.Http.Headers;
using System.Net.Http.Json;
using System.Text.Json;
using Pli.Web.Features.Help;
using Pli.Web.Tests.Infrastructure;

namespace Pli.Web.Tests.Features.Help;

/// <summary>A small test upload and two tests a minute per address, so that the limits can be crossed.</summary>
public class WorkstationApp : SqliteApp
{
    protected virtual int TestsPerMinute => 2;

    protected override IDictionary<string, string?> Settings => new Dictionary<string, string?>
    {
        ["Workstation:TestUploadBytes"] = "1048576",
        ["Workstation:TestsPerMinute"] = TestsPerMinute.ToString(System.Globalization.CultureInfo.InvariantCulture),
    };
}

/// <summary>The same bound, and enough tests a minute for the refusals not to meet the rate limit.</summary>
public sealed class WorkstationRefusalsApp : WorkstationApp
{
    protected override int TestsPerMinute => 100;
}

public sealed class WorkstationEndpointsTests(WorkstationApp app) : IClassFixture<WorkstationApp>
{
    [Fact]
    public async Task Clock_IsThePlatformsTime_NeverCached()
    {
        using var client = app.CreateClient();

        using var response = await client.GetAsync("/api/workstation/clock");

        Assert.Equal(HttpStatusCode.OK, response.StatusCode);
        Assert.Equal("no-store", response.Headers.CacheControl?.ToString());
        var utc = (await response.Content.ReadFromJsonAsync<JsonElement>()).GetProperty("utc").GetDateTimeOffset();
        Assert.Equal(app.Time.GetUtcNow(), utc);
    }

    [Fact]
    public async Task Upload_ReadsAndCountsTheBytes_ForAnyone_Then_LimitsTheRate()
    {
        using var client = app.CreateClient();
        // The limiter's window runs on the real clock: this is the only test of its fixture that sends uploads.
        var body = new byte[1024 * 1024];
        Random.Shared.NextBytes(body);

        using var first = await PatchAsync(client, body);
        using var second = await PatchAsync(client, body[..1000]);
        using var third = await PatchAsync(client, body[..10]);

        Assert.Equal(HttpStatusCode.OK, first.StatusCode);
        var result = await first.Content.ReadFromJsonAsync<JsonElement>();
        Assert.Equal(body.Length, result.GetProperty("bytes").GetInt64());
        Assert.True(result.GetProperty("serverMilliseconds").GetDouble() >= 0);
        Assert.Equal(1000, (await second.Content.ReadFromJsonAsync<JsonElement>()).GetProperty("bytes").GetInt64());
        Assert.Equal(HttpStatusCode.TooManyRequests, third.StatusCode);
    }

    private static Task<HttpResponseMessage> PatchAsync(HttpClient client, byte[] body)
    {
        var content = new ByteArrayContent(body);
        content.Headers.ContentType = new MediaTypeHeaderValue(WorkstationEndpoints.ContentType);
        return client.PatchAsync("/api/workstation/upload", content);
    }
}

/// <summary>The refusals of the test upload: each says what is wrong, none reads more than the bound.</summary>
public sealed class WorkstationRefusalTests(WorkstationRefusalsApp app) : IClassFixture<WorkstationRefusalsApp>
{
    [Fact]
    public async Task Upload_LargerThanTheBound_Is413()
    {
        using var client = app.CreateClient();
        var content = new ByteArrayContent(new byte[1024 * 1024 + 1]);
        content.Headers.ContentType = new MediaTypeHeaderValue(WorkstationEndpoints.ContentType);

        using var response = await client.PatchAsync("/api/workstation/upload", content);

        Assert.Equal(HttpStatusCode.RequestEntityTooLarge, response.StatusCode);
        Assert.Contains("at most 1048576 bytes", await response.Content.ReadAsStringAsync(), StringComparison.Ordinal);
    }

    [Fact]
    public async Task Upload_OfAnotherContentType_Is415()
    {
        using var client = app.CreateClient();

        using var response = await client.PatchAsync("/api/workstation/upload", new StringContent("bonjour"));

        Assert.Equal(HttpStatusCode.UnsupportedMediaType, response.StatusCode);
        Assert.Contains(WorkstationEndpoints.ContentType, await response.Content.ReadAsStringAsync(), StringComparison.Ordinal);
    }

    [Fact]
    public async Task Upload_WithoutALength_Is411()
    {
        using var client = app.CreateClient();
        var content = new StreamContent(new MemoryStream(new byte[100]));
        content.Headers.ContentType = new MediaTypeHeaderValue(WorkstationEndpoints.ContentType);
        using var request = new HttpRequestMessage(HttpMethod.Patch, "/api/workstation/upload") { Content = content };
        request.Headers.TransferEncodingChunked = true;

        using var response = await client.SendAsync(request);

        Assert.Equal(HttpStatusCode.LengthRequired, response.StatusCode);
    }
}

public sealed class WorkstationSettingTests
{
    [Theory]
    [InlineData("Workstation:TestUploadBytes", "1024")]
    [InlineData("Workstation:TestUploadBytes", "33554432")]
    [InlineData("Workstation:TestsPerMinute", "0")]
    public void Start_WithABoundOutOfRange_FailsNamingIt(string setting, string value)
    {
        using var app = new SettingApp(setting, value);

        var error = Assert.ThrowsAny<Exception>(() => app.Services);

        Assert.Contains(setting.Split(':')[1], error.ToString(), StringComparison.Ordinal);
    }

    private sealed class SettingApp(string setting, string value) : PliApp
    {
        public override Pli.Web.Infrastructure.Data.DatabaseProvider Provider => Pli.Web.Infrastructure.Data.DatabaseProvider.Sqlite;

        protected override string ConnectionString => $"Data Source={Path.Combine(DataRoot, "pli.db")}";

        protected override IDictionary<string, string?> Settings => new Dictionary<string, string?> { [setting] = value };
    }
}

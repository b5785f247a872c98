using System.Net;
using System.Text.Json;
using Pli.Web.Tests.Infrastructure;

namespace Pli.Web.Tests.Features.Health;

public abstract class HealthTests(PliApp app)
{
    [Fact]
    public async Task Get_Health_ChecksDatabaseAndStorage()
    {
        using var browser = app.Browser();

        using var response = await browser.GetAsync("/health");

        Assert.Equal(HttpStatusCode.OK, response.StatusCode);
        using var json = JsonDocument.Parse(await response.Content.ReadAsStringAsync());
        Assert.Equal("Healthy", json.RootElement.GetProperty("checks").GetProperty("database").GetString());
        Assert.Equal("Healthy", json.RootElement.GetProperty("checks").GetProperty("storage").GetString());
    }

    [Fact]
    public async Task Get_Health_WhenStorageIsNotWritable_Answers503()
    {
        using var browser = app.Browser();
        var root = Path.Combine(app.DataRoot, "files");
        var health = Path.Combine(root, "health");
        Directory.CreateDirectory(root);
        if (Directory.Exists(health))
        {
            Directory.Delete(health, true);
        }
        // A file where the probe wants a folder: writing fails whatever the user (tests may run as root).
        await File.WriteAllTextAsync(health, "blocks the probe folder");
        try
        {
            using var response = await browser.GetAsync("/health");

            Assert.Equal(HttpStatusCode.ServiceUnavailable, response.StatusCode);
        }
        finally
        {
            File.Delete(health);
        }
    }

    [Fact]
    public async Task Get_OpenApiDocument_DescribesTheApi()
    {
        using var browser = app.Browser();

        using var response = await browser.GetAsync("/openapi/v1.json");

        Assert.Equal(HttpStatusCode.OK, response.StatusCode);
        using var json = JsonDocument.Parse(await response.Content.ReadAsStringAsync());
        Assert.Equal("Pli API", json.RootElement.GetProperty("info").GetProperty("title").GetString());
    }

    [Fact]
    public async Task Get_AnyPage_SendsSecurityHeaders()
    {
        using var browser = app.Browser();

        using var response = await browser.GetAsync("/compte/connexion");

        Assert.Contains("frame-ancestors 'none'", response.Headers.GetValues("Content-Security-Policy").Single(), StringComparison.Ordinal);
        Assert.DoesNotContain("unsafe-inline", response.Headers.GetValues("Content-Security-Policy").Single(), StringComparison.Ordinal);
        Assert.Equal("nosniff", response.Headers.GetValues("X-Content-Type-Options").Single());
        Assert.Equal("DENY", response.Headers.GetValues("X-Frame-Options").Single());
    }
}

public sealed class HealthTestsOnSqlite(SqliteApp app) : HealthTests(app), IClassFixture<SqliteApp>;

public sealed class HealthTestsOnPostgres(PostgresApp app) : HealthTests(app), IClassFixture<PostgresApp>;

using System.Net;
using System.Text.Json;
using Pli.Web.Tests.Infrastructure;

namespace Pli.Web.Tests.Features.Portal;

public abstract class PortalApiTests(PliApp app)
{
    private async Task<JsonDocument> GetJsonAsync(string url)
    {
        using var browser = app.Browser();
        using var response = await browser.GetAsync(url);
        var body = await response.Content.ReadAsStringAsync();
        Assert.True(response.StatusCode == HttpStatusCode.OK, $"GET {url} answered {(int)response.StatusCode}\n{body}");
        return JsonDocument.Parse(body);
    }

    private static List<string> References(JsonDocument list) =>
        [.. list.RootElement.GetProperty("items").EnumerateArray().Select(i => i.GetProperty("reference").GetString()!)];

    [Fact]
    public async Task List_ByDefault_ReturnsConsultationsInProgressWithPaging()
    {
        var demo = await ConsultationBuilder.DemoBuyerIdAsync(app);

        using var json = await GetJsonAsync($"/api/consultations?buyer={demo}");

        Assert.Equal(["2026-FCS-0107", "2026-TRV-0042", "2026-SRV-0213"], References(json));
        Assert.Equal(1, json.RootElement.GetProperty("page").GetInt32());
        Assert.Equal(20, json.RootElement.GetProperty("pageSize").GetInt32());
        Assert.Equal(3, json.RootElement.GetProperty("total").GetInt32());
    }

    [Fact]
    public async Task List_WithPageSize_ReturnsThatPage()
    {
        var demo = await ConsultationBuilder.DemoBuyerIdAsync(app);

        using var json = await GetJsonAsync($"/api/consultations?buyer={demo}&pageSize=2&page=2");

        Assert.Equal(["2026-SRV-0213"], References(json));
        Assert.Equal(2, json.RootElement.GetProperty("page").GetInt32());
        Assert.Equal(2, json.RootElement.GetProperty("pageSize").GetInt32());
        Assert.Equal(3, json.RootElement.GetProperty("total").GetInt32());
    }

    [Theory]
    [InlineData("reference=2026-trv-0042", "2026-TRV-0042")]
    [InlineData("q=echangeur", "2026-TRV-0042")]
    [InlineData("nature=Fournitures", "2026-FCS-0107")]
    [InlineData("procedure=ProcedureAdaptee", "2026-FCS-0107")]
    [InlineData("cpv=9091", "2026-SRV-0213")]
    [InlineData("deadlineFrom=2026-07-16&deadlineTo=2026-07-16", "2026-SRV-0213")]
    [InlineData("place=Aix-En-Provence", "2026-FCS-0107")]
    [InlineData("place=marseille+et+aubagne", "2026-SRV-0213")]
    public async Task List_WithFilter_KeepsOnlyMatchingConsultations(string query, string expected)
    {
        var demo = await ConsultationBuilder.DemoBuyerIdAsync(app);

        using var json = await GetJsonAsync($"/api/consultations?buyer={demo}&{query}");

        Assert.Equal([expected], References(json));
    }

    [Fact]
    public async Task List_WithPlaceOfExactlyTheMaximumLength_IsAccepted()
    {
        using var json = await GetJsonAsync($"/api/consultations?place={new string('a', 100)}");

        Assert.Empty(References(json));
    }

    [Fact]
    public async Task List_DoesNotReturnDrafts()
    {
        var draft = await new ConsultationBuilder(app).Draft().SaveAsync();

        using var json = await GetJsonAsync($"/api/consultations?buyer={draft.OrganisationId}&includeClosed=true");

        Assert.Equal(0, json.RootElement.GetProperty("total").GetInt32());
    }

    [Fact]
    public async Task Get_DemoConsultation_ReturnsEveryFieldInCamelCase()
    {
        var id = await ConsultationBuilder.IdOfAsync(app, "2026-TRV-0042");
        var demo = await ConsultationBuilder.DemoBuyerIdAsync(app);

        using var json = await GetJsonAsync($"/api/consultations/{id}");

        var c = json.RootElement;
        Assert.Equal(id, c.GetProperty("id").GetGuid());
        Assert.Equal("2026-TRV-0042", c.GetProperty("reference").GetString());
        Assert.Equal("Reconstruction de l'échangeur de la Barasse", c.GetProperty("title").GetString());
        Assert.StartsWith("Travaux de reconstruction", c.GetProperty("object").GetString(), StringComparison.Ordinal);
        Assert.Equal(demo, c.GetProperty("buyer").GetProperty("id").GetGuid());
        Assert.Equal("Métropole Démo", c.GetProperty("buyer").GetProperty("name").GetString());
        Assert.Equal("AppelOffresOuvert", c.GetProperty("procedure").GetString());
        Assert.Equal("Appel d'offres ouvert", c.GetProperty("procedureLabel").GetString());
        Assert.Equal("Travaux", c.GetProperty("nature").GetString());
        Assert.Equal("45233120-6", c.GetProperty("cpv").GetProperty("code").GetString());
        Assert.Equal("Travaux de construction de routes", c.GetProperty("cpv").GetProperty("label").GetString());
        var lots = c.GetProperty("lots").EnumerateArray().ToList();
        Assert.Equal(3, lots.Count);
        Assert.Equal(1, lots[0].GetProperty("number").GetInt32());
        Assert.Equal("Terrassements et chaussées", lots[0].GetProperty("title").GetString());
        Assert.Equal("2026-07-01T12:00:00+02:00", c.GetProperty("deadline").GetString());
        Assert.Equal("2026-06-24T12:00:00+02:00", c.GetProperty("questionDeadline").GetString());
        Assert.Equal($"https://localhost/consultations/{id}", c.GetProperty("url").GetString());
        Assert.True(c.GetProperty("inProgress").GetBoolean());
    }

    [Fact]
    public async Task Get_DemoConsultation_DescribesItsDceFiles()
    {
        var id = await ConsultationBuilder.IdOfAsync(app, "2026-TRV-0042");

        using var json = await GetJsonAsync($"/api/consultations/{id}");

        var files = json.RootElement.GetProperty("dceFiles").EnumerateArray().ToList();
        Assert.Equal(4, files.Count);
        var cctp = files.Single(f => f.GetProperty("path").GetString() == "Pièces techniques/CCTP.pdf");
        Assert.True(cctp.GetProperty("size").GetInt64() > 0);
        Assert.Equal(".pdf", cctp.GetProperty("format").GetString());
        Assert.Matches("^[0-9a-f]{64}$", cctp.GetProperty("sha256").GetString());
        Assert.Equal($"https://localhost/consultations/{id}/dce/fichiers/{cctp.GetProperty("id").GetGuid()}", cctp.GetProperty("url").GetString());
    }

    [Fact]
    public async Task Get_WithAForgedHostHeader_LinksToThePlatformStill()
    {
        var id = await ConsultationBuilder.IdOfAsync(app, "2026-TRV-0042");
        using var browser = app.Browser();
        using var request = new HttpRequestMessage(HttpMethod.Get, $"/api/consultations/{id}");
        request.Headers.Host = "evil.example";

        using var response = await browser.Client.SendAsync(request);

        using var json = JsonDocument.Parse(await response.Content.ReadAsStringAsync());
        Assert.Equal($"https://localhost/consultations/{id}", json.RootElement.GetProperty("url").GetString());
    }

    [Fact]
    public async Task Get_WinterDeadline_HasTheParisWinterOffset()
    {
        var consultation = await new ConsultationBuilder(app).DeadlineParis(new DateTime(2026, 12, 12, 12, 0, 0)).SaveAsync();

        using var json = await GetJsonAsync($"/api/consultations/{consultation.Id}");

        Assert.Equal("2026-12-12T12:00:00+01:00", json.RootElement.GetProperty("deadline").GetString());
        Assert.Equal("2026-12-05T12:00:00+01:00", json.RootElement.GetProperty("questionDeadline").GetString());
    }

    [Fact]
    public async Task Get_Draft_Is404Problem()
    {
        var draft = await new ConsultationBuilder(app).Draft().SaveAsync();
        using var browser = app.Browser();

        using var response = await browser.GetAsync($"/api/consultations/{draft.Id}");

        Assert.Equal(HttpStatusCode.NotFound, response.StatusCode);
        Assert.Equal("application/problem+json", response.Content.Headers.ContentType!.MediaType);
        Assert.DoesNotContain(draft.Reference, await response.Content.ReadAsStringAsync(), StringComparison.Ordinal);
    }

    [Fact]
    public async Task Get_UnknownId_Is404Problem()
    {
        using var browser = app.Browser();

        using var response = await browser.GetAsync($"/api/consultations/{Guid.NewGuid()}");

        Assert.Equal(HttpStatusCode.NotFound, response.StatusCode);
        Assert.Equal("application/problem+json", response.Content.Headers.ContentType!.MediaType);
    }

    [Theory]
    [InlineData("page=0", "page")]
    [InlineData("page=abc", "page")]
    [InlineData("pageSize=0", "pageSize")]
    [InlineData("pageSize=1000", "pageSize")]
    [InlineData("nature=bois", "nature")]
    [InlineData("procedure=42", "procedure")]
    [InlineData("cpv=x45", "cpv")]
    [InlineData("deadlineFrom=2026-13-01", "deadlineFrom")]
    [InlineData("deadlineFrom=2026-08-01&deadlineTo=2026-07-01", "deadlineTo")]
    [InlineData("buyer=123", "buyer")]
    [InlineData("includeClosed=maybe", "includeClosed")]
    [InlineData("place=Saint-Remy-de-Provence-Saint-Remy-de-Provence-Saint-Remy-de-Provence-Saint-Remy-de-Provence-Saint-Remy", "place")]
    public async Task List_WithInvalidParameter_Returns400ValidationProblemNamingIt(string query, string parameter)
    {
        using var browser = app.Browser();

        using var response = await browser.GetAsync($"/api/consultations?{query}");

        Assert.Equal(HttpStatusCode.BadRequest, response.StatusCode);
        Assert.Equal("application/problem+json", response.Content.Headers.ContentType!.MediaType);
        using var json = JsonDocument.Parse(await response.Content.ReadAsStringAsync());
        Assert.True(json.RootElement.GetProperty("errors").TryGetProperty(parameter, out var messages), json.RootElement.ToString());
        Assert.False(string.IsNullOrWhiteSpace(messages[0].GetString()));
    }

    [Fact]
    public async Task OpenApi_DescribesTheConsultationEndpoints()
    {
        using var json = await GetJsonAsync("/openapi/v1.json");

        var paths = json.RootElement.GetProperty("paths");
        var list = paths.GetProperty("/api/consultations").GetProperty("get");
        var names = list.GetProperty("parameters").EnumerateArray().Select(p => p.GetProperty("name").GetString()).ToList();
        Assert.Equal(["reference", "q", "buyer", "nature", "procedure", "cpv", "place", "deadlineFrom", "deadlineTo", "page", "pageSize", "includeClosed"], names);
        var place = list.GetProperty("parameters").EnumerateArray().Single(p => p.GetProperty("name").GetString() == "place");
        Assert.Equal(100, place.GetProperty("schema").GetProperty("maxLength").GetInt32());
        Assert.Contains("Lieu d'exécution", place.GetProperty("description").GetString(), StringComparison.Ordinal);
        var page = list.GetProperty("parameters").EnumerateArray().Single(p => p.GetProperty("name").GetString() == "page");
        Assert.Equal("integer", page.GetProperty("schema").GetProperty("type").GetString());
        Assert.True(list.GetProperty("responses").TryGetProperty("200", out var ok));
        Assert.Contains("ConsultationListResponse", ok.GetRawText(), StringComparison.Ordinal);
        Assert.True(list.GetProperty("responses").TryGetProperty("400", out _));
        var get = paths.GetProperty("/api/consultations/{id}").GetProperty("get");
        Assert.Contains("ConsultationResponse", get.GetProperty("responses").GetProperty("200").GetRawText(), StringComparison.Ordinal);
        Assert.True(get.GetProperty("responses").TryGetProperty("404", out _));
    }
}

public sealed class PortalApiTestsOnSqlite(SqliteApp app) : PortalApiTests(app), IClassFixture<SqliteApp>;

public sealed class PortalApiTestsOnPostgres(PostgresApp app) : PortalApiTests(app), IClassFixture<PostgresApp>;

using System.Net;
using System.Text.Json;
using System.Text.Json.Nodes;
using Json.Schema;
using Microsoft.EntityFrameworkCore;
using Pli.Web.Features.Award;
using Pli.Web.Features.OpenData.Decp;
using Pli.Web.Infrastructure.Data;
using Pli.Web.Tests.Features.Account;
using Pli.Web.Tests.Features.Backoffice;
using Pli.Web.Tests.Infrastructure;

namespace Pli.Web.Tests.Features.Award;

/// <summary>The essential data (DECP v2.0.3) of awarded lots: the agent's form, and the public JSON checked against the official schema.</summary>
public abstract class DecpTests(PliApp app)
{
    /// <summary>The demo buyer's SIRET (DemoData).</summary>
    private const string BuyerSiret = "20005480700017";

    private readonly AwardScenario _scenario = new(app);

    private static Dictionary<string, string> Completed(string today) => new()
    {
        ["LieuCode"] = "13055",
        ["LieuTypeCode"] = "Code commune",
        ["DureeMois"] = "24",
        ["DateNotification"] = today,
        ["TypesPrix"] = "Définitif ferme",
        ["FormePrix"] = "Forfaitaire",
        ["SousTraitanceDeclaree"] = "false",
        ["ConsiderationsSociales"] = "Pas de considération sociale",
        ["ConsiderationsEnvironnementales"] = "Clause environnementale",
    };

    private async Task<(Guid ConsultationId, PliUser Winner, TestBrowser Agent)> AwardedLotAsync()
    {
        var consultation = await _scenario.ConsultationAsync("Voirie", "Éclairage");
        var winner = await _scenario.TendererAsync(consultation, 1);
        await _scenario.TendererAsync(consultation, 1);
        _scenario.PassDeadline();
        var agent = await _scenario.AgentAsync();
        await _scenario.DecideOkAsync(agent, consultation.Id, 1, winner.CompanyId!.Value);
        return (consultation.Id, winner, agent);
    }

    private static JsonSchema Schema()
    {
        using var stream = DecpService.OpenSchema();
        using var reader = new StreamReader(stream);
        return JsonSchema.FromText(reader.ReadToEnd(), new BuildOptions { SchemaRegistry = new SchemaRegistry() });
    }

    private static string Errors(EvaluationResults results) =>
        string.Join("\n", (results.Details ?? []).Where(d => d.Errors is not null).SelectMany(d => d.Errors!.Select(e => $"{d.InstanceLocation}: {e.Key} {e.Value}")));

    [Fact]
    public async Task Form_IsPrefilledWithWhatThePlatformKnows()
    {
        var (consultationId, _, agent) = await AwardedLotAsync();
        using var _ = agent;

        var page = await agent.GetPageAsync(AwardPaths.EssentialData(consultationId, 1));

        Assert.Equal("Appel d'offres ouvert", page.QuerySelector("#Procedure option[selected]")!.GetAttribute("value"));
        Assert.Equal("Travaux", page.QuerySelector("#Ccag option[selected]")!.GetAttribute("value"));
        Assert.Equal("2", page.QuerySelector("#OffresRecues")!.GetAttribute("value"));
        Assert.Contains("45233120-6", page.QuerySelector("#decp-connues")!.TextContent);
    }

    [Fact]
    public async Task Published_TheBuyersYearAndMonth_ValidateAgainstTheOfficialSchema()
    {
        var (consultationId, winner, agent) = await AwardedLotAsync();
        using var _ = agent;

        using var posted = await agent.SubmitFormAsync(AwardPaths.EssentialData(consultationId, 1), Completed(_scenario.Today), "#form-decp");
        await AccountTestKit.AssertRedirectAsync(posted);
        using var client = app.CreateClient(new() { BaseAddress = new Uri("https://localhost") });
        using var yearly = await client.GetAsync(AwardPaths.Decp(BuyerSiret, 2026));
        var body = await yearly.Content.ReadAsStringAsync();

        Assert.Equal(HttpStatusCode.OK, yearly.StatusCode);
        Assert.Equal("application/json", yearly.Content.Headers.ContentType!.MediaType);
        var results = Schema().Evaluate(JsonDocument.Parse(body).RootElement, new EvaluationOptions { OutputFormat = OutputFormat.List });
        Assert.True(results.IsValid, Errors(results) + "\n" + body);
        var reference = await app.WithDb(db => db.Consultations.Where(c => c.Id == consultationId).Select(c => c.Reference).SingleAsync());
        var marche = JsonNode.Parse(body)!["marches"]!["marche"]!.AsArray().Single(m => (string?)m!["id"] == reference + "-L1")!;
        var siret = await app.WithDb(db => db.Companies.Where(c => c.Id == winner.CompanyId).Select(c => c.Siret).SingleAsync());
        Assert.Equal(siret, (string?)marche["titulaires"]![0]!["titulaire"]!["id"]);
        Assert.Equal("SIRET", (string?)marche["titulaires"]![0]!["titulaire"]!["typeIdentifiant"]);
        Assert.Equal(125_000.50m, (decimal)marche["montant"]!);
        Assert.Equal(2, (int)marche["offresRecues"]!);
        Assert.Equal(BuyerSiret, (string?)marche["acheteur"]!["id"]);
        Assert.Equal("45233120-6", (string?)marche["codeCPV"]);
        Assert.Contains("Voirie", (string?)marche["objet"]);

        var month = _scenario.Today[..7];
        using var monthly = await client.GetAsync($"/donnees-essentielles/{BuyerSiret}/{month}.json");
        var monthBody = await monthly.Content.ReadAsStringAsync();
        Assert.True(Schema().Evaluate(JsonDocument.Parse(monthBody).RootElement).IsValid);
        Assert.Contains(reference + "-L1", monthBody);
        using var otherYear = await client.GetAsync(AwardPaths.Decp(BuyerSiret, 2025));
        Assert.DoesNotContain(reference, await otherYear.Content.ReadAsStringAsync());
        Assert.Contains("decp.published", await _scenario.AuditAsync(consultationId));
        var award = await agent.GetPageAsync(AwardPaths.Page(consultationId));
        Assert.NotNull(award.QuerySelector("#decp-publiees-1"));
    }

    [Fact]
    public void Schema_RefusesAContractWithoutARequiredField()
    {
        var marche = JsonNode.Parse("""{"id":"X1","acheteur":{"id":"20005480700017"},"nature":"Marché"}""");

        var results = Schema().Evaluate(JsonSerializer.SerializeToElement(new JsonObject { ["marches"] = new JsonObject { ["marche"] = new JsonArray(marche) } }));

        Assert.False(results.IsValid);
    }

    [Fact]
    public async Task Form_WithAMissingRequiredField_IsRefusedNamingIt_AndNothingIsPublished()
    {
        var (consultationId, _, agent) = await AwardedLotAsync();
        using var _ = agent;
        var fields = Completed(_scenario.Today);
        fields["DureeMois"] = "";

        using var response = await agent.SubmitFormAsync(AwardPaths.EssentialData(consultationId, 1), fields, "#form-decp");

        var page = await TestBrowser.ParseAsync(response);
        Assert.True(page.HasErrorOn("DureeMois"), await BackofficeTestData.ErrorsAsync(response));
        Assert.Contains("Durée initiale du marché", page.QuerySelector("#erreurs")!.TextContent);
        Assert.Equal("13055", page.QuerySelector("#LieuCode")!.GetAttribute("value"));
        Assert.False(await app.WithDb(db => db.EssentialData.AnyAsync(e => e.ConsultationId == consultationId)));
    }

    [Fact]
    public async Task Form_OfAnotherOrganisation_OrOfALotNotDecided_IsNotFound()
    {
        var (consultationId, _, agent) = await AwardedLotAsync();
        using var _ = agent;
        var (_, email) = await BackofficeTestData.CreateOrganisationWithAgentAsync(app, Pli.Domain.Organisations.AgentRole.ConsultationManager);
        using var stranger = app.Browser();
        await stranger.SignInAsAgentAsync(email);

        using var foreign = await stranger.GetAsync(AwardPaths.EssentialData(consultationId, 1));
        using var undecided = await agent.GetAsync(AwardPaths.EssentialData(consultationId, 2));

        AwardScenario.AssertNotFound(foreign);
        AwardScenario.AssertNotFound(undecided);
    }

    [Theory]
    [InlineData("/donnees-essentielles/123/2026.json")]
    [InlineData("/donnees-essentielles/20005480700017/20x6.json")]
    [InlineData("/donnees-essentielles/20005480700017/2026-13.json")]
    public async Task Json_ForABadSiretOrPeriod_IsNotFound(string url)
    {
        using var client = app.CreateClient(new() { BaseAddress = new Uri("https://localhost") });

        using var response = await client.GetAsync(url);

        Assert.Equal(HttpStatusCode.NotFound, response.StatusCode);
    }
}

public sealed class DecpTestsOnSqlite(SqliteApp app) : DecpTests(app), IClassFixture<SqliteApp>;

public sealed class DecpTestsOnPostgres(PostgresApp app) : DecpTests(app), IClassFixture<PostgresApp>;

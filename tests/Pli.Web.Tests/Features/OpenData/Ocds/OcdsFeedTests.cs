using System.ComponentModel.DataAnnotations;
using System.Net;
using System.Text.Json;
using Microsoft.AspNetCore.Hosting;
using Microsoft.EntityFrameworkCore;
using Microsoft.Extensions.DependencyInjection;
using Pli.Domain.Consultations;
using Pli.Domain.Organisations;
using Pli.Web.Features.OpenData.Ocds;
using Pli.Web.Tests.Features.Portal;
using Pli.Web.Tests.Infrastructure;

namespace Pli.Web.Tests.Features.OpenData.Ocds;

public abstract class OcdsFeedTests(PliApp app)
{
    private const string BuyerSiret = "21130055300016";

    [Fact]
    public async Task PublishedTender_IsAValidPackage_WithTheTender()
    {
        var consultation = await PublishedAsync(b => b.Lot("Gros œuvre").Lot("Électricité").Procedure(ProcedureType.AppelOffresOuvert).Nature(Nature.Travaux));

        var (json, package) = await GetAsync(OcdsFeed.ConsultationPath(consultation.Id));

        OcdsSchema.AssertValid(json);
        Assert.Equal("1.1", package.GetProperty("version").GetString());
        Assert.Equal($"https://localhost/ocds/consultations/{consultation.Id}/releases.json", package.GetProperty("uri").GetString());
        var release = Assert.Single(package.GetProperty("releases").EnumerateArray());
        Assert.Equal($"ocds-pli000-{consultation.Id}", release.GetProperty("ocid").GetString());
        Assert.Equal("tender", release.GetProperty("tag")[0].GetString());
        var tender = release.GetProperty("tender");
        Assert.Equal("active", tender.GetProperty("status").GetString());
        Assert.Equal("open", tender.GetProperty("procurementMethod").GetString());
        Assert.Equal("works", tender.GetProperty("mainProcurementCategory").GetString());
        Assert.Equal(OcdsReleaseBuilder.Instant(consultation.DeadlineUtc), tender.GetProperty("tenderPeriod").GetProperty("endDate").GetString());
        Assert.Equal(2, tender.GetProperty("lots").GetArrayLength());
        var item = tender.GetProperty("items")[1];
        Assert.Equal("2", item.GetProperty("relatedLot").GetString());
        Assert.Equal("CPV", item.GetProperty("classification").GetProperty("scheme").GetString());
        Assert.Equal("90910000", item.GetProperty("classification").GetProperty("id").GetString());
        var buyer = Assert.Single(release.GetProperty("parties").EnumerateArray());
        Assert.Equal("FR-RCS", buyer.GetProperty("identifier").GetProperty("scheme").GetString());
        Assert.Equal(BuyerSiret, buyer.GetProperty("identifier").GetProperty("id").GetString());
        Assert.Equal(buyer.GetProperty("id").GetString(), release.GetProperty("buyer").GetProperty("id").GetString());
    }

    [Fact]
    public async Task AmendedThenCancelled_OneReleasePerEvent_WithStableIds()
    {
        var consultation = await PublishedAsync();
        var originalDeadline = consultation.DeadlineUtc;
        var newDeadline = originalDeadline.AddDays(3);
        await ModifyAsync(consultation.Id, c => c.ChangeDeadline(newDeadline, null, Now()));
        await ModifyAsync(consultation.Id, c => c.PublishRectificatif("Le lieu de la visite change.", Now()));
        await ModifyAsync(consultation.Id, c => c.Cancel("Besoin abandonné.", Now()));

        var (json, package) = await GetAsync(OcdsFeed.ConsultationPath(consultation.Id));
        var (again, _) = await GetAsync(OcdsFeed.ConsultationPath(consultation.Id));

        OcdsSchema.AssertValid(json);
        Assert.Equal(json, again);
        var releases = package.GetProperty("releases").EnumerateArray().Reverse().ToList();
        Assert.Equal(["tender", "tenderAmendment", "tenderAmendment", "tenderCancellation"], releases.Select(r => r.GetProperty("tag")[0].GetString()));
        Assert.Equal(OcdsReleaseBuilder.Instant(originalDeadline), releases[0].GetProperty("tender").GetProperty("tenderPeriod").GetProperty("endDate").GetString());
        Assert.Equal(OcdsReleaseBuilder.Instant(newDeadline), releases[1].GetProperty("tender").GetProperty("tenderPeriod").GetProperty("endDate").GetString());
        var amendment = releases[2].GetProperty("tender").GetProperty("amendments")[0];
        Assert.Equal("Le lieu de la visite change.", amendment.GetProperty("description").GetString());
        Assert.Equal(releases[1].GetProperty("id").GetString(), amendment.GetProperty("amendsReleaseID").GetString());
        Assert.Equal(releases[2].GetProperty("id").GetString(), amendment.GetProperty("releaseID").GetString());
        Assert.Equal("cancelled", releases[3].GetProperty("tender").GetProperty("status").GetString());
        Assert.Equal("Besoin abandonné.", releases[3].GetProperty("tender").GetProperty("amendments")[0].GetProperty("description").GetString());
    }

    [Fact]
    public async Task Award_FromItsInput_IsAnAwardRelease_WithTheSuppliers()
    {
        var consultation = await PublishedAsync(b => b.Lot("Lot unique"));
        app.Services.GetRequiredService<TestOcdsAwards>().Add(new OcdsAwardInput(Guid.NewGuid(), consultation.Id, 1,
            [new OcdsSupplierInput("Bâtiments du Sud", "44332211000018"), new OcdsSupplierInput("Électricité Marseillaise", "55221133000014")],
            125_000.50m, Now().AddDays(20)));

        var (json, package) = await GetAsync(OcdsFeed.ConsultationPath(consultation.Id));

        OcdsSchema.AssertValid(json);
        var release = package.GetProperty("releases")[0];
        Assert.Equal("award", release.GetProperty("tag")[0].GetString());
        var award = Assert.Single(release.GetProperty("awards").EnumerateArray());
        Assert.Equal(125_000.50m, award.GetProperty("value").GetProperty("amount").GetDecimal());
        Assert.Equal("EUR", award.GetProperty("value").GetProperty("currency").GetString());
        Assert.Equal("1", award.GetProperty("relatedLots")[0].GetString());
        Assert.Equal(["FR-RCS-44332211000018", "FR-RCS-55221133000014"], award.GetProperty("suppliers").EnumerateArray().Select(s => s.GetProperty("id").GetString()));
        var suppliers = release.GetProperty("parties").EnumerateArray().Where(p => p.GetProperty("roles")[0].GetString() == "supplier").ToList();
        Assert.Equal(2, suppliers.Count);
    }

    [Fact]
    public async Task Draft_NeverAppears_EvenWithAnAward()
    {
        var draft = await new ConsultationBuilder(app).Draft().SaveAsync();
        app.Services.GetRequiredService<TestOcdsAwards>().Add(new OcdsAwardInput(Guid.NewGuid(), draft.Id, null,
            [new OcdsSupplierInput("Fuite SA", "44332211000018")], 10m, Now()));
        using var browser = app.Browser();

        using var own = await browser.GetAsync(OcdsFeed.ConsultationPath(draft.Id));
        var all = await AllPagesAsync();

        Assert.Equal(HttpStatusCode.NotFound, own.StatusCode);
        Assert.DoesNotContain(all, r => r.GetProperty("ocid").GetString()!.EndsWith(draft.Id.ToString(), StringComparison.Ordinal));
    }

    [Fact]
    public async Task AllReleases_NewestFirst_Paged_EachPageValid()
    {
        var consultation = await PublishedAsync();
        await ModifyAsync(consultation.Id, c => c.PublishRectificatif("Précision.", Now()));

        var (json, first) = await GetAsync(OcdsFeed.AllPath);
        var all = await AllPagesAsync();
        using var browser = app.Browser();
        using var beyond = await browser.GetAsync($"{OcdsFeed.AllPath}?page=1000");

        OcdsSchema.AssertValid(json);
        Assert.Equal(PageSize, first.GetProperty("releases").GetArrayLength());
        Assert.Equal("https://localhost/ocds/releases.json?page=2", first.GetProperty("links").GetProperty("next").GetString());
        var dates = all.Select(r => r.GetProperty("date").GetString()!).ToList();
        Assert.Equal(dates.OrderByDescending(d => d, StringComparer.Ordinal), dates);
        Assert.Contains(all, r => r.GetProperty("id").GetString() == $"ocds-pli000-{consultation.Id}-tender");
        Assert.Equal(all.Count, all.Select(r => r.GetProperty("ocid").GetString() + r.GetProperty("id").GetString()).Distinct().Count());
        Assert.Equal(HttpStatusCode.NotFound, beyond.StatusCode);
    }

    [Fact]
    public async Task Package_NamesPublisherLicenseAndPolicy()
    {
        var consultation = await PublishedAsync();

        var (_, package) = await GetAsync(OcdsFeed.ConsultationPath(consultation.Id));

        Assert.Equal("Plateforme de test", package.GetProperty("publisher").GetProperty("name").GetString());
        Assert.Equal("https://www.etalab.gouv.fr/licence-ouverte-open-licence/", package.GetProperty("license").GetString());
        Assert.Equal("https://localhost/donnees-ouvertes", package.GetProperty("publicationPolicy").GetString());
        Assert.Equal(OcdsReleaseBuilder.LotsExtension, package.GetProperty("extensions")[0].GetString());
    }

    public const int PageSize = 3;

    private DateTime Now() => app.Time.GetUtcNow().UtcDateTime;

    private async Task<Consultation> PublishedAsync(Func<ConsultationBuilder, ConsultationBuilder>? configure = null)
    {
        var buyer = await app.WithDb(async db =>
        {
            var organisation = Organisation.Create("Ville de Test " + Guid.NewGuid().ToString("N")[..6], BuyerSiret, Now());
            db.Organisations.Add(organisation);
            await db.SaveChangesAsync();
            return organisation.Id;
        });
        var consultation = await (configure ?? (b => b))(new ConsultationBuilder(app).Buyer(buyer)).SaveAsync();
        app.Time.Advance(TimeSpan.FromMinutes(1));
        return consultation;
    }

    /// <summary>A published modification, recorded as the notices feature does it.</summary>
    private async Task ModifyAsync(Guid id, Func<Consultation, ConsultationModification> change)
    {
        await app.WithDb(async db =>
        {
            var consultation = await db.Consultations.Include(c => c.Lots).Include(c => c.DceFiles).Include(c => c.Modifications).SingleAsync(c => c.Id == id);
            db.ConsultationModifications.Add(change(consultation));
            await db.SaveChangesAsync();
        });
        app.Time.Advance(TimeSpan.FromMinutes(1));
    }

    private async Task<(string Json, JsonElement Package)> GetAsync(string path)
    {
        using var browser = app.Browser();
        using var response = await browser.GetAsync(path);
        var json = await response.Content.ReadAsStringAsync();
        Assert.True(response.StatusCode == HttpStatusCode.OK, $"{path}: {response.StatusCode} {json}");
        Assert.Equal("application/json", response.Content.Headers.ContentType?.MediaType);
        return (json, JsonDocument.Parse(json).RootElement.Clone());
    }

    private async Task<List<JsonElement>> AllPagesAsync()
    {
        var releases = new List<JsonElement>();
        string? next = OcdsFeed.AllPath;
        while (next is not null)
        {
            var (json, package) = await GetAsync(next.Replace("https://localhost", "", StringComparison.Ordinal));
            OcdsSchema.AssertValid(json);
            releases.AddRange(package.GetProperty("releases").EnumerateArray());
            next = package.TryGetProperty("links", out var links) && links.TryGetProperty("next", out var n) ? n.GetString() : null;
        }
        return releases;
    }
}

/// <summary>Award inputs given by the tests, standing for the award feature's read model.</summary>
public sealed class TestOcdsAwards : IOcdsAwardSource
{
    private readonly List<OcdsAwardInput> _awards = [];

    public void Add(OcdsAwardInput award)
    {
        lock (_awards)
        {
            _awards.Add(award);
        }
    }

    public Task<IReadOnlyList<OcdsAwardInput>> ForConsultationsAsync(IReadOnlyCollection<Guid> consultationIds, CancellationToken cancellationToken)
    {
        lock (_awards)
        {
            return Task.FromResult<IReadOnlyList<OcdsAwardInput>>([.. _awards.Where(a => consultationIds.Contains(a.ConsultationId))]);
        }
    }
}

internal static class OcdsAppSetup
{
    public static readonly Dictionary<string, string?> Settings = new()
    {
        ["OpenData:PageSize"] = OcdsFeedTests.PageSize.ToString(System.Globalization.CultureInfo.InvariantCulture),
        ["OpenData:PublisherName"] = "Plateforme de test",
        ["OpenData:PublicationPolicyUrl"] = "https://localhost/donnees-ouvertes",
    };

    public static void AddTestAwards(IWebHostBuilder builder) => builder.ConfigureServices(services =>
    {
        services.AddSingleton<TestOcdsAwards>();
        services.AddScoped<IOcdsAwardSource>(sp => sp.GetRequiredService<TestOcdsAwards>());
    });
}

public sealed class OcdsSqliteApp : SqliteApp
{
    protected override IDictionary<string, string?> Settings => OcdsAppSetup.Settings;

    protected override void ConfigureWebHost(IWebHostBuilder builder)
    {
        base.ConfigureWebHost(builder);
        OcdsAppSetup.AddTestAwards(builder);
    }
}

public sealed class OcdsPostgresApp : PostgresApp
{
    protected override IDictionary<string, string?> Settings => OcdsAppSetup.Settings;

    protected override void ConfigureWebHost(IWebHostBuilder builder)
    {
        base.ConfigureWebHost(builder);
        OcdsAppSetup.AddTestAwards(builder);
    }
}

public sealed class OcdsFeedTestsOnSqlite(OcdsSqliteApp app) : OcdsFeedTests(app), IClassFixture<OcdsSqliteApp>;

public sealed class OcdsFeedTestsOnPostgres(OcdsPostgresApp app) : OcdsFeedTests(app), IClassFixture<OcdsPostgresApp>;

/// <summary>The ocid prefix comes from configuration; a prefix not shaped as the helpdesk gives them is refused.</summary>
public sealed class OcidPrefixTests(OcidPrefixTests.PrefixApp app) : IClassFixture<OcidPrefixTests.PrefixApp>
{
    [Fact]
    public async Task OcidPrefix_FromConfiguration_IsUsed()
    {
        var consultation = await new ConsultationBuilder(app).SaveAsync();
        using var browser = app.Browser();

        using var response = await browser.GetAsync(OcdsFeed.ConsultationPath(consultation.Id));
        var json = await response.Content.ReadAsStringAsync();

        OcdsSchema.AssertValid(json);
        Assert.Equal($"ocds-abc123-{consultation.Id}", JsonDocument.Parse(json).RootElement.GetProperty("releases")[0].GetProperty("ocid").GetString());
    }

    [Theory]
    [InlineData("ocds-pli000", true)]
    [InlineData("ocds-ABC123", false)]
    [InlineData("pli000", false)]
    [InlineData("ocds-abc12", false)]
    public void OcidPrefix_MustLookRegistered(string prefix, bool valid)
    {
        var options = new OcdsOptions { OcidPrefix = prefix };

        Assert.Equal(valid, Validator.TryValidateObject(options, new ValidationContext(options), null, validateAllProperties: true));
    }

    [Theory]
    [MemberData(nameof(Procedures))]
    public void EveryProcedure_MapsToTheClosedMethodCodelist(ProcedureType procedure) =>
        Assert.Contains(OcdsReleaseBuilder.ProcurementMethod(procedure), new[] { "open", "selective", "limited", "direct" });

    public static TheoryData<ProcedureType> Procedures() => [.. Enum.GetValues<ProcedureType>()];

    public sealed class PrefixApp : SqliteApp
    {
        protected override IDictionary<string, string?> Settings => new Dictionary<string, string?> { ["OpenData:OcidPrefix"] = "ocds-abc123" };
    }
}

/// <summary>The validator itself: without this, a validator accepting everything would let every test above pass.</summary>
public sealed class OcdsSchemaTests
{
    private const string Package = """
        {"uri":"https://localhost/ocds/releases.json","version":"1.1","publishedDate":"2026-06-01T08:00:00Z","publisher":{"name":"Pli"},
         "releases":[{"ocid":"ocds-pli000-1","id":"1","date":"2026-06-01T08:00:00Z","tag":["tender"],"initiationType":"tender",
                      "tender":{"id":"T-1","status":"STATUS"}}]}
        """;

    [Fact]
    public void ValidPackage_HasNoError() => Assert.Empty(OcdsSchema.Errors(Package.Replace("STATUS", "active", StringComparison.Ordinal)));

    [Fact]
    public void StatusOutOfItsClosedCodelist_IsAnError() => Assert.NotEmpty(OcdsSchema.Errors(Package.Replace("STATUS", "ouvert", StringComparison.Ordinal)));

    [Fact]
    public void PackageWithoutRelease_IsAnError() => Assert.NotEmpty(OcdsSchema.Errors("""{"uri":"https://x/","version":"1.1","publishedDate":"2026-06-01T08:00:00Z","publisher":{"name":"Pli"},"releases":[]}"""));

    [Fact]
    public void DateNotRfc3339_IsAnError() => Assert.NotEmpty(OcdsSchema.Errors(Package.Replace("STATUS", "active", StringComparison.Ordinal).Replace("\"date\":\"2026-06-01T08:00:00Z\"", "\"date\":\"01/06/2026\"", StringComparison.Ordinal)));
}

using Microsoft.EntityFrameworkCore;
using Pli.Web.Features.Portal;
using Pli.Web.Tests.Infrastructure;

namespace Pli.Web.Tests.Features.Portal;

/// <summary>The search form's buyers are cached (<see cref="PortalBuyerCache"/>): dropped by a save here, expired after a minute.</summary>
public abstract class PortalBuyerCacheTests(PliApp app)
{
    private async Task<IReadOnlyList<string>> BuyerOptionsAsync()
    {
        using var browser = app.Browser();
        var page = await browser.GetPageAsync("/");
        return [.. page.QuerySelectorAll("select#buyer option").Select(o => o.TextContent.Trim())];
    }

    [Fact]
    public async Task BuyerSelect_BuyerPublishingHere_ShowsAtOnce()
    {
        await BuyerOptionsAsync();

        await new ConsultationBuilder(app).NewBuyer("Ville Nouvelle Publiante").SaveAsync();

        Assert.Contains("Ville Nouvelle Publiante", await BuyerOptionsAsync());
    }

    [Fact]
    public async Task BuyerSelect_RenamedByAnotherInstance_ShowsTheNewNameAfterTheExpiry()
    {
        var consultation = await new ConsultationBuilder(app).NewBuyer("Ville Avant Renommage").SaveAsync();
        Assert.Contains("Ville Avant Renommage", await BuyerOptionsAsync());

        // A direct UPDATE bypasses this process's SaveChanges, as another instance's write would.
        await app.WithDb(db => db.Organisations.Where(o => o.Id == consultation.OrganisationId)
            .ExecuteUpdateAsync(s => s.SetProperty(o => o.Name, "Ville Après Renommage")));
        var cached = await BuyerOptionsAsync();
        app.Time.Advance(PortalBuyerCache.Expiry);
        var expired = await BuyerOptionsAsync();

        Assert.Contains("Ville Avant Renommage", cached);
        Assert.Contains("Ville Après Renommage", expired);
        Assert.DoesNotContain("Ville Avant Renommage", expired);
    }
}

public sealed class PortalBuyerCacheTestsOnSqlite(SqliteApp app) : PortalBuyerCacheTests(app), IClassFixture<SqliteApp>;

public sealed class PortalBuyerCacheTestsOnPostgres(PostgresApp app) : PortalBuyerCacheTests(app), IClassFixture<PostgresApp>;

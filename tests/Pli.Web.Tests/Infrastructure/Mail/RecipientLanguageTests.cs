using Microsoft.Extensions.DependencyInjection;
using Pli.Web.Features.Demo;
using Pli.Web.Infrastructure.Mail;
using Pli.Web.Tests.Features.Shared;

namespace Pli.Web.Tests.Infrastructure.Mail;

/// <summary>Each recipient's language, for a notice's whole audience at once: beyond SQLite's 32,766 variables too.</summary>
public abstract class RecipientLanguageTests(PliApp app)
{
    [Fact]
    public async Task OfAsync_ManyAddresses_GivesEachItsLanguage_InOneQuery()
    {
        var english = await new Pli.Web.Tests.Features.Deposits.DepositScenario(app).OtherCompanyUserAsync();
        await app.SetLanguageAsync(english, "en");
        var strangers = Enumerable.Range(0, 40_000).Select(i => $"inconnu-{i}@exemple.localhost").ToList();

        await using var scope = app.Services.CreateAsyncScope();
        var languages = await scope.ServiceProvider.GetRequiredService<RecipientLanguage>()
            .OfAsync([.. strangers, english.ToUpperInvariant(), DemoData.CompanyEmail]);

        Assert.Equal(40_002, languages.Count);
        Assert.Equal("en", languages[english].TwoLetterISOLanguageName);
        Assert.Equal("fr", languages[DemoData.CompanyEmail].TwoLetterISOLanguageName);
        Assert.All(strangers, s => Assert.Equal("fr", languages[s].TwoLetterISOLanguageName));
    }

    [Fact]
    public async Task OfAsync_AnAddressWithoutAnAccount_IsFrench()
    {
        await using var scope = app.Services.CreateAsyncScope();

        var culture = await scope.ServiceProvider.GetRequiredService<RecipientLanguage>().OfAsync("personne@exemple.localhost");

        Assert.Equal("fr-FR", culture.Name);
    }
}

public sealed class RecipientLanguageTestsOnSqlite(SqliteApp app) : RecipientLanguageTests(app), IClassFixture<SqliteApp>;

public sealed class RecipientLanguageTestsOnPostgres(PostgresApp app) : RecipientLanguageTests(app), IClassFixture<PostgresApp>;

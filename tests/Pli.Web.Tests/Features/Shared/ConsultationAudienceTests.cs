using System.Globalization;
using Microsoft.Extensions.DependencyInjection;
using Pli.Domain.Companies;
using Pli.Domain.Dce;
using Pli.Web.Features.Shared;
using Pli.Web.Infrastructure.Data;
using Pli.Web.Tests.Features.Dce;
using Pli.Web.Tests.Infrastructure;

namespace Pli.Web.Tests.Features.Shared;

/// <summary>Who a consultation's notices reach, company by company and person by person: on both databases.</summary>
public abstract class ConsultationAudienceTests(PliApp app)
{
    [Fact]
    public async Task Recipients_AtACompanyWhereSomeoneDownloaded_AreTheDownloaders_NotTheAdministrator()
    {
        var consultation = (await DceScenario.CreateAsync(app)).ConsultationId;
        var company = await CompanyAsync("Béton Durand");
        var admin = await UserAsync(company, admin: true);
        var downloader = await UserAsync(company);
        await DownloadAsync(consultation, company, downloader);

        var recipients = await RecipientsAsync(consultation);

        Assert.Equal([downloader.Email!], recipients.Select(r => r.Email));
        Assert.DoesNotContain(admin.Email!, recipients.Select(r => r.Email));
    }

    [Fact]
    public async Task Recipients_AUserWhoDownloadedTwice_IsMailedOnce()
    {
        var consultation = (await DceScenario.CreateAsync(app)).ConsultationId;
        var company = await CompanyAsync("Charpentes Martin");
        var downloader = await UserAsync(company, admin: true);
        await DownloadAsync(consultation, company, downloader);
        await DownloadAsync(consultation, company, downloader, follow: false);

        var recipient = Assert.Single(await RecipientsAsync(consultation));

        Assert.Equal(downloader.Id, recipient.UserId);
        Assert.Equal(company, recipient.CompanyId);
    }

    [Fact]
    public async Task Recipients_OfAFollowerWhoseDownloaderIsNoLongerThere_AreItsAdministrators()
    {
        var consultation = (await DceScenario.CreateAsync(app)).ConsultationId;
        var company = await CompanyAsync("Peintures Leroy");
        var admin = await UserAsync(company, admin: true);
        await UserAsync(company);
        await app.WithDb(async db =>
        {
            db.ConsultationFollowers.Add(new ConsultationFollower(consultation, company, app.Time.GetUtcNow().UtcDateTime));
            await db.SaveChangesAsync();
        });

        var recipient = Assert.Single(await RecipientsAsync(consultation));

        Assert.Equal(admin.Email, recipient.Email);
    }

    [Fact]
    public async Task Recipients_OfSeveralCompanies_ComeInTheOrderOfTheirNames_AndAChosenCompanyOutsideTheAudienceReachesNobody()
    {
        var consultation = (await DceScenario.CreateAsync(app)).ConsultationId;
        var zeta = await CompanyAsync("Zéta Travaux");
        var alpha = await CompanyAsync("Alpha Réseaux");
        var outsider = await CompanyAsync("Omega Conseil");
        var zetaUser = await UserAsync(zeta);
        var alphaUser = await UserAsync(alpha);
        await UserAsync(outsider, admin: true);
        await DownloadAsync(consultation, zeta, zetaUser);
        await DownloadAsync(consultation, alpha, alphaUser);

        var all = await RecipientsAsync(consultation);
        var forged = await RecipientsAsync(consultation, [outsider]);
        var chosen = await RecipientsAsync(consultation, [zeta, outsider]);

        Assert.Equal([alphaUser.Email!, zetaUser.Email!], all.Select(r => r.Email));
        Assert.Empty(forged);
        Assert.Equal([zetaUser.Email!], chosen.Select(r => r.Email));
        var companies = await app.WithDb(db => new ConsultationAudience(db).CompaniesAsync(consultation));
        Assert.Equal(["Alpha Réseaux", "Zéta Travaux"], companies.Select(c => c.Name));
        Assert.All(companies, c => Assert.True(c.Downloaded && !c.Deposited));
    }

    private Task<IReadOnlyList<AudienceRecipient>> RecipientsAsync(Guid consultation, IReadOnlyCollection<Guid>? companies = null) =>
        app.WithDb(db => new ConsultationAudience(db).RecipientsAsync(consultation, companies));

    private Task<Guid> CompanyAsync(string name) => app.WithDb(async db =>
    {
        var number = Random.Shared.Next(100_000_000, 999_999_999).ToString(CultureInfo.InvariantCulture);
        var company = Company.CreateForeign(name, "BE", "BE0" + number, new Address("1 rue de la Loi", "1000", "Bruxelles", "BE"), app.Time.GetUtcNow().UtcDateTime);
        db.Companies.Add(company);
        await db.SaveChangesAsync();
        return company.Id;
    });

    private Task<PliUser> UserAsync(Guid company, bool admin = false) => app.WithDb(async db =>
    {
        var email = $"audience-{Guid.NewGuid():N}@example.org";
        var user = new PliUser
        {
            Id = Guid.NewGuid(), UserName = email, NormalizedUserName = email.ToUpperInvariant(), Email = email, NormalizedEmail = email.ToUpperInvariant(),
            EmailConfirmed = true, FullName = "Contact " + email[9..13], CompanyId = company, IsCompanyAdmin = admin, CreatedUtc = app.Time.GetUtcNow().UtcDateTime,
            SecurityStamp = Guid.NewGuid().ToString("N"), ConcurrencyStamp = Guid.NewGuid().ToString("N"),
        };
        db.Users.Add(user);
        await db.SaveChangesAsync();
        return user;
    });

    /// <summary>What an identified download records: the download, and the company as a follower.</summary>
    private Task DownloadAsync(Guid consultation, Guid company, PliUser user, bool follow = true) => app.WithDb(async db =>
    {
        var now = app.Time.GetUtcNow().UtcDateTime;
        db.DceDownloads.Add(DceDownload.Identified(consultation, user.Id, company, DceDownload.WholeDce, now));
        if (follow)
        {
            db.ConsultationFollowers.Add(new ConsultationFollower(consultation, company, now));
        }
        await db.SaveChangesAsync();
    });
}

public sealed class ConsultationAudienceTestsOnSqlite(SqliteApp app) : ConsultationAudienceTests(app), IClassFixture<SqliteApp>;

public sealed class ConsultationAudienceTestsOnPostgres(PostgresApp app) : ConsultationAudienceTests(app), IClassFixture<PostgresApp>;

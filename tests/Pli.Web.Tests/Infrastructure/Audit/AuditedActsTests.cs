using System.Net;
using Microsoft.EntityFrameworkCore;
using Pli.Web.Features.Demo;
using Pli.Web.Infrastructure.Audit;
using Pli.Web.Tests.Features.Account;
using Pli.Web.Tests.Features.Dce;
using Pli.Web.Tests.Features.Deposits;

namespace Pli.Web.Tests.Infrastructure.Audit;

/// <summary>The security-relevant acts each leave their line in the audit trail, with who and on what.</summary>
public abstract class AuditedActsTests(PliApp app)
{
    private readonly DepositScenario _scenario = new(app);

    private Task<List<AuditEntry>> EntriesAsync(string action) =>
        app.WithDb(db => db.AuditEntries.AsNoTracking().Where(e => e.Action == action).ToListAsync());

    private Task<Guid> UserIdAsync(string email) => app.WithDb(db => db.Users.Where(u => u.Email == email).Select(u => u.Id).SingleAsync());

    [Fact]
    public async Task WrongPassword_IsRecordedAsAFailedSignInOfThatAccount()
    {
        var email = await app.RegisterAndConfirmAsync();
        var userId = await UserIdAsync(email);
        using var browser = app.Browser();

        using var response = await browser.SubmitFormAsync("/compte/connexion", new Dictionary<string, string> { ["Email"] = email, ["Password"] = "pas-le-bon-mot-de-passe" });

        Assert.NotEqual(HttpStatusCode.Redirect, response.StatusCode);
        var entry = Assert.Single(await EntriesAsync("signin.failed"), e => e.UserId == userId);
        Assert.Equal("wrong password", entry.Detail);
    }

    [Fact]
    public async Task UnknownAccount_IsRecordedWithoutTheTypedAddress()
    {
        var typed = $"personne-{Guid.NewGuid():N}@example.org";
        using var browser = app.Browser();

        using var response = await browser.SubmitFormAsync("/compte/connexion", new Dictionary<string, string> { ["Email"] = typed, ["Password"] = "peu-importe-2026" });

        var entries = await EntriesAsync("signin.failed");
        Assert.Contains(entries, e => e.UserId is null && e.Detail == "unknown account");
        Assert.DoesNotContain(entries, e => (e.Detail ?? "").Contains(typed, StringComparison.Ordinal) || (e.Target ?? "").Contains(typed, StringComparison.Ordinal));
    }

    [Fact]
    public async Task AgentSignIn_IsRecordedWithItsSecondFactor()
    {
        var agentId = await UserIdAsync(DemoData.AgentEmail);
        using var browser = app.Browser();

        await browser.SignInAsDemoAgentAsync();

        Assert.Contains(await EntriesAsync("signin.succeeded"), e => e.UserId == agentId && e.Detail == "password + second factor" && e.OrganisationId != null);
    }

    [Fact]
    public async Task CompanyOnTheBackOffice_IsRecordedAsAccessDenied()
    {
        var companyUserId = await UserIdAsync(DemoData.CompanyEmail);
        using var browser = app.Browser();
        await browser.SignInAsDemoCompanyAsync();

        using var response = await browser.GetAsync("/acheteur");

        Assert.NotEqual(HttpStatusCode.OK, response.StatusCode);
        Assert.Contains(await EntriesAsync("access.denied"), e => e.UserId == companyUserId && e.Target == "GET /acheteur");
    }

    [Fact]
    public async Task IdentifiedDceDownload_IsRecordedWithUserAndCompany()
    {
        var sample = await DceScenario.CreateAsync(app);
        var companyUserId = await UserIdAsync(DemoData.CompanyEmail);
        using var browser = app.Browser();
        await browser.SignInAsDemoCompanyAsync();

        using var zip = await browser.GetAsync(sample.ZipPath);
        await zip.Content.ReadAsByteArrayAsync();

        Assert.Equal(HttpStatusCode.OK, zip.StatusCode);
        var entry = Assert.Single(await EntriesAsync("dce.downloaded"), e => e.ConsultationId == sample.ConsultationId);
        Assert.Equal(companyUserId, entry.UserId);
        Assert.NotNull(entry.CompanyId);
        Assert.Equal("dce", entry.Target);
    }

    [Fact]
    public async Task ReceivedFileAndSeal_AreRecordedWithSizesAndHashes()
    {
        var consultation = await _scenario.ConsultationAsync(null, "Voirie");
        using var client = await _scenario.ClientAsync();
        var deposit = DepositScenario.IdOf(await DepositScenario.StartAsync(client, consultation.Id, new { mode = "Solo", candidatureType = "Standard", lots = new[] { 1 } }));
        await DepositScenario.UploadOkAsync(client, deposit, "candidature", "DC1.pdf", DepositScenario.Pdf);
        await DepositScenario.UploadOkAsync(client, deposit, "offre", "Offre.pdf", DepositScenario.Pdf, lot: 1);

        using var sealedResponse = await DepositScenario.SealAsync(client, deposit);

        Assert.Equal(HttpStatusCode.OK, sealedResponse.StatusCode);
        var received = (await EntriesAsync("deposit.file-received")).Where(e => e.ConsultationId == consultation.Id).ToList();
        Assert.Equal(2, received.Count);
        Assert.All(received, e => Assert.Contains($"sha256 {DceScenario.Sha256(DepositScenario.Pdf)}", e.Detail, StringComparison.Ordinal));
        var seal = Assert.Single(await EntriesAsync("deposit.sealed"), e => e.ConsultationId == consultation.Id);
        Assert.Equal($"deposit:{deposit}", seal.Target);
        Assert.Contains("2 files", seal.Detail, StringComparison.Ordinal);
    }
}

public sealed class AuditedActsTestsOnSqlite(DepositsSqliteApp app) : AuditedActsTests(app), IClassFixture<DepositsSqliteApp>;

public sealed class AuditedActsTestsOnPostgres(DepositsPostgresApp app) : AuditedActsTests(app), IClassFixture<DepositsPostgresApp>;

using System.Net;
using Microsoft.EntityFrameworkCore;
using Pli.Domain.Consultations;
using Pli.Domain.Deposits;
using Pli.Web.Features.Award;
using Pli.Web.Infrastructure.Data;
using Pli.Web.Tests.Features.Account;
using Pli.Web.Tests.Features.Messaging;
using Pli.Web.Tests.Features.Portal;
using Pli.Web.Tests.Infrastructure;

namespace Pli.Web.Tests.Features.Award;

/// <summary>
/// A consultation of the demo buyer, companies that deposited (sealed through the domain, as the deposit API
/// does, without sending files), and the award page's forms posted as a browser does.
/// </summary>
public sealed class AwardScenario(PliApp app)
{
    public static readonly TimeSpan DeadlineIn = TimeSpan.FromHours(2);

    public PliApp App => app;

    public async Task<Consultation> ConsultationAsync(params string[] lots)
    {
        var builder = new ConsultationBuilder(app).Buyer(await ConsultationBuilder.DemoBuyerIdAsync(app)).DeadlineIn(DeadlineIn)
            .Procedure(ProcedureType.AppelOffresOuvert).Nature(Nature.Travaux).Cpv("45233120-6");
        foreach (var lot in lots)
        {
            builder.Lot(lot);
        }
        return await builder.SaveAsync();
    }

    /// <summary>A new French company (its administrator the user returned) with a pli sealed an hour before the deadline for <paramref name="lots"/>.</summary>
    public async Task<PliUser> TendererAsync(Consultation consultation, params int[] lots)
    {
        var user = await app.CreateCompanyUserAsync(admin: true);
        await DepositAsync(consultation, user, lots, late: false);
        return user;
    }

    /// <summary>A pli whose transmission started before the deadline and ended after it: sealed late ("hors délai").</summary>
    public async Task<PliUser> LateTendererAsync(Consultation consultation, params int[] lots)
    {
        var user = await app.CreateCompanyUserAsync(admin: true);
        await DepositAsync(consultation, user, lots, late: true);
        return user;
    }

    private Task DepositAsync(Consultation consultation, PliUser user, int[] lots, bool late) => app.WithDb(async db =>
    {
        var loaded = await db.Consultations.Include(c => c.Lots).AsNoTracking().SingleAsync(c => c.Id == consultation.Id);
        var deadline = loaded.DeadlineUtc;
        var now = app.Time.GetUtcNow().UtcDateTime;
        var deposit = Deposit.StartDraft(loaded, user.CompanyId!.Value, user.Id, DepositChoices.Solo(lots), now);
        var started = deadline.AddMinutes(-1);
        var received = late ? deadline.AddMinutes(2) : deadline.AddHours(-1);
        deposit.AddReceivedFile(EnvelopeKind.Candidature, null, "DC1.pdf", 100, new string('c', 64), $"deposits/{Guid.NewGuid():N}", Guid.NewGuid(), late ? started : received, received);
        foreach (var envelope in deposit.Envelopes.Where(e => e.Kind == EnvelopeKind.Offre))
        {
            deposit.AddReceivedFile(EnvelopeKind.Offre, envelope.Lot, "Offre.pdf", 100, new string('d', 64), $"deposits/{Guid.NewGuid():N}", Guid.NewGuid(), late ? started : received, received);
        }
        deposit.Seal(deadline, termsAccepted: true, backupCopyDeclared: false, late ? deadline.AddMinutes(3) : deadline.AddHours(-1));
        db.Deposits.Add(deposit);
        await db.SaveChangesAsync();
    });

    /// <summary>Moves the fake clock one second past the deadline.</summary>
    public void PassDeadline() => app.Time.Advance(DeadlineIn + TimeSpan.FromSeconds(1));

    public async Task<TestBrowser> AgentAsync()
    {
        var browser = app.Browser();
        await browser.SignInAsDemoAgentAsync();
        return browser;
    }

    public string Today => Pli.Domain.Common.ParisTime.ToParis(app.Time.GetUtcNow().UtcDateTime).ToString("yyyy-MM-dd", System.Globalization.CultureInfo.InvariantCulture);

    public Task<HttpResponseMessage> DecideAsync(TestBrowser agent, Guid consultationId, int lot, IEnumerable<Guid> companies, string amount = "125 000,50", string? date = null) =>
        agent.SubmitFormAsync(AwardPaths.Page(consultationId),
            [new("Lot", lot.ToString(System.Globalization.CultureInfo.InvariantCulture)), new("AmountHt", amount), new("DecisionDate", date ?? Today),
             .. companies.Select(c => new KeyValuePair<string, string>("CompanyIds", c.ToString()))],
            $"#form-attribution-{lot}");

    public async Task DecideOkAsync(TestBrowser agent, Guid consultationId, int lot, params Guid[] companies)
    {
        using var response = await DecideAsync(agent, consultationId, lot, companies);
        await AccountTestKit.AssertRedirectAsync(response);
    }

    public static Task<HttpResponseMessage> LettersAsync(TestBrowser agent, Guid consultationId, int lot) =>
        agent.SubmitFormAsync(AwardPaths.Page(consultationId), [], $"#form-courriers-{lot}");

    /// <summary>Posts a form of the page with a token read from another page (a form the page no longer shows).</summary>
    public static async Task<HttpResponseMessage> PostWithTokenAsync(TestBrowser agent, string url, IEnumerable<KeyValuePair<string, string>> fields)
    {
        var page = await agent.GetPageAsync("/acheteur/consultations/nouvelle");
        var token = page.QuerySelector("input[name=__RequestVerificationToken]")?.GetAttribute("value") ?? throw new InvalidOperationException("No antiforgery token.");
        return await agent.PostAsync(url, [new("__RequestVerificationToken", token), .. fields]);
    }

    public Task<List<Pli.Domain.Awards.AwardDecision>> DecisionsAsync(Guid consultationId) =>
        app.WithDb(db => db.AwardDecisions.AsNoTracking().Where(a => a.ConsultationId == consultationId).ToListAsync());

    public Task<List<string>> AuditAsync(Guid consultationId) =>
        app.WithDb(db => db.AuditEntries.AsNoTracking().Where(a => a.ConsultationId == consultationId).OrderBy(a => a.AtUtc).Select(a => a.Action).ToListAsync());

    public static void AssertNotFound(HttpResponseMessage response) => MessagingScenario.AssertNotFound(response);

    public static void AssertOk(HttpResponseMessage response) =>
        Assert.True(response.StatusCode == HttpStatusCode.OK, $"Expected 200, got {(int)response.StatusCode} {response.Headers.Location}");
}

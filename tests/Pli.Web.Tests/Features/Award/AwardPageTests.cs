using System.Globalization;
using Microsoft.EntityFrameworkCore;
using Pli.Domain.Consultations;
using Pli.Domain.Messaging;
using Pli.Web.Features.Award;
using Pli.Web.Features.Messaging;
using Pli.Web.Tests.Features.Account;
using Pli.Web.Tests.Features.Backoffice;
using Pli.Web.Tests.Features.Messaging;
using Pli.Web.Tests.Features.Shared;
using Pli.Web.Tests.Infrastructure;

namespace Pli.Web.Tests.Features.Award;

/// <summary>The award page: decisions per lot after the deadline, the letters through secure messaging, "sans suite".</summary>
public abstract class AwardPageTests(PliApp app)
{
    private readonly AwardScenario _scenario = new(app);

    [Fact]
    public async Task Decide_AfterTheDeadline_AwardsTheLot_WithItsAuditEntry()
    {
        var consultation = await _scenario.ConsultationAsync("Voirie", "Éclairage");
        var a = await _scenario.TendererAsync(consultation, 1);
        await _scenario.TendererAsync(consultation, 1, 2);
        _scenario.PassDeadline();
        using var agent = await _scenario.AgentAsync();

        await _scenario.DecideOkAsync(agent, consultation.Id, 1, a.CompanyId!.Value);

        var decision = Assert.Single(await _scenario.DecisionsAsync(consultation.Id));
        Assert.Equal(1, decision.LotNumber);
        Assert.Equal([a.CompanyId!.Value], decision.CompanyIds);
        Assert.Equal(125_000.50m, decision.AmountHt);
        Assert.Contains("award.decided", await _scenario.AuditAsync(consultation.Id));
        var page = await agent.GetPageAsync(AwardPaths.Page(consultation.Id));
        Assert.NotNull(page.QuerySelector("#decision-1"));
        Assert.NotNull(page.QuerySelector("#form-attribution-2"));
        Assert.Equal(ConsultationStatus.Published, (await BackofficeTestData.LoadAsync(app, consultation.Id)).Status);
    }

    [Fact]
    public async Task CancelThroughTheModificationPage_OfAPartlyAwardedConsultation_IsRefused()
    {
        var consultation = await _scenario.ConsultationAsync("Voirie", "Éclairage");
        var a = await _scenario.TendererAsync(consultation, 1);
        _scenario.PassDeadline();
        using var agent = await _scenario.AgentAsync();
        await _scenario.DecideOkAsync(agent, consultation.Id, 1, a.CompanyId!.Value);

        using var response = await agent.SubmitFormAsync($"/acheteur/consultations/{consultation.Id}/modifier",
            new Dictionary<string, string> { ["Reason"] = "Finalement abandonné.", ["Confirm"] = "true" }, "#form-annulation");

        Assert.Contains("attribuée", await BackofficeTestData.ErrorsAsync(response));
        Assert.Equal(ConsultationStatus.Published, (await BackofficeTestData.LoadAsync(app, consultation.Id)).Status);
    }

    [Fact]
    public async Task DecidedLot_IsAnAwardReleaseOfThePublicOcdsFeed_ValidAgainstTheSchema()
    {
        var consultation = await _scenario.ConsultationAsync("Voirie", "Éclairage");
        var a = await _scenario.TendererAsync(consultation, 1);
        _scenario.PassDeadline();
        using var agent = await _scenario.AgentAsync();
        await _scenario.DecideOkAsync(agent, consultation.Id, 1, a.CompanyId!.Value);
        var companyName = await app.WithDb(db => db.Companies.Where(c => c.Id == a.CompanyId).Select(c => c.Name).SingleAsync());
        using var anonymous = app.CreateClient();

        var json = await anonymous.GetStringAsync($"/ocds/consultations/{consultation.Id}/releases.json");

        Pli.Web.Tests.Features.OpenData.Ocds.OcdsSchema.AssertValid(json);
        using var document = System.Text.Json.JsonDocument.Parse(json);
        var award = Assert.Single(document.RootElement.GetProperty("releases").EnumerateArray(), r => r.GetProperty("tag")[0].GetString() == "award");
        var first = award.GetProperty("awards")[0];
        Assert.Equal(125_000.50m, first.GetProperty("value").GetProperty("amount").GetDecimal());
        Assert.Equal(companyName, first.GetProperty("suppliers")[0].GetProperty("name").GetString());
    }

    [Fact]
    public async Task Decide_AtTheDeadlineInstant_IsRefused_AndNothingIsStored()
    {
        var consultation = await _scenario.ConsultationAsync("Voirie");
        var a = await _scenario.TendererAsync(consultation, 1);
        app.Time.Advance(AwardScenario.DeadlineIn);
        using var agent = await _scenario.AgentAsync();
        var page = await agent.GetPageAsync(AwardPaths.Page(consultation.Id));

        using var response = await AwardScenario.PostWithTokenAsync(agent, AwardPaths.Page(consultation.Id) + "?handler=Decide",
            [new("Lot", "1"), new("CompanyIds", a.CompanyId!.Value.ToString()), new("AmountHt", "1000"), new("DecisionDate", _scenario.Today)]);

        Assert.NotNull(page.QuerySelector("#avant-date-limite"));
        Assert.Null(page.QuerySelector("#form-attribution-1"));
        Assert.Contains("n'est pas passée", await BackofficeTestData.ErrorsAsync(response));
        Assert.Empty(await _scenario.DecisionsAsync(consultation.Id));
    }

    [Fact]
    public async Task Decide_ForALateDepositor_IsRefused_AndItIsNotListed()
    {
        var consultation = await _scenario.ConsultationAsync("Voirie");
        await _scenario.TendererAsync(consultation, 1);
        var late = await _scenario.LateTendererAsync(consultation, 1);
        _scenario.PassDeadline();
        using var agent = await _scenario.AgentAsync();
        var page = await agent.GetPageAsync(AwardPaths.Page(consultation.Id));

        using var response = await _scenario.DecideAsync(agent, consultation.Id, 1, [late.CompanyId!.Value]);

        Assert.Null(page.QuerySelector($"#company-1-{late.CompanyId:N}"));
        var errors = await TestBrowser.ParseAsync(response);
        Assert.True(errors.HasErrorOn("CompanyIds_1"), await BackofficeTestData.ErrorsAsync(response));
        Assert.Contains("dans les délais", errors.QuerySelector("#erreurs")!.TextContent);
        Assert.Empty(await _scenario.DecisionsAsync(consultation.Id));
    }

    [Fact]
    public async Task Decide_ForACompanyThatAnsweredAnotherLot_IsRefused()
    {
        var consultation = await _scenario.ConsultationAsync("Voirie", "Éclairage");
        await _scenario.TendererAsync(consultation, 1);
        var other = await _scenario.TendererAsync(consultation, 2);
        _scenario.PassDeadline();
        using var agent = await _scenario.AgentAsync();

        using var response = await _scenario.DecideAsync(agent, consultation.Id, 1, [other.CompanyId!.Value]);

        Assert.Contains("dans les délais", await BackofficeTestData.ErrorsAsync(response));
        Assert.Empty(await _scenario.DecisionsAsync(consultation.Id));
    }

    [Fact]
    public async Task Decide_TheSameLotTwice_IsRefused()
    {
        var consultation = await _scenario.ConsultationAsync("Voirie", "Éclairage");
        var a = await _scenario.TendererAsync(consultation, 1);
        var b = await _scenario.TendererAsync(consultation, 1);
        _scenario.PassDeadline();
        using var agent = await _scenario.AgentAsync();
        await _scenario.DecideOkAsync(agent, consultation.Id, 1, a.CompanyId!.Value);

        using var response = await AwardScenario.PostWithTokenAsync(agent, AwardPaths.Page(consultation.Id) + "?handler=Decide",
            [new("Lot", "1"), new("CompanyIds", b.CompanyId!.Value.ToString()), new("AmountHt", "1000"), new("DecisionDate", _scenario.Today)]);

        Assert.Contains("déjà attribué", await BackofficeTestData.ErrorsAsync(response));
        Assert.Equal([a.CompanyId!.Value], Assert.Single(await _scenario.DecisionsAsync(consultation.Id)).CompanyIds);
    }

    [Fact]
    public async Task Decide_WithAnAmountOfZero_IsRefused_KeepingWhatWasTyped()
    {
        var consultation = await _scenario.ConsultationAsync();
        var a = await _scenario.TendererAsync(consultation);
        _scenario.PassDeadline();
        using var agent = await _scenario.AgentAsync();

        using var response = await _scenario.DecideAsync(agent, consultation.Id, 0, [a.CompanyId!.Value], amount: "0");

        var page = await TestBrowser.ParseAsync(response);
        Assert.True(page.HasErrorOn("AmountHt_0"));
        Assert.Equal("0", page.QuerySelector("#AmountHt_0")!.GetAttribute("value"));
        Assert.Empty(await _scenario.DecisionsAsync(consultation.Id));
    }

    [Fact]
    public async Task Decide_EveryLot_MakesTheConsultationAwarded()
    {
        var consultation = await _scenario.ConsultationAsync("Voirie", "Éclairage");
        var a = await _scenario.TendererAsync(consultation, 1, 2);
        _scenario.PassDeadline();
        using var agent = await _scenario.AgentAsync();

        await _scenario.DecideOkAsync(agent, consultation.Id, 1, a.CompanyId!.Value);
        await _scenario.DecideOkAsync(agent, consultation.Id, 2, a.CompanyId!.Value);

        Assert.Equal(ConsultationStatus.Awarded, (await BackofficeTestData.LoadAsync(app, consultation.Id)).Status);
        var edit = await agent.GetPageAsync($"/acheteur/consultations/{consultation.Id}");
        Assert.Equal(AwardPaths.Page(consultation.Id), edit.QuerySelector("#lien-attribution")!.GetAttribute("href"));
    }

    [Fact]
    public async Task Letters_GoToTheAwardeeAndToEveryOtherTendererOfTheLot_WithTheStandstillDate()
    {
        var consultation = await _scenario.ConsultationAsync("Voirie", "Éclairage");
        var winner = await _scenario.TendererAsync(consultation, 1);
        var loser = await _scenario.TendererAsync(consultation, 1, 2);
        var otherLot = await _scenario.TendererAsync(consultation, 2);
        _scenario.PassDeadline();
        using var agent = await _scenario.AgentAsync();
        await _scenario.DecideOkAsync(agent, consultation.Id, 1, winner.CompanyId!.Value);
        var expectedStandstill = DateOnly.FromDateTime(Pli.Domain.Common.ParisTime.ToParis(app.Time.GetUtcNow().UtcDateTime).DateTime).AddDays(11);

        using var response = await AwardScenario.LettersAsync(agent, consultation.Id, 1);

        await AccountTestKit.AssertRedirectAsync(response);
        var page = await agent.GetPageAsync(AwardPaths.Page(consultation.Id));
        Assert.Equal(expectedStandstill.ToString("dd/MM/yyyy", CultureInfo.InvariantCulture), page.QuerySelector("#standstill-1")!.TextContent.Trim());
        Assert.Null(page.QuerySelector("#form-courriers-1"));
        var threads = await app.WithDb(db => db.MessageThreads.AsNoTracking().Include(t => t.Messages).Where(t => t.ConsultationId == consultation.Id).ToListAsync());
        Assert.Equal(MessageType.AwardInformation, Assert.Single(threads, t => t.CompanyId == winner.CompanyId).Type);
        var rejection = Assert.Single(threads, t => t.CompanyId == loser.CompanyId);
        Assert.Equal(MessageType.Rejection, rejection.Type);
        Assert.DoesNotContain(threads, t => t.CompanyId == otherLot.CompanyId);
        var winnerName = await app.WithDb(db => db.Companies.Where(c => c.Id == winner.CompanyId).Select(c => c.Name).SingleAsync());
        Assert.Contains(winnerName, rejection.Messages[0].Text);
        Assert.Contains(expectedStandstill.ToString("dd/MM/yyyy", CultureInfo.InvariantCulture), rejection.Messages[0].Text);
        Assert.Contains("125 000,50", rejection.Messages[0].Text.Replace('\u202f', ' ').Replace('\u00a0', ' '));

        using var company = await new MessagingScenario(app).SignedInAsync(loser);
        var inbox = await company.GetPageAsync(MessagePaths.CompanyInbox);
        Assert.NotNull(inbox.QuerySelector($"#fil-{rejection.Id}"));
        var thread = await company.GetPageAsync(MessagePaths.CompanyThread(rejection.Id));
        Assert.Contains(winnerName, thread.QuerySelector("main")!.TextContent);
        var mail = Assert.Single(app.MailsTo(loser.Email!));
        Assert.DoesNotContain(winnerName, mail.HtmlBody + mail.TextBody);
        Assert.Contains("Accéder au contenu du message", mail.HtmlBody);
        Assert.Contains("award.letters-sent", await _scenario.AuditAsync(consultation.Id));
    }

    [Fact]
    public async Task Letters_ToAnAwardeeWhoReadsEnglish_MailItInEnglish_AndTheLetterStaysFrench()
    {
        var consultation = await _scenario.ConsultationAsync();
        var winner = await _scenario.TendererAsync(consultation);
        var loser = await _scenario.TendererAsync(consultation);
        await app.SetLanguageAsync(winner.Email!, "en");
        _scenario.PassDeadline();
        using var agent = await _scenario.AgentAsync();
        await _scenario.DecideOkAsync(agent, consultation.Id, 0, winner.CompanyId!.Value);

        using var response = await AwardScenario.LettersAsync(agent, consultation.Id, 0);

        await AccountTestKit.AssertRedirectAsync(response);
        var mail = Assert.Single(app.MailsTo(winner.Email!));
        Assert.Equal($"New message about consultation {consultation.Reference}", mail.Subject);
        Assert.Contains("Open the message</a>", mail.HtmlBody);
        Assert.Contains("<html lang=\"en\"", mail.HtmlBody);
        var letter = await app.WithDb(db => db.MessageThreads.AsNoTracking().SingleAsync(t => t.ConsultationId == consultation.Id && t.CompanyId == winner.CompanyId));
        Assert.Equal($"Attribution — consultation {consultation.Reference}", letter.Subject);
        Assert.Equal($"Nouveau message concernant la consultation {consultation.Reference}", Assert.Single(app.MailsTo(loser.Email!)).Subject);
    }

    [Fact]
    public async Task Letters_SentTwice_IsRefused_AndNoSecondLetterGoes()
    {
        var consultation = await _scenario.ConsultationAsync();
        var a = await _scenario.TendererAsync(consultation);
        await _scenario.TendererAsync(consultation);
        _scenario.PassDeadline();
        using var agent = await _scenario.AgentAsync();
        await _scenario.DecideOkAsync(agent, consultation.Id, 0, a.CompanyId!.Value);
        using (var first = await AwardScenario.LettersAsync(agent, consultation.Id, 0))
        {
            await AccountTestKit.AssertRedirectAsync(first);
        }

        using var second = await AwardScenario.PostWithTokenAsync(agent, AwardPaths.Page(consultation.Id) + "?handler=Letters", [new("Lot", "0")]);

        Assert.Contains("déjà été envoyés", await BackofficeTestData.ErrorsAsync(second));
        Assert.Equal(2, await app.WithDb(db => db.MessageThreads.CountAsync(t => t.ConsultationId == consultation.Id)));
    }

    [Fact]
    public async Task SansSuite_CancelsTheConsultation_AndTellsEveryDepositor_WithTheReasonEncoded()
    {
        var consultation = await _scenario.ConsultationAsync("Voirie", "Éclairage");
        var a = await _scenario.TendererAsync(consultation, 1);
        var late = await _scenario.LateTendererAsync(consultation, 2);
        _scenario.PassDeadline();
        using var agent = await _scenario.AgentAsync();

        using var response = await agent.SubmitFormAsync(AwardPaths.Page(consultation.Id),
            [new("Reason", "Offres inappropriées <script>alert(1)</script>")], "#form-sans-suite");

        await AccountTestKit.AssertRedirectAsync(response);
        Assert.Equal(ConsultationStatus.Cancelled, (await BackofficeTestData.LoadAsync(app, consultation.Id)).Status);
        var threads = await app.WithDb(db => db.MessageThreads.AsNoTracking().Where(t => t.ConsultationId == consultation.Id).ToListAsync());
        Assert.Equal(2, threads.Count);
        Assert.All(threads, t => Assert.Equal(MessageType.Cancellation, t.Type));
        Assert.Contains(threads, t => t.CompanyId == late.CompanyId);
        Assert.Contains("consultation.sans-suite", await _scenario.AuditAsync(consultation.Id));
        using var company = await new MessagingScenario(app).SignedInAsync(a);
        using var thread = await company.GetAsync(MessagePaths.CompanyThread(threads.Single(t => t.CompanyId == a.CompanyId).Id));
        var html = await thread.Content.ReadAsStringAsync();
        Assert.DoesNotContain("<script>alert(1)</script>", html);
        Assert.Contains("&lt;script&gt;", html);

        using var refused = await AwardScenario.PostWithTokenAsync(agent, AwardPaths.Page(consultation.Id) + "?handler=Decide",
            [new("Lot", "1"), new("CompanyIds", a.CompanyId!.Value.ToString()), new("AmountHt", "1000"), new("DecisionDate", _scenario.Today)]);
        Assert.Contains("annulée", await BackofficeTestData.ErrorsAsync(refused));
        Assert.Empty(await _scenario.DecisionsAsync(consultation.Id));
    }

    [Fact]
    public async Task SansSuite_ToADepositorWhoReadsEnglish_MailsTheNoticeAndTheMessageInEnglish_AndTheLetterStaysFrench()
    {
        var consultation = await _scenario.ConsultationAsync();
        var depositor = await _scenario.TendererAsync(consultation);
        await app.SetLanguageAsync(depositor.Email!, "en");
        _scenario.PassDeadline();
        using var agent = await _scenario.AgentAsync();

        using var response = await agent.SubmitFormAsync(AwardPaths.Page(consultation.Id), [new("Reason", "Offres inappropriées.")], "#form-sans-suite");

        await AccountTestKit.AssertRedirectAsync(response);
        var mails = app.MailsTo(depositor.Email!);
        var notice = Assert.Single(mails, m => m.Subject == $"Cancellation of consultation {consultation.Reference}");
        Assert.Contains("(Paris time, UTC+0", notice.TextBody);
        Assert.Single(mails, m => m.Subject == $"New message about consultation {consultation.Reference}");
        var letter = await app.WithDb(db => db.MessageThreads.AsNoTracking().SingleAsync(t => t.ConsultationId == consultation.Id));
        Assert.Equal($"Déclaration sans suite — consultation {consultation.Reference}", letter.Subject);
    }

    [Fact]
    public async Task SansSuite_WithoutReason_IsRefused()
    {
        var consultation = await _scenario.ConsultationAsync();
        await _scenario.TendererAsync(consultation);
        _scenario.PassDeadline();
        using var agent = await _scenario.AgentAsync();

        using var response = await agent.SubmitFormAsync(AwardPaths.Page(consultation.Id), [new("Reason", "   ")], "#form-sans-suite");

        Assert.True((await TestBrowser.ParseAsync(response)).HasErrorOn("Reason"));
        Assert.Equal(ConsultationStatus.Published, (await BackofficeTestData.LoadAsync(app, consultation.Id)).Status);
        Assert.Equal(0, await app.WithDb(db => db.MessageThreads.CountAsync(t => t.ConsultationId == consultation.Id)));
    }

    [Fact]
    public async Task SansSuite_BeforeTheDeadline_IsRefused()
    {
        var consultation = await _scenario.ConsultationAsync();
        await _scenario.TendererAsync(consultation);
        using var agent = await _scenario.AgentAsync();

        using var response = await AwardScenario.PostWithTokenAsync(agent, AwardPaths.Page(consultation.Id) + "?handler=SansSuite", [new("Reason", "Motif")]);

        Assert.Contains("n'est pas passée", await BackofficeTestData.ErrorsAsync(response));
        Assert.Equal(ConsultationStatus.Published, (await BackofficeTestData.LoadAsync(app, consultation.Id)).Status);
    }

    [Fact]
    public async Task AnotherOrganisationsAgent_GetsNotFound_AndCannotAward()
    {
        var consultation = await _scenario.ConsultationAsync();
        var a = await _scenario.TendererAsync(consultation);
        _scenario.PassDeadline();
        var (_, email) = await BackofficeTestData.CreateOrganisationWithAgentAsync(app, Pli.Domain.Organisations.AgentRole.ConsultationManager);
        using var stranger = app.Browser();
        await stranger.SignInAsAgentAsync(email);

        using var page = await stranger.GetAsync(AwardPaths.Page(consultation.Id));
        using var post = await AwardScenario.PostWithTokenAsync(stranger, AwardPaths.Page(consultation.Id) + "?handler=Decide",
            [new("Lot", "0"), new("CompanyIds", a.CompanyId!.Value.ToString()), new("AmountHt", "1000"), new("DecisionDate", _scenario.Today)]);

        AwardScenario.AssertNotFound(page);
        AwardScenario.AssertNotFound(post);
        Assert.Empty(await _scenario.DecisionsAsync(consultation.Id));
    }

    [Fact]
    public async Task ReadModel_ListsTheDecidedLots_WithTheSuppliersNamesAndSirets()
    {
        var consultation = await _scenario.ConsultationAsync("Voirie", "Éclairage");
        var a = await _scenario.TendererAsync(consultation, 2);
        _scenario.PassDeadline();
        using var agent = await _scenario.AgentAsync();
        await _scenario.DecideOkAsync(agent, consultation.Id, 2, a.CompanyId!.Value);

        var lots = await app.WithDb(db => new AwardReadModel(db).ForConsultationAsync(consultation.Id));

        var lot = Assert.Single(lots);
        Assert.Equal(2, lot.LotNumber);
        Assert.Equal("Éclairage", lot.LotTitle);
        var supplier = Assert.Single(lot.Suppliers);
        var company = await app.WithDb(db => db.Companies.SingleAsync(c => c.Id == a.CompanyId));
        Assert.Equal((company.Name, company.Siret), (supplier.Name, supplier.Siret));
        Assert.Equal(125_000.50m, lot.AmountHt);
    }
}

public sealed class AwardPageTestsOnSqlite(SqliteApp app) : AwardPageTests(app), IClassFixture<SqliteApp>;

public sealed class AwardPageTestsOnPostgres(PostgresApp app) : AwardPageTests(app), IClassFixture<PostgresApp>;

using AngleSharp.Dom;
using Microsoft.EntityFrameworkCore;
using Pli.Domain.Consultations;
using Pli.Domain.Dce;
using Pli.Domain.Deposits;
using Pli.Domain.Messaging;
using Pli.Domain.Opening;
using Pli.Domain.Questions;
using Pli.Web.Features.Demo;
using Pli.Web.Tests.Features.Portal;
using Pli.Web.Tests.Infrastructure;

namespace Pli.Web.Tests.Features.Backoffice;

public abstract class DashboardTests(PliApp app)
{
    private const string English = "?culture=en-GB&ui-culture=en-GB";

    private async Task<Consultation> DemoConsultationAsync(TimeSpan deadlineIn) =>
        await new ConsultationBuilder(app).Buyer(await ConsultationBuilder.DemoBuyerIdAsync(app)).DeadlineIn(deadlineIn).SaveAsync();

    /// <summary>
    /// 2 identified downloads (and 1 anonymous, not counted), 1 question answered and 1 not, 1 pli sealed on time
    /// (and 1 draft, not counted), 1 unread reply (and 1 read, not counted), all from the demo company.
    /// </summary>
    private async Task<Guid> ConsultationWithActivityAsync()
    {
        var consultation = await DemoConsultationAsync(TimeSpan.FromDays(10));
        var now = app.Time.GetUtcNow().UtcDateTime;
        await app.WithDb(async db =>
        {
            var company = await db.Users.Where(u => u.Email == DemoData.CompanyEmail).Select(u => new { u.Id, CompanyId = u.CompanyId!.Value }).SingleAsync();
            var agent = await db.Users.Where(u => u.Email == DemoData.AgentEmail).Select(u => u.Id).SingleAsync();
            db.DceDownloads.AddRange(
                DceDownload.Identified(consultation.Id, company.Id, company.CompanyId, DceDownload.WholeDce, now),
                DceDownload.Identified(consultation.Id, company.Id, company.CompanyId, "RC.pdf", now),
                DceDownload.Anonymous(consultation.Id, DceDownload.WholeDce, now));
            var answered = Question.Ask(consultation, company.CompanyId, company.Id, "Le lot est-il divisible ?", null, now);
            answered.Reply(agent, "Non.", now);
            db.Questions.AddRange(answered, Question.Ask(consultation, company.CompanyId, company.Id, "Une visite est-elle prévue ?", null, now));
            var sealedPli = Deposit.StartDraft(consultation, company.CompanyId, company.Id, DepositChoices.Solo(), now);
            sealedPli.AddReceivedFile(EnvelopeKind.Candidature, null, "DC1.pdf", 100, new string('c', 64), $"deposits/{Guid.NewGuid():N}", Guid.NewGuid(), now, now);
            sealedPli.AddReceivedFile(EnvelopeKind.Offre, null, "Offre.pdf", 100, new string('d', 64), $"deposits/{Guid.NewGuid():N}", Guid.NewGuid(), now, now);
            sealedPli.Seal(consultation.DeadlineUtc, termsAccepted: true, backupCopyDeclared: false, now);
            db.Deposits.AddRange(sealedPli, Deposit.StartDraft(consultation, company.CompanyId, company.Id, DepositChoices.Solo(), now));
            var unread = MessageThread.Start(consultation.Id, company.CompanyId, MessageType.Free, "Précisions", "Pouvez-vous préciser ?", null, agent, [], now);
            unread.Reply(company.Id, "Voici.", [], now);
            var read = MessageThread.Start(consultation.Id, company.CompanyId, MessageType.Free, "Autre", "Autre question ?", null, agent, [], now);
            read.Reply(company.Id, "Lue.", [], now);
            read.MarkRepliesReadByAgent(now);
            db.MessageThreads.AddRange(unread, read);
            await db.SaveChangesAsync();
        });
        return consultation.Id;
    }

    private async Task<IElement> RowAsync(Guid consultationId, string query = "")
    {
        using var browser = app.Browser();
        await browser.SignInAsDemoAgentAsync();
        var page = await browser.GetPageAsync("/acheteur" + query);
        return page.QuerySelector($"tr[data-consultation='{consultationId}']") ?? throw new Xunit.Sdk.XunitException("no row for the consultation");
    }

    private static string Cell(IElement row, string column) => row.QuerySelector($"[data-col='{column}']")!.TextContent.Trim();

    /// <summary>What the eye reads: the short form, hidden from screen readers.</summary>
    private static string TimeLeftShown(IElement row) =>
        row.QuerySelector("[data-col='temps-restant'] time [aria-hidden='true']")!.TextContent.Trim();

    /// <summary>What a screen reader reads instead: the same time in words.</summary>
    private static string TimeLeftSpoken(IElement row) =>
        row.QuerySelector("[data-col='temps-restant'] time .visually-hidden")!.TextContent.Trim();

    private static string CellVisible(IElement row, string column)
    {
        var cell = row.QuerySelector($"[data-col='{column}']")!;
        foreach (var hidden in cell.QuerySelectorAll(".visually-hidden").ToList())
        {
            hidden.Remove();
        }
        return cell.TextContent.Trim();
    }

    [Fact]
    public async Task Get_ConsultationWithActivity_ShowsItsExactCounts()
    {
        var id = await ConsultationWithActivityAsync();

        var row = await RowAsync(id);

        Assert.Equal("2", CellVisible(row, "retraits"));
        Assert.Equal("2", CellVisible(row, "questions"));
        Assert.Equal("1", CellVisible(row, "sans-reponse"));
        Assert.Equal("1", CellVisible(row, "depots"));
        Assert.Equal("0", CellVisible(row, "hors-delai"));
        Assert.Equal("1", CellVisible(row, "non-lues"));
    }

    [Fact]
    public async Task Get_ConsultationWithActivity_CountsLinkToTheirRegisters()
    {
        var id = await ConsultationWithActivityAsync();

        var row = await RowAsync(id);

        Assert.Equal($"/acheteur/consultations/{id}/retraits", row.QuerySelector("[data-col='retraits'] a")!.GetAttribute("href"));
        Assert.Equal($"/acheteur/consultations/{id}/questions", row.QuerySelector("[data-col='sans-reponse'] a")!.GetAttribute("href"));
        Assert.Equal($"/acheteur/consultations/{id}/depots", row.QuerySelector("[data-col='depots'] a")!.GetAttribute("href"));
        Assert.Equal($"/acheteur/consultations/{id}/messages", row.QuerySelector("[data-col='non-lues'] a")!.GetAttribute("href"));
        Assert.Null(row.QuerySelector("[data-col='hors-delai'] a"));
        Assert.Contains("Retraits identifiés", row.QuerySelector("[data-col='retraits'] a .visually-hidden")!.TextContent, StringComparison.Ordinal);
    }

    [Fact]
    public async Task Get_ConsultationWithoutActivity_ShowsZeros()
    {
        var consultation = await DemoConsultationAsync(TimeSpan.FromDays(10));

        var row = await RowAsync(consultation.Id);

        Assert.All(new[] { "retraits", "questions", "sans-reponse", "depots", "hors-delai", "non-lues" }, c => Assert.Equal("0", Cell(row, c)));
    }

    [Theory]
    [InlineData(3 * 86400 + 4 * 3600 + 59, "3 j 4 h", "3 jours et 4 heures")]
    [InlineData(1 * 86400 + 1 * 3600, "1 j 1 h", "1 jour et 1 heure")]
    [InlineData(2 * 86400 + 30 * 60, "2 j 0 h", "2 jours")]
    [InlineData(2 * 3600 + 15 * 60 + 30, "2 h 15 min", "2 heures et 15 minutes")]
    [InlineData(7 * 60 + 1, "7 min", "7 minutes")]
    [InlineData(59, "moins d'1 min", "moins d'une minute")]
    public async Task Get_DeadlineAhead_ShowsTimeLeftRoundedDown_AndGivesScreenReadersItInWords(int seconds, string shown, string spoken)
    {
        var consultation = await DemoConsultationAsync(TimeSpan.FromSeconds(seconds));

        var row = await RowAsync(consultation.Id);

        Assert.Equal(shown, TimeLeftShown(row));
        Assert.Equal(spoken, TimeLeftSpoken(row));
    }

    [Fact]
    public async Task Get_SecondBeforeAndAfterDeadline_ShowsUnderAMinuteThenPast()
    {
        var consultation = await DemoConsultationAsync(TimeSpan.FromSeconds(1));

        var before = await RowAsync(consultation.Id);
        app.Time.Advance(TimeSpan.FromSeconds(2));
        var after = await RowAsync(consultation.Id);

        Assert.Equal("moins d'1 min", TimeLeftShown(before));
        Assert.Equal("Échue", Cell(after, "temps-restant"));
        Assert.Null(after.QuerySelector("[data-col='temps-restant'] time"));
    }

    [Fact]
    public async Task Get_EachConsultation_IsUnderItsState_FromItsDeadlineAndItsOpening()
    {
        var inProgress = await DemoConsultationAsync(TimeSpan.FromDays(5));
        var atDeadline = await DemoConsultationAsync(TimeSpan.FromSeconds(2));
        var closed = await DemoConsultationAsync(TimeSpan.FromSeconds(1));
        var opened = await DemoConsultationAsync(TimeSpan.FromSeconds(1));
        var now = app.Time.GetUtcNow().UtcDateTime;
        await app.WithDb(async db =>
        {
            var company = await db.Users.Where(u => u.Email == DemoData.CompanyEmail).Select(u => new { u.Id, CompanyId = u.CompanyId!.Value }).SingleAsync();
            var agent = await db.Users.Where(u => u.Email == DemoData.AgentEmail).Select(u => u.Id).SingleAsync();
            var pli = Deposit.StartDraft(opened, company.CompanyId, company.Id, DepositChoices.Solo(), now);
            pli.AddReceivedFile(EnvelopeKind.Candidature, null, "DC1.pdf", 100, new string('c', 64), $"deposits/{Guid.NewGuid():N}", Guid.NewGuid(), now, now);
            pli.AddReceivedFile(EnvelopeKind.Offre, null, "Offre.pdf", 100, new string('d', 64), $"deposits/{Guid.NewGuid():N}", Guid.NewGuid(), now, now);
            pli.Seal(opened.DeadlineUtc, termsAccepted: true, backupCopyDeclared: false, now);
            db.Deposits.Add(pli);
            // A session started but nothing opened yet leaves the consultation closed; one act makes it opened.
            db.OpeningSessions.Add(OpeningSession.Start(closed.Id, closed.DeadlineUtc, now.AddSeconds(2)));
            var session = OpeningSession.Start(opened.Id, opened.DeadlineUtc, now.AddSeconds(2));
            db.OpeningSessions.Add(session);
            await db.SaveChangesAsync();
            db.OpeningActs.Add(new OpeningAct(Guid.NewGuid(), session.Id, pli.Id, EnvelopeKind.Candidature, null, agent, now.AddSeconds(2), null, false));
            await db.SaveChangesAsync();
        });
        app.Time.Advance(TimeSpan.FromSeconds(2));
        using var browser = app.Browser();
        await browser.SignInAsDemoAgentAsync();

        var page = await browser.GetPageAsync("/acheteur");

        string StateOf(Guid id) => page.QuerySelector($"tr[data-consultation='{id}']")!.Closest("table")!.GetAttribute("data-etat")!;
        Assert.Equal("published", StateOf(inProgress.Id));
        Assert.Equal("published", StateOf(atDeadline.Id));
        Assert.Equal("closed", StateOf(closed.Id));
        Assert.Equal("opened", StateOf(opened.Id));
        Assert.StartsWith("Clôturées, plis non ouverts", page.QuerySelector("#statut-closed")!.TextContent, StringComparison.Ordinal);
    }

    [Fact]
    public async Task Get_Summary_CountsTheRowsOfEachStatus()
    {
        await DemoConsultationAsync(TimeSpan.FromDays(10));
        using var browser = app.Browser();
        await browser.SignInAsDemoAgentAsync();

        var page = await browser.GetPageAsync("/acheteur");

        foreach (var status in new[] { "draft", "published", "closed", "opened", "awarded", "cancelled" })
        {
            var shown = page.QuerySelector($".dashboard-summary li[data-statut='{status}'] strong")!.TextContent;
            var table = page.QuerySelector($"#statut-{status} + div table, #statut-{status} + table");
            Assert.Equal(table?.QuerySelectorAll("tbody tr").Length ?? 0, int.Parse(shown, System.Globalization.CultureInfo.InvariantCulture));
        }
    }

    [Fact]
    public async Task Get_InEnglish_ShowsEnglishTexts()
    {
        var consultation = await DemoConsultationAsync(TimeSpan.FromDays(3) + TimeSpan.FromHours(4) + TimeSpan.FromSeconds(30));
        using var browser = app.Browser();
        await browser.SignInAsDemoAgentAsync();

        var page = await browser.GetPageAsync("/acheteur" + English);

        var headers = page.QuerySelectorAll("#statut-published + div table thead th").Select(h => h.TextContent).ToList();
        Assert.Contains("Identified downloads", headers);
        Assert.Contains("Unanswered questions", headers);
        Assert.Contains("Late tenders", headers);
        Assert.Contains("Unread replies", headers);
        Assert.Contains("Time left", headers);
        Assert.Equal("Summary", page.QuerySelector("#synthese")!.TextContent);
        var row = page.QuerySelector($"tr[data-consultation='{consultation.Id}']")!;
        Assert.Equal("3 d 4 h", TimeLeftShown(row));
        Assert.Equal("3 days and 4 hours", TimeLeftSpoken(row));
    }
}

public sealed class DashboardTestsOnSqlite(SqliteApp app) : DashboardTests(app), IClassFixture<SqliteApp>;

public sealed class DashboardTestsOnPostgres(PostgresApp app) : DashboardTests(app), IClassFixture<PostgresApp>;

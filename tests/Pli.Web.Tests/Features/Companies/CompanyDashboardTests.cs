using System.Net;
using AngleSharp.Html.Dom;
using Microsoft.EntityFrameworkCore;
using Microsoft.Extensions.DependencyInjection;
using Pli.Domain.Alerts;
using Pli.Domain.Common;
using Pli.Domain.Consultations;
using Pli.Domain.Dce;
using Pli.Domain.Deposits;
using Pli.Domain.Messaging;
using Pli.Domain.Questions;
using Pli.Web.Features.Companies;
using Pli.Web.Infrastructure.Data;
using Pli.Web.Tests.Features.Portal;
using Pli.Web.Tests.Infrastructure;
using static Pli.Web.Tests.Features.Account.AccountTestKit;

namespace Pli.Web.Tests.Features.Companies;

public abstract class CompanyDashboardTests(PliApp app)
{
    private const string Dashboard = "/entreprise";

    private DateTime Now => app.Time.GetUtcNow().UtcDateTime;

    /// <summary>A fresh company with its admin, so that no other test's rows reach the page.</summary>
    private Task<PliUser> CompanyUserAsync(bool admin = true, Guid? companyId = null) => app.CreateCompanyUserAsync(admin: admin, companyId: companyId);

    private async Task<IHtmlDocument> DashboardOfAsync(PliUser user, string query = "")
    {
        using var browser = app.Browser();
        await browser.SignInAsync(user.Email!, Password);
        return await browser.GetPageAsync(Dashboard + query);
    }

    private Task DownloadAsync(Guid consultationId, PliUser user, DateTime atUtc) => app.WithDb(async db =>
    {
        db.DceDownloads.Add(DceDownload.Identified(consultationId, user.Id, user.CompanyId!.Value, DceDownload.WholeDce, atUtc));
        await db.SaveChangesAsync();
    });

    /// <summary>The buyer moves the deadline one day later, as its modification page does.</summary>
    private Task PostponeAsync(Guid consultationId) => app.WithDb(async db =>
    {
        var consultation = await db.Consultations.FindAsync(consultationId);
        db.ConsultationModifications.Add(consultation!.ChangeDeadline(consultation.DeadlineUtc.AddDays(1), null, Now));
        await db.SaveChangesAsync();
    });

    private Task<Deposit> SealedDepositAsync(Consultation consultation, PliUser user, bool withReceipt = true) => app.WithDb(async db =>
    {
        var deposit = SealedPli(consultation, user, Now, Now);
        db.Deposits.Add(deposit);
        if (withReceipt)
        {
            db.DepositReceipts.Add(ReceiptOf(deposit));
        }
        await db.SaveChangesAsync();
        return deposit;
    });

    /// <summary>A pli whose files started at <paramref name="startedUtc"/> and arrived at <paramref name="receivedUtc"/>, sealed then: late when that is past the deadline.</summary>
    private static Deposit SealedPli(Consultation consultation, PliUser user, DateTime startedUtc, DateTime receivedUtc)
    {
        var deposit = Deposit.StartDraft(consultation, user.CompanyId!.Value, user.Id, DepositChoices.Solo(), startedUtc);
        deposit.AddReceivedFile(EnvelopeKind.Candidature, null, "DC1.pdf", 100, new string('c', 64), $"deposits/{Guid.NewGuid():N}", Guid.NewGuid(), startedUtc, receivedUtc);
        deposit.AddReceivedFile(EnvelopeKind.Offre, null, "Offre.pdf", 100, new string('d', 64), $"deposits/{Guid.NewGuid():N}", Guid.NewGuid(), startedUtc, receivedUtc);
        deposit.Seal(consultation.DeadlineUtc, termsAccepted: true, backupCopyDeclared: false, receivedUtc);
        return deposit;
    }

    private DepositReceipt ReceiptOf(Deposit deposit) =>
        new() { Id = Guid.NewGuid(), DepositId = deposit.Id, Kind = ReceiptKind.Deposit, IssuedUtc = Now, Json = "{}", Sha256 = new string('e', 64) };

    private Task<MessageThread> MessageAsync(Guid consultationId, PliUser user, string subject, bool read = false) => app.WithDb(async db =>
    {
        var thread = MessageThread.Start(consultationId, user.CompanyId!.Value, MessageType.Free, subject, "Pouvez-vous préciser ?", null, Guid.NewGuid(), [], Now);
        if (read)
        {
            thread.MarkRead(user.Id, Now);
        }
        db.MessageThreads.Add(thread);
        await db.SaveChangesAsync();
        return thread;
    });

    private Task<Question> QuestionAsync(Consultation consultation, PliUser user, string text, string? answer = null) => app.WithDb(async db =>
    {
        var question = Question.Ask(consultation, user.CompanyId!.Value, user.Id, text, null, Now);
        if (answer is not null)
        {
            question.Reply(Guid.NewGuid(), answer, Now);
        }
        db.Questions.Add(question);
        await db.SaveChangesAsync();
        return question;
    });

    private Task<SavedSearch> SavedSearchAsync(PliUser user, string name, string criteria) => app.WithDb(async db =>
    {
        var search = SavedSearch.Create(user.Id, name, criteria, dailyDigest: false, Guid.NewGuid().ToString("N"), 0, Now);
        db.SavedSearches.Add(search);
        await db.SaveChangesAsync();
        return search;
    });

    private static string Text(IHtmlDocument page, string selector) => page.QuerySelector(selector)?.TextContent.Trim() ?? "";

    private static string[] ConsultationRows(IHtmlDocument page) =>
        [.. page.QuerySelectorAll("#mes-consultations tbody tr").Select(r => r.GetAttribute("data-consultation")!)];

    [Fact]
    public async Task Get_ModificationAfterTheDownload_MarksTheConsultationInWordsWithWhatChanged()
    {
        var user = await CompanyUserAsync();
        var consultation = await new ConsultationBuilder(app).SaveAsync();
        var downloaded = Now;
        await DownloadAsync(consultation.Id, user, downloaded);
        app.Time.Advance(TimeSpan.FromHours(1));
        await PostponeAsync(consultation.Id);

        var page = await DashboardOfAsync(user);

        var cell = Text(page, $"tr[data-consultation='{consultation.Id}'] [data-col='modifications']");
        Assert.Contains($"Modifiée depuis votre téléchargement du {ParisTime.Format(downloaded, ParisTime.French)}", cell, StringComparison.Ordinal);
        Assert.Contains("Date limite de remise des plis", cell, StringComparison.Ordinal);
        Assert.Equal($"/consultations/{consultation.Id}/dce", page.QuerySelector($"tr[data-consultation='{consultation.Id}'] [data-col='modifications'] a")!.GetAttribute("href"));
    }

    [Fact]
    public async Task Get_DownloadAfterTheModification_ShowsNoMark()
    {
        var user = await CompanyUserAsync();
        var consultation = await new ConsultationBuilder(app).SaveAsync();
        await DownloadAsync(consultation.Id, user, Now);
        app.Time.Advance(TimeSpan.FromHours(1));
        await PostponeAsync(consultation.Id);
        app.Time.Advance(TimeSpan.FromHours(1));
        var downloadedAgain = Now;
        await DownloadAsync(consultation.Id, user, downloadedAgain);

        var page = await DashboardOfAsync(user);

        var cell = Text(page, $"tr[data-consultation='{consultation.Id}'] [data-col='modifications']");
        Assert.Equal($"Aucune modification depuis votre téléchargement du {ParisTime.Format(downloadedAgain, ParisTime.French)}", cell);
        Assert.Null(page.QuerySelector($"tr[data-consultation='{consultation.Id}'] [data-col='modifications'] a"));
    }

    [Fact]
    public async Task Get_ChangedConsultation_ComesBeforeTheNearerDeadlines()
    {
        var user = await CompanyUserAsync();
        var soon = await new ConsultationBuilder(app).DeadlineIn(TimeSpan.FromDays(2)).SaveAsync();
        var later = await new ConsultationBuilder(app).DeadlineIn(TimeSpan.FromDays(5)).SaveAsync();
        var changed = await new ConsultationBuilder(app).DeadlineIn(TimeSpan.FromDays(20)).SaveAsync();
        foreach (var c in new[] { later, changed, soon })
        {
            await DownloadAsync(c.Id, user, Now);
        }
        app.Time.Advance(TimeSpan.FromMinutes(1));
        await PostponeAsync(changed.Id);

        var page = await DashboardOfAsync(user);

        Assert.Equal([changed.Id.ToString(), soon.Id.ToString(), later.Id.ToString()], ConsultationRows(page));
    }

    [Fact]
    public async Task Get_InProgress_ShowsTheDeadlineInParisTimeAndTheTimeLeft()
    {
        var user = await CompanyUserAsync();
        var consultation = await new ConsultationBuilder(app).DeadlineIn(TimeSpan.FromDays(3) + TimeSpan.FromHours(4)).SaveAsync();
        await DownloadAsync(consultation.Id, user, Now);

        var page = await DashboardOfAsync(user);

        var row = page.QuerySelector($"tr[data-consultation='{consultation.Id}']")!;
        Assert.Equal(consultation.Reference, row.QuerySelector("th")!.TextContent.Trim());
        Assert.Contains(ParisTime.Format(consultation.DeadlineUtc, ParisTime.French), row.TextContent, StringComparison.Ordinal);
        Assert.Contains(consultation.Title, row.TextContent, StringComparison.Ordinal);
        Assert.Equal("3 j 4 h", row.QuerySelector("[data-col='temps-restant'] time [aria-hidden='true']")!.TextContent.Trim());
        Assert.Equal("3 jours et 4 heures", row.QuerySelector("[data-col='temps-restant'] time .visually-hidden")!.TextContent.Trim());
    }

    [Fact]
    public async Task Get_AnonymousDownload_IsNotListed()
    {
        var user = await CompanyUserAsync();
        var consultation = await new ConsultationBuilder(app).SaveAsync();
        await app.WithDb(async db =>
        {
            db.DceDownloads.Add(DceDownload.Anonymous(consultation.Id, DceDownload.WholeDce, Now));
            await db.SaveChangesAsync();
        });

        var page = await DashboardOfAsync(user);

        Assert.NotNull(page.QuerySelector("#aucune-consultation"));
    }

    [Fact]
    public async Task Get_AnotherCompanysDownload_IsNotListed()
    {
        var user = await CompanyUserAsync();
        var other = await CompanyUserAsync();
        var consultation = await new ConsultationBuilder(app).SaveAsync();
        await DownloadAsync(consultation.Id, other, Now);

        var page = await DashboardOfAsync(user);

        Assert.NotNull(page.QuerySelector("#aucune-consultation"));
        Assert.DoesNotContain(consultation.Reference, page.QuerySelector("main")!.TextContent, StringComparison.Ordinal);
    }

    [Fact]
    public async Task Get_AnotherCompanysDeposit_IsNotShown()
    {
        var user = await CompanyUserAsync();
        var other = await CompanyUserAsync();
        var deposit = await SealedDepositAsync(await new ConsultationBuilder(app).SaveAsync(), other);

        var page = await DashboardOfAsync(user);

        Assert.NotNull(page.QuerySelector("#aucun-depot"));
        Assert.DoesNotContain(deposit.Number, page.QuerySelector("main")!.TextContent, StringComparison.Ordinal);
    }

    [Fact]
    public async Task Get_AnotherCompanysMessage_IsNotShown()
    {
        var user = await CompanyUserAsync();
        var other = await CompanyUserAsync();
        await MessageAsync((await new ConsultationBuilder(app).SaveAsync()).Id, other, "Réservé à l'autre entreprise");

        var page = await DashboardOfAsync(user);

        Assert.NotNull(page.QuerySelector("#aucun-message"));
        Assert.DoesNotContain("Réservé à l'autre entreprise", page.QuerySelector("main")!.TextContent, StringComparison.Ordinal);
    }

    [Fact]
    public async Task Get_AnotherCompanysQuestion_IsNotShown()
    {
        var user = await CompanyUserAsync();
        var other = await CompanyUserAsync();
        await QuestionAsync(await new ConsultationBuilder(app).SaveAsync(), other, "Question de l'autre entreprise ?");

        var page = await DashboardOfAsync(user);

        Assert.NotNull(page.QuerySelector("#aucune-question"));
        Assert.DoesNotContain("Question de l'autre entreprise", page.QuerySelector("main")!.TextContent, StringComparison.Ordinal);
    }

    [Fact]
    public async Task Get_UnreadThreads_ComeFirstWithTheirCount()
    {
        var user = await CompanyUserAsync();
        var consultation = await new ConsultationBuilder(app).SaveAsync();
        var unread = await MessageAsync(consultation.Id, user, "Non lu ancien");
        app.Time.Advance(TimeSpan.FromMinutes(1));
        var read = await MessageAsync(consultation.Id, user, "Lu récent", read: true);
        app.Time.Advance(TimeSpan.FromMinutes(1));
        var newest = await MessageAsync(consultation.Id, user, "Non lu récent");

        var page = await DashboardOfAsync(user);

        var rows = page.QuerySelectorAll("#mes-messages tbody tr").Select(r => r.GetAttribute("data-fil")).ToList();
        Assert.Equal([newest.Id.ToString(), unread.Id.ToString(), read.Id.ToString()], rows);
        Assert.Equal("2 message(s) non lu(s)", Text(page, "#messages-non-lus"));
        Assert.Equal("Non lu", Text(page, $"tr[data-fil='{newest.Id}'] [data-col='lu']"));
        Assert.Equal("Lu", Text(page, $"tr[data-fil='{read.Id}'] [data-col='lu']"));
    }

    [Fact]
    public async Task Get_LateDeposit_IsFlaggedInWords()
    {
        var user = await CompanyUserAsync();
        var consultation = await new ConsultationBuilder(app).DeadlineIn(TimeSpan.FromMinutes(10)).SaveAsync();
        var started = Now;
        app.Time.Advance(TimeSpan.FromMinutes(20));
        var late = await app.WithDb(async db =>
        {
            var deposit = SealedPli(consultation, user, started, Now);
            db.Deposits.Add(deposit);
            await db.SaveChangesAsync();
            return deposit;
        });

        var page = await DashboardOfAsync(user);

        Assert.True(late.IsLate);
        Assert.Equal("Hors délai", Text(page, $"tr[data-depot='{late.Id}'] [data-col='statut']"));
    }

    [Fact]
    public async Task Get_SealedDepositWithItsReceipt_LinksToTheReceiptPdf()
    {
        var user = await CompanyUserAsync();
        var deposit = await SealedDepositAsync(await new ConsultationBuilder(app).SaveAsync(), user);

        var page = await DashboardOfAsync(user);

        Assert.Equal($"/api/deposits/{deposit.Id}/receipt.pdf", page.QuerySelector($"tr[data-depot='{deposit.Id}'] [data-col='recepisse'] a")!.GetAttribute("href"));
        Assert.Equal("Déposé", Text(page, $"tr[data-depot='{deposit.Id}'] [data-col='statut']"));
    }

    [Fact]
    public async Task Get_DraftDeposit_HasNoReceiptLink()
    {
        var user = await CompanyUserAsync();
        var consultation = await new ConsultationBuilder(app).SaveAsync();
        var draft = await app.WithDb(async db =>
        {
            var deposit = Deposit.StartDraft(consultation, user.CompanyId!.Value, user.Id, DepositChoices.Solo(), Now);
            db.Deposits.Add(deposit);
            await db.SaveChangesAsync();
            return deposit;
        });

        var page = await DashboardOfAsync(user);

        Assert.Null(page.QuerySelector($"tr[data-depot='{draft.Id}'] [data-col='recepisse'] a"));
        Assert.Equal("En préparation", Text(page, $"tr[data-depot='{draft.Id}'] [data-col='statut']"));
    }

    [Fact]
    public async Task Get_Questions_SayWhetherEachIsAnswered()
    {
        var user = await CompanyUserAsync();
        var consultation = await new ConsultationBuilder(app).SaveAsync();
        var answeredAt = Now;
        var answered = await QuestionAsync(consultation, user, "Le lot est-il divisible ?", "Non.");
        var pending = await QuestionAsync(consultation, user, "Une visite est-elle prévue ?");

        var page = await DashboardOfAsync(user);

        Assert.Equal($"Répondue le {ParisTime.Format(answeredAt, ParisTime.French)}", Text(page, $"tr[data-question='{answered.Id}'] [data-col='reponse']"));
        Assert.Equal("En attente de réponse", Text(page, $"tr[data-question='{pending.Id}'] [data-col='reponse']"));
        Assert.Equal($"/consultations/{consultation.Id}/questions/mes-questions", page.QuerySelector($"tr[data-question='{pending.Id}'] th a")!.GetAttribute("href"));
    }

    [Fact]
    public async Task Get_SavedSearch_LinksToItsResults()
    {
        var user = await CompanyUserAsync();
        var search = await SavedSearchAsync(user, "Voirie à Marseille", "q=voirie&place=Marseille");

        var page = await DashboardOfAsync(user);

        var link = page.QuerySelector($"#mes-recherches li[data-recherche='{search.Id}'] a")!;
        Assert.Equal("Voirie à Marseille", link.TextContent);
        Assert.Equal("/?q=voirie&place=Marseille", link.GetAttribute("href"));
    }

    [Fact]
    public async Task Get_NothingYet_ShowsTheEmptyStateOfEachSection()
    {
        var user = await CompanyUserAsync();

        var page = await DashboardOfAsync(user);

        Assert.Equal("Tableau de bord", page.QuerySelector("h1")!.FirstChild!.TextContent.Trim());
        Assert.All(new[] { "#aucune-consultation", "#aucun-depot", "#aucun-message", "#aucune-question", "#aucune-recherche" },
            selector => Assert.NotNull(page.QuerySelector(selector)));
        Assert.Equal(["Mes consultations", "Mes dépôts", "Mes messages", "Mes questions", "Mes recherches enregistrées", "Fiche de l'entreprise"],
            page.QuerySelectorAll("main h2").Select(h => h.TextContent.Trim()));
    }

    [Fact]
    public async Task Get_ElevenConsultations_ShowsTenAndLinksToAll()
    {
        var user = await CompanyUserAsync();
        for (var i = 0; i < 11; i++)
        {
            await DownloadAsync((await new ConsultationBuilder(app).SaveAsync()).Id, user, Now);
        }

        var page = await DashboardOfAsync(user);
        var all = await DashboardOfAsync(user, page.QuerySelector("#toutes-consultations")!.GetAttribute("href")![Dashboard.Length..]);

        Assert.Equal(10, ConsultationRows(page).Length);
        Assert.Equal("Voir toutes mes consultations (11)", Text(page, "#toutes-consultations"));
        Assert.Equal(11, ConsultationRows(all).Length);
    }

    [Fact]
    public async Task Get_ElevenQuestions_ShowsTenAndLinksToAll()
    {
        var user = await CompanyUserAsync();
        var consultation = await new ConsultationBuilder(app).SaveAsync();
        for (var i = 0; i < 11; i++)
        {
            await QuestionAsync(consultation, user, $"Question {i} ?");
        }

        var page = await DashboardOfAsync(user);
        var all = await DashboardOfAsync(user, page.QuerySelector("#toutes-questions")!.GetAttribute("href")![Dashboard.Length..]);

        Assert.Equal(10, page.QuerySelectorAll("#mes-questions tbody tr").Length);
        Assert.Equal("Voir toutes mes questions (11)", Text(page, "#toutes-questions"));
        Assert.Equal(11, all.QuerySelectorAll("#mes-questions tbody tr").Length);
    }

    [Fact]
    public async Task Member_SeesTheCompanysDepositsButNotTheAdminsSavedSearches()
    {
        var admin = await CompanyUserAsync();
        var member = await CompanyUserAsync(admin: false, companyId: admin.CompanyId);
        var deposit = await SealedDepositAsync(await new ConsultationBuilder(app).SaveAsync(), admin);
        await SavedSearchAsync(admin, "Recherche de l'admin", "q=voirie");

        var page = await DashboardOfAsync(member);

        Assert.NotNull(page.QuerySelector($"tr[data-depot='{deposit.Id}']"));
        Assert.NotNull(page.QuerySelector("#aucune-recherche"));
    }

    /// <summary><paramref name="count"/> consultations downloaded then changed, each with a sealed pli and its receipt, a message, a question; and as many saved searches.</summary>
    private async Task SeedActivityAsync(PliUser user, int count)
    {
        var prefix = "Q" + Guid.NewGuid().ToString("N")[..6].ToUpperInvariant();
        await ConsultationBuilder.SeedManyAsync(app, prefix, count, i => $"Consultation {i}");
        await app.WithDb(async db =>
        {
            var companyId = user.CompanyId!.Value;
            foreach (var consultation in await db.Consultations.Where(c => c.Reference.StartsWith(prefix)).ToListAsync())
            {
                db.DceDownloads.Add(DceDownload.Identified(consultation.Id, user.Id, companyId, DceDownload.WholeDce, Now));
                db.ConsultationModifications.Add(consultation.PublishRectificatif("Le CCTP est corrigé.", Now.AddSeconds(1)));
                var deposit = SealedPli(consultation, user, Now, Now);
                db.Deposits.Add(deposit);
                db.DepositReceipts.Add(ReceiptOf(deposit));
                db.MessageThreads.Add(MessageThread.Start(consultation.Id, companyId, MessageType.Free, "Précisions", "Pouvez-vous préciser ?", null, Guid.NewGuid(), [], Now));
                db.Questions.Add(Question.Ask(consultation, companyId, user.Id, "Une visite est-elle prévue ?", null, Now));
            }
            for (var i = 0; i < Math.Min(count, SavedSearch.MaxPerUser); i++)
            {
                db.SavedSearches.Add(SavedSearch.Create(user.Id, $"Recherche {i}", "q=voirie", false, Guid.NewGuid().ToString("N"), i, Now));
            }
            await db.SaveChangesAsync();
        });
    }

    private async Task<(int Commands, CompanyDashboardView View)> LoadCountingCommandsAsync(PliUser user)
    {
        await using var scope = app.Services.CreateAsyncScope();
        var db = scope.ServiceProvider.GetRequiredService<PliDbContext>();
        using var counter = new CommandCounter(db);
        var view = await new CompanyDashboard(db).LoadAsync(user.CompanyId!.Value, user.Id, Now, null, CancellationToken.None);
        return (counter.Count, view);
    }

    [Fact]
    public async Task Load_ManyRows_SendsAsManyCommandsAsOneRow()
    {
        var few = await CompanyUserAsync();
        var many = await CompanyUserAsync();
        await SeedActivityAsync(few, 1);
        await SeedActivityAsync(many, 25);

        var (fewCommands, fewView) = await LoadCountingCommandsAsync(few);
        var (manyCommands, manyView) = await LoadCountingCommandsAsync(many);

        Assert.Equal(25, manyView.Consultations.Total);
        Assert.All(manyView.Consultations.Rows, r => Assert.True(r.ChangedSinceDownload));
        Assert.Equal((1, 25, 25, 25, 20), (fewView.Deposits.Total, manyView.Deposits.Total, manyView.Messages.Unread, manyView.Questions.Total, manyView.SavedSearches.Total));
        Assert.InRange(fewCommands, 1, 12);
        Assert.Equal(fewCommands, manyCommands);
    }

    [Fact]
    public async Task Anonymous_IsSentToSignIn()
    {
        using var browser = app.Browser();

        using var response = await browser.GetAsync(Dashboard);

        Assert.Equal(HttpStatusCode.Redirect, response.StatusCode);
        Assert.StartsWith("/compte/connexion", response.Headers.Location!.AbsolutePath, StringComparison.Ordinal);
    }

    [Fact]
    public async Task Get_InEnglish_ShowsEnglishTexts()
    {
        var user = await CompanyUserAsync();
        var consultation = await new ConsultationBuilder(app).SaveAsync();
        await DownloadAsync(consultation.Id, user, Now);
        app.Time.Advance(TimeSpan.FromMinutes(1));
        await PostponeAsync(consultation.Id);

        var page = await DashboardOfAsync(user, "?culture=en-GB&ui-culture=en-GB");

        Assert.Equal("My consultations", Text(page, "#mes-consultations-titre"));
        Assert.StartsWith("Changed since your download of", Text(page, $"tr[data-consultation='{consultation.Id}'] .changed-mark"), StringComparison.Ordinal);
    }
}

public sealed class CompanyDashboardTestsOnSqlite(SqliteApp app) : CompanyDashboardTests(app), IClassFixture<SqliteApp>;

public sealed class CompanyDashboardTestsOnPostgres(PostgresApp app) : CompanyDashboardTests(app), IClassFixture<PostgresApp>;

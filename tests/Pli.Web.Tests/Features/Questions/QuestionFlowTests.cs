using System.Net;
using Microsoft.EntityFrameworkCore;
using Pli.Web.Features.Demo;
using Pli.Web.Features.Questions;
using Pli.Web.Tests.Features.Account;
using Pli.Web.Tests.Features.Dce;
using Pli.Web.Tests.Features.Shared;
using Pli.Web.Tests.Infrastructure;

namespace Pli.Web.Tests.Features.Questions;

/// <summary>Asking and answering through the pages, on both databases: the deadline to the second, publication, mails.</summary>
public abstract class QuestionFlowTests(PliApp app)
{
    private readonly QuestionScenario _scenario = new(app);

    [Fact]
    public async Task Ask_BeforeTheDeadline_IsRecorded_AndTheBuyersManagersAreToldWithoutTheText()
    {
        var consultation = await _scenario.ConsultationAsync();
        var (company, _) = await _scenario.CompanyAsync();
        using var _b = company;

        var id = await QuestionScenario.AskOkAsync(company, consultation.Id, "Les pièces du lot 2 sont-elles à jour ?");

        var question = Assert.Single(await _scenario.QuestionsAsync(consultation.Id));
        Assert.Equal(id, question.Id);
        Assert.Equal("Les pièces du lot 2 sont-elles à jour ?", question.Text);
        Assert.Equal(app.Time.GetUtcNow().UtcDateTime, question.AskedUtc);
        var mail = Assert.Single(app.MailsTo(DemoData.AgentEmail), m => m.Subject == $"Nouvelle question sur la consultation {consultation.Reference}");
        Assert.DoesNotContain("lot 2", mail.TextBody, StringComparison.Ordinal);
        Assert.Equal(QuestionPaths.Backoffice(consultation.Id), AccountTestKit.LinkIn(mail));
        Assert.True(await app.WithDb(db => db.AuditEntries.AnyAsync(a => a.Action == "question.asked" && a.Target == $"question:{id}")));
        var mine = await company.GetPageAsync(QuestionPaths.Mine(consultation.Id));
        Assert.Contains("Les pièces du lot 2 sont-elles à jour ?", mine.QuerySelector("#mes-questions")!.TextContent, StringComparison.Ordinal);
        Assert.Contains("En attente de réponse", mine.QuerySelector("#mes-questions")!.TextContent, StringComparison.Ordinal);
    }

    [Fact]
    public async Task Ask_ToAManagerWhoReadsEnglish_TellsThemInEnglish()
    {
        var consultation = await _scenario.ConsultationAsync();
        var (company, _) = await _scenario.CompanyAsync();
        using var _b = company;
        // The demo agent is every test's manager: its language is put back whatever happens.
        await app.SetLanguageAsync(DemoData.AgentEmail, "en");
        try
        {
            await QuestionScenario.AskOkAsync(company, consultation.Id, "Les pièces du lot 2 sont-elles à jour ?");

            var mail = Assert.Single(app.MailsTo(DemoData.AgentEmail), m => m.Subject == $"New question on consultation {consultation.Reference}");
            Assert.Contains($"A company asked a question on consultation {consultation.Reference}", mail.TextBody, StringComparison.Ordinal);
            Assert.Contains("See the questions</a>", mail.HtmlBody, StringComparison.Ordinal);
            Assert.Contains("<html lang=\"en\"", mail.HtmlBody, StringComparison.Ordinal);
            Assert.DoesNotContain("lot 2", mail.TextBody, StringComparison.Ordinal);
            Assert.Equal(QuestionPaths.Backoffice(consultation.Id), AccountTestKit.LinkIn(mail));
        }
        finally
        {
            await app.SetLanguageAsync(DemoData.AgentEmail, null);
        }
    }

    [Fact]
    public async Task Ask_AtTheDeadlineSecond_IsAccepted_AndOneSecondLater_IsRefusedWithNothingStored()
    {
        var onTime = await _scenario.ConsultationAsync(TimeSpan.FromMinutes(30));
        var late = await _scenario.ConsultationAsync(TimeSpan.FromMinutes(30) - TimeSpan.FromSeconds(1));
        var (company, _) = await _scenario.CompanyAsync();
        using var _b = company;
        var latePage = await company.GetPageAsync(QuestionPaths.Ask(late.Id));
        Assert.NotNull(latePage.QuerySelector("#form-question"));
        var token = await QuestionScenario.TokenAsync(company);
        app.Time.Advance(TimeSpan.FromMinutes(30));

        using var refused = await company.PostAsync(QuestionPaths.Ask(late.Id), [new("__RequestVerificationToken", token), new("Text", "Question tardive")],
            [("Attachment", "note.pdf", QuestionScenario.Pdf)]);
        using var accepted = await company.PostAsync(QuestionPaths.Ask(onTime.Id), [new("__RequestVerificationToken", token), new("Text", "Question à l'heure")]);

        Assert.Equal(HttpStatusCode.OK, refused.StatusCode);
        var page = await TestBrowser.ParseAsync(refused);
        Assert.Contains("La date limite des questions", QuestionScenario.Errors(page), StringComparison.Ordinal);
        Assert.Contains("est passée : votre question n'a pas été enregistrée", QuestionScenario.Errors(page), StringComparison.Ordinal);
        Assert.Equal("Question tardive", page.QuerySelector("textarea#Text")!.TextContent);
        Assert.Empty(await _scenario.QuestionsAsync(late.Id));
        Assert.Empty(_scenario.StoredAttachments(late.Id));
        Assert.Equal(HttpStatusCode.Redirect, accepted.StatusCode);
        Assert.Single(await _scenario.QuestionsAsync(onTime.Id));
    }

    [Fact]
    public async Task Answer_IsPublishedOnThePublicPage_WithoutTheAuthor()
    {
        var consultation = await _scenario.ConsultationAsync();
        using var company = app.Browser();
        await company.SignInAsDemoCompanyAsync();
        var id = await QuestionScenario.AskOkAsync(company, consultation.Id, "Quelle est la durée du marché ?");
        using var agent = app.Browser();
        await agent.SignInAsDemoAgentAsync();

        await QuestionScenario.AnswerOkAsync(agent, consultation.Id, id, "Quatre ans, reconductible une fois.");

        using var visitor = app.Browser();
        var page = await visitor.GetPageAsync($"/consultations/{consultation.Id}");
        var section = page.QuerySelector("#questions-publiees")!.TextContent;
        Assert.Contains("Quelle est la durée du marché ?", section, StringComparison.Ordinal);
        Assert.Contains("Quatre ans, reconductible une fois.", section, StringComparison.Ordinal);
        var whole = page.QuerySelector("#questions")!.TextContent;
        Assert.DoesNotContain("BTP Démo", whole, StringComparison.Ordinal);
        Assert.DoesNotContain("Camille", whole, StringComparison.Ordinal);
        Assert.DoesNotContain("Agnès", whole, StringComparison.Ordinal);
        var stored = Assert.Single(await _scenario.QuestionsAsync(consultation.Id));
        Assert.Equal(app.Time.GetUtcNow().UtcDateTime, stored.AnsweredUtc);
        Assert.True(await app.WithDb(db => db.AuditEntries.AnyAsync(a => a.Action == "question.answered" && a.Target == $"question:{id}")));
    }

    [Fact]
    public async Task Answer_IsMailedToIdentifiedDownloadersAndTheAsker_NotToAnAnonymousDownloader()
    {
        var sample = await DceScenario.CreateAsync(app);
        var (identified, identifiedEmail) = await _scenario.CompanyAsync();
        using var _i = identified;
        using (var file = await identified.GetAsync(sample.FilePath("RC.pdf")))
        {
            Assert.Equal(HttpStatusCode.OK, file.StatusCode);
        }
        var anonymousUser = await app.CreateCompanyUserAsync();
        using (var anonymous = app.Browser())
        {
            using var confirm = await anonymous.SubmitFormAsync(sample.PagePath, new Dictionary<string, string> { ["Understood"] = "true" }, "#confirmation-anonyme");
            using var file = await anonymous.GetAsync(sample.FilePath("RC.pdf"));
            Assert.Equal(HttpStatusCode.OK, file.StatusCode);
        }
        var (asker, askerEmail) = await _scenario.CompanyAsync();
        using var _a = asker;
        var id = await QuestionScenario.AskOkAsync(asker, sample.ConsultationId, "Une visite du site est-elle prévue ?");
        using var agent = app.Browser();
        await agent.SignInAsDemoAgentAsync();

        await QuestionScenario.AnswerOkAsync(agent, sample.ConsultationId, id, "Oui, le 10 juin à 9 h.");

        var subject = $"Réponse publiée à une question — consultation {sample.Reference}";
        var toDownloader = Assert.Single(app.MailsTo(identifiedEmail), m => m.Subject == subject);
        Assert.Single(app.MailsTo(askerEmail), m => m.Subject == subject);
        Assert.Empty(app.MailsTo(anonymousUser.Email!));
        Assert.DoesNotContain("visite", toDownloader.TextBody, StringComparison.Ordinal);
        Assert.DoesNotContain("10 juin", toDownloader.TextBody, StringComparison.Ordinal);
        Assert.Contains("Voir la question et sa réponse", toDownloader.TextBody, StringComparison.Ordinal);
        Assert.Equal($"/consultations/{sample.ConsultationId}", AccountTestKit.LinkIn(toDownloader));
    }

    [Fact]
    public async Task Answer_ToAnAskerWhoReadsEnglish_IsMailedInEnglish_AndToAFrenchDownloaderInFrench()
    {
        var sample = await DceScenario.CreateAsync(app);
        var (identified, identifiedEmail) = await _scenario.CompanyAsync();
        using var _i = identified;
        using (var file = await identified.GetAsync(sample.FilePath("RC.pdf")))
        {
            Assert.Equal(HttpStatusCode.OK, file.StatusCode);
        }
        var (asker, askerEmail) = await _scenario.CompanyAsync();
        using var _a = asker;
        await app.SetLanguageAsync(askerEmail, "en");
        var id = await QuestionScenario.AskOkAsync(asker, sample.ConsultationId, "Une visite du site est-elle prévue ?");
        using var agent = app.Browser();
        await agent.SignInAsDemoAgentAsync();

        await QuestionScenario.AnswerOkAsync(agent, sample.ConsultationId, id, "Oui, le 10 juin à 9 h.");

        var english = Assert.Single(app.MailsTo(askerEmail), m => m.Subject == $"Answer published to a question — consultation {sample.Reference}");
        Assert.Contains($"The buyer published the answer to a question on consultation {sample.Reference}", english.TextBody, StringComparison.Ordinal);
        Assert.Contains("the name of the company that asked is not", english.TextBody, StringComparison.Ordinal);
        Assert.Contains("See the question and its answer</a>", english.HtmlBody, StringComparison.Ordinal);
        Assert.Contains("<html lang=\"en\"", english.HtmlBody, StringComparison.Ordinal);
        Assert.DoesNotContain("10 juin", english.TextBody, StringComparison.Ordinal);
        Assert.Single(app.MailsTo(identifiedEmail), m => m.Subject == $"Réponse publiée à une question — consultation {sample.Reference}");
    }
}

public sealed class QuestionFlowTestsOnSqlite(QuestionsSqliteApp app) : QuestionFlowTests(app), IClassFixture<QuestionsSqliteApp>;

public sealed class QuestionFlowTestsOnPostgres(QuestionsPostgresApp app) : QuestionFlowTests(app), IClassFixture<QuestionsPostgresApp>;

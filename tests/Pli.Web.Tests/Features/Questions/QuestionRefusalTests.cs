using System.Net;
using System.Text;
using Microsoft.EntityFrameworkCore;
using Pli.Domain.Organisations;
using Pli.Web.Features.Questions;
using Pli.Web.Tests.Features.Backoffice;
using Pli.Web.Tests.Features.Dce;
using Pli.Web.Tests.Features.Portal;
using Pli.Web.Tests.Infrastructure;

namespace Pli.Web.Tests.Features.Questions;

/// <summary>Every refusal of the questions feature, each proving that nothing was stored or shown.</summary>
public sealed class QuestionRefusalTests(QuestionsSqliteApp app) : IClassFixture<QuestionsSqliteApp>
{
    private readonly QuestionScenario _scenario = new(app);

    /// <summary>"MZ": the start of a Windows executable.</summary>
    private static readonly byte[] Executable = [0x4D, 0x5A, 0x90, 0x00, 0x03, 0x00, 0x00, 0x00, 0x04, 0x00];

    [Fact]
    public async Task Ask_WithAnAttachmentOfARefusedFormat_IsRefusedAndNothingStored()
    {
        var consultation = await _scenario.ConsultationAsync();
        var (company, _) = await _scenario.CompanyAsync();
        using var _b = company;

        using var response = await QuestionScenario.AskAsync(company, consultation.Id, "Voici notre question", "outil.exe", Executable);

        var page = await TestBrowser.ParseAsync(response);
        Assert.Equal(HttpStatusCode.OK, response.StatusCode);
        Assert.Contains("Le format « .exe » n'est pas accepté pour cette consultation", QuestionScenario.Errors(page), StringComparison.Ordinal);
        Assert.Equal("Voici notre question", page.QuerySelector("textarea#Text")!.TextContent);
        Assert.Empty(await _scenario.QuestionsAsync(consultation.Id));
        Assert.Empty(_scenario.StoredAttachments(consultation.Id));
    }

    [Fact]
    public async Task Ask_WithAnExecutableRenamedPdf_IsRefusedAndNothingStored()
    {
        var consultation = await _scenario.ConsultationAsync();
        var (company, _) = await _scenario.CompanyAsync();
        using var _b = company;

        using var response = await QuestionScenario.AskAsync(company, consultation.Id, "Voici notre question", "note.pdf", Executable);

        var page = await TestBrowser.ParseAsync(response);
        Assert.Contains("ne correspond pas à son format (.pdf)", QuestionScenario.Errors(page), StringComparison.Ordinal);
        Assert.Empty(await _scenario.QuestionsAsync(consultation.Id));
        Assert.Empty(_scenario.StoredAttachments(consultation.Id));
    }

    [Fact]
    public async Task Ask_WithAnAttachmentOverTheSizeLimit_IsRefusedAndNothingStored()
    {
        var consultation = await _scenario.ConsultationAsync();
        var (company, _) = await _scenario.CompanyAsync();
        using var _b = company;

        using var response = await QuestionScenario.AskAsync(company, consultation.Id, "Voici notre question", "gros.pdf",
            Deposits.DepositScenario.PdfOfSize((int)QuestionSettings.MaxAttachmentBytes + 1));

        Assert.Contains("La pièce jointe dépasse la taille maximale de 64 ko", QuestionScenario.Errors(await TestBrowser.ParseAsync(response)), StringComparison.Ordinal);
        Assert.Empty(await _scenario.QuestionsAsync(consultation.Id));
        Assert.Empty(_scenario.StoredAttachments(consultation.Id));
    }

    [Fact]
    public async Task Ask_WithAPdfAtTheSizeLimit_StoresIt_AndTheBuyerDownloadsIt()
    {
        var consultation = await _scenario.ConsultationAsync();
        var (company, _) = await _scenario.CompanyAsync();
        using var _b = company;
        var pdf = Deposits.DepositScenario.PdfOfSize((int)QuestionSettings.MaxAttachmentBytes);

        var id = await QuestionScenario.AskOkAsync(company, consultation.Id, "Voir le plan joint", "plan.pdf", pdf);

        var question = Assert.Single(await _scenario.QuestionsAsync(consultation.Id));
        Assert.Equal(("plan.pdf", pdf.Length, DceScenario.Sha256(pdf)), (question.Attachment!.Name, (int)question.Attachment.Size, question.Attachment.Sha256));
        Assert.Single(_scenario.StoredAttachments(consultation.Id));
        using var agent = app.Browser();
        await agent.SignInAsDemoAgentAsync();
        using var download = await agent.GetAsync($"{QuestionPaths.Backoffice(consultation.Id)}?handler=Attachment&questionId={id}");
        Assert.Equal(HttpStatusCode.OK, download.StatusCode);
        Assert.Equal(pdf, await download.Content.ReadAsByteArrayAsync());
    }

    [Theory]
    [InlineData("", "Écrivez votre question.")]
    [InlineData("   ", "Écrivez votre question.")]
    [InlineData("x4001", "La question dépasse 4000 caractères.")]
    public async Task Ask_WithEmptyOrTooLongText_IsRefused(string text, string message)
    {
        var consultation = await _scenario.ConsultationAsync();
        var (company, _) = await _scenario.CompanyAsync();
        using var _b = company;

        using var response = await QuestionScenario.AskAsync(company, consultation.Id, text == "x4001" ? new string('x', 4001) : text);

        Assert.Contains(message, QuestionScenario.Errors(await TestBrowser.ParseAsync(response)), StringComparison.Ordinal);
        Assert.Empty(await _scenario.QuestionsAsync(consultation.Id));
    }

    [Fact]
    public async Task Ask_OnADraft_Gets404()
    {
        var draft = await new ConsultationBuilder(app).Buyer(await ConsultationBuilder.DemoBuyerIdAsync(app)).Draft().SaveAsync();
        var (company, _) = await _scenario.CompanyAsync();
        using var _b = company;

        using var response = await company.GetAsync(QuestionPaths.Ask(draft.Id));

        Assert.Equal(HttpStatusCode.NotFound, response.StatusCode);
    }

    [Fact]
    public async Task Ask_NotSignedIn_IsSentToSignIn()
    {
        var consultation = await _scenario.ConsultationAsync();
        using var visitor = app.Browser();

        using var response = await visitor.GetAsync(QuestionPaths.Ask(consultation.Id));

        Assert.Equal(HttpStatusCode.Redirect, response.StatusCode);
        Assert.Contains("/compte/connexion", response.Headers.Location!.OriginalString, StringComparison.Ordinal);
    }

    [Fact]
    public async Task PublicPage_AfterTheQuestionDeadline_OffersNoAskLink_AndSaysWhy()
    {
        var consultation = await _scenario.ConsultationAsync(TimeSpan.FromMinutes(5));
        using var visitor = app.Browser();
        var before = await visitor.GetPageAsync($"/consultations/{consultation.Id}");
        Assert.NotNull(before.QuerySelector("#poser-question"));
        app.Time.Advance(TimeSpan.FromMinutes(5) + TimeSpan.FromSeconds(1));

        var after = await visitor.GetPageAsync($"/consultations/{consultation.Id}");

        Assert.Null(after.QuerySelector("#poser-question"));
        Assert.Contains("plus aucune question ne peut être posée", after.QuerySelector("#questions-closes")!.TextContent, StringComparison.Ordinal);
    }

    [Fact]
    public async Task Script_InAQuestionAndItsAnswer_IsEncodedOnEveryPage()
    {
        const string script = "<script>alert('q')</script>";
        const string answerScript = "<script>alert('a')</script><img src=x onerror=alert(1)>";
        var consultation = await _scenario.ConsultationAsync();
        var (company, _) = await _scenario.CompanyAsync();
        using var _b = company;
        var id = await QuestionScenario.AskOkAsync(company, consultation.Id, "Question " + script);
        using var agent = app.Browser();
        await agent.SignInAsDemoAgentAsync();
        var pending = await agent.Client.GetStringAsync(QuestionPaths.Backoffice(consultation.Id));
        await QuestionScenario.AnswerOkAsync(agent, consultation.Id, id, "Réponse " + answerScript);

        var pages = new[]
        {
            pending,
            await agent.Client.GetStringAsync(QuestionPaths.Backoffice(consultation.Id)),
            await company.Client.GetStringAsync(QuestionPaths.Mine(consultation.Id)),
            await app.Browser().Client.GetStringAsync($"/consultations/{consultation.Id}"),
        };

        Assert.All(pages, html =>
        {
            Assert.DoesNotContain("<script>alert", html, StringComparison.Ordinal);
            Assert.DoesNotContain("<img src=x", html, StringComparison.Ordinal);
        });
        Assert.Contains("&lt;script&gt;alert(&#x27;q&#x27;)&lt;/script&gt;", pages[0], StringComparison.Ordinal);
        Assert.All(pages[1..], html => Assert.Contains("&lt;script&gt;alert(&#x27;a&#x27;)&lt;/script&gt;", html, StringComparison.Ordinal));
        var page = await TestBrowser.ParseAsync(pages[3]);
        Assert.Equal("Question " + script, page.QuerySelector("#questions-publiees .question-text")!.TextContent);
    }

    [Fact]
    public async Task AgentOfAnotherOrganisation_Gets404_OnThePageTheAnswerTheExportAndTheAttachment()
    {
        var consultation = await _scenario.ConsultationAsync();
        var (company, _) = await _scenario.CompanyAsync();
        using var _b = company;
        var id = await QuestionScenario.AskOkAsync(company, consultation.Id, "Question", "note.pdf", QuestionScenario.Pdf);
        using var other = app.Browser();
        await other.SignInAsAgentAsync(await DceScenario.CreateOtherBuyerAgentAsync(app));
        var token = await QuestionScenario.TokenAsync(other);
        var path = QuestionPaths.Backoffice(consultation.Id);

        using var page = await other.GetAsync(path);
        using var csv = await other.GetAsync(path + "/export.csv");
        using var attachment = await other.GetAsync($"{path}?handler=Attachment&questionId={id}");
        using var answer = await other.PostAsync(path + "?handler=Answer", [new("__RequestVerificationToken", token), new("QuestionId", id.ToString()), new("Answer", "Réponse pirate")]);

        Assert.Equal([HttpStatusCode.NotFound, HttpStatusCode.NotFound, HttpStatusCode.NotFound, HttpStatusCode.NotFound],
            new[] { page.StatusCode, csv.StatusCode, attachment.StatusCode, answer.StatusCode });
        Assert.Null(Assert.Single(await _scenario.QuestionsAsync(consultation.Id)).Answer);
    }

    [Fact]
    public async Task CompanyUser_Gets404_OnTheBuyersQuestionsPage()
    {
        var consultation = await _scenario.ConsultationAsync();
        var (company, _) = await _scenario.CompanyAsync();
        using var _b = company;

        using var response = await company.GetAsync(QuestionPaths.Backoffice(consultation.Id));

        Assert.Equal(HttpStatusCode.NotFound, response.StatusCode);
    }

    [Fact]
    public async Task AnotherCompany_DoesNotSeeAnUnansweredQuestion()
    {
        var consultation = await _scenario.ConsultationAsync();
        var (asker, _) = await _scenario.CompanyAsync();
        using var _a = asker;
        await QuestionScenario.AskOkAsync(asker, consultation.Id, "Question confidentielle du concurrent");
        var (other, _) = await _scenario.CompanyAsync();
        using var _o = other;

        var mine = await other.Client.GetStringAsync(QuestionPaths.Mine(consultation.Id));
        var publicPage = await other.Client.GetStringAsync($"/consultations/{consultation.Id}");

        Assert.DoesNotContain("Question confidentielle", mine, StringComparison.Ordinal);
        Assert.Contains("aucune-question", mine, StringComparison.Ordinal);
        Assert.DoesNotContain("Question confidentielle", publicPage, StringComparison.Ordinal);
    }

    [Fact]
    public async Task Answer_ByAnAgentWithoutTheManagerRole_IsRefused()
    {
        var consultation = await _scenario.ConsultationAsync();
        var (company, _) = await _scenario.CompanyAsync();
        using var _b = company;
        var id = await QuestionScenario.AskOkAsync(company, consultation.Id, "Question");
        var opener = await BackofficeTestData.CreateAgentAsync(app, consultation.OrganisationId, AgentRole.Opener);
        using var agent = app.Browser();
        await agent.SignInAsAgentAsync(opener);
        var page = await agent.GetPageAsync(QuestionPaths.Backoffice(consultation.Id));
        Assert.Null(page.QuerySelector("form.answer-form"));
        var token = await QuestionScenario.TokenAsync(agent);

        using var response = await agent.PostAsync(QuestionPaths.Backoffice(consultation.Id) + "?handler=Answer",
            [new("__RequestVerificationToken", token), new("QuestionId", id.ToString()), new("Answer", "Réponse")]);

        Assert.NotEqual(HttpStatusCode.Redirect, response.StatusCode);
        Assert.Null(Assert.Single(await _scenario.QuestionsAsync(consultation.Id)).Answer);
    }

    [Fact]
    public async Task Answer_Empty_IsRefused_NothingPublishedNorMailed()
    {
        var consultation = await _scenario.ConsultationAsync();
        var (company, email) = await _scenario.CompanyAsync();
        using var _b = company;
        var id = await QuestionScenario.AskOkAsync(company, consultation.Id, "Question");
        using var agent = app.Browser();
        await agent.SignInAsDemoAgentAsync();

        using var response = await QuestionScenario.AnswerAsync(agent, consultation.Id, id, "  ");

        Assert.Contains("Écrivez la réponse.", QuestionScenario.Errors(await TestBrowser.ParseAsync(response)), StringComparison.Ordinal);
        Assert.Null(Assert.Single(await _scenario.QuestionsAsync(consultation.Id)).Answer);
        Assert.Empty(app.MailsTo(email));
    }

    [Fact]
    public async Task Answer_ToAQuestionOfAnotherConsultation_Gets404()
    {
        var consultation = await _scenario.ConsultationAsync();
        var elsewhere = await _scenario.ConsultationAsync();
        var (company, _) = await _scenario.CompanyAsync();
        using var _b = company;
        var id = await QuestionScenario.AskOkAsync(company, elsewhere.Id, "Question");
        using var agent = app.Browser();
        await agent.SignInAsDemoAgentAsync();
        var token = await QuestionScenario.TokenAsync(agent);

        using var response = await agent.PostAsync(QuestionPaths.Backoffice(consultation.Id) + "?handler=Answer",
            [new("__RequestVerificationToken", token), new("QuestionId", id.ToString()), new("Answer", "Réponse")]);

        Assert.Equal(HttpStatusCode.NotFound, response.StatusCode);
        Assert.Null(Assert.Single(await _scenario.QuestionsAsync(elsewhere.Id)).Answer);
    }

    [Fact]
    public async Task Register_ListsUnansweredFirst_AndExportsCsvWithFormulasDefused()
    {
        var consultation = await _scenario.ConsultationAsync();
        var (company, email) = await _scenario.CompanyAsync();
        using var _b = company;
        var first = await QuestionScenario.AskOkAsync(company, consultation.Id, "=HYPERLINK(\"http://x\")");
        app.Time.Advance(TimeSpan.FromSeconds(5));
        await QuestionScenario.AskOkAsync(company, consultation.Id, "Deuxième question");
        using var agent = app.Browser();
        await agent.SignInAsDemoAgentAsync();
        await QuestionScenario.AnswerOkAsync(agent, consultation.Id, first, "Réponse");

        var page = await agent.GetPageAsync(QuestionPaths.Backoffice(consultation.Id));
        using var csv = await agent.GetAsync(QuestionPaths.Backoffice(consultation.Id) + "/export.csv");

        Assert.Equal("1", page.QuerySelector("#compte-en-attente")!.TextContent.Trim());
        Assert.Contains("Question n° 2", page.QuerySelector("article.question.pending")!.TextContent, StringComparison.Ordinal);
        var rows = page.QuerySelectorAll("#registre-questions tbody tr").ToList();
        Assert.Equal(2, rows.Count);
        Assert.Matches(@"^\d{2}/\d{2}/\d{4} \d{2}:\d{2}:\d{2} \(heure de Paris, UTC\+0[12]:00\)$", rows[0].QuerySelectorAll("td")[0].TextContent.Trim());
        Assert.Contains(email, rows[0].TextContent, StringComparison.Ordinal);
        Assert.Contains("Agnès Acheteuse", rows[0].TextContent, StringComparison.Ordinal);
        Assert.Equal("text/csv", csv.Content.Headers.ContentType!.MediaType);
        var text = Encoding.UTF8.GetString(await csv.Content.ReadAsByteArrayAsync());
        Assert.StartsWith("\uFEFF\"N°\";", text, StringComparison.Ordinal);
        Assert.Contains("\"'=HYPERLINK(\"\"http://x\"\")\"", text, StringComparison.Ordinal);
        Assert.Contains("\"Deuxième question\"", text, StringComparison.Ordinal);
    }

    [Fact]
    public async Task BackofficeConsultationPage_LinksToTheQuestions()
    {
        var consultation = await _scenario.ConsultationAsync();
        using var agent = app.Browser();
        await agent.SignInAsDemoAgentAsync();

        var page = await agent.GetPageAsync($"/acheteur/consultations/{consultation.Id}");

        Assert.Equal(QuestionPaths.Backoffice(consultation.Id), page.QuerySelector("#lien-questions")!.GetAttribute("href"));
    }
}

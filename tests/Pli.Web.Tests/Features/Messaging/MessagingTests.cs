using System.Net;
using Microsoft.EntityFrameworkCore;
using Pli.Domain.Messaging;
using Pli.Web.Features.Demo;
using Pli.Web.Features.Messaging;
using Pli.Web.Tests.Features.Account;
using Pli.Web.Tests.Features.Backoffice;
using Pli.Web.Tests.Features.Dce;
using Pli.Web.Tests.Features.Shared;
using Pli.Web.Tests.Infrastructure;

namespace Pli.Web.Tests.Features.Messaging;

/// <summary>Secure messaging through its pages: a message per company, the mail's link, the read receipt, replies until the deadline's second.</summary>
public abstract class MessagingTests(PliApp app)
{
    private readonly MessagingScenario _scenario = new(app);

    [Fact]
    public async Task Send_ToTwoCompanies_MailsEachALinkToItsOwnThread_WithoutTheText()
    {
        var consultation = await _scenario.ConsultationAsync();
        var alpha = await _scenario.FollowerAsync(consultation.Id);
        var beta = await _scenario.FollowerAsync(consultation.Id);
        using var agent = await _scenario.AgentAsync();

        var threads = await _scenario.SendOkAsync(agent, consultation.Id, [alpha.CompanyId!.Value, beta.CompanyId!.Value], text: "Texte confidentiel 4821");

        Assert.Equal(2, threads.Count);
        foreach (var user in new[] { alpha, beta })
        {
            var mail = Assert.Single(app.MailsTo(user.Email!));
            Assert.Equal($"Nouveau message concernant la consultation {consultation.Reference}", mail.Subject);
            Assert.Contains("Accéder au contenu du message :", mail.TextBody, StringComparison.Ordinal);
            Assert.Contains("Accéder au contenu du message</a>", mail.HtmlBody, StringComparison.Ordinal);
            Assert.Contains("son contenu n'est consultable que sur la plateforme", mail.TextBody, StringComparison.Ordinal);
            Assert.Equal(MessagePaths.CompanyThread(threads[user.CompanyId!.Value]), AccountTestKit.LinkIn(mail));
            Assert.DoesNotContain("4821", mail.HtmlBody + mail.TextBody, StringComparison.Ordinal);
            Assert.Empty(mail.Attachments);
        }
    }

    [Fact]
    public async Task Send_ToACompanyUserWhoReadsEnglish_MailsThemInEnglish_AndTheOtherInFrench()
    {
        var consultation = await _scenario.ConsultationAsync();
        var alpha = await _scenario.FollowerAsync(consultation.Id);
        var beta = await _scenario.FollowerAsync(consultation.Id);
        await app.SetLanguageAsync(alpha.Email!, "en");
        using var agent = await _scenario.AgentAsync();

        var threads = await _scenario.SendOkAsync(agent, consultation.Id, [alpha.CompanyId!.Value, beta.CompanyId!.Value]);

        var english = Assert.Single(app.MailsTo(alpha.Email!));
        Assert.Equal($"New message about consultation {consultation.Reference}", english.Subject);
        Assert.Contains("its content can only be read on the platform", english.TextBody, StringComparison.Ordinal);
        Assert.Contains("Open the message</a>", english.HtmlBody, StringComparison.Ordinal);
        Assert.Contains("<html lang=\"en\"", english.HtmlBody, StringComparison.Ordinal);
        Assert.Equal(MessagePaths.CompanyThread(threads[alpha.CompanyId!.Value]), AccountTestKit.LinkIn(english));
        var french = Assert.Single(app.MailsTo(beta.Email!));
        Assert.Equal($"Nouveau message concernant la consultation {consultation.Reference}", french.Subject);
    }

    [Fact]
    public async Task EachCompany_SeesOnlyItsOwnThread()
    {
        var consultation = await _scenario.ConsultationAsync();
        var alpha = await _scenario.FollowerAsync(consultation.Id);
        var beta = await _scenario.FollowerAsync(consultation.Id);
        using var agent = await _scenario.AgentAsync();
        var threads = await _scenario.SendOkAsync(agent, consultation.Id, [alpha.CompanyId!.Value, beta.CompanyId!.Value]);
        using var company = await _scenario.SignedInAsync(alpha);

        var inbox = await company.GetPageAsync(MessagePaths.CompanyInbox);

        var row = Assert.Single(inbox.QuerySelectorAll("#mes-messages tbody tr"));
        Assert.Equal($"fil-{threads[alpha.CompanyId!.Value]}", row.Id);
        Assert.Contains("Non lu", row.TextContent, StringComparison.Ordinal);
        Assert.NotNull(inbox.QuerySelector("nav a[href='/messages']"));
    }

    [Fact]
    public async Task ThePublishedConsultationPage_LinksToItsExchanges()
    {
        var consultation = await _scenario.ConsultationAsync();
        using var agent = await _scenario.AgentAsync();

        var page = await agent.GetPageAsync($"/acheteur/consultations/{consultation.Id}");
        var register = await agent.GetPageAsync(page.QuerySelector("#lien-messagerie")!.GetAttribute("href")!);

        Assert.NotNull(register.QuerySelector("#registre-vide"));
        Assert.Equal(MessagePaths.Compose(consultation.Id), register.QuerySelector("#nouveau-message")!.GetAttribute("href"));
    }

    [Fact]
    public async Task TheMailLink_ForAVisitor_GoesToSignIn_ThenOpensTheMessage_AndRecordsTheReadOnce()
    {
        var consultation = await _scenario.ConsultationAsync();
        var alpha = await _scenario.FollowerAsync(consultation.Id);
        var colleague = await _scenario.FollowerAsync(consultation.Id, alpha.CompanyId);
        using var agent = await _scenario.AgentAsync();
        var threadId = (await _scenario.SendOkAsync(agent, consultation.Id, [alpha.CompanyId!.Value]))[alpha.CompanyId!.Value];
        var link = app.LinkInLastMailTo(alpha.Email!);
        using var visitor = app.Browser();

        using var anonymous = await visitor.GetAsync(link);
        Assert.Equal(HttpStatusCode.Redirect, anonymous.StatusCode);
        Assert.StartsWith("/compte/connexion?ReturnUrl=" + Uri.EscapeDataString(link), anonymous.Headers.Location!.PathAndQuery, StringComparison.OrdinalIgnoreCase);
        Assert.Null((await _scenario.ThreadAsync(threadId)).FirstReadUtc);
        await visitor.SignInAsync(alpha.Email!, AccountTestKit.Password);
        var readAt = app.Time.GetUtcNow().UtcDateTime;
        var page = await visitor.GetPageAsync(link);
        app.Time.Advance(TimeSpan.FromMinutes(5));
        using (var other = await _scenario.SignedInAsync(colleague))
        {
            await other.GetPageAsync(link);
        }

        Assert.Contains("Merci de nous transmettre votre attestation", page.QuerySelector(".message-text")!.TextContent, StringComparison.Ordinal);
        var thread = await _scenario.ThreadAsync(threadId);
        Assert.Equal(readAt, thread.FirstReadUtc);
        Assert.Equal(alpha.Id, thread.FirstReadByUserId);
        var register = await agent.GetPageAsync(MessagePaths.Register(consultation.Id));
        var receipt = register.QuerySelector($"#accuse-{threadId}")!.TextContent;
        Assert.Matches(@"^Lu le \d{2}/\d{2}/\d{4} \d{2}:\d{2}:\d{2} \(heure de Paris, UTC\+0[12]:00\) par Alice Admin$", receipt.Trim());
        var threadPage = await agent.GetPageAsync(MessagePaths.AgentThread(threadId));
        Assert.StartsWith("Lu le", threadPage.QuerySelector("#accuse-reception")!.TextContent.Trim(), StringComparison.Ordinal);
        Assert.Equal(["message.sent", "message.read"], await _scenario.AuditAsync(threadId));
    }

    [Fact]
    public async Task TheMailLink_OpenedByAUserOfAnotherCompany_Is404_AndNoReadIsRecorded()
    {
        var consultation = await _scenario.ConsultationAsync();
        var alpha = await _scenario.FollowerAsync(consultation.Id);
        var beta = await _scenario.FollowerAsync(consultation.Id);
        using var agent = await _scenario.AgentAsync();
        var threadId = (await _scenario.SendOkAsync(agent, consultation.Id, [alpha.CompanyId!.Value]))[alpha.CompanyId!.Value];
        var link = app.LinkInLastMailTo(alpha.Email!);
        using var intruder = app.Browser();
        using (var anonymous = await intruder.GetAsync(link))
        {
            await intruder.SignInAsync(beta.Email!, AccountTestKit.Password);
        }

        using var response = await intruder.GetAsync(link);
        using var file = await intruder.GetAsync($"{link}?handler=File&fileId={Guid.NewGuid()}");

        MessagingScenario.AssertNotFound(response);
        Assert.DoesNotContain("attestation", await response.Content.ReadAsStringAsync(), StringComparison.Ordinal);
        MessagingScenario.AssertNotFound(file);
        Assert.Null((await _scenario.ThreadAsync(threadId)).FirstReadUtc);
        Assert.Equal(["message.sent"], await _scenario.AuditAsync(threadId));
    }

    [Fact]
    public async Task Reply_WithAFile_BeforeTheDeadline_MailsTheAgentWithoutTheReply_AndTheAgentDownloadsTheFile()
    {
        var consultation = await _scenario.ConsultationAsync();
        var alpha = await _scenario.FollowerAsync(consultation.Id);
        using var agent = await _scenario.AgentAsync();
        var threadId = (await _scenario.SendOkAsync(agent, consultation.Id, [alpha.CompanyId!.Value], replyDeadlineUtc: _scenario.DeadlineIn(TimeSpan.FromMinutes(30))))[alpha.CompanyId!.Value];
        using var company = await _scenario.SignedInAsync(alpha);

        using var response = await company.SubmitFormAsync(MessagePaths.CompanyThread(threadId),
            new Dictionary<string, string> { ["Text"] = "Voici l'attestation 7731." }, "#form-reponse", [("Files", "Attestation.pdf", MessagingScenario.Pdf)]);

        await AccountTestKit.AssertRedirectAsync(response);
        var mail = Assert.Single(app.MailsTo(DemoData.AgentEmail), m => m.Subject == $"Réponse reçue — consultation {consultation.Reference}");
        Assert.Equal(MessagePaths.AgentThread(threadId), AccountTestKit.LinkIn(mail));
        Assert.DoesNotContain("7731", mail.HtmlBody + mail.TextBody, StringComparison.Ordinal);
        Assert.Empty(mail.Attachments);
        var register = await agent.GetPageAsync(MessagePaths.Register(consultation.Id));
        Assert.Contains("dont 1 non lue", register.QuerySelector($"#reponses-{threadId}")!.TextContent, StringComparison.Ordinal);
        var page = await agent.GetPageAsync(MessagePaths.AgentThread(threadId));
        var reply = page.QuerySelector(".message.from-company")!;
        Assert.Contains("Voici l'attestation 7731.", reply.TextContent, StringComparison.Ordinal);
        var link = reply.QuerySelector(".attachments a")!;
        Assert.Equal("Attestation.pdf", link.TextContent);
        using var download = await agent.GetAsync(link.GetAttribute("href")!);
        Assert.Equal(HttpStatusCode.OK, download.StatusCode);
        Assert.Equal(MessagingScenario.Pdf, await download.Content.ReadAsByteArrayAsync());
        Assert.Equal("attachment", download.Content.Headers.ContentDisposition!.DispositionType);
        var again = await agent.GetPageAsync(MessagePaths.Register(consultation.Id));
        Assert.DoesNotContain("non lue", again.QuerySelector($"#reponses-{threadId}")!.TextContent, StringComparison.Ordinal);
        Assert.Equal(["message.sent", "message.read", "message.replied"], await _scenario.AuditAsync(threadId));
    }

    [Fact]
    public async Task Reply_ToAnAgentWhoReadsEnglish_MailsTheAgentInEnglish()
    {
        var consultation = await _scenario.ConsultationAsync();
        var alpha = await _scenario.FollowerAsync(consultation.Id);
        using var agent = await _scenario.AgentAsync();
        var threadId = (await _scenario.SendOkAsync(agent, consultation.Id, [alpha.CompanyId!.Value]))[alpha.CompanyId!.Value];
        using var company = await _scenario.SignedInAsync(alpha);
        // The demo agent is every test's agent: its language is put back whatever happens.
        await app.SetLanguageAsync(DemoData.AgentEmail, "en");
        try
        {
            using var response = await company.SubmitFormAsync(MessagePaths.CompanyThread(threadId),
                new Dictionary<string, string> { ["Text"] = "Voici l'attestation." }, "#form-reponse");

            await AccountTestKit.AssertRedirectAsync(response);
            var mail = Assert.Single(app.MailsTo(DemoData.AgentEmail), m => m.Subject == $"Reply received — consultation {consultation.Reference}");
            Assert.Contains("the reply can only be read on the platform", mail.TextBody, StringComparison.Ordinal);
            Assert.Contains("See the reply</a>", mail.HtmlBody, StringComparison.Ordinal);
            Assert.Contains("<html lang=\"en\"", mail.HtmlBody, StringComparison.Ordinal);
            Assert.Equal(MessagePaths.AgentThread(threadId), AccountTestKit.LinkIn(mail));
        }
        finally
        {
            await app.SetLanguageAsync(DemoData.AgentEmail, null);
        }
    }

    [Fact]
    public async Task Reply_OneSecondAfterTheDeadline_IsRefused_AndNothingIsStored()
    {
        var consultation = await _scenario.ConsultationAsync();
        var alpha = await _scenario.FollowerAsync(consultation.Id);
        using var agent = await _scenario.AgentAsync();
        var deadline = _scenario.DeadlineIn(TimeSpan.FromMinutes(20));
        var threadId = (await _scenario.SendOkAsync(agent, consultation.Id, [alpha.CompanyId!.Value], replyDeadlineUtc: deadline))[alpha.CompanyId!.Value];
        using var company = await _scenario.SignedInAsync(alpha);
        var token = await MessagingScenario.ReplyTokenAsync(company, threadId);
        app.Time.SetUtcNow(deadline.AddSeconds(1));
        var mailsBefore = app.Mails().Count;

        using var response = await MessagingScenario.ReplyAsync(company, threadId, token, "Trop tard ?", ("Attestation.pdf", MessagingScenario.Pdf));

        Assert.Equal(HttpStatusCode.OK, response.StatusCode);
        Assert.Contains("La date limite de réponse à ce message est passée", await BackofficeTestData.ErrorsAsync(response), StringComparison.Ordinal);
        var thread = await _scenario.ThreadAsync(threadId);
        Assert.Empty(thread.Replies);
        Assert.Empty(StoredFiles(consultation.Id));
        Assert.Equal(mailsBefore, app.Mails().Count);
        Assert.DoesNotContain("message.replied", await _scenario.AuditAsync(threadId));
        var page = await company.GetPageAsync(MessagePaths.CompanyThread(threadId));
        Assert.Null(page.QuerySelector("#form-reponse"));
        Assert.NotNull(page.QuerySelector("#reponse-close"));
    }

    [Fact]
    public async Task Reply_WithinTheDeadlineSecond_IsAccepted()
    {
        var consultation = await _scenario.ConsultationAsync();
        var alpha = await _scenario.FollowerAsync(consultation.Id);
        using var agent = await _scenario.AgentAsync();
        var deadline = _scenario.DeadlineIn(TimeSpan.FromMinutes(20));
        var threadId = (await _scenario.SendOkAsync(agent, consultation.Id, [alpha.CompanyId!.Value], replyDeadlineUtc: deadline))[alpha.CompanyId!.Value];
        using var company = await _scenario.SignedInAsync(alpha);
        var token = await MessagingScenario.ReplyTokenAsync(company, threadId);
        app.Time.SetUtcNow(deadline.AddMilliseconds(999));

        using var response = await MessagingScenario.ReplyAsync(company, threadId, token, "Juste à temps.");

        await AccountTestKit.AssertRedirectAsync(response);
        Assert.Single((await _scenario.ThreadAsync(threadId)).Replies);
    }

    [Fact]
    public async Task Reply_ToAnotherCompanysThread_Is404_AndNothingIsStored()
    {
        var consultation = await _scenario.ConsultationAsync();
        var alpha = await _scenario.FollowerAsync(consultation.Id);
        var beta = await _scenario.FollowerAsync(consultation.Id);
        using var agent = await _scenario.AgentAsync();
        var threads = await _scenario.SendOkAsync(agent, consultation.Id, [alpha.CompanyId!.Value, beta.CompanyId!.Value]);
        using var intruder = await _scenario.SignedInAsync(beta);
        var token = await MessagingScenario.ReplyTokenAsync(intruder, threads[beta.CompanyId!.Value]);

        using var response = await MessagingScenario.ReplyAsync(intruder, threads[alpha.CompanyId!.Value], token, "Je réponds à la place d'Alpha.");

        MessagingScenario.AssertNotFound(response);
        Assert.Empty((await _scenario.ThreadAsync(threads[alpha.CompanyId!.Value])).Replies);
    }

    [Theory]
    [InlineData("programme.exe", "n'est pas accepté pour cette consultation")]
    [InlineData("Attestation.pdf", "ne correspond pas à son format")]
    public async Task Reply_WithARefusedFile_IsRefused_AndKeepsTheText(string fileName, string error)
    {
        var consultation = await _scenario.ConsultationAsync();
        var alpha = await _scenario.FollowerAsync(consultation.Id);
        using var agent = await _scenario.AgentAsync();
        var threadId = (await _scenario.SendOkAsync(agent, consultation.Id, [alpha.CompanyId!.Value]))[alpha.CompanyId!.Value];
        using var company = await _scenario.SignedInAsync(alpha);

        using var response = await company.SubmitFormAsync(MessagePaths.CompanyThread(threadId),
            new Dictionary<string, string> { ["Text"] = "Ma réponse détaillée" }, "#form-reponse", [("Files", fileName, "MZ\u0090 pas un PDF"u8.ToArray())]);

        Assert.Equal(HttpStatusCode.OK, response.StatusCode);
        Assert.Contains(error, await BackofficeTestData.ErrorsAsync(response), StringComparison.Ordinal);
        var page = await TestBrowser.ParseAsync(response);
        Assert.Equal("Ma réponse détaillée", page.QuerySelector("#form-reponse textarea#Text")!.TextContent.Trim());
        Assert.Empty((await _scenario.ThreadAsync(threadId)).Replies);
        Assert.Empty(StoredFiles(consultation.Id));
    }

    [Fact]
    public async Task Reply_WithAFileOverTheSizeLimit_IsRefused()
    {
        var consultation = await _scenario.ConsultationAsync();
        var alpha = await _scenario.FollowerAsync(consultation.Id);
        using var agent = await _scenario.AgentAsync();
        var threadId = (await _scenario.SendOkAsync(agent, consultation.Id, [alpha.CompanyId!.Value]))[alpha.CompanyId!.Value];
        using var company = await _scenario.SignedInAsync(alpha);
        var big = new byte[MessagingSettings.MaxFileSize + 1];
        "%PDF-1.7\n"u8.CopyTo(big);

        using var response = await company.SubmitFormAsync(MessagePaths.CompanyThread(threadId),
            new Dictionary<string, string> { ["Text"] = "Le dossier complet." }, "#form-reponse", [("Files", "Dossier.pdf", big)]);

        Assert.Contains("dépasse la taille maximale", await BackofficeTestData.ErrorsAsync(response), StringComparison.Ordinal);
        Assert.Empty((await _scenario.ThreadAsync(threadId)).Replies);
        Assert.Empty(StoredFiles(consultation.Id));
    }

    [Fact]
    public async Task Send_WithARefusedFormat_IsRefused_AndNothingIsSent()
    {
        var consultation = await _scenario.ConsultationAsync();
        var alpha = await _scenario.FollowerAsync(consultation.Id);
        using var agent = await _scenario.AgentAsync();

        using var response = await MessagingScenario.SendAsync(agent, consultation.Id, [alpha.CompanyId!.Value], files: [("Files", "macro.exe", "MZ"u8.ToArray())]);

        Assert.Equal(HttpStatusCode.OK, response.StatusCode);
        Assert.Contains("« .exe » n'est pas accepté", await BackofficeTestData.ErrorsAsync(response), StringComparison.Ordinal);
        Assert.False(await app.WithDb(db => db.MessageThreads.AnyAsync(t => t.ConsultationId == consultation.Id)));
        Assert.Empty(app.MailsTo(alpha.Email!));
    }

    [Theory]
    [InlineData("   \n  ")]
    [InlineData("")]
    public async Task Send_WithAnEmptyText_IsRefused_AndNothingIsSent(string text)
    {
        var consultation = await _scenario.ConsultationAsync();
        var alpha = await _scenario.FollowerAsync(consultation.Id);
        using var agent = await _scenario.AgentAsync();

        using var response = await MessagingScenario.SendAsync(agent, consultation.Id, [alpha.CompanyId!.Value], text: text, files: [("Files", "Note.pdf", MessagingScenario.Pdf)]);

        Assert.Equal(HttpStatusCode.OK, response.StatusCode);
        Assert.Contains("Le message ne peut pas être vide.", await BackofficeTestData.ErrorsAsync(response), StringComparison.Ordinal);
        Assert.False(await app.WithDb(db => db.MessageThreads.AnyAsync(t => t.ConsultationId == consultation.Id)));
        Assert.Empty(StoredFiles(consultation.Id));
        Assert.Empty(app.MailsTo(alpha.Email!));
    }

    [Fact]
    public async Task Reply_WithAnEmptyText_IsRefused()
    {
        var consultation = await _scenario.ConsultationAsync();
        var alpha = await _scenario.FollowerAsync(consultation.Id);
        using var agent = await _scenario.AgentAsync();
        var threadId = (await _scenario.SendOkAsync(agent, consultation.Id, [alpha.CompanyId!.Value]))[alpha.CompanyId!.Value];
        using var company = await _scenario.SignedInAsync(alpha);

        using var response = await company.SubmitFormAsync(MessagePaths.CompanyThread(threadId), new Dictionary<string, string> { ["Text"] = " " }, "#form-reponse", []);

        Assert.Contains("Le message ne peut pas être vide.", await BackofficeTestData.ErrorsAsync(response), StringComparison.Ordinal);
        Assert.Empty((await _scenario.ThreadAsync(threadId)).Replies);
    }

    [Fact]
    public async Task Send_ToACompanyOutsideTheAudience_IsRefused()
    {
        var consultation = await _scenario.ConsultationAsync();
        await _scenario.FollowerAsync(consultation.Id);
        var stranger = await app.CreateCompanyUserAsync();
        using var agent = await _scenario.AgentAsync();

        using var response = await MessagingScenario.SendAsync(agent, consultation.Id, [stranger.CompanyId!.Value]);

        Assert.Contains("Choisissez au moins une entreprise destinataire.", await BackofficeTestData.ErrorsAsync(response), StringComparison.Ordinal);
        Assert.False(await app.WithDb(db => db.MessageThreads.AnyAsync(t => t.CompanyId == stranger.CompanyId)));
        Assert.Empty(app.MailsTo(stranger.Email!));
    }

    [Fact]
    public async Task Send_WithAReplyDeadlineInThePast_IsRefused()
    {
        var consultation = await _scenario.ConsultationAsync();
        var alpha = await _scenario.FollowerAsync(consultation.Id);
        using var agent = await _scenario.AgentAsync();

        using var response = await MessagingScenario.SendAsync(agent, consultation.Id, [alpha.CompanyId!.Value], replyDeadlineUtc: _scenario.DeadlineIn(TimeSpan.FromMinutes(-1)));

        Assert.Contains("doit être dans le futur", await BackofficeTestData.ErrorsAsync(response), StringComparison.Ordinal);
        Assert.False(await app.WithDb(db => db.MessageThreads.AnyAsync(t => t.ConsultationId == consultation.Id)));
    }

    [Fact]
    public async Task ScriptInAMessageAndAReply_IsShownAsText()
    {
        var consultation = await _scenario.ConsultationAsync();
        var alpha = await _scenario.FollowerAsync(consultation.Id);
        using var agent = await _scenario.AgentAsync();
        var threadId = (await _scenario.SendOkAsync(agent, consultation.Id, [alpha.CompanyId!.Value], text: "<script>alert('agent')</script>\nDeuxième ligne"))[alpha.CompanyId!.Value];
        using var company = await _scenario.SignedInAsync(alpha);
        using (var reply = await company.SubmitFormAsync(MessagePaths.CompanyThread(threadId),
            new Dictionary<string, string> { ["Text"] = "<img src=x onerror=alert('company')>" }, "#form-reponse", []))
        {
            await AccountTestKit.AssertRedirectAsync(reply);
        }

        using var companyPage = await company.GetAsync(MessagePaths.CompanyThread(threadId));
        using var agentPage = await agent.GetAsync(MessagePaths.AgentThread(threadId));

        var companyHtml = await companyPage.Content.ReadAsStringAsync();
        var agentHtml = await agentPage.Content.ReadAsStringAsync();
        Assert.Contains("&lt;script&gt;alert(&#x27;agent&#x27;)&lt;/script&gt;", companyHtml, StringComparison.Ordinal);
        Assert.DoesNotContain("<script>alert", companyHtml, StringComparison.Ordinal);
        Assert.Contains("&lt;img src=x onerror=alert(&#x27;company&#x27;)&gt;", agentHtml, StringComparison.Ordinal);
        Assert.DoesNotContain("<img src=x", agentHtml, StringComparison.Ordinal);
        Assert.Contains("&lt;script&gt;", agentHtml, StringComparison.Ordinal);
    }

    [Fact]
    public async Task AgentOfAnotherOrganisation_Gets404_OnEveryPage()
    {
        var consultation = await _scenario.ConsultationAsync();
        var alpha = await _scenario.FollowerAsync(consultation.Id);
        using var agent = await _scenario.AgentAsync();
        var threadId = (await _scenario.SendOkAsync(agent, consultation.Id, [alpha.CompanyId!.Value], files: [("Files", "Note.pdf", MessagingScenario.Pdf)]))[alpha.CompanyId!.Value];
        var fileId = (await _scenario.ThreadAsync(threadId)).Messages[0].Attachments[0].Id;
        using var other = app.Browser();
        await other.SignInAsAgentAsync(await DceScenario.CreateOtherBuyerAgentAsync(app));

        foreach (var path in new[] { MessagePaths.Register(consultation.Id), MessagePaths.Compose(consultation.Id), MessagePaths.AgentThread(threadId), MessagePaths.AgentFile(threadId, fileId) })
        {
            using var response = await other.GetAsync(path);
            MessagingScenario.AssertNotFound(response);
        }
        var token = (await other.GetPageAsync("/acheteur")).QuerySelector("input[name=__RequestVerificationToken]")?.GetAttribute("value") ?? "";
        using var post = await other.PostAsync(MessagePaths.Compose(consultation.Id), [new("__RequestVerificationToken", token), new("Recipients", "All"), new("Subject", "x"), new("Text", "x")]);
        MessagingScenario.AssertNotFound(post);
        Assert.Single(await app.WithDb(db => db.MessageThreads.Where(t => t.ConsultationId == consultation.Id).ToListAsync()));
    }

    [Fact]
    public async Task AnAgent_OnTheCompanyPages_Gets404()
    {
        var consultation = await _scenario.ConsultationAsync();
        var alpha = await _scenario.FollowerAsync(consultation.Id);
        using var agent = await _scenario.AgentAsync();
        var threadId = (await _scenario.SendOkAsync(agent, consultation.Id, [alpha.CompanyId!.Value]))[alpha.CompanyId!.Value];

        using var thread = await agent.GetAsync(MessagePaths.CompanyThread(threadId));

        MessagingScenario.AssertNotFound(thread);
        Assert.Null((await _scenario.ThreadAsync(threadId)).FirstReadUtc);
    }

    [Fact]
    public async Task ACompanyUser_OnTheRegister_Gets404()
    {
        var consultation = await _scenario.ConsultationAsync();
        var alpha = await _scenario.FollowerAsync(consultation.Id);
        using var company = await _scenario.SignedInAsync(alpha);

        using var response = await company.GetAsync(MessagePaths.Register(consultation.Id));

        MessagingScenario.AssertNotFound(response);
    }

    [Fact]
    public async Task Compose_AllCompanies_ReachesDownloadersAndDepositorsOfTheAudience()
    {
        var consultation = await _scenario.ConsultationAsync();
        var alpha = await _scenario.FollowerAsync(consultation.Id);
        var beta = await _scenario.FollowerAsync(consultation.Id);
        using var agent = await _scenario.AgentAsync();
        var page = await agent.GetPageAsync(MessagePaths.Compose(consultation.Id));
        Assert.Equal(2, page.QuerySelectorAll("#Recipients input[name=CompanyIds]").Length);

        using var response = await agent.SubmitFormAsync(MessagePaths.Compose(consultation.Id),
            new Dictionary<string, string> { ["Recipients"] = "All", ["Subject"] = "Modification", ["Text"] = "La date limite est reportée.", ["Type"] = nameof(MessageType.ConsultationModification) },
            "#form-message", []);

        await AccountTestKit.AssertRedirectAsync(response);
        Assert.Equal(2, await app.WithDb(db => db.MessageThreads.CountAsync(t => t.ConsultationId == consultation.Id && t.Type == MessageType.ConsultationModification)));
        Assert.Single(app.MailsTo(alpha.Email!));
        Assert.Single(app.MailsTo(beta.Email!));
    }

    private IReadOnlyList<string> StoredFiles(Guid consultationId)
    {
        var folder = Path.Combine(app.DataRoot, "files", "messages", consultationId.ToString("N"));
        return Directory.Exists(folder) ? Directory.GetFiles(folder, "*", SearchOption.AllDirectories) : [];
    }
}

public sealed class MessagingTestsOnSqlite(MessagingSqliteApp app) : MessagingTests(app), IClassFixture<MessagingSqliteApp>;

public sealed class MessagingTestsOnPostgres(MessagingPostgresApp app) : MessagingTests(app), IClassFixture<MessagingPostgresApp>;

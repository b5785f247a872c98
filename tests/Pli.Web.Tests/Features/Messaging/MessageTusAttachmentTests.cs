using System.Net;
using System.Security.Cryptography;
using Microsoft.EntityFrameworkCore;
using Microsoft.Extensions.DependencyInjection;
using Pli.Web.Features.Messaging;
using Pli.Web.Features.Uploads;
using Pli.Web.Tests.Features.Account;
using Pli.Web.Tests.Features.Backoffice;
using Pli.Web.Tests.Features.Deposits;
using Pli.Web.Tests.Features.Uploads;
using Pli.Web.Tests.Infrastructure;

namespace Pli.Web.Tests.Features.Messaging;

/// <summary>Attachments sent through tus first (purpose "message"), then named by their upload ids in the form.</summary>
public abstract class MessageTusAttachmentTests(PliApp app)
{
    private readonly MessagingScenario _scenario = new(app);

    private static string Sha256Of(byte[] bytes) => Convert.ToHexStringLower(SHA256.HashData(bytes));

    private IUploadStore Uploads => app.Services.GetRequiredService<IUploadStore>();

    private IReadOnlyList<string> StoredFiles(Guid consultationId)
    {
        var folder = Path.Combine(app.DataRoot, "files", "messages", consultationId.ToString("N"));
        return Directory.Exists(folder) ? Directory.GetFiles(folder, "*", SearchOption.AllDirectories) : [];
    }

    private async Task<(Guid ConsultationId, Pli.Web.Infrastructure.Data.PliUser Company, Guid ThreadId)> ThreadAsync(DateTime? replyDeadlineUtc = null)
    {
        var consultation = await _scenario.ConsultationAsync();
        var alpha = await _scenario.FollowerAsync(consultation.Id);
        using var agent = await _scenario.AgentAsync();
        var threadId = (await _scenario.SendOkAsync(agent, consultation.Id, [alpha.CompanyId!.Value], replyDeadlineUtc: replyDeadlineUtc))[alpha.CompanyId!.Value];
        return (consultation.Id, alpha, threadId);
    }

    [Fact]
    public async Task Reply_WithAnAttachmentSentThroughTus_IsStored_AndTheAgentDownloadsTheSameBytes()
    {
        var (consultationId, alpha, threadId) = await ThreadAsync(_scenario.DeadlineIn(TimeSpan.FromMinutes(30)));
        using var company = await _scenario.SignedInAsync(alpha);
        var uploadId = await MessagingScenario.TusUploadOkAsync(company, MessageUploadMetadata.ThreadId, threadId, "Attestation.pdf", MessagingScenario.Pdf);

        using var response = await MessagingScenario.ReplyWithUploadsAsync(company, threadId, "Voici l'attestation.", uploadId);

        await AccountTestKit.AssertRedirectAsync(response);
        var reply = Assert.Single((await _scenario.ThreadAsync(threadId)).Replies);
        var attachment = Assert.Single(reply.Attachments);
        Assert.Equal("Attestation.pdf", attachment.Name);
        Assert.Equal(MessagingScenario.Pdf.Length, attachment.Size);
        Assert.Equal(Sha256Of(MessagingScenario.Pdf), attachment.Sha256);
        Assert.Null(await Uploads.GetInfoAsync(uploadId));
        using var agent = await _scenario.AgentAsync();
        using var download = await agent.GetAsync(MessagePaths.AgentFile(threadId, attachment.Id));
        Assert.Equal(HttpStatusCode.OK, download.StatusCode);
        Assert.Equal(Sha256Of(MessagingScenario.Pdf), Sha256Of(await download.Content.ReadAsByteArrayAsync()));
        Assert.Single(StoredFiles(consultationId));
    }

    [Fact]
    public async Task Send_WithAnAttachmentSentThroughTus_ReachesTheCompany_WithTheSameBytes()
    {
        var consultation = await _scenario.ConsultationAsync();
        var alpha = await _scenario.FollowerAsync(consultation.Id);
        using var agent = await _scenario.AgentAsync();
        var uploadId = await MessagingScenario.TusUploadOkAsync(agent, MessageUploadMetadata.ConsultationId, consultation.Id, "Règlement modifié.pdf", MessagingScenario.Pdf);

        var threadId = (await _scenario.SendOkAsync(agent, consultation.Id, [alpha.CompanyId!.Value], uploadIds: [uploadId]))[alpha.CompanyId!.Value];

        var attachment = Assert.Single(Assert.Single((await _scenario.ThreadAsync(threadId)).Messages).Attachments);
        Assert.Equal("Règlement modifié.pdf", attachment.Name);
        Assert.Equal(Sha256Of(MessagingScenario.Pdf), attachment.Sha256);
        using var company = await _scenario.SignedInAsync(alpha);
        using var download = await company.GetAsync(MessagePaths.CompanyFile(threadId, attachment.Id));
        Assert.Equal(MessagingScenario.Pdf, await download.Content.ReadAsByteArrayAsync());
    }

    [Fact]
    public async Task TusAttachment_OfAFormatTheConsultationRefuses_IsRefusedAtCreation()
    {
        var (_, alpha, threadId) = await ThreadAsync();
        using var company = await _scenario.SignedInAsync(alpha);

        using var response = await MessagingScenario.TusCreateAsync(company, MessagingScenario.TusMetadata(MessageUploadMetadata.ThreadId, threadId, "programme.exe"), 100);

        Assert.Equal("message.format-refused", await DepositScenario.CodeOfAsync(response));
        Assert.Null(response.Headers.Location);
    }

    [Fact]
    public async Task TusAttachment_OverTheMessagingSizeLimit_IsRefusedAtCreation()
    {
        var (_, alpha, threadId) = await ThreadAsync();
        using var company = await _scenario.SignedInAsync(alpha);

        using var response = await MessagingScenario.TusCreateAsync(company, MessagingScenario.TusMetadata(MessageUploadMetadata.ThreadId, threadId, "Gros.pdf"), MessagingSettings.MaxFileSize + 1);

        Assert.Equal("message.file-too-large", await DepositScenario.CodeOfAsync(response));
    }

    [Fact]
    public async Task TusAttachment_AnExeNamedPdf_IsRefusedByItsContent_AndNotKept()
    {
        var (_, alpha, threadId) = await ThreadAsync();
        using var company = await _scenario.SignedInAsync(alpha);
        var exe = "MZ\u0090 pas un PDF, un programme"u8.ToArray();
        using var created = await MessagingScenario.TusCreateAsync(company, MessagingScenario.TusMetadata(MessageUploadMetadata.ThreadId, threadId, "Attestation.pdf"), exe.Length);
        var url = created.Headers.Location!.ToString();

        using var patched = await company.Client.SendAsync(Tus.Patch(url, 0, exe));

        Assert.Equal("file.content-mismatch", await DepositScenario.CodeOfAsync(patched));
        Assert.Null(await Uploads.GetInfoAsync(Tus.IdOf(url)));
    }

    [Fact]
    public async Task TusAttachment_ForAnotherCompanysThread_IsRefusedAtCreation()
    {
        var consultation = await _scenario.ConsultationAsync();
        var alpha = await _scenario.FollowerAsync(consultation.Id);
        var beta = await _scenario.FollowerAsync(consultation.Id);
        using var agent = await _scenario.AgentAsync();
        var threads = await _scenario.SendOkAsync(agent, consultation.Id, [alpha.CompanyId!.Value, beta.CompanyId!.Value]);
        using var intruder = await _scenario.SignedInAsync(beta);

        using var response = await MessagingScenario.TusCreateAsync(intruder, MessagingScenario.TusMetadata(MessageUploadMetadata.ThreadId, threads[alpha.CompanyId!.Value], "Attestation.pdf"), 100);

        Assert.Equal("message.upload-context-unknown", await DepositScenario.CodeOfAsync(response));
    }

    [Fact]
    public async Task TusAttachment_ForAConsultation_ByACompanyUser_IsRefusedAtCreation()
    {
        var (consultationId, alpha, _) = await ThreadAsync();
        using var company = await _scenario.SignedInAsync(alpha);

        using var response = await MessagingScenario.TusCreateAsync(company, MessagingScenario.TusMetadata(MessageUploadMetadata.ConsultationId, consultationId, "Attestation.pdf"), 100);

        Assert.Equal("message.upload-context-unknown", await DepositScenario.CodeOfAsync(response));
    }

    [Fact]
    public async Task TusAttachment_OneSecondAfterTheReplyDeadline_IsRefusedAtCreation_AndAtTheDeadlineSecondAccepted()
    {
        var deadline = _scenario.DeadlineIn(TimeSpan.FromMinutes(10));
        var (_, alpha, threadId) = await ThreadAsync(deadline);
        using var company = await _scenario.SignedInAsync(alpha);
        var metadata = MessagingScenario.TusMetadata(MessageUploadMetadata.ThreadId, threadId, "Attestation.pdf");

        app.Time.SetUtcNow(deadline.AddMilliseconds(999));
        using var atTheSecond = await MessagingScenario.TusCreateAsync(company, metadata, 100);
        app.Time.SetUtcNow(deadline.AddSeconds(1));
        using var after = await MessagingScenario.TusCreateAsync(company, metadata, 100);

        Assert.Equal(HttpStatusCode.Created, atTheSecond.StatusCode);
        Assert.Equal("message.reply-deadline-passed", await DepositScenario.CodeOfAsync(after));
    }

    [Fact]
    public async Task Reply_WithAnotherUsersUploadId_IsRefused_AndNothingIsStored()
    {
        var (consultationId, alpha, threadId) = await ThreadAsync();
        var colleague = await _scenario.FollowerAsync(consultationId, alpha.CompanyId);
        using var other = await _scenario.SignedInAsync(colleague);
        var theirs = await MessagingScenario.TusUploadOkAsync(other, MessageUploadMetadata.ThreadId, threadId, "Attestation.pdf", MessagingScenario.Pdf);
        using var company = await _scenario.SignedInAsync(alpha);

        using var response = await MessagingScenario.ReplyWithUploadsAsync(company, threadId, "Je joins le fichier d'un collègue.", theirs);

        Assert.Equal(HttpStatusCode.OK, response.StatusCode);
        Assert.Contains("n'existe pas ou n'est pas le vôtre", await BackofficeTestData.ErrorsAsync(response), StringComparison.Ordinal);
        Assert.Empty((await _scenario.ThreadAsync(threadId)).Replies);
        Assert.Empty(StoredFiles(consultationId));
        Assert.NotNull(await Uploads.GetInfoAsync(theirs));
    }

    [Fact]
    public async Task Reply_WithAnUploadAdmittedForAnotherThread_IsRefused_AndNothingIsStored()
    {
        var (consultationId, alpha, threadId) = await ThreadAsync();
        using var agent = await _scenario.AgentAsync();
        using (var second = await MessagingScenario.SendAsync(agent, consultationId, [alpha.CompanyId!.Value], text: "Un second message."))
        {
            await AccountTestKit.AssertRedirectAsync(second);
        }
        var secondThreadId = await app.WithDb(db => db.MessageThreads.Where(t => t.ConsultationId == consultationId && t.Id != threadId).Select(t => t.Id).SingleAsync());
        using var company = await _scenario.SignedInAsync(alpha);
        var forTheSecond = await MessagingScenario.TusUploadOkAsync(company, MessageUploadMetadata.ThreadId, secondThreadId, "Attestation.pdf", MessagingScenario.Pdf);

        using var response = await MessagingScenario.ReplyWithUploadsAsync(company, threadId, "Réponse au premier message.", forTheSecond);

        Assert.Equal(HttpStatusCode.OK, response.StatusCode);
        Assert.Contains("n'existe pas ou n'est pas le vôtre", await BackofficeTestData.ErrorsAsync(response), StringComparison.Ordinal);
        Assert.Empty((await _scenario.ThreadAsync(threadId)).Replies);
        Assert.Empty(StoredFiles(consultationId));
    }

    [Fact]
    public async Task Reply_WithAnUnfinishedUpload_IsRefused_AndKeepsNothing()
    {
        var (consultationId, alpha, threadId) = await ThreadAsync();
        using var company = await _scenario.SignedInAsync(alpha);
        using var created = await MessagingScenario.TusCreateAsync(company, MessagingScenario.TusMetadata(MessageUploadMetadata.ThreadId, threadId, "Attestation.pdf"), MessagingScenario.Pdf.Length);
        var uploadId = Tus.IdOf(created.Headers.Location!.ToString());

        using var response = await MessagingScenario.ReplyWithUploadsAsync(company, threadId, "Réponse trop rapide.", uploadId);

        Assert.Equal(HttpStatusCode.OK, response.StatusCode);
        Assert.Contains("n'a pas fini d'être envoyé", await BackofficeTestData.ErrorsAsync(response), StringComparison.Ordinal);
        Assert.Empty((await _scenario.ThreadAsync(threadId)).Replies);
        Assert.Empty(StoredFiles(consultationId));
    }

    [Fact]
    public async Task Reply_RefusedForItsText_KeepsTheReceivedUpload_InTheFormShownAgain()
    {
        var (_, alpha, threadId) = await ThreadAsync();
        using var company = await _scenario.SignedInAsync(alpha);
        var uploadId = await MessagingScenario.TusUploadOkAsync(company, MessageUploadMetadata.ThreadId, threadId, "Attestation.pdf", MessagingScenario.Pdf);

        using var response = await MessagingScenario.ReplyWithUploadsAsync(company, threadId, "   ", uploadId);

        Assert.Equal(HttpStatusCode.OK, response.StatusCode);
        var page = await TestBrowser.ParseAsync(response);
        Assert.Equal(uploadId, page.QuerySelector("#form-reponse #pieces-jointes-envoyees input[name=UploadIds]")?.GetAttribute("value"));
        Assert.NotNull(await Uploads.GetInfoAsync(uploadId));
    }

    [Fact]
    public async Task TheForms_CarryWhatTheScriptNeeds()
    {
        var (consultationId, alpha, threadId) = await ThreadAsync();
        using var company = await _scenario.SignedInAsync(alpha);
        using var agent = await _scenario.AgentAsync();

        var reply = (await company.GetPageAsync(MessagePaths.CompanyThread(threadId))).QuerySelector("form#form-reponse[data-tus-attachments]")!;
        var compose = (await agent.GetPageAsync(MessagePaths.Compose(consultationId))).QuerySelector("form#form-message[data-tus-attachments]")!;

        Assert.Equal("threadId", reply.GetAttribute("data-upload-context"));
        Assert.Equal(threadId.ToString(), reply.GetAttribute("data-upload-context-id"));
        Assert.Equal("consultationId", compose.GetAttribute("data-upload-context"));
        Assert.Equal(consultationId.ToString(), compose.GetAttribute("data-upload-context-id"));
        Assert.Contains("Progression de l'envoi", reply.GetAttribute("data-text-progress"), StringComparison.Ordinal);
        Assert.NotNull(reply.QuerySelector("input[type=file]#Files"));
        Assert.NotNull(compose.QuerySelector("button#envoyer-message"));
        Assert.NotNull(reply.QuerySelector("button#envoyer-reponse"));
    }
}

public sealed class MessageTusAttachmentTestsOnSqlite(MessagingSqliteApp app) : MessageTusAttachmentTests(app), IClassFixture<MessagingSqliteApp>;

public sealed class MessageTusAttachmentTestsOnPostgres(MessagingPostgresApp app) : MessageTusAttachmentTests(app), IClassFixture<MessagingPostgresApp>;

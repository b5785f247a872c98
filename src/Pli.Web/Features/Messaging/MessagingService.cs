using System.Globalization;
using System.Security.Claims;
using Microsoft.EntityFrameworkCore;
using Pli.Domain.Common;
using Pli.Domain.Consultations;
using Pli.Domain.Messaging;
using Pli.Web.Features.Shared;
using Pli.Web.Infrastructure.Audit;
using Pli.Web.Infrastructure.Data;
using Pli.Web.Infrastructure.Mail;
using Pli.Web.Infrastructure.Security;
using Pli.Web.Infrastructure.Web;

namespace Pli.Web.Features.Messaging;

/// <summary>What an agent writes: to which companies, what about, and until when a reply is awaited.</summary>
public sealed record MessageDraft(IReadOnlyCollection<Guid> CompanyIds, MessageType Type, string? Subject, string? Text, DateTime? ReplyDeadlineUtc);

/// <summary>
/// The coordinator of secure messaging: sending (one thread per company), the read receipt, replies and
/// the files of each. The rules are the domain's (<see cref="MessageThread"/>); this class loads, stores,
/// audits and mails. Mails never carry a message's text or files: they say a message waits and link to it.
/// </summary>
public sealed class MessagingService(
    PliDbContext db,
    MessageAttachments attachments,
    ConsultationAudience audience,
    AuditTrail audit,
    MailOutbox outbox,
    MailTemplate template,
    PublicLinks links,
    RecipientLanguage languages,
    TimeProvider time)
{
    private DateTime Now => time.GetUtcNow().UtcDateTime;

    /// <summary>A thread of a consultation of the agent's buyer, or null (another buyer's is not found).</summary>
    public async Task<(MessageThread Thread, Consultation Consultation)?> FindForAgentAsync(ClaimsPrincipal agent, Guid threadId, CancellationToken cancellationToken)
    {
        var organisationId = agent.OrganisationId();
        if (organisationId is null)
        {
            return null;
        }
        var found = await (from t in db.MessageThreads.Include(t => t.Messages).ThenInclude(m => m.Attachments)
                           join c in db.Consultations on t.ConsultationId equals c.Id
                           where t.Id == threadId && c.OrganisationId == organisationId
                           select new { t, c }).AsSplitQuery().FirstOrDefaultAsync(cancellationToken);
        return found is null ? null : (found.t, found.c);
    }

    /// <summary>A thread addressed to the user's company, or null: another company's thread does not exist for it.</summary>
    public async Task<(MessageThread Thread, Consultation Consultation)?> FindForCompanyAsync(ClaimsPrincipal user, Guid threadId, CancellationToken cancellationToken)
    {
        var companyId = user.CompanyId();
        if (companyId is null)
        {
            return null;
        }
        var thread = await db.MessageThreads.Include(t => t.Messages).ThenInclude(m => m.Attachments).AsSplitQuery()
            .FirstOrDefaultAsync(t => t.Id == threadId && t.CompanyId == companyId, cancellationToken);
        if (thread is null)
        {
            return null;
        }
        var consultation = await db.Consultations.AsNoTracking().FirstAsync(c => c.Id == thread.ConsultationId, cancellationToken);
        return (thread, consultation);
    }

    /// <summary>
    /// Sends the message: one thread per chosen company of the consultation's audience (a company outside it
    /// reaches nobody), its files stored once, an audit entry per thread and a mail to each person of each
    /// company, all saved together.
    /// </summary>
    public async Task<IReadOnlyList<MessageThread>> SendAsync(Consultation consultation, ClaimsPrincipal agent, MessageDraft draft, IReadOnlyList<IFormFile> files, IReadOnlyList<string> uploadIds, CancellationToken cancellationToken)
    {
        var agentId = agent.UserId() ?? throw new InvalidOperationException("An agent sends messages.");
        var now = Now;
        MessageThread.RequireMessage(draft.Type, draft.Subject, draft.Text, draft.ReplyDeadlineUtc, now);
        var companies = (await audience.CompaniesAsync(consultation.Id, cancellationToken))
            .Where(c => draft.CompanyIds.Contains(c.CompanyId)).Select(c => c.CompanyId).ToList();
        if (companies.Count == 0)
        {
            throw new DomainException("message.no-recipient", "Choisissez au moins une entreprise destinataire.", "Recipients");
        }
        var stored = await attachments.StoreAsync(consultation, files, agentId, MessageUploadContext.Message(consultation.Id), uploadIds, cancellationToken);
        try
        {
            var threads = companies.Select(company => MessageThread.Start(consultation.Id, company, draft.Type, draft.Subject, draft.Text, draft.ReplyDeadlineUtc, agentId, stored, now)).ToList();
            db.MessageThreads.AddRange(threads);
            foreach (var thread in threads)
            {
                var deadline = thread.ReplyDeadlineUtc is { } d ? d.ToString("O", CultureInfo.InvariantCulture) : "none";
                audit.Record("message.sent", agent, consultation.Id, $"message:{thread.Id}",
                    $"type={thread.Type}; company={thread.CompanyId}; attachments={stored.Count}; replyDeadline={deadline}");
            }
            var byCompany = threads.ToDictionary(t => t.CompanyId);
            var recipients = await audience.RecipientsAsync(consultation.Id, companies, cancellationToken);
            var cultures = await languages.OfAsync(recipients.Select(r => r.Email), cancellationToken);
            foreach (var recipient in recipients)
            {
                var culture = cultures[recipient.Email];
                outbox.Enqueue(template.Create(recipient.Email,
                    string.Format(culture, MessagingTexts.Get("Mail_NewSubject", culture), consultation.Reference),
                    [string.Format(culture, MessagingTexts.Get("Mail_NewText", culture), template.PlatformName)],
                    MessagingTexts.Get("Mail_NewButton", culture),
                    links.To(MessagePaths.CompanyThread(byCompany[recipient.CompanyId].Id)), culture));
            }
            await db.SaveChangesAsync(CancellationToken.None);
            return threads;
        }
        catch
        {
            await attachments.DiscardAsync(stored);
            throw;
        }
    }

    /// <summary>The first opening by a user of the company is the read receipt (saved and audited once).</summary>
    public async Task MarkReadAsync(MessageThread thread, ClaimsPrincipal user, CancellationToken cancellationToken)
    {
        if (user.UserId() is not { } userId || !thread.MarkRead(userId, Now))
        {
            return;
        }
        audit.Record("message.read", user, thread.ConsultationId, $"message:{thread.Id}", $"company={thread.CompanyId}");
        try
        {
            await db.SaveChangesAsync(cancellationToken);
        }
        catch (DbUpdateConcurrencyException)
        {
            // Another user of the company opened it at the same moment: theirs is the receipt.
            db.ChangeTracker.Clear();
        }
    }

    /// <summary>The agent opened the thread: its replies are no longer unread.</summary>
    public async Task MarkRepliesReadAsync(MessageThread thread, CancellationToken cancellationToken)
    {
        if (thread.UnreadReplies == 0)
        {
            return;
        }
        thread.MarkRepliesReadByAgent(Now);
        await db.SaveChangesAsync(cancellationToken);
    }

    /// <summary>The company's reply, until the reply deadline's second; the agent who wrote is told by mail, without the reply.</summary>
    public async Task<ThreadMessage> ReplyAsync(MessageThread thread, Consultation consultation, ClaimsPrincipal user, string? text, IReadOnlyList<IFormFile> files, IReadOnlyList<string> uploadIds, CancellationToken cancellationToken)
    {
        var userId = user.UserId() ?? throw new InvalidOperationException("A company user replies.");
        var now = Now;
        thread.RequireAcceptsReplies(now);
        MessageThread.RequireText(text);
        var stored = await attachments.StoreAsync(consultation, files, userId, MessageUploadContext.Reply(thread.Id), uploadIds, cancellationToken);
        try
        {
            var reply = thread.Reply(userId, text, stored, now);
            db.ThreadMessages.Add(reply);
            audit.Record("message.replied", user, consultation.Id, $"message:{thread.Id}", $"reply={reply.Id}; company={thread.CompanyId}; attachments={stored.Count}");
            // The agent's language, not the replying company's: read with the address, in the same query.
            var agent = await db.Users.AsNoTracking().Where(u => u.Id == thread.CreatedByUserId).Select(u => new { u.Email, u.Language }).FirstOrDefaultAsync(cancellationToken);
            if (agent?.Email is { } agentEmail)
            {
                var culture = RecipientLanguage.Of(agent.Language);
                outbox.Enqueue(template.Create(agentEmail,
                    string.Format(culture, MessagingTexts.Get("Mail_ReplySubject", culture), consultation.Reference),
                    [string.Format(culture, MessagingTexts.Get("Mail_ReplyText", culture), consultation.Reference)],
                    MessagingTexts.Get("Mail_ReplyButton", culture),
                    links.To(MessagePaths.AgentThread(thread.Id)), culture));
            }
            await db.SaveChangesAsync(CancellationToken.None);
            return reply;
        }
        catch
        {
            await attachments.DiscardAsync(stored);
            throw;
        }
    }

    /// <summary>An attachment of the thread, by id, or null.</summary>
    public static MessageAttachment? AttachmentOf(MessageThread thread, Guid fileId) =>
        thread.Messages.SelectMany(m => m.Attachments).FirstOrDefault(a => a.Id == fileId);

    public Task<Stream> OpenAsync(MessageAttachment attachment, CancellationToken cancellationToken) => attachments.OpenAsync(attachment, cancellationToken);
}

using Pli.Web.Features.Backoffice.Consultations;
using System.Globalization;
using System.Security.Claims;
using Microsoft.EntityFrameworkCore;
using Microsoft.Extensions.Options;
using Pli.Domain.Common;
using Pli.Domain.Consultations;
using Pli.Domain.Organisations;
using Pli.Domain.Questions;
using Pli.Web.Features.Shared;
using Pli.Web.Infrastructure.Audit;
using Pli.Web.Infrastructure.Data;
using Pli.Web.Infrastructure.Mail;
using Pli.Web.Infrastructure.Security;
using Pli.Web.Infrastructure.Storage;
using Pli.Web.Infrastructure.Web;

namespace Pli.Web.Features.Questions;

/// <summary>
/// Asking and answering: every rule is checked before the attachment is stored, and the question (or
/// the answer), its mails and its audit line are saved together. A mail says that something happened
/// and links back; the text of a question or an answer never leaves the platform.
/// </summary>
public sealed class QuestionService(
    PliDbContext db,
    IFileStore store,
    IOptions<QuestionOptions> options,
    TimeProvider time,
    MailOutbox outbox,
    MailTemplate template,
    PublicLinks links,
    AuditTrail audit,
    ConsultationAudience audience,
    RecipientLanguage languages)
{
    public DateTime NowUtc => time.GetUtcNow().UtcDateTime;

    public long MaxAttachmentBytes => options.Value.MaxAttachmentBytes;

    /// <summary>A published consultation, for the companies' pages; null for drafts and unknown ids.</summary>
    public Task<Consultation?> FindPublishedAsync(Guid id, CancellationToken cancellationToken) =>
        db.Consultations.AsNoTracking().FirstOrDefaultAsync(c => c.Id == id && c.Status == ConsultationStatus.Published, cancellationToken);

    /// <summary>A consultation of the agent's own organisation; null otherwise (the page answers 404).</summary>
    public Task<Consultation?> FindOwnAsync(ClaimsPrincipal agent, Guid id, CancellationToken cancellationToken) =>
        db.FindOwnReadOnlyAsync(agent, id, cancellationToken);

    public static bool IsOpenForQuestions(Consultation consultation, DateTime nowUtc) =>
        consultation.IsPublished && nowUtc <= consultation.QuestionDeadlineUtc;

    public async Task<Question> AskAsync(ClaimsPrincipal user, Consultation consultation, string? text, IFormFile? file, CancellationToken cancellationToken)
    {
        var now = NowUtc;
        var companyId = user.CompanyId() ?? throw new InvalidOperationException("Only a company user asks questions.");
        var userId = user.UserId()!.Value;
        Question.RequireOpenForQuestions(consultation, now);
        var checkedText = Question.RequireText(text);
        QuestionAttachment? attachment = null;
        if (file is not null)
        {
            attachment = await StoreAttachmentAsync(consultation, file, cancellationToken);
        }
        try
        {
            var question = Question.Ask(consultation, companyId, userId, checkedText, attachment, now);
            db.Questions.Add(question);
            await NotifyAgentsAsync(consultation, cancellationToken);
            audit.Record("question.asked", user, consultation.Id, $"question:{question.Id}",
                attachment is null ? $"chars:{checkedText.Length}" : $"chars:{checkedText.Length} attachment:{attachment.Size} sha256:{attachment.Sha256}");
            await db.SaveChangesAsync(CancellationToken.None);
            return question;
        }
        catch
        {
            if (attachment is not null)
            {
                // Not the caller's token: a question that was not recorded must not leave its file behind.
                await store.DeleteAsync(attachment.StorageKey, CancellationToken.None);
            }
            throw;
        }
    }

    /// <summary>
    /// Checks the name, the format the consultation accepts, the size and the first bytes against the
    /// format, then streams the file to the store. Nothing is stored for a refused file.
    /// </summary>
    private async Task<QuestionAttachment> StoreAttachmentAsync(Consultation consultation, IFormFile file, CancellationToken cancellationToken)
    {
        const string field = "Attachment";
        var name = QuestionAttachment.RequireAcceptable(consultation, file.FileName, file.Length, field);
        if (file.Length > MaxAttachmentBytes)
        {
            throw new DomainException("question.attachment-too-large",
                QuestionTexts.Format(CultureInfo.CurrentUICulture, "AttachmentTooLarge", ConsultationLabels.FileSize(MaxAttachmentBytes)), field);
        }
        await FormFileContent.RequireMatchesAsync(file, name, field, cancellationToken);
        var key = $"questions/{consultation.Id:N}/{Guid.NewGuid():N}";
        try
        {
            await using var content = file.OpenReadStream();
            var stored = await store.SaveAsync(key, content, cancellationToken);
            return new QuestionAttachment(name, stored.Size, stored.Sha256, key);
        }
        catch
        {
            await store.DeleteAsync(key, CancellationToken.None);
            throw;
        }
    }

    /// <summary>The consultation managers of the buyer are told a question waits; the mail holds no word of it.</summary>
    private async Task NotifyAgentsAsync(Consultation consultation, CancellationToken cancellationToken)
    {
        var agents = await db.Users.AsNoTracking()
            .Where(u => u.OrganisationId == consultation.OrganisationId && u.Email != null)
            .Select(u => new { u.Email, u.AgentRoles, u.Language })
            .ToListAsync(cancellationToken);
        var managers = agents.Where(a => a.AgentRoles.HasFlag(AgentRole.ConsultationManager)).DistinctBy(a => a.Email!, StringComparer.OrdinalIgnoreCase);
        foreach (var manager in managers)
        {
            var culture = RecipientLanguage.Of(manager.Language);
            string[] paragraphs =
            [
                QuestionTexts.Format(culture, "Mail_NewQuestion_Intro", consultation.Reference, consultation.Title),
                QuestionTexts.Get("Mail_NewQuestion_Action", culture),
            ];
            outbox.Enqueue(template.Create(manager.Email!, QuestionTexts.Format(culture, "Mail_NewQuestion_Subject", consultation.Reference), paragraphs,
                QuestionTexts.Get("Mail_NewQuestion_Button", culture), links.To(QuestionPaths.Backoffice(consultation.Id)), culture));
        }
    }

    /// <summary>
    /// Answers and so publishes the question; the consultation's audience (companies that downloaded the DCE
    /// identified or deposited) and the person who asked are told, in the same save.
    /// </summary>
    public async Task<Question?> AnswerAsync(ClaimsPrincipal agent, Consultation consultation, Guid questionId, string? answer, CancellationToken cancellationToken)
    {
        var question = await db.Questions.FirstOrDefaultAsync(q => q.Id == questionId && q.ConsultationId == consultation.Id, cancellationToken);
        if (question is null)
        {
            return null;
        }
        question.Reply(agent.UserId()!.Value, answer, NowUtc);
        var recipients = (await audience.RecipientsAsync(consultation.Id, cancellationToken: cancellationToken)).Select(r => r.Email).ToList();
        var asker = await db.Users.AsNoTracking().Where(u => u.Id == question.AskedByUserId && u.Email != null).Select(u => u.Email!).FirstOrDefaultAsync(cancellationToken);
        if (asker is not null)
        {
            recipients.Add(asker);
        }
        var distinct = recipients.Distinct(StringComparer.OrdinalIgnoreCase).ToList();
        // The answer's mail names nobody (the asker included): written once per language, addressed to each.
        var mails = await languages.ToEachAsync(distinct, culture => template.Create("", QuestionTexts.Format(culture, "Mail_Answer_Subject", consultation.Reference),
            [
                QuestionTexts.Format(culture, "Mail_Answer_Intro", consultation.Reference, consultation.Title),
                QuestionTexts.Get("Mail_Answer_Anonymous", culture),
            ],
            QuestionTexts.Get("Mail_Answer_Button", culture), links.To(QuestionPaths.Public(consultation.Id)), culture), cancellationToken);
        foreach (var mail in mails)
        {
            outbox.Enqueue(mail);
        }
        audit.Record("question.answered", agent, consultation.Id, $"question:{question.Id}", $"chars:{question.Answer!.Length} recipients:{distinct.Count}");
        await db.SaveChangesAsync(cancellationToken);
        return question;
    }

    /// <summary>Published questions and answers, in the order asked, with their number in the register; no author.</summary>
    public async Task<IReadOnlyList<PublicQuestion>> PublishedAsync(Guid consultationId, CancellationToken cancellationToken = default)
    {
        var all = await Ordered(consultationId).ToListAsync(cancellationToken);
        return [.. all.Select((q, i) => (q, Number: i + 1)).Where(x => x.q.IsPublished)
            .Select(x => new PublicQuestion(x.Number, x.q.Text, x.q.AskedUtc, x.q.Answer!, x.q.AnsweredUtc!.Value))];
    }

    /// <summary>The questions of <paramref name="companyId"/> on this consultation, answered or not; another company's never.</summary>
    public async Task<IReadOnlyList<(int Number, Question Question)>> OfCompanyAsync(Guid consultationId, Guid companyId, CancellationToken cancellationToken = default)
    {
        var all = await Ordered(consultationId).ToListAsync(cancellationToken);
        return [.. all.Select((q, i) => (Number: i + 1, Question: q)).Where(x => x.Question.CompanyId == companyId)];
    }

    /// <summary>The register of questions, for the buyer's agents: who asked, when, what was answered, by whom.</summary>
    public async Task<IReadOnlyList<RegisterQuestion>> RegisterAsync(Guid consultationId, CancellationToken cancellationToken = default)
    {
        var all = await Ordered(consultationId).ToListAsync(cancellationToken);
        var userIds = all.Select(q => q.AskedByUserId).Concat(all.Where(q => q.AnsweredByUserId is not null).Select(q => q.AnsweredByUserId!.Value)).Distinct().ToList();
        var companyIds = all.Select(q => q.CompanyId).Distinct().ToList();
        var users = await db.Users.AsNoTracking().Where(u => userIds.Contains(u.Id)).Select(u => new { u.Id, u.FullName, u.Email }).ToDictionaryAsync(u => u.Id, cancellationToken);
        var companies = await db.Companies.AsNoTracking().Where(c => companyIds.Contains(c.Id)).Select(c => new { c.Id, c.Name }).ToDictionaryAsync(c => c.Id, c => c.Name, cancellationToken);
        return [.. all.Select((q, i) => new RegisterQuestion(
            i + 1,
            q,
            companies.GetValueOrDefault(q.CompanyId) ?? "—",
            users.TryGetValue(q.AskedByUserId, out var asker) ? asker.FullName : "—",
            asker?.Email ?? "",
            q.AnsweredByUserId is { } by && users.TryGetValue(by, out var agent) ? agent.FullName : null))];
    }

    public Task<Question?> FindAsync(Guid consultationId, Guid questionId, CancellationToken cancellationToken) =>
        db.Questions.AsNoTracking().FirstOrDefaultAsync(q => q.Id == questionId && q.ConsultationId == consultationId, cancellationToken);

    public Task<Stream> OpenAttachmentAsync(QuestionAttachment attachment, CancellationToken cancellationToken) =>
        store.OpenReadAsync(attachment.StorageKey, cancellationToken);

    /// <summary>The order of the register: a question's number is its rank here, stable since questions are never deleted.</summary>
    private IQueryable<Question> Ordered(Guid consultationId) =>
        db.Questions.AsNoTracking().Where(q => q.ConsultationId == consultationId).OrderBy(q => q.AskedUtc).ThenBy(q => q.Id);
}

public sealed record PublicQuestion(int Number, string Text, DateTime AskedUtc, string Answer, DateTime AnsweredUtc);

public sealed record RegisterQuestion(int Number, Question Question, string CompanyName, string AskerName, string AskerEmail, string? AnsweredByName);

using System.Globalization;
using System.Security.Claims;
using Microsoft.EntityFrameworkCore;
using Pli.Domain.Common;
using Pli.Domain.Consultations;
using Pli.Domain.Deposits;
using Pli.Web.Features.Shared;
using Pli.Web.Infrastructure.Audit;
using Pli.Web.Infrastructure.Data;
using Pli.Web.Infrastructure.Mail;
using Pli.Web.Infrastructure.Web;

namespace Pli.Web.Features.Notices;

/// <summary>
/// Publishes a modification the domain has made: the change, its line in the public history, the
/// audit entry and one notice mail per person of the consultation's audience are saved together, so
/// a modification is never published without its notices (nor notices sent for a refused change).
/// The mail says what changed and links to the public page; the buyer's texts stay on the platform.
/// </summary>
public sealed class ConsultationNotices(PliDbContext db, ConsultationAudience audience, MailOutbox outbox, MailTemplate template,
    PublicLinks links, AuditTrail audit, TimeProvider time, RecipientLanguage languages)
{
    public DateTime NowUtc => time.GetUtcNow().UtcDateTime;

    /// <summary>The instant the latest pli of the consultation was received, if any: the deadline may not move before it.</summary>
    public Task<DateTime?> LatestDepositAsync(Guid consultationId, CancellationToken cancellationToken) =>
        db.Deposits.AsNoTracking()
            .Where(d => d.ConsultationId == consultationId && d.Status != DepositStatus.Draft && d.SealedUtc != null)
            .MaxAsync(d => d.SealedUtc, cancellationToken);

    /// <summary>Saves <paramref name="modification"/> (and the DCE files it added) with its notices; returns how many people are told.</summary>
    public async Task<int> PublishAsync(Consultation consultation, ConsultationModification modification, ClaimsPrincipal agent,
        IReadOnlyList<DceFile>? addedFiles = null, CancellationToken cancellationToken = default)
    {
        db.ConsultationModifications.Add(modification);
        if (addedFiles is not null)
        {
            db.DceFiles.AddRange(addedFiles);
        }
        var recipients = await audience.RecipientsAsync(consultation.Id, cancellationToken: cancellationToken);
        // The notice names nobody: written once per language, addressed to each person in theirs.
        foreach (var notice in await languages.ToEachAsync(recipients.Select(r => r.Email), culture => Mail(consultation, modification, culture), cancellationToken))
        {
            outbox.Enqueue(notice);
        }
        audit.Record("consultation.modified", agent, consultation.Id, $"modification:{modification.Id}",
            string.Create(CultureInfo.InvariantCulture, $"kind={modification.Kind}; old={modification.OldValue}; new={modification.NewValue}; notified={recipients.Count}"));
        await db.SaveChangesAsync(cancellationToken);
        return recipients.Count;
    }

    private OutgoingMail Mail(Consultation consultation, ConsultationModification modification, CultureInfo culture)
    {
        string Text(string key, params object?[] args) => string.Format(culture, NoticesTexts.Get(key, culture), args);
        var cancelled = modification.Kind == ModificationKind.Cancellation;
        var subject = Text(cancelled ? "Mail_SubjectCancelled" : "Mail_Subject", consultation.Reference);
        var what = modification.Kind switch
        {
            ModificationKind.Deadline or ModificationKind.QuestionDeadline =>
                Text("Mail_" + modification.Kind,
                    Format(Consultation.ParseRecordedInstant(modification.OldValue), culture),
                    Format(Consultation.ParseRecordedInstant(modification.NewValue), culture)),
            ModificationKind.DceComplement => Text("Mail_dce-complement", modification.NewValue),
            _ => Text("Mail_" + modification.Kind),
        };
        string[] paragraphs =
        [
            Text("Mail_Intro", consultation.Reference, consultation.Title, ParisTime.Format(modification.AtUtc, culture)),
            what,
            Text(cancelled ? "Mail_OutroCancelled" : "Mail_Outro"),
            Text("Mail_Why"),
        ];
        return template.Create("", subject, paragraphs, Text("Mail_Button"), links.To($"/consultations/{consultation.Id}"), culture);
    }

    private static string Format(DateTime? utc, CultureInfo culture) => utc is { } value ? ParisTime.Format(value, culture) : "—";
}

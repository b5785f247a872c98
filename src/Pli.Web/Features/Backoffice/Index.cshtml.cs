using Microsoft.AspNetCore.Mvc.RazorPages;
using Microsoft.EntityFrameworkCore;
using Pli.Domain.Consultations;
using Pli.Domain.Deposits;
using Pli.Domain.Messaging;
using Pli.Web.Infrastructure.Data;
using Pli.Web.Infrastructure.Security;

namespace Pli.Web.Features.Backoffice;

/// <summary>
/// The agent dashboard: the organisation's consultations, grouped by status (drafts first since they await
/// work), each with its activity counts and the time left. The counts come from one grouped query per
/// register for the whole page, never one per row.
/// </summary>
public sealed class IndexModel(PliDbContext db, TimeProvider time) : PageModel
{
    public static readonly ConsultationStatus[] StatusOrder = [ConsultationStatus.Draft, ConsultationStatus.Published, ConsultationStatus.Awarded, ConsultationStatus.Cancelled];

    public ILookup<ConsultationStatus, Row> ByStatus { get; private set; } = Array.Empty<Row>().ToLookup(r => r.Status);

    public DateTime NowUtc { get; private set; }

    /// <summary>Published consultations whose deadline is past: closed to deposits, awaiting opening or award.</summary>
    public int PublishedPastDeadline { get; private set; }

    public async Task OnGetAsync(CancellationToken cancellationToken)
    {
        var organisationId = User.OrganisationId();
        NowUtc = time.GetUtcNow().UtcDateTime;
        var own = db.Consultations.Where(c => c.OrganisationId == organisationId);
        var consultations = await own.AsNoTracking()
            .Select(c => new { c.Id, c.Reference, c.Title, c.Status, c.DeadlineUtc })
            .ToListAsync(cancellationToken);

        // Identified downloads only: an anonymous line names nobody the buyer could write to.
        var downloads = await db.DceDownloads
            .Where(d => d.UserId != null && own.Any(c => c.Id == d.ConsultationId))
            .GroupBy(d => d.ConsultationId)
            .Select(g => new { g.Key, Count = g.Count() })
            .ToDictionaryAsync(g => g.Key, g => g.Count, cancellationToken);
        var questions = await db.Questions
            .Where(q => own.Any(c => c.Id == q.ConsultationId))
            .GroupBy(q => q.ConsultationId)
            .Select(g => new { g.Key, Count = g.Count(), Unanswered = g.Count(q => q.AnsweredUtc == null) })
            .ToDictionaryAsync(g => g.Key, g => (g.Count, g.Unanswered), cancellationToken);
        // Sealed plis only: a draft is not a deposit yet, a withdrawn one is no longer one.
        var deposits = await db.Deposits
            .Where(d => d.Status == DepositStatus.Sealed && own.Any(c => c.Id == d.ConsultationId))
            .GroupBy(d => d.ConsultationId)
            .Select(g => new { g.Key, OnTime = g.Count(d => !d.IsLate), Late = g.Count(d => d.IsLate) })
            .ToDictionaryAsync(g => g.Key, g => (g.OnTime, g.Late), cancellationToken);
        // A reply is read once any agent of the buyer opened its thread (ThreadMessage.ReadByAgentUtc):
        // there is no per-agent read state.
        var unread = await db.ThreadMessages
            .Where(m => m.Side == MessageSide.Company && m.ReadByAgentUtc == null)
            .Join(db.MessageThreads.Where(t => own.Any(c => c.Id == t.ConsultationId)), m => m.ThreadId, t => t.Id, (m, t) => t.ConsultationId)
            .GroupBy(id => id)
            .Select(g => new { g.Key, Count = g.Count() })
            .ToDictionaryAsync(g => g.Key, g => g.Count, cancellationToken);

        var rows = consultations.Select(c => new Row(c.Id, c.Reference, c.Title, c.Status, c.DeadlineUtc,
            downloads.GetValueOrDefault(c.Id),
            questions.GetValueOrDefault(c.Id).Count, questions.GetValueOrDefault(c.Id).Unanswered,
            deposits.GetValueOrDefault(c.Id).OnTime, deposits.GetValueOrDefault(c.Id).Late,
            unread.GetValueOrDefault(c.Id)));
        ByStatus = rows.OrderBy(r => r.DeadlineUtc).ThenBy(r => r.Reference, StringComparer.Ordinal).ToLookup(r => r.Status);
        PublishedPastDeadline = ByStatus[ConsultationStatus.Published].Count(r => r.DeadlineUtc < NowUtc);
    }

    public sealed record Row(Guid Id, string Reference, string Title, ConsultationStatus Status, DateTime DeadlineUtc,
        int IdentifiedDownloads, int Questions, int UnansweredQuestions, int DepositsOnTime, int LateDeposits, int UnreadReplies);
}

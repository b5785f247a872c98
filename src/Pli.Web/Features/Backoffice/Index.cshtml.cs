using Microsoft.AspNetCore.Mvc.RazorPages;
using Microsoft.EntityFrameworkCore;
using Pli.Domain.Consultations;
using Pli.Domain.Deposits;
using Pli.Domain.Messaging;
using Pli.Web.Infrastructure.Data;
using Pli.Web.Infrastructure.Security;

namespace Pli.Web.Features.Backoffice;

/// <summary>Where a consultation stands for the agents: its status, and for a published one the deadline and the opening.</summary>
public enum DashboardState
{
    Draft,

    /// <summary>Published, before its deadline (the deadline instant included): plis may come.</summary>
    Published,

    /// <summary>Published, past its deadline, no envelope opened yet.</summary>
    Closed,

    /// <summary>Published, at least one envelope opened.</summary>
    Opened,

    Awarded,
    Cancelled,
}

/// <summary>
/// The agent dashboard: the organisation's consultations by state (drafts first since they await work), each
/// with its activity counts and the time left. The counts come from one grouped query per register for the
/// whole page, never one per row.
/// </summary>
public sealed class IndexModel(PliDbContext db, TimeProvider time) : PageModel
{
    public static readonly DashboardState[] StatusOrder = Enum.GetValues<DashboardState>();

    public ILookup<DashboardState, Row> ByStatus { get; private set; } = Array.Empty<Row>().ToLookup(r => r.State);

    public DateTime NowUtc { get; private set; }

    public static DashboardState StateOf(ConsultationStatus status, DateTime deadlineUtc, bool opened, DateTime nowUtc) => status switch
    {
        ConsultationStatus.Draft => DashboardState.Draft,
        ConsultationStatus.Awarded => DashboardState.Awarded,
        ConsultationStatus.Cancelled => DashboardState.Cancelled,
        _ when opened => DashboardState.Opened,
        _ when Consultation.InProgress(status, deadlineUtc, nowUtc) => DashboardState.Published,
        _ => DashboardState.Closed,
    };

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

        var opened = (await db.OpeningSessions
            .Where(session => own.Any(c => c.Id == session.ConsultationId) && db.OpeningActs.Any(a => a.SessionId == session.Id))
            .Select(session => session.ConsultationId)
            .ToListAsync(cancellationToken)).ToHashSet();

        var rows = consultations.Select(c => new Row(c.Id, c.Reference, c.Title, c.Status,
            StateOf(c.Status, c.DeadlineUtc, opened.Contains(c.Id), NowUtc), c.DeadlineUtc,
            downloads.GetValueOrDefault(c.Id),
            questions.GetValueOrDefault(c.Id).Count, questions.GetValueOrDefault(c.Id).Unanswered,
            deposits.GetValueOrDefault(c.Id).OnTime, deposits.GetValueOrDefault(c.Id).Late,
            unread.GetValueOrDefault(c.Id)));
        ByStatus = rows.OrderBy(r => r.DeadlineUtc).ThenBy(r => r.Reference, StringComparer.Ordinal).ToLookup(r => r.State);
    }

    public sealed record Row(Guid Id, string Reference, string Title, ConsultationStatus Status, DashboardState State, DateTime DeadlineUtc,
        int IdentifiedDownloads, int Questions, int UnansweredQuestions, int DepositsOnTime, int LateDeposits, int UnreadReplies);
}

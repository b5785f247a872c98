using Microsoft.EntityFrameworkCore;
using Pli.Domain.Alerts;
using Pli.Domain.Consultations;
using Pli.Domain.Deposits;
using Pli.Domain.Messaging;
using Pli.Web.Features.Shared;
using Pli.Web.Infrastructure.Data;

namespace Pli.Web.Features.Companies;

/// <summary>
/// What the company dashboard summarises, scoped as the pages it links to are: the consultations, plis, messages
/// and questions of the company (any of its users, admin or not), the saved searches of the user. Each section
/// costs the same few queries whatever the number of rows: no query per row.
/// </summary>
public sealed class CompanyDashboard(PliDbContext db)
{
    /// <summary>Rows a section shows before its "see all" link.</summary>
    public const int SectionRows = 10;

    /// <summary>The values of <c>?tout=</c>: the sections no other page lists whole.</summary>
    public const string AllConsultations = "consultations";
    public const string AllQuestions = "questions";

    /// <summary>Every section of the dashboard; <paramref name="showAll"/> names the one shown without its limit (<see cref="AllConsultations"/> or <see cref="AllQuestions"/>).</summary>
    public async Task<CompanyDashboardView> LoadAsync(Guid companyId, Guid userId, DateTime nowUtc, string? showAll, CancellationToken cancellationToken) =>
        new(await ConsultationsAsync(companyId, nowUtc, showAll == AllConsultations, cancellationToken),
            await DepositsAsync(companyId, cancellationToken),
            await MessagesAsync(companyId, cancellationToken),
            await QuestionsAsync(companyId, showAll == AllQuestions, cancellationToken),
            await SavedSearchesAsync(userId, cancellationToken));

    /// <summary>
    /// The consultations the company downloaded identified (an anonymous download names nobody), those changed since
    /// the company's last download first, then those in progress by nearest deadline, then the closed ones by latest
    /// deadline. A company downloads a bounded number of consultations, so the whole list is read and ordered here.
    /// </summary>
    private async Task<Section<DownloadedConsultation>> ConsultationsAsync(Guid companyId, DateTime nowUtc, bool all, CancellationToken cancellationToken)
    {
        var lastDownloads = await db.DceDownloads
            .Where(d => d.CompanyId == companyId && d.UserId != null)
            .GroupBy(d => d.ConsultationId)
            .Select(g => new { ConsultationId = g.Key, LastUtc = g.Max(d => d.AtUtc) })
            .ToDictionaryAsync(g => g.ConsultationId, g => g.LastUtc, cancellationToken);
        if (lastDownloads.Count == 0)
        {
            return Section<DownloadedConsultation>.Empty;
        }
        var ids = lastDownloads.Keys.ToList();
        var consultations = await (from c in db.Consultations.AsNoTracking()
                                   join o in db.Organisations.AsNoTracking() on c.OrganisationId equals o.Id
                                   where ids.Contains(c.Id)
                                   select new { c.Id, c.Reference, c.Title, Buyer = o.Name, c.Status, c.DeadlineUtc })
            .ToListAsync(cancellationToken);
        var earliest = lastDownloads.Values.Min();
        var changes = (await db.ConsultationModifications.AsNoTracking()
                .Where(m => ids.Contains(m.ConsultationId) && m.AtUtc > earliest)
                .ToListAsync(cancellationToken))
            .Where(m => m.AtUtc > lastDownloads[m.ConsultationId])
            .ToLookup(m => m.ConsultationId);

        var rows = consultations
            .Select(c => new DownloadedConsultation(c.Id, c.Reference, c.Title, c.Buyer, c.Status, c.DeadlineUtc,
                Consultation.InProgress(c.Status, c.DeadlineUtc, nowUtc), lastDownloads[c.Id],
                [.. changes[c.Id].OrderBy(m => m.AtUtc)]))
            .OrderByDescending(r => r.ChangedSinceDownload)
            .ThenByDescending(r => r.InProgress)
            .ThenBy(r => r.InProgress ? r.DeadlineUtc.Ticks : -r.DeadlineUtc.Ticks)
            .ThenBy(r => r.Reference, StringComparer.Ordinal)
            .ToList();
        return new Section<DownloadedConsultation>(all ? rows : [.. rows.Take(SectionRows)], rows.Count);
    }

    /// <summary>The company's plis, newest first, each with whether its receipt (or its withdrawal receipt) was issued.</summary>
    private async Task<Section<DashboardDeposit>> DepositsAsync(Guid companyId, CancellationToken cancellationToken)
    {
        var mine = db.Deposits.Where(d => d.CompanyId == companyId);
        var rows = await (from d in mine.AsNoTracking()
                          join c in db.Consultations.AsNoTracking() on d.ConsultationId equals c.Id
                          orderby d.CreatedUtc descending
                          select new DashboardDeposit(d.Id, d.Number, c.Id, c.Reference, c.Title, d.Status, d.IsLate, d.SealedUtc,
                              db.DepositReceipts.Any(r => r.DepositId == d.Id && r.Kind == ReceiptKind.Deposit),
                              db.DepositReceipts.Any(r => r.DepositId == d.Id && r.Kind == ReceiptKind.Withdrawal)))
            .Take(SectionRows)
            .ToListAsync(cancellationToken);
        return new Section<DashboardDeposit>(rows, await mine.CountAsync(cancellationToken));
    }

    /// <summary>The messages to the company, unread first (no user of the company opened them yet), then newest.</summary>
    private async Task<Messages> MessagesAsync(Guid companyId, CancellationToken cancellationToken)
    {
        var mine = db.MessageThreads.Where(t => t.CompanyId == companyId);
        var rows = await (from t in mine.AsNoTracking()
                          join c in db.Consultations.AsNoTracking() on t.ConsultationId equals c.Id
                          orderby t.FirstReadUtc == null descending, t.CreatedUtc descending
                          select new DashboardThread(t.Id, c.Reference, c.Title, t.Subject, t.Type, t.CreatedUtc, t.FirstReadUtc != null))
            .Take(SectionRows)
            .ToListAsync(cancellationToken);
        var counts = await mine.GroupBy(_ => 1)
            .Select(g => new { Total = g.Count(), Unread = g.Count(t => t.FirstReadUtc == null) })
            .SingleOrDefaultAsync(cancellationToken);
        return new Messages(new Section<DashboardThread>(rows, counts?.Total ?? 0), counts?.Unread ?? 0);
    }

    /// <summary>The questions the company asked, newest first, answered or not.</summary>
    private async Task<Section<DashboardQuestion>> QuestionsAsync(Guid companyId, bool all, CancellationToken cancellationToken)
    {
        var mine = db.Questions.Where(q => q.CompanyId == companyId);
        var ordered = from q in mine.AsNoTracking()
                      join c in db.Consultations.AsNoTracking() on q.ConsultationId equals c.Id
                      orderby q.AskedUtc descending
                      select new DashboardQuestion(q.Id, c.Id, c.Reference, c.Title, q.Text, q.AskedUtc, q.AnsweredUtc);
        var rows = await (all ? ordered : ordered.Take(SectionRows)).ToListAsync(cancellationToken);
        return new Section<DashboardQuestion>(rows, all ? rows.Count : await mine.CountAsync(cancellationToken));
    }

    /// <summary>The user's own saved searches (at most <see cref="SavedSearch.MaxPerUser"/>) in French alphabetical order, as on their page.</summary>
    private async Task<Section<SavedSearch>> SavedSearchesAsync(Guid userId, CancellationToken cancellationToken)
    {
        var searches = await db.SavedSearches.AsNoTracking().Where(s => s.UserId == userId).ToListAsync(cancellationToken);
        var comparer = StringComparer.Create(ConsultationLabels.French, ignoreCase: true);
        return new Section<SavedSearch>([.. searches.OrderBy(s => s.Name, comparer).ThenBy(s => s.CreatedUtc).Take(SectionRows)], searches.Count);
    }
}

public sealed record CompanyDashboardView(Section<DownloadedConsultation> Consultations, Section<DashboardDeposit> Deposits, Messages Messages,
    Section<DashboardQuestion> Questions, Section<SavedSearch> SavedSearches);

/// <summary>The rows a section shows, and how many there are in all (more than shown: a "see all" link).</summary>
public sealed record Section<T>(IReadOnlyList<T> Rows, int Total)
{
    public static readonly Section<T> Empty = new([], 0);

    public bool HasMore => Total > Rows.Count;
}

public sealed record DownloadedConsultation(Guid Id, string Reference, string Title, string Buyer, ConsultationStatus Status, DateTime DeadlineUtc,
    bool InProgress, DateTime LastDownloadUtc, IReadOnlyList<ConsultationModification> ChangesSinceDownload)
{
    public bool ChangedSinceDownload => ChangesSinceDownload.Count > 0;
}

public sealed record DashboardDeposit(Guid Id, string Number, Guid ConsultationId, string Reference, string Title, DepositStatus Status, bool IsLate,
    DateTime? SealedUtc, bool HasReceipt, bool HasWithdrawalReceipt);

public sealed record DashboardThread(Guid Id, string Reference, string ConsultationTitle, string Subject, MessageType Type,
    DateTime SentUtc, bool Read);

public sealed record DashboardQuestion(Guid Id, Guid ConsultationId, string Reference, string ConsultationTitle, string Text, DateTime AskedUtc,
    DateTime? AnsweredUtc)
{
    public bool Answered => AnsweredUtc is not null;
}

public sealed record Messages(Section<DashboardThread> Threads, int Unread);

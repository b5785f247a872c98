using Microsoft.EntityFrameworkCore;
using NpgsqlTypes;
using Pli.Domain.Common;
using Pli.Domain.Consultations;
using Pli.Web.Infrastructure.Data;
using Pli.Web.Features.Shared;

namespace Pli.Web.Features.Portal;

/// <summary>
/// What the public may see of consultations: published ones (and cancelled ones, which stay public
/// with their history), never drafts. The queries use
/// only what EF Core translates on both SQLite and PostgreSQL (folded text, string prefixes,
/// UTC DateTime comparisons), but for the keywords: a full-text query on PostgreSQL, a pattern on SQLite.
/// </summary>
public sealed class PublicConsultations(PliDbContext db, TimeProvider time, PortalBuyerCache buyerCache)
{
    public DateTime NowUtc => time.GetUtcNow().UtcDateTime;

    /// <summary>
    /// One page of the consultations matching <paramref name="criteria"/> as result cards (the columns a card shows and
    /// its lots, not the whole row), with their total: exact, or counted up to <see cref="PortalCriteria.CountCap"/> only
    /// when the criteria have one. The page and its count are one query (one round trip), but for several keywords on
    /// PostgreSQL (<see cref="CountsFirst"/>).
    /// </summary>
    public async Task<ConsultationListing> SearchAsync(PortalCriteria criteria, CancellationToken cancellationToken = default)
    {
        var (query, window, countLimit) = Window(criteria);
        var (rows, counted) = await PageAndCountAsync(criteria, query, countLimit, limit => window
            .Select(c => new CardRow(
                new ConsultationCard(c.Id, c.Reference, c.Title, c.OrganisationId, c.ServiceId, c.Procedure, c.Nature, c.Status,
                    c.DeadlineUtc, c.PublishedUtc, c.Lots.OrderBy(l => l.Number).Select(l => new LotLine(l.Number, l.Title)).ToList()),
                query.Take(limit).Count()))
            .ToListAsync(cancellationToken), r => r.Total, cancellationToken);
        var page = await PageOfAsync(criteria, query, rows.Count, counted, cancellationToken);
        var items = rows.Take(page.Count).Select(r => r.Card).ToList();
        var (buyers, services) = await NamesAsync(items.Select(c => c.OrganisationId), items.Select(c => c.ServiceId), cancellationToken);
        return new ConsultationListing(items, buyers, services, page.Total, criteria.Page, criteria.PageSize)
        {
            TotalIsCapped = page.Capped,
            HasNextPage = page.HasNext,
        };
    }

    /// <summary>
    /// One page of whole consultations with their lots, DCE and history (the API), with their total as
    /// <see cref="SearchAsync"/> counts it. The page's ids and the count first (one query), then those rows by id, so
    /// that the filter and the sort run once and not again for each collection a split query reads.
    /// </summary>
    public async Task<ConsultationDetailsListing> SearchWithDetailsAsync(PortalCriteria criteria, CancellationToken cancellationToken = default)
    {
        var (query, window, countLimit) = Window(criteria);
        var (rows, counted) = await PageAndCountAsync(criteria, query, countLimit,
            limit => window.Select(c => new IdRow(c.Id, query.Take(limit).Count())).ToListAsync(cancellationToken), r => r.Total, cancellationToken);
        var page = await PageOfAsync(criteria, query, rows.Count, counted, cancellationToken);
        var items = await LoadAsync([.. rows.Take(page.Count).Select(r => r.Id)], cancellationToken);
        var (buyers, services) = await NamesAsync(items.Select(c => c.OrganisationId), items.Select(c => c.ServiceId), cancellationToken);
        return new ConsultationDetailsListing(items, buyers, services, page.Total, criteria.Page, criteria.PageSize)
        {
            TotalIsCapped = page.Capped,
            HasNextPage = page.HasNext,
        };
    }

    /// <summary>
    /// Several keywords on PostgreSQL, with a capped count, in deadline order: the count is read first, because it says
    /// which plan the page needs and the planner cannot know it. It estimates the matches of several words as if the
    /// words were independent ("espaces verts": 75 expected, 2,772 found), so it reads them all from the full-text index
    /// and sorts them (15 ms) where walking the deadlines until the page is full takes 2–4 ms. One word is estimated
    /// well from the column's statistics: its page and count stay one query.
    /// </summary>
    private bool CountsFirst(PortalCriteria criteria) =>
        db is PostgresPliDbContext && criteria.Words.Count > 1 && criteria.CountCap is not null && !criteria.NewestFirst;

    /// <summary>
    /// The page's rows (read by <paramref name="readPage"/> with the count's limit inside its query) and the count they
    /// carry. When <see cref="CountsFirst"/>, the count is read first and the page counts nothing (limit 0); over the cap
    /// (more than a thousand matches, or the page lies beyond the cap) the page is read without bitmap scans, so that
    /// PostgreSQL walks the deadline index and stops at the page's last row: with that many matches it meets them soon.
    /// Within the cap, the plan PostgreSQL chooses: the matches from the full-text index, at most a thousand, sorted.
    /// </summary>
    private async Task<(List<T> Rows, int? Counted)> PageAndCountAsync<T>(PortalCriteria criteria, IQueryable<Consultation> query, int countLimit,
        Func<int, Task<List<T>>> readPage, Func<T, int> totalOf, CancellationToken cancellationToken)
    {
        if (!CountsFirst(criteria))
        {
            var rows = await readPage(countLimit);
            return (rows, rows.Count > 0 ? totalOf(rows[0]) : null);
        }
        int? counted = countLimit == 0 ? null : await query.Take(countLimit).CountAsync(cancellationToken);
        if (counted is { } found && found < countLimit)
        {
            return (await readPage(0), counted);
        }
        // SET LOCAL lasts until the end of this transaction only: the pooled connection keeps its settings.
        await using var transaction = await db.Database.BeginTransactionAsync(cancellationToken);
        await db.Database.ExecuteSqlRawAsync("SET LOCAL enable_bitmapscan = off", cancellationToken);
        var page = await readPage(0);
        await transaction.CommitAsync(cancellationToken);
        return (page, counted);
    }

    private sealed record CardRow(ConsultationCard Card, int Total);

    private sealed record IdRow(Guid Id, int Total);

    private readonly record struct PageOf(int Count, int Total, bool Capped, bool HasNext);

    /// <summary>
    /// The filter, and the page's window of one more row than the page (to know whether another follows). The count goes
    /// into the page's query as an uncorrelated subquery (evaluated once) reading at most <c>countLimit</c> matches: the cap
    /// plus one, or none at all when the page starts beyond the cap (the total is then known to be capped).
    /// </summary>
    private (IQueryable<Consultation> Query, IQueryable<Consultation> Window, int CountLimit) Window(PortalCriteria criteria)
    {
        var query = Filter(criteria);
        var ordered = criteria.NewestFirst
            ? query.OrderByDescending(c => c.PublishedUtc).ThenBy(c => c.Reference).ThenBy(c => c.Id)
            : query.OrderBy(c => c.DeadlineUtc).ThenBy(c => c.Reference).ThenBy(c => c.Id);
        var skip = (criteria.Page - 1) * criteria.PageSize;
        var countLimit = criteria.CountCap is { } cap ? (skip > cap ? 0 : cap + 1) : int.MaxValue;
        return (query, ordered.Skip(skip).Take(criteria.PageSize + 1), countLimit);
    }

    /// <summary>
    /// What a page read says of the total: this page holds the last match (the total is known without counting), it
    /// lies beyond the cap, or the count the query carried. Only an empty page beyond the last one counts apart (no row
    /// carried the count).
    /// </summary>
    private static async Task<PageOf> PageOfAsync(PortalCriteria criteria, IQueryable<Consultation> query, int read, int? counted, CancellationToken cancellationToken)
    {
        var skip = (criteria.Page - 1) * criteria.PageSize;
        var hasNext = read > criteria.PageSize;
        var count = Math.Min(read, criteria.PageSize);
        var seen = skip + count + (hasNext ? 1 : 0);
        if (!hasNext && (count > 0 || skip == 0))
        {
            return new(count, seen, false, false);
        }
        if (criteria.CountCap is { } cap && seen > cap)
        {
            return new(count, cap, true, hasNext);
        }
        var total = counted ?? (criteria.CountCap is { } limit
            ? await query.Take(limit + 1).CountAsync(cancellationToken)
            : await query.CountAsync(cancellationToken));
        return criteria.CountCap is { } max && total > max
            ? new(count, max, true, hasNext)
            : new(count, total, false, hasNext);
    }

    /// <summary>The consultations of <paramref name="ids"/>, in that order, with their lots, DCE and history.</summary>
    private async Task<IReadOnlyList<Consultation>> LoadAsync(List<Guid> ids, CancellationToken cancellationToken)
    {
        if (ids.Count == 0)
        {
            return [];
        }
        var byId = await db.Consultations.AsNoTracking()
            .Where(c => ids.Contains(c.Id))
            .Include(c => c.Lots)
            .Include(c => c.DceFiles)
            .Include(c => c.Modifications)
            .AsSplitQuery()
            .ToDictionaryAsync(c => c.Id, cancellationToken);
        return [.. ids.Where(byId.ContainsKey).Select(id => byId[id])];
    }

    /// <summary>Published or cancelled consultations with exactly this reference (case and surrounding spaces ignored).</summary>
    public async Task<IReadOnlyList<Guid>> FindByReferenceAsync(string reference, Guid? buyerId, CancellationToken cancellationToken = default)
    {
        var wanted = Consultation.KeyOf(reference);
        var query = db.Consultations.AsNoTracking()
            .Where(c => c.Status != ConsultationStatus.Draft && c.ReferenceKey == wanted);
        if (buyerId is { } buyer)
        {
            query = query.Where(c => c.OrganisationId == buyer);
        }
        return await query.Select(c => c.Id).Take(50).ToListAsync(cancellationToken);
    }

    /// <summary>A published or cancelled consultation with its lots, DCE and history; null for drafts and unknown ids.</summary>
    public async Task<PublicConsultation?> FindAsync(Guid id, CancellationToken cancellationToken = default)
    {
        var consultation = await db.Consultations.AsNoTracking()
            .Where(c => c.Id == id && c.Status != ConsultationStatus.Draft)
            .Include(c => c.Lots)
            .Include(c => c.DceFiles)
            .Include(c => c.Modifications)
            .AsSplitQuery()
            .SingleOrDefaultAsync(cancellationToken);
        if (consultation is null)
        {
            return null;
        }
        var (buyers, services) = await NamesAsync([consultation.OrganisationId], [consultation.ServiceId], cancellationToken);
        return new PublicConsultation(consultation, buyers.GetValueOrDefault(consultation.OrganisationId, ""),
            consultation.ServiceId is { } s ? services.GetValueOrDefault(s) : null);
    }

    /// <summary>Buyers that have published at least one consultation, for the search form (cached: <see cref="PortalBuyerCache"/>).</summary>
    public async Task<IReadOnlyList<BuyerOption>> BuyersAsync(CancellationToken cancellationToken = default) =>
        (await buyerCache.GetAsync(ReadBuyersAsync, cancellationToken)).Buyers;

    private async Task<IReadOnlyList<BuyerOption>> ReadBuyersAsync(CancellationToken cancellationToken)
    {
        var buyers = await db.Organisations.AsNoTracking()
            .Where(o => db.Consultations.Any(c => c.OrganisationId == o.Id && c.Status == ConsultationStatus.Published))
            .Select(o => new BuyerOption(o.Id, o.Name))
            .ToListAsync(cancellationToken);
        // Sorted here: SQLite's binary collation would put "Établissement" after "Ville".
        var comparer = StringComparer.Create(ConsultationLabels.French, ignoreCase: true);
        return [.. buyers.OrderBy(b => b.Name, comparer)];
    }

    private IQueryable<Consultation> Filter(PortalCriteria criteria)
    {
        // Closed ones, when asked for, include the cancelled: a company looking for one learns it is cancelled.
        var query = db.Consultations.AsNoTracking().Where(c => c.Status != ConsultationStatus.Draft);
        if (!criteria.IncludeClosed)
        {
            var now = NowUtc;
            query = query.Where(c => c.Status == ConsultationStatus.Published && now <= c.DeadlineUtc);
        }
        if (criteria.Reference is { } reference)
        {
            var wanted = Consultation.KeyOf(reference);
            query = query.Where(c => c.ReferenceKey == wanted);
        }
        query = WithWords(db, query, criteria.Words);
        if (criteria.BuyerId is { } buyer)
        {
            query = query.Where(c => c.OrganisationId == buyer);
        }
        if (criteria.Nature is { } nature)
        {
            query = query.Where(c => c.Nature == nature);
        }
        if (criteria.Procedure is { } procedure)
        {
            query = query.Where(c => c.Procedure == procedure);
        }
        if (criteria.CpvPrefix is { } cpv)
        {
            query = query.Where(c => c.MainCpv.StartsWith(cpv));
        }
        if (criteria.PlaceKey is { } place)
        {
            query = query.Where(c => c.PlaceKey.Contains(place));
        }
        if (criteria.DeadlineFromUtc is { } from)
        {
            query = query.Where(c => c.DeadlineUtc >= from);
        }
        if (criteria.DeadlineBeforeUtc is { } before)
        {
            query = query.Where(c => c.DeadlineUtc < before);
        }
        if (criteria.PublishedAfterUtc is { } after)
        {
            query = query.Where(c => c.PublishedUtc > after);
        }
        return query;
    }

    /// <summary>
    /// Each word starts a word of the consultation's search text (<see cref="Text.Words"/> cuts both the same way): one
    /// full-text query on PostgreSQL, whose GIN index gives the matches of all the words in one scan; a pattern per word
    /// on SQLite, which scans. Public for the benchmark, which prints the plans of these queries.
    /// </summary>
    public static IQueryable<Consultation> WithWords(PliDbContext db, IQueryable<Consultation> query, IReadOnlyList<string> words)
    {
        if (words.Count == 0)
        {
            return query;
        }
        if (db is PostgresPliDbContext)
        {
            // Words are letters and digits only (Text.Words), so they cannot carry tsquery syntax.
            var tsquery = string.Join(" & ", words.Select(w => w + ":*"));
            return query.Where(c => EF.Property<NpgsqlTsVector>(c, PostgresPliDbContext.SearchVector).Matches(EF.Functions.ToTsQuery("simple", tsquery)));
        }
        foreach (var word in words)
        {
            // A word starts after anything that is not a letter or a digit, or at the start of the text.
            var pattern = "*[^a-z0-9]" + word + "*";
            query = query.Where(c => EF.Functions.Glob(" " + c.SearchText, pattern));
        }
        return query;
    }

    private async Task<(Dictionary<Guid, string> Buyers, Dictionary<Guid, string> Services)> NamesAsync(
        IEnumerable<Guid> organisationIds, IEnumerable<Guid?> serviceIdsOrNone, CancellationToken cancellationToken)
    {
        // Most names are the cached buyers'; only a buyer whose consultations are all cancelled is read.
        var known = (await buyerCache.GetAsync(ReadBuyersAsync, cancellationToken)).Names;
        var buyers = new Dictionary<Guid, string>();
        var missing = new List<Guid>();
        foreach (var id in organisationIds.Distinct())
        {
            if (known.TryGetValue(id, out var name))
            {
                buyers[id] = name;
            }
            else
            {
                missing.Add(id);
            }
        }
        if (missing.Count > 0)
        {
            var read = await db.Organisations.AsNoTracking().Where(o => missing.Contains(o.Id)).Select(o => new { o.Id, o.Name }).ToListAsync(cancellationToken);
            foreach (var organisation in read)
            {
                buyers[organisation.Id] = organisation.Name;
            }
        }
        var serviceIds = serviceIdsOrNone.OfType<Guid>().Distinct().ToList();
        var services = serviceIds.Count == 0
            ? []
            : await db.Services.AsNoTracking().Where(s => serviceIds.Contains(s.Id)).ToDictionaryAsync(s => s.Id, s => s.Name, cancellationToken);
        return (buyers, services);
    }
}

/// <summary>A page of a search: its total (exact, or capped), its pages, the names of its buyers and services.</summary>
public abstract record ListingPage(
    IReadOnlyDictionary<Guid, string> BuyerNames,
    IReadOnlyDictionary<Guid, string> ServiceNames,
    int Total,
    int Page,
    int PageSize)
{
    /// <summary>More than <see cref="Total"/> consultations match: the count stopped at its cap.</summary>
    public bool TotalIsCapped { get; init; }

    public bool HasNextPage { get; init; }

    /// <summary>The exact number of pages; when the total is capped, the pages known to exist so far.</summary>
    public int PageCount => TotalIsCapped
        ? Math.Max((Total + PageSize) / PageSize, Page + (HasNextPage ? 1 : 0))
        : Total == 0 ? 1 : (Total + PageSize - 1) / PageSize;

    protected string BuyerOf(Guid organisationId) => BuyerNames.GetValueOrDefault(organisationId, "");

    protected string? ServiceOf(Guid? serviceId) => serviceId is { } id ? ServiceNames.GetValueOrDefault(id) : null;
}

/// <summary>A page of result cards: the portal's list, the saved searches' digests and feeds.</summary>
public sealed record ConsultationListing(
    IReadOnlyList<ConsultationCard> Items,
    IReadOnlyDictionary<Guid, string> BuyerNames,
    IReadOnlyDictionary<Guid, string> ServiceNames,
    int Total,
    int Page,
    int PageSize) : ListingPage(BuyerNames, ServiceNames, Total, Page, PageSize)
{
    public string BuyerOf(ConsultationCard consultation) => BuyerOf(consultation.OrganisationId);

    public string? ServiceOf(ConsultationCard consultation) => ServiceOf(consultation.ServiceId);
}

/// <summary>A page of whole consultations with their lots, DCE and history: the API's list.</summary>
public sealed record ConsultationDetailsListing(
    IReadOnlyList<Consultation> Items,
    IReadOnlyDictionary<Guid, string> BuyerNames,
    IReadOnlyDictionary<Guid, string> ServiceNames,
    int Total,
    int Page,
    int PageSize) : ListingPage(BuyerNames, ServiceNames, Total, Page, PageSize)
{
    public string BuyerOf(Consultation consultation) => BuyerOf(consultation.OrganisationId);

    public string? ServiceOf(Consultation consultation) => ServiceOf(consultation.ServiceId);
}

/// <summary>What a result card shows of a consultation: a few columns and its lots, not the whole row (no search text, no object).</summary>
public sealed record ConsultationCard(
    Guid Id,
    string Reference,
    string Title,
    Guid OrganisationId,
    Guid? ServiceId,
    ProcedureType Procedure,
    Nature Nature,
    ConsultationStatus Status,
    DateTime DeadlineUtc,
    DateTime? PublishedUtc,
    IReadOnlyList<LotLine> Lots)
{
    public bool IsCancelled => Status == ConsultationStatus.Cancelled;

    public bool IsInProgress(DateTime nowUtc) => Consultation.InProgress(Status, DeadlineUtc, nowUtc);
}

/// <summary>A lot as a card lists it, in number order.</summary>
public sealed record LotLine(int Number, string Title);

public sealed record PublicConsultation(Consultation Consultation, string BuyerName, string? ServiceName);

public sealed record BuyerOption(Guid Id, string Name);

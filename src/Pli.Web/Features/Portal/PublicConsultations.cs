using Microsoft.EntityFrameworkCore;
using Pli.Domain.Consultations;
using Pli.Web.Infrastructure.Data;
using Pli.Web.Features.Shared;

namespace Pli.Web.Features.Portal;

/// <summary>
/// What the public may see of consultations: published ones (and cancelled ones, which stay public
/// with their history), never drafts. The queries use
/// only what EF Core translates on both SQLite and PostgreSQL (folded text, string prefixes,
/// UTC DateTime comparisons).
/// </summary>
public sealed class PublicConsultations(PliDbContext db, TimeProvider time, PortalBuyerCache buyerCache)
{
    public DateTime NowUtc => time.GetUtcNow().UtcDateTime;

    /// <summary>
    /// One page of the consultations matching <paramref name="criteria"/>, with their total: exact, or counted up to
    /// <see cref="PortalCriteria.CountCap"/> only when the criteria have one.
    /// </summary>
    public async Task<ConsultationListing> SearchAsync(PortalCriteria criteria, bool withDetails, CancellationToken cancellationToken = default)
    {
        var query = Filter(criteria);
        var ordered = criteria.NewestFirst
            ? query.OrderByDescending(c => c.PublishedUtc).ThenBy(c => c.Reference).ThenBy(c => c.Id)
            : query.OrderBy(c => c.DeadlineUtc).ThenBy(c => c.Reference).ThenBy(c => c.Id);
        var skip = (criteria.Page - 1) * criteria.PageSize;

        // One more than the page, to know whether another follows. The list needs only the lots: one query, the page
        // joined with them. The API's DCE files and history would multiply the joined rows: the page's ids first, then
        // its rows by id, so that the filter and the sort run once and not again for each collection a split query reads.
        List<Consultation>? rows = null;
        List<Guid> ids;
        var window = ordered.Skip(skip).Take(criteria.PageSize + 1);
        if (withDetails)
        {
            ids = await window.Select(c => c.Id).ToListAsync(cancellationToken);
        }
        else
        {
            rows = await window.Include(c => c.Lots).ToListAsync(cancellationToken);
            ids = [.. rows.Select(c => c.Id)];
        }
        var hasNext = ids.Count > criteria.PageSize;
        if (hasNext)
        {
            ids.RemoveAt(criteria.PageSize);
        }
        var seen = skip + ids.Count + (hasNext ? 1 : 0);

        int total;
        var capped = false;
        if (!hasNext && (ids.Count > 0 || skip == 0))
        {
            // This page holds the last match: the total is known without counting.
            total = seen;
        }
        else if (criteria.CountCap is { } cap && seen > cap)
        {
            (total, capped) = (cap, true);
        }
        else if (criteria.CountCap is { } limit)
        {
            // COUNT(*) over a LIMIT subquery: reads at most cap + 1 matches.
            var counted = await query.Take(limit + 1).CountAsync(cancellationToken);
            (total, capped) = counted > limit ? (limit, true) : (counted, false);
        }
        else
        {
            total = await query.CountAsync(cancellationToken);
        }

        var items = rows is null ? await LoadAsync(ids, cancellationToken) : rows.Take(ids.Count).ToList();
        var (buyers, services) = await NamesAsync(items, cancellationToken);
        return new ConsultationListing(items, buyers, services, total, criteria.Page, criteria.PageSize)
        {
            TotalIsCapped = capped,
            HasNextPage = hasNext,
        };
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
        var (buyers, services) = await NamesAsync([consultation], cancellationToken);
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
        foreach (var word in criteria.Words)
        {
            query = query.Where(c => c.SearchText.Contains(word));
        }
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

    private async Task<(Dictionary<Guid, string> Buyers, Dictionary<Guid, string> Services)> NamesAsync(
        IReadOnlyList<Consultation> consultations, CancellationToken cancellationToken)
    {
        // Most names are the cached buyers'; only a buyer whose consultations are all cancelled is read.
        var known = (await buyerCache.GetAsync(ReadBuyersAsync, cancellationToken)).Names;
        var buyers = new Dictionary<Guid, string>();
        var missing = new List<Guid>();
        foreach (var id in consultations.Select(c => c.OrganisationId).Distinct())
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
        var serviceIds = consultations.Where(c => c.ServiceId is not null).Select(c => c.ServiceId!.Value).Distinct().ToList();
        var services = serviceIds.Count == 0
            ? []
            : await db.Services.AsNoTracking().Where(s => serviceIds.Contains(s.Id)).ToDictionaryAsync(s => s.Id, s => s.Name, cancellationToken);
        return (buyers, services);
    }
}

public sealed record ConsultationListing(
    IReadOnlyList<Consultation> Items,
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

    public string BuyerOf(Consultation consultation) => BuyerNames.GetValueOrDefault(consultation.OrganisationId, "");

    public string? ServiceOf(Consultation consultation) =>
        consultation.ServiceId is { } id ? ServiceNames.GetValueOrDefault(id) : null;
}

public sealed record PublicConsultation(Consultation Consultation, string BuyerName, string? ServiceName);

public sealed record BuyerOption(Guid Id, string Name);

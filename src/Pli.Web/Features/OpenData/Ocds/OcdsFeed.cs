using Microsoft.EntityFrameworkCore;
using Microsoft.Extensions.Options;
using Pli.Domain.Consultations;
using Pli.Web.Infrastructure.Data;
using Pli.Web.Infrastructure.Web;

namespace Pli.Web.Features.OpenData.Ocds;

/// <summary>
/// The release packages: every published (or cancelled) consultation's releases, newest first and paged, or
/// one consultation's. Drafts never appear. The releases are made from the consultations on each request:
/// nothing is stored, so they always say what the portal says.
/// </summary>
public sealed class OcdsFeed(PliDbContext db, OcdsReleaseBuilder builder, IOcdsAwardSource awardSource, IOptions<OcdsOptions> options, PublicLinks links, TimeProvider time)
{
    public const string AllPath = "/ocds/releases.json";

    public static string ConsultationPath(Guid id) => $"/ocds/consultations/{id}/releases.json";

    /// <summary>Page <paramref name="page"/> (from 1) of all releases, newest first; null past the last page.</summary>
    public async Task<OcdsReleasePackage?> AllAsync(int page, CancellationToken cancellationToken)
    {
        var releases = await ReleasesAsync(db.Consultations, cancellationToken);
        var size = options.Value.PageSize;
        var pages = Math.Max(1, (releases.Count + size - 1) / size);
        if (page < 1 || page > pages)
        {
            return null;
        }
        var content = releases.Skip((page - 1) * size).Take(size).ToList();
        var next = page < pages ? links.To($"{AllPath}?page={page + 1}") : null;
        var prev = page > 1 ? links.To(page == 2 ? AllPath : $"{AllPath}?page={page - 1}") : null;
        // "On demand": the package's date is the last change of what it holds, the newest release of all.
        return Package(page == 1 ? AllPath : $"{AllPath}?page={page}", releases.FirstOrDefault()?.Date, content,
            next is null && prev is null ? null : new OcdsLinks(next, prev));
    }

    /// <summary>The releases of one consultation; null for a draft or an unknown id.</summary>
    public async Task<OcdsReleasePackage?> OfConsultationAsync(Guid id, CancellationToken cancellationToken)
    {
        var releases = await ReleasesAsync(db.Consultations.Where(c => c.Id == id), cancellationToken);
        return releases.Count == 0 ? null : Package(ConsultationPath(id), releases[0].Date, releases, null);
    }

    private async Task<List<OcdsRelease>> ReleasesAsync(IQueryable<Consultation> consultations, CancellationToken cancellationToken)
    {
        var published = await consultations.AsNoTracking()
            .Where(c => c.Status != ConsultationStatus.Draft)
            .Include(c => c.Lots)
            .Include(c => c.Modifications)
            .AsSplitQuery()
            .ToListAsync(cancellationToken);
        var buyerIds = published.Select(c => c.OrganisationId).Distinct().ToList();
        var buyers = await db.Organisations.AsNoTracking().Where(o => buyerIds.Contains(o.Id)).ToDictionaryAsync(o => o.Id, cancellationToken);
        var awards = published.Count == 0 ? [] : await awardSource.ForConsultationsAsync([.. published.Select(c => c.Id)], cancellationToken);
        return [.. published
            .SelectMany(c => builder.ReleasesOf(c, buyers[c.OrganisationId], awards))
            // Instants are written in one fixed format, so their text sorts as they do.
            .OrderByDescending(r => r.Date, StringComparer.Ordinal)
            .ThenBy(r => r.Id, StringComparer.Ordinal)];
    }

    private OcdsReleasePackage Package(string path, string? publishedDate, IReadOnlyList<OcdsRelease> releases, OcdsLinks? pagination)
    {
        var o = options.Value;
        return new OcdsReleasePackage(
            links.To(path),
            "1.1",
            [OcdsReleaseBuilder.LotsExtension],
            publishedDate ?? OcdsReleaseBuilder.Instant(time.GetUtcNow().UtcDateTime),
            string.IsNullOrWhiteSpace(o.PublisherSiret)
                ? new OcdsPublisher(o.PublisherName)
                : new OcdsPublisher(o.PublisherName, OcdsReleaseBuilder.SiretScheme, o.PublisherSiret),
            o.License,
            o.PublicationPolicyUrl,
            releases,
            pagination);
    }
}

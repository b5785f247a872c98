using Microsoft.EntityFrameworkCore;
using Pli.Web.Infrastructure.Data;

namespace Pli.Web.Features.Award;

/// <summary>A holder of an awarded contract: its name and how it is identified (SIRET, or its country's identifier).</summary>
public sealed record AwardedSupplier(Guid CompanyId, string Name, string? Siret, string Country, string? NationalIdentifier);

/// <summary>One decided lot (<see cref="LotNumber"/> 0 and <see cref="LotTitle"/> the consultation's title when it has no lots).</summary>
public sealed record AwardedLot(
    Guid AwardId,
    Guid ConsultationId,
    int LotNumber,
    string LotTitle,
    IReadOnlyList<AwardedSupplier> Suppliers,
    decimal AmountHt,
    DateOnly DecisionDate,
    DateTime DecidedUtc,
    DateTime? LettersSentUtc);

/// <summary>
/// The decided lots of consultations, read only, for open data (OCDS, DECP) and reports. It does not check who
/// asks: callers serve only what is public (an award decided) or filter on the agent's own organisation.
/// </summary>
public sealed class AwardReadModel(PliDbContext db)
{
    public async Task<IReadOnlyList<AwardedLot>> ForConsultationAsync(Guid consultationId, CancellationToken cancellationToken = default) =>
        (await ForConsultationsAsync([consultationId], cancellationToken)).GetValueOrDefault(consultationId, []);

    /// <summary>The decided lots of each consultation, by lot number; a consultation without decision is absent.</summary>
    public async Task<IReadOnlyDictionary<Guid, IReadOnlyList<AwardedLot>>> ForConsultationsAsync(IReadOnlyCollection<Guid> consultationIds, CancellationToken cancellationToken = default)
    {
        var decisions = await db.AwardDecisions.AsNoTracking().Where(a => consultationIds.Contains(a.ConsultationId)).ToListAsync(cancellationToken);
        if (decisions.Count == 0)
        {
            return new Dictionary<Guid, IReadOnlyList<AwardedLot>>();
        }
        var ids = decisions.Select(d => d.ConsultationId).Distinct().ToList();
        var titles = await db.Consultations.AsNoTracking().Where(c => ids.Contains(c.Id)).Select(c => new { c.Id, c.Title }).ToDictionaryAsync(c => c.Id, c => c.Title, cancellationToken);
        var lots = await db.Lots.AsNoTracking().Where(l => ids.Contains(l.ConsultationId)).Select(l => new { l.ConsultationId, l.Number, l.Title }).ToListAsync(cancellationToken);
        var companyIds = decisions.SelectMany(d => d.CompanyIds).Distinct().ToList();
        var companies = await db.Companies.AsNoTracking().Where(c => companyIds.Contains(c.Id))
            .Select(c => new AwardedSupplier(c.Id, c.Name, c.Siret, c.Country, c.NationalIdentifier)).ToDictionaryAsync(c => c.CompanyId, cancellationToken);
        return decisions.GroupBy(d => d.ConsultationId).ToDictionary(g => g.Key, g => (IReadOnlyList<AwardedLot>)[.. g.OrderBy(d => d.LotNumber).Select(d => new AwardedLot(
            d.Id, d.ConsultationId, d.LotNumber,
            d.LotNumber == 0 ? titles[d.ConsultationId] : lots.First(l => l.ConsultationId == d.ConsultationId && l.Number == d.LotNumber).Title,
            [.. d.CompanyIds.Select(id => companies[id])], d.AmountHt, d.DecisionDate, d.DecidedUtc, d.LettersSentUtc))]);
    }
}

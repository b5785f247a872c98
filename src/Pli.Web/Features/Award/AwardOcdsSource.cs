using Pli.Domain.Common;
using Pli.Web.Features.OpenData.Ocds;

namespace Pli.Web.Features.Award;

/// <summary>The OCDS feed's awards: the decided lots of the award read model, dated by the decision (Paris day).</summary>
public sealed class AwardOcdsSource(AwardReadModel awards) : IOcdsAwardSource
{
    public async Task<IReadOnlyList<OcdsAwardInput>> ForConsultationsAsync(IReadOnlyCollection<Guid> consultationIds, CancellationToken cancellationToken)
    {
        var decided = await awards.ForConsultationsAsync(consultationIds, cancellationToken);
        return [.. decided.Values.SelectMany(lots => lots).Select(lot => new OcdsAwardInput(
            lot.AwardId,
            lot.ConsultationId,
            lot.LotNumber == 0 ? null : lot.LotNumber,
            [.. lot.Suppliers.Select(s => new OcdsSupplierInput(s.Name, s.Siret ?? s.NationalIdentifier ?? ""))],
            lot.AmountHt,
            ParisTime.ToUtc(lot.DecisionDate.ToDateTime(TimeOnly.MinValue), "decision"))),];
    }
}

using System.Globalization;
using Pli.Domain.Common;
using Pli.Domain.Consultations;

namespace Pli.Domain.Awards;

/// <summary>
/// The buyer's decision to award one lot (or the single contract of a consultation without lots, lot 0) to
/// one company, or to several (a groupement, or a multi-attributaire contract), for an amount excluding
/// VAT. Only a company that deposited on time a sealed pli answering that lot can be awarded it. The
/// letters (award and rejection) are sent once; the standstill period runs from their sending.
/// </summary>
public sealed class AwardDecision
{
    public const decimal MaxAmount = 100_000_000_000m;

    public Guid Id { get; private set; }
    public Guid ConsultationId { get; private set; }

    /// <summary>The lot's number; 0 for a consultation without lots.</summary>
    public int LotNumber { get; private set; }

    /// <summary>The awarded companies' ids, comma-separated, in the order chosen.</summary>
    public string CompanyIdList { get; private set; } = "";
    public decimal AmountHt { get; private set; }
    public DateOnly DecisionDate { get; private set; }
    public DateTime DecidedUtc { get; private set; }
    public Guid DecidedByUserId { get; private set; }

    /// <summary>When the award and rejection letters were sent: the notification the standstill period runs from.</summary>
    public DateTime? LettersSentUtc { get; private set; }

    private AwardDecision() { }

    public IReadOnlyList<Guid> CompanyIds => [.. CompanyIdList.Split(',', StringSplitOptions.RemoveEmptyEntries).Select(s => Guid.Parse(s, CultureInfo.InvariantCulture))];

    /// <summary>The lot's number, or null for the single contract of a consultation without lots.</summary>
    public int? Lot => LotNumber == 0 ? null : LotNumber;

    /// <summary>The last day of the standstill period, once the letters are sent (see <see cref="Standstill"/>).</summary>
    public DateOnly? StandstillEnds => LettersSentUtc is { } sent ? Standstill.EndOf(sent) : null;

    /// <summary>
    /// Decides the award of <paramref name="lotNumber"/> (0 without lots). Refused before the deadline, on a
    /// cancelled consultation, for a lot already decided or unknown, for a company that is not a tenderer of
    /// that lot on time, for an amount not above zero, for a decision dated in the future (Paris day).
    /// </summary>
    public static AwardDecision Decide(Consultation consultation, int lotNumber, IReadOnlyCollection<Guid> companyIds, decimal amountHt,
        DateOnly decisionDate, IReadOnlyCollection<Tenderer> tenderers, IEnumerable<AwardDecision> existing, Guid agentUserId, DateTime nowUtc)
    {
        consultation.RequireAwardable(nowUtc);
        if (!consultation.AwardableLots.Contains(lotNumber))
        {
            throw new DomainException("award.lot-unknown", $"La consultation n'a pas de lot n° {lotNumber}.", "Lot", lotNumber);
        }
        if (existing.Any(a => a.ConsultationId == consultation.Id && a.LotNumber == lotNumber))
        {
            throw lotNumber == 0
                ? new DomainException("award.already-decided-single", "Cette consultation est déjà attribuée.")
                : new DomainException("award.already-decided", $"Le lot n° {lotNumber} est déjà attribué.", null, lotNumber);
        }
        var chosen = companyIds.Distinct().ToList();
        if (chosen.Count == 0)
        {
            throw new DomainException("award.no-company", "Choisissez l'entreprise attributaire (ou les entreprises).", "CompanyIds");
        }
        var onTime = Tenderers.OnTimeFor(tenderers, lotNumber).ToHashSet();
        if (chosen.Any(c => !onTime.Contains(c)))
        {
            throw new DomainException("award.not-a-tenderer",
                "Seule une entreprise ayant déposé dans les délais un pli pour ce lot, ni retiré ni hors délai, peut en être attributaire.", "CompanyIds");
        }
        if (amountHt <= 0 || amountHt > MaxAmount)
        {
            throw new DomainException("award.amount", "Indiquez le montant du marché hors taxes, en euros (supérieur à zéro).", "AmountHt");
        }
        var today = DateOnly.FromDateTime(ParisTime.ToParis(nowUtc).DateTime);
        if (decisionDate > today)
        {
            throw new DomainException("award.decision-date-future", "La date de la décision ne peut pas être dans le futur.", "DecisionDate");
        }
        return new AwardDecision
        {
            Id = Guid.NewGuid(),
            ConsultationId = consultation.Id,
            LotNumber = lotNumber,
            CompanyIdList = string.Join(',', chosen.Select(c => c.ToString("D"))),
            AmountHt = decimal.Round(amountHt, 2),
            DecisionDate = decisionDate,
            DecidedUtc = nowUtc,
            DecidedByUserId = agentUserId,
        };
    }

    public bool Awards(Guid companyId) => CompanyIds.Contains(companyId);

    /// <summary>Records that the letters were sent; a second sending is refused.</summary>
    public void MarkLettersSent(DateTime nowUtc)
    {
        if (LettersSentUtc is { } sent)
        {
            throw new DomainException("award.letters-already-sent",
                $"Les courriers d'attribution et de rejet ont déjà été envoyés ({ParisTime.Format(sent, ParisTime.French)}).", null, ParisTime.ToParis(sent));
        }
        LettersSentUtc = nowUtc;
    }
}

/// <summary>
/// The délai de suspension (standstill) of article R2182-1 of the code de la commande publique: the contract
/// is not signed for 11 days after the notification of the award and rejection letters sent electronically.
/// </summary>
public static class Standstill
{
    public const int Days = 11;

    /// <summary>The date, in Paris, on which the standstill period ends: the day of the notification plus 11 days.</summary>
    public static DateOnly EndOf(DateTime notifiedUtc) => DateOnly.FromDateTime(ParisTime.ToParis(notifiedUtc).DateTime).AddDays(Days);
}

/// <summary>What the award reads of a pli: whose, which lots, when it was sealed, whether late or withdrawn.</summary>
public sealed record Tenderer(Guid CompanyId, IReadOnlyList<int> Lots, DateTime? SealedUtc, bool Sealed, bool IsLate);

public static class Tenderers
{
    /// <summary>
    /// The companies that answered <paramref name="lotNumber"/> (0: the single contract) on time: for each
    /// company, the last pli sealed on time and not withdrawn is the one opened, and it must answer that lot.
    /// </summary>
    public static IEnumerable<Guid> OnTimeFor(IEnumerable<Tenderer> deposits, int lotNumber) =>
        deposits.Where(d => d.Sealed && !d.IsLate && d.SealedUtc is not null)
            .GroupBy(d => d.CompanyId)
            .Select(g => g.OrderBy(d => d.SealedUtc).Last())
            .Where(d => lotNumber == 0 ? d.Lots.Count == 0 : d.Lots.Contains(lotNumber))
            .Select(d => d.CompanyId);
}

using Pli.Domain.Common;

namespace Pli.Domain.Consultations;

/// <summary>
/// The end of a consultation: after the deadline the buyer awards each lot (or the single contract), and the
/// consultation is awarded once every one is decided; or it declares the whole consultation "sans suite".
/// </summary>
public sealed partial class Consultation
{
    public bool IsAwarded => Status == ConsultationStatus.Awarded;

    /// <summary>The lot numbers an award decides: each lot's, or 0 alone for a consultation without lots.</summary>
    public IReadOnlyList<int> AwardableLots => _lots.Count == 0 ? [0] : [.. _lots.Select(l => l.Number).Order()];

    /// <summary>An award is decided only on a published consultation whose deadline has passed (strictly: at the deadline instant plis may still arrive).</summary>
    public void RequireAwardable(DateTime nowUtc)
    {
        if (Status == ConsultationStatus.Cancelled)
        {
            throw new DomainException("award.cancelled", "Cette consultation est annulée (ou déclarée sans suite) : elle ne peut plus être attribuée.");
        }
        if (Status == ConsultationStatus.Draft)
        {
            throw new DomainException("award.draft", "Cette consultation n'est pas publiée : elle ne peut pas être attribuée.");
        }
        if (nowUtc <= DeadlineUtc)
        {
            throw new DomainException("award.before-deadline",
                $"La date limite de remise des plis ({ParisTime.Format(DeadlineUtc, ParisTime.French, seconds: true)}) n'est pas passée : l'attribution n'est possible qu'après elle.",
                null, ParisTime.ToParis(DeadlineUtc));
        }
    }

    /// <summary>Once every lot has its decision, the consultation is awarded.</summary>
    public void CompleteAward(IEnumerable<int> decidedLots)
    {
        var decided = decidedLots.ToHashSet();
        if (Status == ConsultationStatus.Published && AwardableLots.All(decided.Contains))
        {
            Status = ConsultationStatus.Awarded;
        }
    }

    /// <summary>
    /// Declares the consultation "sans suite" (R2185-1 of the code de la commande publique): only after the
    /// deadline (before it, the buyer cancels it), never once a lot is awarded, always with a reason. It is
    /// then cancelled, through <see cref="Cancel"/>, with the reason in its public history.
    /// </summary>
    public ConsultationModification DeclareSansSuite(string reason, bool anyLotAwarded, DateTime nowUtc)
    {
        if (Status == ConsultationStatus.Cancelled)
        {
            throw new DomainException("modification.cancelled", "Cette consultation est annulée : elle ne peut plus être modifiée.");
        }
        if (Status == ConsultationStatus.Awarded || anyLotAwarded)
        {
            throw new DomainException("sans-suite.awarded", "Un lot de cette consultation est déjà attribué : elle ne peut plus être déclarée sans suite.");
        }
        if (nowUtc <= DeadlineUtc)
        {
            throw new DomainException("sans-suite.before-deadline", "La date limite de remise des plis n'est pas passée : annulez la consultation plutôt que la déclarer sans suite.");
        }
        if (string.IsNullOrWhiteSpace(reason))
        {
            throw new DomainException("sans-suite.reason", "Indiquez le motif de la déclaration sans suite.", "Reason");
        }
        return Cancel(reason, nowUtc);
    }
}

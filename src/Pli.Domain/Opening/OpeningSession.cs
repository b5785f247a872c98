using Pli.Domain.Common;
using Pli.Domain.Deposits;

namespace Pli.Domain.Opening;

/// <summary>
/// The opening of a consultation's plis (ouverture des plis): one session per consultation, that records
/// every envelope opened, by whom, when, and why when a reason is required. The rules:
/// <list type="bullet">
/// <item>nothing opens before the deadline has passed (now &gt; deadline: at the deadline instant a pli may
/// still be sealed on time, so it is still refused);</item>
/// <item>the candidature of a deposit is opened first; its offers (one per lot) only afterwards;</item>
/// <item>an envelope is opened once;</item>
/// <item>a late or withdrawn pli is never opened;</item>
/// <item>a replaced pli (an earlier pli of a company that deposited again in time) is opened only with a
/// written reason, which is recorded.</item>
/// </list>
/// </summary>
public sealed class OpeningSession
{
    public const int MaxReasonLength = 2000;

    private readonly List<OpeningAct> _acts = [];

    public Guid Id { get; private set; }
    public Guid ConsultationId { get; private set; }
    public DateTime StartedUtc { get; private set; }

    /// <summary>The acts in the order they were made.</summary>
    public IReadOnlyList<OpeningAct> Acts => _acts;

    private OpeningSession() { }

    public static OpeningSession Start(Guid consultationId, DateTime deadlineUtc, DateTime nowUtc)
    {
        RequireAfterDeadline(deadlineUtc, nowUtc);
        return new OpeningSession { Id = Guid.NewGuid(), ConsultationId = consultationId, StartedUtc = nowUtc };
    }

    public bool IsOpened(Guid depositId, Envelope envelope) => FindAct(depositId, envelope) is not null;

    public OpeningAct? FindAct(Guid depositId, Envelope envelope) =>
        _acts.FirstOrDefault(a => a.DepositId == depositId && a.Envelope == envelope.Kind && a.LotNumber == envelope.Lot);

    /// <summary>Opens one envelope of one pli, if the rules allow it, and records the act.</summary>
    /// <param name="pli">The pli as selected by <see cref="PliSelection"/> for this consultation.</param>
    /// <param name="envelope">One of the pli's envelopes.</param>
    /// <param name="userId">The agent who opens.</param>
    /// <param name="reason">Required (and recorded) for a replaced pli; ignored otherwise.</param>
    /// <param name="deadlineUtc">The consultation's deadline for receipt of tenders.</param>
    /// <param name="nowUtc">The instant of the act.</param>
    public OpeningAct Open(SelectedPli pli, Envelope envelope, Guid userId, string? reason, DateTime deadlineUtc, DateTime nowUtc)
    {
        RequireAfterDeadline(deadlineUtc, nowUtc);
        var deposit = pli.Deposit;
        if (deposit.ConsultationId != ConsultationId)
        {
            throw new DomainException("opening.deposit-unknown", "Ce pli n'appartient pas à cette consultation.");
        }
        switch (pli.Status)
        {
            case PliStatus.Late:
                throw new DomainException("opening.late", $"Le pli n° {deposit.Number} est arrivé hors délai : il n'est jamais ouvert.", null, deposit.Number);
            case PliStatus.Withdrawn:
                throw new DomainException("opening.withdrawn", $"Le pli n° {deposit.Number} a été retiré par l'entreprise : il n'est jamais ouvert.", null, deposit.Number);
        }
        if (!deposit.Envelopes.Contains(envelope))
        {
            throw new DomainException("opening.envelope-unknown", $"Le pli n° {deposit.Number} n'a pas cette enveloppe.", null, deposit.Number);
        }
        if (IsOpened(deposit.Id, envelope))
        {
            throw new DomainException("opening.already-opened", $"Cette enveloppe du pli n° {deposit.Number} est déjà ouverte.", null, deposit.Number);
        }
        if (envelope.Kind == EnvelopeKind.Offre && !IsOpened(deposit.Id, new Envelope(EnvelopeKind.Candidature, null)))
        {
            throw new DomainException("opening.candidature-first", $"Ouvrez d'abord la candidature du pli n° {deposit.Number} : ses offres ne s'ouvrent qu'ensuite.", null, deposit.Number);
        }
        string? recordedReason = null;
        if (pli.Status == PliStatus.Replaced)
        {
            recordedReason = (reason ?? "").Trim();
            if (recordedReason.Length == 0)
            {
                throw new DomainException("opening.reason-required", $"Le pli n° {deposit.Number} a été remplacé par un pli plus récent : indiquez par écrit pourquoi vous l'ouvrez.", "Reason", deposit.Number);
            }
            if (recordedReason.Length > MaxReasonLength)
            {
                throw new DomainException("opening.reason-too-long", $"Le motif compte {MaxReasonLength} caractères au plus.", "Reason", MaxReasonLength);
            }
        }
        var act = new OpeningAct(Guid.NewGuid(), Id, deposit.Id, envelope.Kind, envelope.Lot, userId, nowUtc, recordedReason, pli.Status == PliStatus.Replaced);
        _acts.Add(act);
        return act;
    }

    /// <summary>Refuses while now &lt;= deadline: a pli sealed at the deadline instant is on time, so nothing opens until after it.</summary>
    public static void RequireAfterDeadline(DateTime deadlineUtc, DateTime nowUtc)
    {
        if (nowUtc <= deadlineUtc)
        {
            throw new DomainException("opening.too-early", $"Les plis ne peuvent pas être ouverts avant la date limite de remise des plis ({ParisTime.Format(deadlineUtc, ParisTime.French, seconds: true)}).", null, ParisTime.ToParis(deadlineUtc));
        }
    }
}

/// <summary>One envelope of one pli opened by one agent at one instant (with the reason, for a replaced pli).</summary>
public sealed class OpeningAct(Guid id, Guid sessionId, Guid depositId, EnvelopeKind envelope, int? lotNumber, Guid userId, DateTime atUtc, string? reason, bool ofReplacedPli)
{
    public Guid Id { get; private set; } = id;
    public Guid SessionId { get; private set; } = sessionId;
    public Guid DepositId { get; private set; } = depositId;
    public EnvelopeKind Envelope { get; private set; } = envelope;
    public int? LotNumber { get; private set; } = lotNumber;

    /// <summary>The lot, 0 for none: what a unique index can hold (databases let several nulls through).</summary>
    public int LotKey { get; private set; } = lotNumber ?? 0;
    public Guid UserId { get; private set; } = userId;
    public DateTime AtUtc { get; private set; } = atUtc;
    public string? Reason { get; private set; } = reason;
    public bool OfReplacedPli { get; private set; } = ofReplacedPli;

    public Envelope OpenedEnvelope => new(Envelope, LotNumber);
}

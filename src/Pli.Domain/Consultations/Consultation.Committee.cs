using Pli.Domain.Common;

namespace Pli.Domain.Consultations;

/// <summary>
/// The opening committee: "k of n named openers". When a consultation has one, its private key is
/// sealed at publication so that only <see cref="CommitteeThreshold"/> of the named openers together,
/// after the deadline, can rebuild it: the platform alone cannot.
/// </summary>
public sealed partial class Consultation
{
    public const int MinCommitteeSize = 2;
    public const int MaxCommitteeSize = 10;

    private readonly List<CommitteeOpener> _committee = [];

    /// <summary>How many of the named openers must present their share (k); null when the consultation has no committee.</summary>
    public int? CommitteeThreshold { get; private set; }

    /// <summary>The named openers (n). Load them before changing the committee.</summary>
    public IReadOnlyList<CommitteeOpener> Committee => _committee;

    public bool HasCommittee => CommitteeThreshold is not null;

    /// <summary>
    /// Names the openers and the threshold: only on a draft (the key is sealed at publication), with
    /// 2 ≤ k ≤ n ≤ 10 distinct openers. Replaces any committee named before.
    /// </summary>
    public void RequireCommittee(int threshold, IReadOnlyCollection<Guid> openerUserIds)
    {
        RequireDraft();
        ArgumentNullException.ThrowIfNull(openerUserIds);
        if (openerUserIds.Distinct().Count() != openerUserIds.Count)
        {
            throw new DomainException("committee.duplicate-opener", "Un même ouvreur ne peut être nommé deux fois dans le comité.", "OpenerIds");
        }
        var size = openerUserIds.Count;
        if (size is < MinCommitteeSize or > MaxCommitteeSize)
        {
            throw new DomainException("committee.size", $"Le comité compte entre {MinCommitteeSize} et {MaxCommitteeSize} ouvreurs (ici {size}).", "OpenerIds", MinCommitteeSize, MaxCommitteeSize, size);
        }
        if (threshold < MinCommitteeSize || threshold > size)
        {
            throw new DomainException("committee.threshold", $"Le nombre d'ouvreurs requis doit être compris entre {MinCommitteeSize} et {size}, le nombre d'ouvreurs nommés.", "Threshold", MinCommitteeSize, size);
        }
        _committee.Clear();
        _committee.AddRange(openerUserIds.Select(u => new CommitteeOpener(Id, u)));
        CommitteeThreshold = threshold;
    }

    /// <summary>Removes the committee of a draft: its key will then be protected by the platform's master secret alone.</summary>
    public void ClearCommittee()
    {
        RequireDraft();
        _committee.Clear();
        CommitteeThreshold = null;
    }

    public bool IsCommitteeOpener(Guid userId) => _committee.Any(o => o.UserId == userId);
}

/// <summary>One named opener of a consultation's committee.</summary>
public sealed class CommitteeOpener(Guid consultationId, Guid userId)
{
    public Guid ConsultationId { get; private set; } = consultationId;
    public Guid UserId { get; private set; } = userId;
}

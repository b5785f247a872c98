namespace Pli.Web.Infrastructure.Audit;

/// <summary>
/// One line of the audit trail: who did what, when, on what. Lines are only ever added; the trail is
/// saved in the same transaction as the act it records, then <see cref="AuditChain"/> links it into the
/// hash chain (<see cref="Sequence"/>, <see cref="PreviousHash"/>, <see cref="Hash"/>) within seconds.
/// </summary>
public sealed class AuditEntry
{
    public Guid Id { get; set; }
    public DateTime AtUtc { get; set; }

    /// <summary>A stable code such as "message.read" or "question.answered".</summary>
    public string Action { get; set; } = "";
    public Guid? UserId { get; set; }
    public Guid? CompanyId { get; set; }
    public Guid? OrganisationId { get; set; }
    public Guid? ConsultationId { get; set; }

    /// <summary>What the act was on, e.g. "message:3f2c…".</summary>
    public string? Target { get; set; }

    /// <summary>Facts of the act (never a message's text or a file's content).</summary>
    public string? Detail { get; set; }

    /// <summary>Position in the chain, from 1 without gaps; null until chained.</summary>
    public long? Sequence { get; set; }

    /// <summary>The <see cref="Hash"/> of the entry before (of <see cref="AuditChainHead.Genesis"/> for the first).</summary>
    public string? PreviousHash { get; set; }

    /// <summary>Lower-case hex SHA-256 of this entry's fields and <see cref="PreviousHash"/> (see <see cref="AuditChain.HashOf"/>).</summary>
    public string? Hash { get; set; }
}

/// <summary>
/// The end of the chain, one row: the last sequence and hash. Moving it is a conditional update, so two
/// instances chaining at once never give two entries the same place.
/// </summary>
public sealed class AuditChainHead
{
    public const int SingleId = 1;

    /// <summary>What the first entry's <see cref="AuditEntry.PreviousHash"/> holds.</summary>
    public static readonly string Genesis = new('0', 64);

    public int Id { get; set; } = SingleId;
    public long LastSequence { get; set; }
    public string LastHash { get; set; } = Genesis;
    public DateTime UpdatedUtc { get; set; }
}

namespace Pli.Web.Infrastructure.Audit;

/// <summary>
/// One line of the audit trail: who did what, when, on what. Lines are only ever added; the
/// trail is saved in the same transaction as the act it records.
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
}

namespace Pli.Web.Infrastructure.Mail;

/// <summary>
/// A mail in the outbox: stored in the same transaction as the event that causes it, then sent by
/// <see cref="OutboxDispatcher"/>. It holds the whole MIME message, so that what is sent after a
/// restart is byte for byte what the event wrote.
/// </summary>
public sealed class OutboxMail
{
    public Guid Id { get; set; }
    public DateTime CreatedUtc { get; set; }
    public string To { get; set; } = "";
    public string Subject { get; set; } = "";
    public byte[] Mime { get; set; } = [];
    public OutboxMailStatus Status { get; set; }
    public int Attempts { get; set; }
    public DateTime NextAttemptUtc { get; set; }

    /// <summary>Until when a worker holds it; a mail held by a worker that died is taken again after this.</summary>
    public DateTime? LeaseUntilUtc { get; set; }
    public Guid? LeaseToken { get; set; }
    public string? LastError { get; set; }
    public DateTime? SentUtc { get; set; }
    public DateTime? FailedUtc { get; set; }
}

public enum OutboxMailStatus
{
    Pending,
    Sent,

    /// <summary>Refused for good, or every attempt failed: shown to the platform admin, who may send it again.</summary>
    Failed,
}

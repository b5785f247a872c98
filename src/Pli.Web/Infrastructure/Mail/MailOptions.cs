using System.ComponentModel.DataAnnotations;
using MailKit.Security;

namespace Pli.Web.Infrastructure.Mail;

public sealed class MailOptions
{
    public const string Section = "Mail";

    /// <summary>Folder where mails are written as .eml files when no SMTP server is configured.</summary>
    [Required]
    public string PickupDirectory { get; set; } = "data/mail";

    [Required]
    public string From { get; set; } = "Pli <no-reply@pli.localhost>";

    public SmtpOptions Smtp { get; set; } = new();

    public OutboxOptions Outbox { get; set; } = new();

    /// <summary>An SMTP host makes mails leave through it; without one they go to the pickup folder.</summary>
    public bool UsesSmtp => !string.IsNullOrWhiteSpace(Smtp.Host);
}

public sealed class SmtpOptions
{
    public string? Host { get; set; }

    [Range(1, 65535)]
    public int Port { get; set; } = 587;

    /// <summary>Auto: TLS on port 465, STARTTLS when the server offers it elsewhere.</summary>
    public SecureSocketOptions Security { get; set; } = SecureSocketOptions.Auto;

    public string? UserName { get; set; }

    public string? Password { get; set; }

    [Range(1, 600)]
    public int TimeoutSeconds { get; set; } = 30;
}

public sealed class OutboxOptions
{
    /// <summary>Whether this process runs the sending worker (a process may only enqueue).</summary>
    public bool WorkerEnabled { get; set; } = true;

    /// <summary>How often the worker looks for mails due, in milliseconds.</summary>
    [Range(50, 600_000)]
    public int PollMilliseconds { get; set; } = 2000;

    /// <summary>Attempts before a mail is flagged as failed for the platform admin.</summary>
    [Range(1, 100)]
    public int MaxAttempts { get; set; } = 8;

    /// <summary>Wait after the first failure; it doubles after each one, up to <see cref="MaxRetryDelaySeconds"/>.</summary>
    [Range(1, 86_400)]
    public int FirstRetryDelaySeconds { get; set; } = 30;

    [Range(1, 86_400)]
    public int MaxRetryDelaySeconds { get; set; } = 3600;

    /// <summary>How long a worker holds a mail it is sending before another may take it (a worker that died).</summary>
    [Range(10, 86_400)]
    public int LeaseSeconds { get; set; } = 300;
}

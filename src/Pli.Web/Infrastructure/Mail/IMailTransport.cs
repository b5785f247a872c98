using MimeKit;

namespace Pli.Web.Infrastructure.Mail;

/// <summary>Hands a mail over to the outside world: an SMTP server, or the pickup folder of the embedded default.</summary>
public interface IMailTransport
{
    /// <summary>Returns once the mail is accepted; throws <see cref="MailDeliveryException"/> when it is not.</summary>
    Task SendAsync(MimeMessage message, CancellationToken cancellationToken);
}

/// <summary>The mail was not accepted. A permanent refusal (SMTP 5xx) is not retried.</summary>
public sealed class MailDeliveryException(string message, bool permanent, Exception? inner = null) : Exception(message, inner)
{
    public bool Permanent { get; } = permanent;
}

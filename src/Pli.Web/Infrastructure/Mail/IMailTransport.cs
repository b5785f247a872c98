using MimeKit;

namespace Pli.Web.Infrastructure.Mail;

/// <summary>Hands a mail over to the outside world: an SMTP server, or the pickup folder of the embedded default.</summary>
public interface IMailTransport
{
    /// <summary>Returns once the mail is accepted; throws <see cref="MailDeliveryException"/> when it is not.</summary>
    Task SendAsync(MimeMessage message, CancellationToken cancellationToken);

    /// <summary>
    /// A session for several mails in a row (one dispatch batch), so that a transport can keep one connection
    /// for all of them; by default each mail is sent on its own with <see cref="SendAsync"/>.
    /// </summary>
    Task<IMailSession> OpenSessionAsync(CancellationToken cancellationToken) => Task.FromResult<IMailSession>(new OneByOne(this));

    private sealed class OneByOne(IMailTransport transport) : IMailSession
    {
        public Task SendAsync(MimeMessage message, CancellationToken cancellationToken) => transport.SendAsync(message, cancellationToken);

        public ValueTask DisposeAsync() => ValueTask.CompletedTask;
    }
}

/// <summary>Mails sent one after the other; each is accepted or throws, as with <see cref="IMailTransport.SendAsync"/>.</summary>
public interface IMailSession : IAsyncDisposable
{
    /// <summary>Returns once the mail is accepted; throws <see cref="MailDeliveryException"/> when it is not.</summary>
    Task SendAsync(MimeMessage message, CancellationToken cancellationToken);
}

/// <summary>The mail was not accepted. A permanent refusal (SMTP 5xx) is not retried.</summary>
public sealed class MailDeliveryException(string message, bool permanent, Exception? inner = null) : Exception(message, inner)
{
    public bool Permanent { get; } = permanent;
}

using MailKit;
using MailKit.Net.Smtp;
using Microsoft.Extensions.Options;
using MimeKit;

namespace Pli.Web.Infrastructure.Mail;

/// <summary>Sends through the configured SMTP server with MailKit, one connection per mail.</summary>
public sealed class SmtpMailTransport(IOptions<MailOptions> options) : IMailTransport
{
    private readonly SmtpOptions _smtp = options.Value.Smtp;

    public async Task SendAsync(MimeMessage message, CancellationToken cancellationToken)
    {
        using var client = new SmtpClient { Timeout = _smtp.TimeoutSeconds * 1000 };
        try
        {
            await client.ConnectAsync(_smtp.Host!, _smtp.Port, _smtp.Security, cancellationToken);
            if (!string.IsNullOrEmpty(_smtp.UserName))
            {
                await client.AuthenticateAsync(_smtp.UserName, _smtp.Password ?? "", cancellationToken);
            }
            await client.SendAsync(message, cancellationToken);
            await client.DisconnectAsync(quit: true, cancellationToken);
        }
        catch (SmtpCommandException e)
        {
            // 5xx: the server will never take this mail (unknown mailbox, refused sender); 4xx: try later.
            var permanent = (int)e.StatusCode >= 500;
            throw new MailDeliveryException($"SMTP {(int)e.StatusCode} {e.ErrorCode}: {e.Message}", permanent, e);
        }
        catch (SmtpProtocolException e)
        {
            throw new MailDeliveryException("SMTP protocol error: " + e.Message, permanent: false, e);
        }
        catch (Exception e) when (e is System.Net.Sockets.SocketException or IOException or ServiceNotConnectedException or TimeoutException or MailKit.Security.AuthenticationException or System.Security.Authentication.AuthenticationException)
        {
            throw new MailDeliveryException($"SMTP server {_smtp.Host}:{_smtp.Port} unreachable: {e.Message}", permanent: false, e);
        }
    }
}

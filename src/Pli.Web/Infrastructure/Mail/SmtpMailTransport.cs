using System.Net.Sockets;
using MailKit;
using MailKit.Net.Smtp;
using Microsoft.Extensions.Options;
using MimeKit;

namespace Pli.Web.Infrastructure.Mail;

/// <summary>
/// Sends through the configured SMTP server with MailKit: one connection per mail with <see cref="SendAsync"/>,
/// one per session (a dispatch batch) with <see cref="OpenSessionAsync"/>.
/// </summary>
public sealed class SmtpMailTransport(IOptions<MailOptions> options) : IMailTransport
{
    private readonly SmtpOptions _smtp = options.Value.Smtp;

    public async Task SendAsync(MimeMessage message, CancellationToken cancellationToken)
    {
        await using var session = new Session(this);
        await session.SendAsync(message, cancellationToken);
    }

    public Task<IMailSession> OpenSessionAsync(CancellationToken cancellationToken) => Task.FromResult<IMailSession>(new Session(this));

    /// <summary>
    /// Connects at its first mail and keeps the connection for the next ones. After any failure the connection
    /// is dropped (its state is unknown) and the next mail connects again; the failed mail is not retried here,
    /// the outbox retries it later, as when each mail had its own connection.
    /// </summary>
    private sealed class Session(SmtpMailTransport transport) : IMailSession
    {
        private SmtpClient? _client;

        public async Task SendAsync(MimeMessage message, CancellationToken cancellationToken)
        {
            try
            {
                var client = _client ??= await transport.ConnectAsync(cancellationToken);
                await transport.SendOnAsync(client, message, cancellationToken);
            }
            catch
            {
                Drop();
                throw;
            }
        }

        public async ValueTask DisposeAsync()
        {
            if (_client is { IsConnected: true } client)
            {
                try
                {
                    await client.DisconnectAsync(quit: true, CancellationToken.None);
                }
                catch (Exception e) when (e is IOException or SocketException or SmtpProtocolException or SmtpCommandException or ServiceNotConnectedException or TimeoutException)
                {
                    // Every mail of the session was accepted or recorded as failed already: a lost QUIT changes nothing.
                }
            }
            Drop();
        }

        private void Drop()
        {
            _client?.Dispose();
            _client = null;
        }
    }

    private async Task<SmtpClient> ConnectAsync(CancellationToken cancellationToken)
    {
        var client = new SmtpClient { Timeout = _smtp.TimeoutSeconds * 1000 };
        try
        {
            await Translated(async () =>
            {
                var socket = await ConnectSocketAsync(cancellationToken);
                try
                {
                    await client.ConnectAsync(socket, _smtp.Host!, _smtp.Port, _smtp.Security, cancellationToken);
                }
                catch
                {
                    // The client owns the socket once connected; until then it is ours to close.
                    socket.Dispose();
                    throw;
                }
                if (!string.IsNullOrEmpty(_smtp.UserName))
                {
                    await client.AuthenticateAsync(_smtp.UserName, _smtp.Password ?? "", cancellationToken);
                }
            });
            return client;
        }
        catch
        {
            client.Dispose();
            throw;
        }
    }

    /// <summary>
    /// The TCP connection, with Nagle's algorithm off (MailKit leaves it on): the end of a message is a small
    /// write after a larger one, which Nagle holds back until the server's delayed ACK, some 40 ms per mail.
    /// </summary>
    private async Task<Socket> ConnectSocketAsync(CancellationToken cancellationToken)
    {
        var socket = new Socket(SocketType.Stream, ProtocolType.Tcp) { NoDelay = true };
        try
        {
            using var timeout = CancellationTokenSource.CreateLinkedTokenSource(cancellationToken);
            timeout.CancelAfter(TimeSpan.FromSeconds(_smtp.TimeoutSeconds));
            try
            {
                await socket.ConnectAsync(_smtp.Host!, _smtp.Port, timeout.Token);
            }
            catch (OperationCanceledException) when (!cancellationToken.IsCancellationRequested)
            {
                throw new TimeoutException($"No connection within {_smtp.TimeoutSeconds} s.");
            }
            return socket;
        }
        catch
        {
            socket.Dispose();
            throw;
        }
    }

    private Task SendOnAsync(SmtpClient client, MimeMessage message, CancellationToken cancellationToken) =>
        Translated(() => client.SendAsync(message, cancellationToken));

    /// <summary>MailKit's failures as <see cref="MailDeliveryException"/>: permanent for a 5xx reply, transient otherwise.</summary>
    private async Task Translated(Func<Task> action)
    {
        try
        {
            await action();
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
        catch (Exception e) when (e is SocketException or IOException or ServiceNotConnectedException or TimeoutException or MailKit.Security.AuthenticationException or System.Security.Authentication.AuthenticationException)
        {
            throw new MailDeliveryException($"SMTP server {_smtp.Host}:{_smtp.Port} unreachable: {e.Message}", permanent: false, e);
        }
    }
}

using System.Buffers;
using System.Collections.Concurrent;
using System.Net;
using System.Net.Sockets;
using MimeKit;
using SmtpServer;
using SmtpServer.IO;
using SmtpServer.Net;
using SmtpServer.Protocol;
using SmtpServer.Storage;

namespace Pli.Web.Tests.Infrastructure;

/// <summary>
/// A real SMTP server in the test process (the SmtpServer package) on a loopback port: Pli's MailKit
/// client speaks SMTP to it, and tests read what it received. It can refuse mails, temporarily or for
/// good, and be stopped and started again on the same port.
/// </summary>
public sealed class SmtpSink : IAsyncDisposable
{
    private readonly ConcurrentQueue<MimeMessage> _received = new();
    private CancellationTokenSource? _running;
    private Task? _serverTask;

    private SmtpSink(int port) => Port = port;

    public int Port { get; }

    /// <summary>What the sink answers to DATA: 250, 451 (try later) or 550 (refused for good).</summary>
    public SinkMode Mode { get; set; } = SinkMode.Accept;

    public IReadOnlyList<MimeMessage> Received => [.. _received];

    /// <summary>Called as each message is accepted (e.g. to move a fake clock while a batch is being sent).</summary>
    public Action<MimeMessage>? OnReceived { get; set; }

    /// <summary>How many SMTP sessions (connections) delivered a message, accepted or refused.</summary>
    public int SessionsUsed => _sessions.Count;

    /// <summary>A recipient the sink refuses for good (550), whatever <see cref="Mode"/> says; null for none.</summary>
    public string? RefusedRecipient { get; set; }

    private readonly ConcurrentDictionary<Guid, bool> _sessions = new();

    public bool IsRunning => _running is not null;

    public static async Task<SmtpSink> StartAsync()
    {
        var sink = new SmtpSink(FreePort());
        await sink.StartAgainAsync();
        return sink;
    }

    /// <summary>A sink that is not listening yet: an SMTP server that is down until <see cref="StartAgainAsync"/>.</summary>
    public static SmtpSink Stopped() => new(FreePort());

    public async Task StartAgainAsync()
    {
        if (_running is not null)
        {
            return;
        }
        var options = new SmtpServerOptionsBuilder().ServerName("localhost")
            .Endpoint(e => e.Endpoint(new IPEndPoint(IPAddress.Loopback, Port)).IsSecure(false))
            .Build();
        var services = new SmtpServer.ComponentModel.ServiceProvider();
        services.Add(new Store(this));
        services.Add(new NoDelayListeners());
        var server = new SmtpServer.SmtpServer(options, services);
        _running = new CancellationTokenSource();
        _serverTask = server.StartAsync(_running.Token);
        await WaitUntilListeningAsync();
    }

    public async Task StopAsync()
    {
        if (_running is null)
        {
            return;
        }
        await _running.CancelAsync();
        try
        {
            await _serverTask!;
        }
        catch (OperationCanceledException)
        {
        }
        _running.Dispose();
        _running = null;
    }

    public IReadOnlyList<MimeMessage> To(string address) =>
        [.. Received.Where(m => m.To.Mailboxes.Any(b => string.Equals(b.Address, address, StringComparison.OrdinalIgnoreCase)))];

    public async ValueTask DisposeAsync() => await StopAsync();

    private async Task WaitUntilListeningAsync()
    {
        for (var attempt = 0; attempt < 100; attempt++)
        {
            try
            {
                using var client = new TcpClient();
                await client.ConnectAsync(IPAddress.Loopback, Port);
                return;
            }
            catch (SocketException)
            {
                await Task.Delay(50);
            }
        }
        throw new InvalidOperationException($"The SMTP sink did not start on port {Port}.");
    }

    private static int FreePort()
    {
        using var listener = new TcpListener(IPAddress.Loopback, 0);
        listener.Start();
        return ((IPEndPoint)listener.LocalEndpoint).Port;
    }

    /// <summary>
    /// The package's listener, with Nagle's algorithm off: its replies to pipelined commands are small writes in a
    /// row, each held back until the client's delayed ACK (~40 ms a mail), which a real relay does not do.
    /// </summary>
    private sealed class NoDelayListeners : IEndpointListenerFactory
    {
        public IEndpointListener CreateListener(IEndpointDefinition endpointDefinition)
        {
            var listener = new TcpListener(endpointDefinition.Endpoint);
            listener.Start();
            return new Listener(listener);
        }

        private sealed class Listener(TcpListener listener) : IEndpointListener
        {
            public async Task<ISecurableDuplexPipe> GetPipeAsync(ISessionContext context, CancellationToken cancellationToken)
            {
                var socket = await listener.AcceptSocketAsync(cancellationToken);
                socket.NoDelay = true;
                context.Properties.Add(EndpointListener.LocalEndPointKey, socket.LocalEndPoint!);
                context.Properties.Add(EndpointListener.RemoteEndPointKey, socket.RemoteEndPoint!);
                return new Pipe(new NetworkStream(socket, ownsSocket: true));
            }

            public void Dispose() => listener.Stop();
        }

        /// <summary>The connection as the package reads and writes it; the sink speaks plain SMTP only.</summary>
        private sealed class Pipe(NetworkStream stream) : ISecurableDuplexPipe
        {
            public System.IO.Pipelines.PipeReader Input { get; } = System.IO.Pipelines.PipeReader.Create(stream);

            public System.IO.Pipelines.PipeWriter Output { get; } = System.IO.Pipelines.PipeWriter.Create(stream);

            public bool IsSecure => false;

            public System.Security.Authentication.SslProtocols SslProtocol => System.Security.Authentication.SslProtocols.None;

            public Task UpgradeAsync(System.Security.Cryptography.X509Certificates.X509Certificate certificate, System.Security.Authentication.SslProtocols protocols,
                CancellationToken cancellationToken = default) => throw new NotSupportedException("The test SMTP sink does not speak TLS.");

            public void Dispose() => stream.Dispose();
        }
    }

    private sealed class Store(SmtpSink sink) : MessageStore
    {
        public override async Task<SmtpResponse> SaveAsync(ISessionContext context, IMessageTransaction transaction, ReadOnlySequence<byte> buffer, CancellationToken cancellationToken)
        {
            sink._sessions.TryAdd(context.SessionId, true);
            if (sink.RefusedRecipient is { } refused && transaction.To.Any(m => string.Equals($"{m.User}@{m.Host}", refused, StringComparison.OrdinalIgnoreCase)))
            {
                return new SmtpResponse(SmtpReplyCode.MailboxUnavailable, "5.1.1 mailbox unavailable");
            }
            switch (sink.Mode)
            {
                case SinkMode.RefuseTemporarily:
                    return new SmtpResponse(SmtpReplyCode.Aborted, "4.3.0 try again later");
                case SinkMode.RefusePermanently:
                    return new SmtpResponse(SmtpReplyCode.MailboxUnavailable, "5.1.1 mailbox unavailable");
            }
            using var stream = new MemoryStream();
            foreach (var segment in buffer)
            {
                await stream.WriteAsync(segment, cancellationToken);
            }
            stream.Position = 0;
            var message = await MimeMessage.LoadAsync(stream, cancellationToken);
            sink._received.Enqueue(message);
            sink.OnReceived?.Invoke(message);
            return SmtpResponse.Ok;
        }
    }
}

public enum SinkMode
{
    Accept,
    RefuseTemporarily,
    RefusePermanently,
}

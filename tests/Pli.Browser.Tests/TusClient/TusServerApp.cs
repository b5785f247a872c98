using Pli.Web.Tests.Infrastructure;

namespace Pli.Browser.Tests.TusClient;

/// <summary>Pli on a real Kestrel port, for a client outside the process (Node and tus-js-client); no browser.</summary>
public sealed class TusServerApp : SqliteApp, IAsyncLifetime
{
    public Uri BaseUrl { get; private set; } = null!;

    public Task InitializeAsync()
    {
        BaseUrl = StartOnKestrel();
        return Task.CompletedTask;
    }

    Task IAsyncLifetime.DisposeAsync() => DisposeAsync().AsTask();
}

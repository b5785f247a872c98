using Microsoft.AspNetCore.Hosting.Server;
using Microsoft.AspNetCore.Hosting.Server.Features;
using Microsoft.Extensions.DependencyInjection;
using Pli.Web.Tests.Infrastructure;

namespace Pli.Browser.Tests.TusClient;

/// <summary>Pli on a real Kestrel port, for a client outside the process (Node and tus-js-client); no browser.</summary>
public sealed class TusServerApp : SqliteApp, IAsyncLifetime
{
    public Uri BaseUrl { get; private set; } = null!;

    public Task InitializeAsync()
    {
        UseKestrel(0);
        StartServer();
        var address = Services.GetRequiredService<IServer>().Features.Get<IServerAddressesFeature>()!.Addresses.First();
        BaseUrl = new Uri(address.Replace("[::]", "127.0.0.1", StringComparison.Ordinal).Replace("0.0.0.0", "127.0.0.1", StringComparison.Ordinal));
        return Task.CompletedTask;
    }

    Task IAsyncLifetime.DisposeAsync() => DisposeAsync().AsTask();
}

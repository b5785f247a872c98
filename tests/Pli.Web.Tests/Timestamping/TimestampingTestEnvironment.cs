using System.Diagnostics;
using System.Net;
using Microsoft.AspNetCore.Builder;
using Microsoft.AspNetCore.Hosting;
using Microsoft.AspNetCore.Hosting.Server;
using Microsoft.AspNetCore.Hosting.Server.Features;
using Microsoft.AspNetCore.Http;
using Microsoft.Extensions.Configuration;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.Hosting;
using Microsoft.Extensions.Hosting.Internal;
using Microsoft.Extensions.Logging;
using Microsoft.Extensions.Options;
using Microsoft.Extensions.Time.Testing;
using Pli.Web.Infrastructure.Timestamping;

namespace Pli.Web.Tests.Timestamping;

/// <summary>A temp content root, a fake clock, and the timestamping services built over them.</summary>
public sealed class TimestampingTestEnvironment : IDisposable
{
    /// <summary>Monday 1 June 2026, 08:00:00.123 UTC: the milliseconds prove genTime keeps them.</summary>
    public static readonly DateTimeOffset Now = new(2026, 6, 1, 8, 0, 0, 123, TimeSpan.Zero);

    private readonly List<IDisposable> _owned = [];

    public string Root { get; } = Path.Combine(Path.GetTempPath(), "pli-tsa-" + Guid.NewGuid().ToString("N"));

    public FakeTimeProvider Time { get; } = new(Now);

    public string KeyDirectory => Path.Combine(Root, "data", "tsa");

    /// <summary>An embedded authority over <see cref="KeyDirectory"/> (or another folder), as a fresh instance would be after a restart.</summary>
    public EmbeddedTimestampAuthority Embedded(string? keyPath = null, string organisation = "Pli")
    {
        var options = Options.Create(new TimestampingOptions { KeyPath = keyPath ?? "data/tsa", Organisation = organisation });
        var authority = new EmbeddedTimestampAuthority(options, new HostingEnvironment { ContentRootPath = Root }, Time);
        _owned.Add(authority);
        return authority;
    }

    /// <summary>The services as <c>AddTimestamping</c> registers them from <paramref name="settings"/> (Timestamping:* keys).</summary>
    public ServiceProvider Services(IDictionary<string, string?>? settings = null)
    {
        var configuration = new ConfigurationBuilder().AddInMemoryCollection(settings ?? new Dictionary<string, string?>()).Build();
        var services = new ServiceCollection();
        services.AddSingleton<IHostEnvironment>(new HostingEnvironment { EnvironmentName = "Testing", ContentRootPath = Root });
        services.AddSingleton<TimeProvider>(Time);
        services.AddTimestamping(configuration);
        var provider = services.BuildServiceProvider();
        _owned.Add(provider);
        return provider;
    }

    public string WriteFile(string name, byte[] content)
    {
        Directory.CreateDirectory(Root);
        var path = Path.Combine(Root, name);
        File.WriteAllBytes(path, content);
        return path;
    }

    public void Dispose()
    {
        foreach (var owned in _owned)
        {
            owned.Dispose();
        }
        if (Directory.Exists(Root))
        {
            Directory.Delete(Root, recursive: true);
        }
    }
}

/// <summary>An RFC 3161 server on loopback whose answer to each query the test decides.</summary>
public sealed class FakeTsaServer : IAsyncDisposable
{
    private readonly WebApplication _app;

    private FakeTsaServer(WebApplication app, Uri url)
    {
        _app = app;
        Url = url;
    }

    public Uri Url { get; }

    /// <summary>What the server received last: the query's body and Content-Type.</summary>
    public byte[]? LastQuery { get; private set; }

    public string? LastContentType { get; private set; }

    public static async Task<FakeTsaServer> StartAsync(Func<byte[], Task<IResult>> answer)
    {
        var builder = WebApplication.CreateSlimBuilder();
        builder.Logging.ClearProviders();
        builder.WebHost.UseKestrel(k => k.Listen(IPAddress.Loopback, 0));
        var app = builder.Build();
        FakeTsaServer? server = null;
        app.MapPost("/tsa", async (HttpRequest request) =>
        {
            using var body = new MemoryStream();
            await request.Body.CopyToAsync(body);
            server!.LastQuery = body.ToArray();
            server.LastContentType = request.ContentType;
            return await answer(server.LastQuery);
        });
        await app.StartAsync();
        var address = app.Services.GetRequiredService<IServer>().Features.Get<IServerAddressesFeature>()!.Addresses.First();
        server = new FakeTsaServer(app, new Uri(new Uri(address), "/tsa"));
        return server;
    }

    public static IResult Reply(byte[] responseDer) => Results.Bytes(responseDer, "application/timestamp-reply");

    public async ValueTask DisposeAsync()
    {
        await _app.StopAsync();
        await _app.DisposeAsync();
    }
}

/// <summary>Runs /usr/bin/openssl, the verifier a company has, outside .NET.</summary>
public static class Openssl
{
    public static async Task<(int ExitCode, string Output)> RunAsync(string workingDirectory, params string[] arguments)
    {
        var start = new ProcessStartInfo("openssl") { WorkingDirectory = workingDirectory, RedirectStandardOutput = true, RedirectStandardError = true };
        foreach (var argument in arguments)
        {
            start.ArgumentList.Add(argument);
        }
        using var process = Process.Start(start)!;
        var output = process.StandardOutput.ReadToEndAsync();
        var error = process.StandardError.ReadToEndAsync();
        await process.WaitForExitAsync();
        return (process.ExitCode, await output + await error);
    }
}

using System.Net;
using Microsoft.AspNetCore.HttpOverrides;
using Microsoft.Extensions.Options;

namespace Pli.Web.Infrastructure.Web;

/// <summary>
/// Behind a load balancer that terminates TLS, the instance must see the client's scheme (secure cookies,
/// antiforgery) and address (the sign-in rate limit counts per address, the audit trail names it), which the
/// balancer sends in <c>X-Forwarded-Proto</c>/<c>X-Forwarded-For</c>. Only the peers named in
/// <c>Network:TrustedProxies</c> (addresses or CIDR networks) are believed: anyone else could write those headers.
/// </summary>
public static class TrustedProxies
{
    public const string Setting = "Network:TrustedProxies";

    public static IServiceCollection AddTrustedProxies(this IServiceCollection services, IConfiguration configuration)
    {
        var entries = configuration.GetSection(Setting).Get<string[]>() ?? [];
        var networks = entries.Where(e => !string.IsNullOrWhiteSpace(e)).Select(Parse).ToList();
        services.Configure<ForwardedHeadersOptions>(o =>
        {
            o.ForwardedHeaders = ForwardedHeaders.XForwardedFor | ForwardedHeaders.XForwardedProto;
            // Only the configured peers; the framework's default trusts loopback, which a sidecar could be.
            o.KnownProxies.Clear();
            o.KnownIPNetworks.Clear();
            foreach (var network in networks)
            {
                o.KnownIPNetworks.Add(network);
            }
            // Hops are read from the right while each one is a trusted proxy: a chain of balancers works.
            o.ForwardLimit = null;
        });
        return services;
    }

    /// <summary>Reads the forwarded headers only when some peer is trusted: otherwise nobody's are believed anyway.</summary>
    public static IApplicationBuilder UseTrustedProxies(this IApplicationBuilder app)
    {
        var trusted = app.ApplicationServices.GetRequiredService<IOptions<ForwardedHeadersOptions>>().Value.KnownIPNetworks.Count > 0;
        return trusted ? app.UseForwardedHeaders() : app;
    }

    private static System.Net.IPNetwork Parse(string entry)
    {
        var text = entry.Trim();
        if (System.Net.IPNetwork.TryParse(text, out var network))
        {
            return network;
        }
        if (IPAddress.TryParse(text, out var address))
        {
            var single = address.IsIPv4MappedToIPv6 ? address.MapToIPv4() : address;
            return new System.Net.IPNetwork(single, single.AddressFamily == System.Net.Sockets.AddressFamily.InterNetwork ? 32 : 128);
        }
        throw new InvalidOperationException($"{Setting}: \"{entry}\" is neither an IP address nor a CIDR network (e.g. 10.0.0.5 or 10.0.0.0/24).");
    }
}

using System.Threading.RateLimiting;

namespace Pli.Web.Infrastructure.Security;

public static class RateLimits
{
    /// <summary>Sign-in, registration and password reset: per client address, to slow guessing and mail flooding.</summary>
    public const string Authentication = "authentication";

    public static IServiceCollection AddPliRateLimiting(this IServiceCollection services, IConfiguration configuration)
    {
        var permits = configuration.GetValue("Security:AuthenticationPermitsPerMinute", 20);
        services.AddRateLimiter(options =>
        {
            options.RejectionStatusCode = StatusCodes.Status429TooManyRequests;
            options.AddPolicy(Authentication, context =>
            {
                // Only POSTs count: showing the form again costs nothing and must not lock anyone out.
                if (!HttpMethods.IsPost(context.Request.Method))
                {
                    return RateLimitPartition.GetNoLimiter("get");
                }
                return PerClientAddressPerMinute(context, permits);
            });
        });
        return services;
    }

    /// <summary>A fixed window of a minute per client address (behind trusted proxies, the forwarded one), no queue.</summary>
    public static RateLimitPartition<string> PerClientAddressPerMinute(HttpContext context, int permits) =>
        RateLimitPartition.GetFixedWindowLimiter(
            context.Connection.RemoteIpAddress?.ToString() ?? "unknown",
            _ => new FixedWindowRateLimiterOptions { PermitLimit = permits, Window = TimeSpan.FromMinutes(1), QueueLimit = 0 });
}

using Microsoft.Extensions.DependencyInjection.Extensions;
using Microsoft.Extensions.Options;

namespace Pli.Web.Infrastructure.Timestamping;

public static class TimestampingServiceCollectionExtensions
{
    /// <summary>RFC 3161 time-stamping: the external authority at <c>Timestamping:Url</c> when it is set, else the embedded one.</summary>
    public static IServiceCollection AddTimestamping(this IServiceCollection services, IConfiguration configuration)
    {
        var section = configuration.GetSection(TimestampingOptions.Section);
        services.AddOptions<TimestampingOptions>().Bind(section).ValidateDataAnnotations().ValidateOnStart();
        services.TryAddSingleton(TimeProvider.System);
        if (string.IsNullOrWhiteSpace(section[nameof(TimestampingOptions.Url)]))
        {
            services.AddSingleton<EmbeddedTimestampAuthority>();
            services.AddSingleton<ITimestampAuthority>(sp => sp.GetRequiredService<EmbeddedTimestampAuthority>());
        }
        else
        {
            services.AddSingleton<HttpTimestampCertificates>();
            services.AddHttpClient<ITimestampAuthority, HttpTimestampAuthority>((sp, client) =>
            {
                client.Timeout = sp.GetRequiredService<IOptions<TimestampingOptions>>().Value.Timeout;
                // A time-stamp response is a few kilobytes; a megabyte means the URL is not a TSA.
                client.MaxResponseContentBufferSize = 1024 * 1024;
            });
        }
        return services;
    }
}

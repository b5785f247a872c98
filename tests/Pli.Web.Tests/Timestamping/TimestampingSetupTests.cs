using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.Options;
using Pli.Web.Infrastructure.Timestamping;

namespace Pli.Web.Tests.Timestamping;

public sealed class TimestampingSetupTests : IDisposable
{
    private readonly TimestampingTestEnvironment _env = new();

    public void Dispose() => _env.Dispose();

    [Fact]
    public void AddTimestamping_WithoutUrl_UsesTheEmbeddedAuthority()
    {
        var services = _env.Services();

        services.GetRequiredService<IStartupValidator>().Validate();

        Assert.IsType<EmbeddedTimestampAuthority>(services.GetRequiredService<ITimestampAuthority>());
    }

    [Fact]
    public void AddTimestamping_WithUrl_UsesTheHttpAuthority()
    {
        var services = _env.Services(new Dictionary<string, string?> { ["Timestamping:Url"] = "https://tsa.example/tsr" });

        services.GetRequiredService<IStartupValidator>().Validate();

        Assert.IsType<HttpTimestampAuthority>(services.GetRequiredService<ITimestampAuthority>());
    }

    [Theory]
    [InlineData("Timestamping:PolicyOid", "not-an-oid")]
    [InlineData("Timestamping:Url", "tsa.example")]
    [InlineData("Timestamping:Timeout", "00:00:00")]
    [InlineData("Timestamping:KeyPath", "")]
    public void Start_WithInvalidOption_IsRefused(string key, string value)
    {
        var services = _env.Services(new Dictionary<string, string?> { [key] = value });

        Assert.Throws<OptionsValidationException>(() => services.GetRequiredService<IStartupValidator>().Validate());
    }
}

namespace Pli.Web.Infrastructure.Web;

/// <summary>
/// Absolute links to the platform, for mails (read outside the site) and API responses: they use
/// <c>Platform:PublicBaseUrl</c>, never the Host header of a request, which a client chooses.
/// </summary>
public sealed class PublicLinks(IConfiguration configuration)
{
    private readonly string _base = (configuration["Platform:PublicBaseUrl"] ?? "http://localhost:5080").TrimEnd('/');

    public string Base => _base;

    public string To(string pathAndQuery) => _base + pathAndQuery;
}

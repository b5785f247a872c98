namespace Pli.Web.Features.Dce;

public static class DceSetup
{
    public static IServiceCollection AddDce(this IServiceCollection services) => services;

    /// <summary>DCE downloads: whole DCE as a streamed zip, or file by file with HTTP ranges.</summary>
    public static WebApplication MapDce(this WebApplication app) => app;
}

namespace Pli.Web.Features.Dce;

public static class DceSetup
{
    public static IServiceCollection AddDce(this IServiceCollection services)
    {
        services.AddMemoryCache();
        services.AddDataProtection();
        services.AddSingleton<DceAccess>();
        services.AddScoped<DceRegister>();
        return services;
    }

    /// <summary>DCE downloads: whole DCE as a streamed zip, or file by file with HTTP ranges.</summary>
    public static WebApplication MapDce(this WebApplication app)
    {
        app.MapDceDownloads();
        return app;
    }
}

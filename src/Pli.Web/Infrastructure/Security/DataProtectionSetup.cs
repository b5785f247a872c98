using Microsoft.AspNetCore.DataProtection;

namespace Pli.Web.Infrastructure.Security;

public static class DataProtectionSetup
{
    /// <summary>
    /// Keys that protect cookies, confirmation and reset links and bearer tokens are kept beside the data
    /// (default data/keys), so that a restart does not sign everyone out nor void the links already mailed.
    /// </summary>
    public static IServiceCollection AddPliDataProtection(this IServiceCollection services, IConfiguration configuration, IHostEnvironment environment)
    {
        var path = configuration.GetValue<string>("DataProtection:KeysPath") ?? "data/keys";
        var directory = new DirectoryInfo(Path.IsPathRooted(path) ? path : Path.Combine(environment.ContentRootPath, path));
        services.AddDataProtection().SetApplicationName("Pli").PersistKeysToFileSystem(directory);
        return services;
    }
}

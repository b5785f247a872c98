using Microsoft.Data.Sqlite;
using Microsoft.EntityFrameworkCore;
using Microsoft.EntityFrameworkCore.Diagnostics;

namespace Pli.Web.Infrastructure.Data;

public static class DataServiceCollectionExtensions
{
    public static IServiceCollection AddData(this IServiceCollection services, IConfiguration configuration, IHostEnvironment environment)
    {
        services.AddOptions<DataOptions>().Bind(configuration.GetSection(DataOptions.Section)).ValidateDataAnnotations().ValidateOnStart();
        var options = configuration.GetSection(DataOptions.Section).Get<DataOptions>() ?? new DataOptions();

        // Interceptors come from the features that register one (IInterceptor), e.g. the portal's cache invalidation.
        if (options.Provider == DatabaseProvider.PostgreSql)
        {
            services.AddDbContext<PliDbContext, PostgresPliDbContext>((sp, o) => o.UseNpgsql(options.ConnectionString).AddInterceptors(sp.GetServices<IInterceptor>()));
        }
        else
        {
            var connectionString = ResolveSqlitePath(options.ConnectionString, environment.ContentRootPath);
            services.AddDbContext<PliDbContext, SqlitePliDbContext>((sp, o) => o.UseSqlite(connectionString).AddInterceptors(sp.GetServices<IInterceptor>()));
        }
        services.AddHealthChecks().AddDbContextCheck<PliDbContext>("database");
        return services;
    }

    /// <summary>Relative SQLite paths are under the content root, and their folder is created.</summary>
    private static string ResolveSqlitePath(string connectionString, string contentRoot)
    {
        var builder = new SqliteConnectionStringBuilder(connectionString);
        if (builder.DataSource != ":memory:" && !string.IsNullOrEmpty(builder.DataSource) && !builder.DataSource.StartsWith("file:", StringComparison.Ordinal))
        {
            var path = Path.IsPathRooted(builder.DataSource) ? builder.DataSource : Path.Combine(contentRoot, builder.DataSource);
            Directory.CreateDirectory(Path.GetDirectoryName(path)!);
            builder.DataSource = path;
        }
        return builder.ToString();
    }

    /// <summary>Applies the provider's migrations at start-up, so a fresh machine needs no manual step.</summary>
    public static async Task MigrateDatabaseAsync(this IServiceProvider services)
    {
        await using var scope = services.CreateAsyncScope();
        var db = scope.ServiceProvider.GetRequiredService<PliDbContext>();
        await db.Database.MigrateAsync();
    }
}

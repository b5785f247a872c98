using Microsoft.EntityFrameworkCore;
using Microsoft.EntityFrameworkCore.Design;

namespace Pli.Web.Infrastructure.Data;

// dotnet-ef builds each provider's context from these, so migrations never need a running host.
internal sealed class SqliteDesignTimeFactory : IDesignTimeDbContextFactory<SqlitePliDbContext>
{
    public SqlitePliDbContext CreateDbContext(string[] args) =>
        new(new DbContextOptionsBuilder<SqlitePliDbContext>().UseSqlite("Data Source=design.db").Options);
}

internal sealed class PostgresDesignTimeFactory : IDesignTimeDbContextFactory<PostgresPliDbContext>
{
    public PostgresPliDbContext CreateDbContext(string[] args) =>
        new(new DbContextOptionsBuilder<PostgresPliDbContext>().UseNpgsql("Host=localhost;Database=pli_design").Options);
}

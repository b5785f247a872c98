using Microsoft.EntityFrameworkCore;
using Pli.Web.Tests.Infrastructure;

namespace Pli.Web.Tests.Data;

public abstract class MigrationsTests(PliApp app)
{
    [Fact]
    public async Task Migrations_MatchTheModel()
    {
        // A model change without its migration for this provider would fail here, not in production.
        var pending = await app.WithDb(db => Task.FromResult(db.Database.HasPendingModelChanges()));

        Assert.False(pending);
    }

    [Fact]
    public async Task Migrations_AreAllApplied()
    {
        var pending = await app.WithDb(async db => (await db.Database.GetPendingMigrationsAsync()).ToList());

        Assert.Empty(pending);
    }
}

public sealed class MigrationsTestsOnSqlite(SqliteApp app) : MigrationsTests(app), IClassFixture<SqliteApp>;

public sealed class MigrationsTestsOnPostgres(PostgresApp app) : MigrationsTests(app), IClassFixture<PostgresApp>;

using Microsoft.EntityFrameworkCore;
using Microsoft.Extensions.DependencyInjection;
using Pli.Web.Infrastructure.Data;
using Pli.Web.Infrastructure.Mail;
using Pli.Web.Tests.Infrastructure;

namespace Pli.Web.Tests.Mail;

/// <summary>
/// Several dispatchers (threads of one instance, or instances) claiming batches of the same outbox at once: each
/// mail is sent exactly once, on both databases (PostgreSQL re-checks the claim's condition row by row).
/// </summary>
public abstract class OutboxConcurrencyTests(PliApp app)
{
    [Fact]
    public async Task ThreeDispatchersAtOnce_OverSeveralBatches_SendEachMailExactlyOnce()
    {
        const int count = 350;
        var before = app.Smtp.Received.Count;
        var ids = await EnqueueInOneSaveAsync(count);
        var dispatcher = app.Services.GetRequiredService<OutboxDispatcher>();

        var counts = await Task.WhenAll(Task.Run(() => dispatcher.DispatchDueAsync()), Task.Run(() => dispatcher.DispatchDueAsync()),
            Task.Run(() => dispatcher.DispatchDueAsync()));
        var rest = await dispatcher.DispatchDueAsync();

        var received = app.Smtp.Received.Skip(before).ToList();
        Assert.Equal(count, counts.Sum() + rest);
        Assert.Equal(count, received.Count);
        Assert.Equal(ids.Select(id => $"{id:N}@pli.localhost").Order(StringComparer.Ordinal),
            received.Select(m => m.MessageId).Order(StringComparer.Ordinal));
        var stored = await app.WithDb(db => db.OutboxMails.AsNoTracking().Where(m => ids.Contains(m.Id)).ToListAsync());
        Assert.All(stored, m =>
        {
            Assert.Equal(OutboxMailStatus.Sent, m.Status);
            Assert.Equal(1, m.Attempts);
            Assert.Null(m.LeaseUntilUtc);
        });
    }

    /// <summary>As a notice to a whole audience does: every mail enqueued, then one SaveChanges.</summary>
    private async Task<List<Guid>> EnqueueInOneSaveAsync(int count)
    {
        await using var scope = app.Services.CreateAsyncScope();
        var outbox = scope.ServiceProvider.GetRequiredService<MailOutbox>();
        var template = scope.ServiceProvider.GetRequiredService<MailTemplate>();
        var ids = new List<Guid>();
        for (var i = 0; i < count; i++)
        {
            ids.Add(outbox.Enqueue(template.Create($"concurrence-{i}@example.org", "Avis de test", ["Une consultation a changé."], "Voir", "https://localhost/consultations/1")).Id);
        }
        await scope.ServiceProvider.GetRequiredService<PliDbContext>().SaveChangesAsync();
        return ids;
    }
}

public sealed class OutboxConcurrencyTestsOnSqlite(SqliteApp app) : OutboxConcurrencyTests(app), IClassFixture<SqliteApp>;

public sealed class OutboxConcurrencyTestsOnPostgres(PostgresApp app) : OutboxConcurrencyTests(app), IClassFixture<PostgresApp>;

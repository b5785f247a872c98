using Microsoft.EntityFrameworkCore;
using Microsoft.Extensions.DependencyInjection;
using Pli.Web.Features.Deposits;
using Pli.Web.Infrastructure.Data;
using Pli.Web.Tests.Infrastructure;

namespace Pli.Web.Tests.Features.Deposits;

public sealed class ConsultationKeyGateTests
{
    [Fact]
    public async Task Enter_ASecondCallerForTheSameConsultation_WaitsUntilTheFirstLeaves()
    {
        var gate = new ConsultationKeyGate();
        var consultation = Guid.NewGuid();

        var first = await gate.EnterAsync(consultation, CancellationToken.None);
        var second = gate.EnterAsync(consultation, CancellationToken.None);
        var other = await gate.EnterAsync(Guid.NewGuid(), CancellationToken.None);
        await Task.Delay(50);
        var waitedWhileHeld = !second.IsCompleted;
        first.Dispose();
        using (await second.WaitAsync(TimeSpan.FromSeconds(5)))
        {
            Assert.Equal(2, gate.Count);
        }
        other.Dispose();

        Assert.True(waitedWhileHeld);
        Assert.Equal(0, gate.Count);
    }

    [Fact]
    public async Task Enter_CancelledWhileWaiting_LeavesNothingBehind()
    {
        var gate = new ConsultationKeyGate();
        var consultation = Guid.NewGuid();
        var first = await gate.EnterAsync(consultation, CancellationToken.None);
        using var cancel = new CancellationTokenSource();

        var waiting = gate.EnterAsync(consultation, cancel.Token);
        await cancel.CancelAsync();
        await Assert.ThrowsAnyAsync<OperationCanceledException>(() => waiting);
        first.Dispose();
        first.Dispose();

        Assert.Equal(0, gate.Count);
        using var again = await gate.EnterAsync(consultation, CancellationToken.None).WaitAsync(TimeSpan.FromSeconds(5));
    }
}

public abstract class ConsultationKeyStoreTests(PliApp app)
{
    [Fact]
    public async Task Ensure_ManyFirstDraftsAtOnce_MakeOnePairThatAllGet()
    {
        // A consultation stored without the publication page (published before the pair was made there).
        var consultation = await new DepositScenario(app).ConsultationAsync();

        var records = await Task.WhenAll(Enumerable.Range(0, 6).Select(async _ =>
        {
            await using var scope = app.Services.CreateAsyncScope();
            return await scope.ServiceProvider.GetRequiredService<ConsultationKeyStore>().EnsureAsync(consultation.Id, CancellationToken.None);
        }));

        await using var check = app.Services.CreateAsyncScope();
        var stored = await check.ServiceProvider.GetRequiredService<PliDbContext>().ConsultationKeys.AsNoTracking().SingleAsync(k => k.ConsultationId == consultation.Id);
        Assert.All(records, r => Assert.Equal(stored.KeyId, r.KeyId));
        Assert.Equal(0, app.Services.GetRequiredService<ConsultationKeyGate>().Count);
    }
}

public sealed class ConsultationKeyStoreTestsOnSqlite(SqliteApp app) : ConsultationKeyStoreTests(app), IClassFixture<SqliteApp>;

public sealed class ConsultationKeyStoreTestsOnPostgres(PostgresApp app) : ConsultationKeyStoreTests(app), IClassFixture<PostgresApp>;

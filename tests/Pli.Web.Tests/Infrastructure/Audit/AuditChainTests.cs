using System.Net;
using Microsoft.EntityFrameworkCore;
using Microsoft.Extensions.DependencyInjection;
using Pli.Web.Infrastructure.Audit;

namespace Pli.Web.Tests.Infrastructure.Audit;

/// <summary>
/// The hash-chained audit trail: entries recorded by acts are linked in order, and any edit, deletion
/// or rewrite of a row in the database is found by the verification, which names the first broken entry.
/// Each test has its own database: the chain is the whole table.
/// </summary>
public abstract class AuditChainTests
{
    protected abstract PliApp NewApp();

    private static async Task<List<Guid>> RecordAsync(PliApp app, int count, string action = "test.act")
    {
        var ids = new List<Guid>();
        await using var scope = app.Services.CreateAsyncScope();
        var trail = scope.ServiceProvider.GetRequiredService<AuditTrail>();
        var db = scope.ServiceProvider.GetRequiredService<Pli.Web.Infrastructure.Data.PliDbContext>();
        for (var i = 0; i < count; i++)
        {
            ids.Add(trail.Record(action, Guid.NewGuid(), null, null, Guid.NewGuid(), $"target:{i}", $"détail n° {i}\nsur deux lignes").Id);
            app.Time.Advance(TimeSpan.FromMilliseconds(1));
        }
        await db.SaveChangesAsync();
        return ids;
    }

    private static Task<int> ChainAsync(PliApp app) => app.Services.GetRequiredService<AuditChain>().ChainPendingAsync();

    private static async Task<AuditVerification> VerifyAsync(PliApp app)
    {
        await using var scope = app.Services.CreateAsyncScope();
        return await scope.ServiceProvider.GetRequiredService<AuditChainVerifier>().VerifyAsync();
    }

    private static Task<long> SequenceOf(PliApp app, Guid id) => app.WithDb(async db => (await db.AuditEntries.SingleAsync(e => e.Id == id)).Sequence!.Value);

    [Fact]
    public async Task RecordedEntries_AreChainedInOrder_AndTheChainVerifies()
    {
        using var app = NewApp();
        var ids = await RecordAsync(app, 5);

        var chained = await ChainAsync(app);
        var again = await ChainAsync(app);

        Assert.True(chained >= 5);
        Assert.Equal(0, again);
        var entries = await app.WithDb(db => db.AuditEntries.AsNoTracking().OrderBy(e => e.Sequence).ToListAsync());
        Assert.Equal(Enumerable.Range(1, entries.Count).Select(i => (long?)i), entries.Select(e => e.Sequence));
        Assert.Equal(AuditChainHead.Genesis, entries[0].PreviousHash);
        for (var i = 1; i < entries.Count; i++)
        {
            Assert.Equal(entries[i - 1].Hash, entries[i].PreviousHash);
        }
        Assert.Equal(ids, entries.Where(e => e.Action == "test.act").Select(e => e.Id));
        var verification = await VerifyAsync(app);
        Assert.True(verification.IsIntact);
        Assert.Equal(entries.Count, verification.Checked);
    }

    [Fact]
    public async Task EditedDetail_IsFound_AndTheEntryNamed()
    {
        using var app = NewApp();
        var ids = await RecordAsync(app, 4);
        await ChainAsync(app);
        var sequence = await SequenceOf(app, ids[2]);

        await app.WithDb(db => db.Database.ExecuteSqlInterpolatedAsync($"UPDATE \"AuditEntries\" SET \"Detail\" = {"rien à signaler"} WHERE \"Id\" = {ids[2]}"));

        var verification = await VerifyAsync(app);
        Assert.False(verification.IsIntact);
        Assert.Equal(sequence, verification.Broken!.Sequence);
        Assert.Equal(ids[2], verification.Broken.EntryId);
        Assert.Equal(AuditBreakKind.Altered, verification.Broken.Kind);
        Assert.Equal(sequence - 1, verification.Checked);
    }

    [Fact]
    public async Task EditedTime_IsFound()
    {
        using var app = NewApp();
        var ids = await RecordAsync(app, 3);
        await ChainAsync(app);

        await app.WithDb(async db =>
        {
            var entry = await db.AuditEntries.SingleAsync(e => e.Id == ids[1]);
            entry.AtUtc = entry.AtUtc.AddSeconds(-1);
            await db.SaveChangesAsync();
        });

        var verification = await VerifyAsync(app);
        Assert.Equal(ids[1], verification.Broken?.EntryId);
        Assert.Equal(AuditBreakKind.Altered, verification.Broken!.Kind);
    }

    [Fact]
    public async Task EntryRewrittenWithItsHashRecomputed_BreaksTheLinkOfTheNextOne()
    {
        using var app = NewApp();
        var ids = await RecordAsync(app, 3);
        await ChainAsync(app);

        await app.WithDb(async db =>
        {
            var entry = await db.AuditEntries.SingleAsync(e => e.Id == ids[1]);
            entry.Detail = "réécrit";
            entry.Hash = AuditChain.HashOf(entry);
            await db.SaveChangesAsync();
        });

        var verification = await VerifyAsync(app);
        Assert.Equal(ids[2], verification.Broken?.EntryId);
        Assert.Equal(AuditBreakKind.LinkBroken, verification.Broken!.Kind);
    }

    [Fact]
    public async Task DeletedEntry_IsFoundMissing()
    {
        using var app = NewApp();
        var ids = await RecordAsync(app, 3);
        await ChainAsync(app);
        var sequence = await SequenceOf(app, ids[1]);

        await app.WithDb(db => db.AuditEntries.Where(e => e.Id == ids[1]).ExecuteDeleteAsync());

        var verification = await VerifyAsync(app);
        Assert.Equal(sequence, verification.Broken?.Sequence);
        Assert.Equal(AuditBreakKind.Missing, verification.Broken!.Kind);
    }

    [Fact]
    public async Task DeletedLastEntry_IsFoundAgainstTheHead()
    {
        using var app = NewApp();
        var ids = await RecordAsync(app, 3);
        await ChainAsync(app);
        var sequence = await SequenceOf(app, ids[2]);

        await app.WithDb(db => db.AuditEntries.Where(e => e.Id == ids[2]).ExecuteDeleteAsync());

        var verification = await VerifyAsync(app);
        Assert.Equal(sequence, verification.Broken?.Sequence);
        Assert.Equal(AuditBreakKind.HeadMismatch, verification.Broken!.Kind);
    }

    [Fact]
    public async Task EntriesRecordedAfterAChaining_JoinTheSameChain()
    {
        using var app = NewApp();
        await RecordAsync(app, 2);
        await ChainAsync(app);
        await RecordAsync(app, 2);
        await ChainAsync(app);

        Assert.True((await VerifyAsync(app)).IsIntact);
    }

    [Fact]
    public async Task ThreeChainersAtOnce_GiveEveryEntryOnePlace()
    {
        using var app = NewApp();
        await RecordAsync(app, 300);
        await Task.WhenAll(ChainAsync(app), ChainAsync(app), ChainAsync(app));

        var sequences = await app.WithDb(db => db.AuditEntries.Select(e => e.Sequence).ToListAsync());
        Assert.DoesNotContain(null, sequences);
        Assert.Equal(sequences.Count, sequences.Distinct().Count());
        Assert.True((await VerifyAsync(app)).IsIntact);
    }

    [Fact]
    public async Task Command_ExitsZeroWhenIntact_OneAndNamesTheEntryWhenBroken()
    {
        using var app = NewApp();
        var ids = await RecordAsync(app, 3);
        var intactOutput = new StringWriter();

        var intact = await AuditCommand.RunAsync(app.Services, intactOutput);
        var sequence = await SequenceOf(app, ids[0]);
        await app.WithDb(db => db.Database.ExecuteSqlInterpolatedAsync($"UPDATE \"AuditEntries\" SET \"Action\" = {"rien"} WHERE \"Id\" = {ids[0]}"));
        var brokenOutput = new StringWriter();
        var broken = await AuditCommand.RunAsync(app.Services, brokenOutput);

        Assert.Equal(0, intact);
        Assert.StartsWith("audit chain intact:", intactOutput.ToString(), StringComparison.Ordinal);
        Assert.Equal(1, broken);
        Assert.Contains($"BROKEN at sequence {sequence} (Altered): entry {ids[0]}", brokenOutput.ToString(), StringComparison.Ordinal);
    }

    [Fact]
    public async Task AdminPage_VerifiesAndNamesTheFirstBrokenEntry()
    {
        using var app = NewApp();
        var ids = await RecordAsync(app, 3);
        await ChainAsync(app);
        var sequence = await SequenceOf(app, ids[1]);
        await app.WithDb(db => db.Database.ExecuteSqlInterpolatedAsync($"UPDATE \"AuditEntries\" SET \"Target\" = {"autre"} WHERE \"Id\" = {ids[1]}"));
        using var admin = app.Browser();
        await admin.SignInAsDemoAdminAsync();

        using var response = await admin.SubmitFormAsync("/admin/journal", new Dictionary<string, string>());

        Assert.Equal(HttpStatusCode.OK, response.StatusCode);
        var page = await TestBrowser.ParseAsync(response);
        var result = page.QuerySelector("#resultat-verification")!.TextContent;
        Assert.Contains($"Chaîne rompue à l'entrée n° {sequence}.", result, StringComparison.Ordinal);
        Assert.Contains(ids[1].ToString(), result, StringComparison.Ordinal);
        Assert.Contains("modifié", result, StringComparison.Ordinal);
    }

    [Fact]
    public async Task AdminPage_IsRefusedToAnAgentAndToACompany()
    {
        using var app = NewApp();
        using var agent = app.Browser();
        await agent.SignInAsDemoAgentAsync();
        using var company = app.Browser();
        await company.SignInAsDemoCompanyAsync();

        using var byAgent = await agent.Client.GetAsync("/admin/journal");
        using var byCompany = await company.Client.GetAsync("/admin/journal");

        Assert.NotEqual(HttpStatusCode.OK, byAgent.StatusCode);
        Assert.NotEqual(HttpStatusCode.OK, byCompany.StatusCode);
    }
}

public sealed class AuditChainTestsOnSqlite : AuditChainTests
{
    protected override PliApp NewApp() => new SqliteApp();
}

public sealed class AuditChainTestsOnPostgres : AuditChainTests
{
    protected override PliApp NewApp() => new PostgresApp();
}

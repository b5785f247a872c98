using Microsoft.EntityFrameworkCore;
using Microsoft.Extensions.DependencyInjection;
using Pli.Web.Infrastructure.Backup;
using Pli.Web.Infrastructure.Storage;
using Pli.Web.Tests.Features.Deposits;

namespace Pli.Web.Tests.Infrastructure.Backup;

/// <summary>
/// <c>storage verify</c>: every file the database names (here the demo DCE files and one sealed deposit file)
/// must be in the store as recorded; a missing, cut or altered one is named and the exit code is 1.
/// Each test has its own app: the check covers the whole database.
/// </summary>
public abstract class StorageVerifyTests
{
    protected abstract PliApp NewApp();

    /// <summary>An app whose database names the demo DCE files and one sealed deposit file.</summary>
    private async Task<PliApp> AppWithFilesAsync()
    {
        var app = NewApp();
        var scenario = new DepositScenario(app);
        var consultation = await scenario.ConsultationAsync();
        // The test builder names DCE files it never stores: only the demo's, which are stored, stay.
        await app.WithDb(db => db.DceFiles.Where(f => f.ConsultationId == consultation.Id).ExecuteDeleteAsync());
        using var client = await scenario.ClientAsync();
        var deposit = await DepositScenario.StartAsync(client, consultation.Id);
        await DepositScenario.UploadOkAsync(client, DepositScenario.IdOf(deposit), "candidature", "dc1.pdf", DepositScenario.PdfOfSize(100_000));
        return app;
    }

    private static async Task<(int Exit, string Output)> VerifyAsync(PliApp app)
    {
        await using var output = new StringWriter();
        var exit = await StorageCommand.RunAsync(app.Services, output);
        return (exit, output.ToString());
    }

    private static IFileStore Store(PliApp app) => app.Services.GetRequiredService<IFileStore>();

    private static async Task<byte[]> ReadAsync(PliApp app, string key)
    {
        await using var stream = await Store(app).OpenReadAsync(key);
        using var copy = new MemoryStream();
        await stream.CopyToAsync(copy);
        return copy.ToArray();
    }

    private static async Task ReplaceAsync(PliApp app, string key, byte[] content)
    {
        using var stream = new MemoryStream(content);
        await Store(app).SaveAsync(key, stream);
    }

    private static async Task<(Guid Id, string Key)> FirstDceFileAsync(PliApp app)
    {
        var file = await app.WithDb(db => db.DceFiles.OrderBy(f => f.Id).Select(f => new { f.Id, f.StorageKey }).FirstAsync());
        return (file.Id, file.StorageKey);
    }

    [Fact]
    public async Task WholeStore_ExitsZero()
    {
        using var app = await AppWithFilesAsync();
        var files = await app.WithDb(async db => await db.DceFiles.CountAsync() + await db.DepositFiles.CountAsync());

        var (exit, output) = await VerifyAsync(app);

        Assert.True(exit == 0, output);
        Assert.Contains($"storage whole: {files} files", output, StringComparison.Ordinal);
        Assert.True(await app.WithDb(db => db.DepositFiles.AnyAsync()), "The scenario must have stored a deposit file.");
    }

    [Fact]
    public async Task MissingDceFile_IsReported_AndExitsOne()
    {
        using var app = await AppWithFilesAsync();
        var (id, key) = await FirstDceFileAsync(app);
        await Store(app).DeleteAsync(key);

        var (exit, output) = await VerifyAsync(app);

        Assert.Equal(1, exit);
        Assert.Contains("storage NOT whole: 1 of", output, StringComparison.Ordinal);
        Assert.Contains($"dce {id} (key {key}): missing", output, StringComparison.Ordinal);
    }

    [Fact]
    public async Task TruncatedDceFile_IsReported_WithItsSize()
    {
        using var app = await AppWithFilesAsync();
        var (id, key) = await FirstDceFileAsync(app);
        var content = await ReadAsync(app, key);
        await ReplaceAsync(app, key, content[..^1]);

        var (exit, output) = await VerifyAsync(app);

        Assert.Equal(1, exit);
        Assert.Contains($"dce {id} (key {key}): size {content.Length - 1} bytes, recorded {content.Length}", output, StringComparison.Ordinal);
    }

    [Fact]
    public async Task DceFileAlteredAtTheSameSize_IsReportedByItsHash()
    {
        using var app = await AppWithFilesAsync();
        var (id, key) = await FirstDceFileAsync(app);
        var content = await ReadAsync(app, key);
        content[0] ^= 0xFF;
        await ReplaceAsync(app, key, content);

        var (exit, output) = await VerifyAsync(app);

        Assert.Equal(1, exit);
        Assert.Contains($"dce {id} (key {key}): SHA-256", output, StringComparison.Ordinal);
    }

    [Fact]
    public async Task TruncatedSealedDepositFile_IsReported()
    {
        using var app = await AppWithFilesAsync();
        var file = await app.WithDb(db => db.DepositFiles.Select(f => new { f.Id, f.StorageKey }).SingleAsync());
        var (id, key) = (file.Id, file.StorageKey);
        var content = await ReadAsync(app, key);
        await ReplaceAsync(app, key, content[..^16]);

        var (exit, output) = await VerifyAsync(app);

        Assert.Equal(1, exit);
        Assert.Contains($"deposit {id} (key {key}): sealed size {content.Length - 16} bytes, expected {content.Length}", output, StringComparison.Ordinal);
    }
}

public sealed class StorageVerifyTestsOnSqlite : StorageVerifyTests
{
    protected override PliApp NewApp() => new DepositsSqliteApp();
}

public sealed class StorageVerifyTestsOnPostgres : StorageVerifyTests
{
    protected override PliApp NewApp() => new DepositsPostgresApp();
}

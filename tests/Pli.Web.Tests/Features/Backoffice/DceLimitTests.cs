using System.Buffers.Binary;
using Pli.Web.Tests.Infrastructure;
using static Pli.Web.Tests.Features.Backoffice.BackofficeTestData;

namespace Pli.Web.Tests.Features.Backoffice;

/// <summary>Zip bomb guards, proven on an app whose DCE limit is 100 KB instead of 2 GB.</summary>
public abstract class DceLimitTests(PliApp app)
{
    public const string LimitBytes = "100000";

    public static IDictionary<string, string?> SmallLimits => new Dictionary<string, string?> { ["Backoffice:Dce:MaxTotalBytes"] = LimitBytes };

    private async Task<(TestBrowser Browser, Guid Id)> DraftAsync()
    {
        var id = await CreateDraftAsync(app, await DemoOrganisationIdAsync(app));
        var browser = app.Browser();
        await browser.SignInAsDemoAgentAsync();
        return (browser, id);
    }

    private static Task<HttpResponseMessage> UploadAsync(TestBrowser browser, Guid id, string name, byte[] content) =>
        browser.SubmitFormAsync($"/acheteur/consultations/{id}/dce", new Dictionary<string, string>(), "#form-upload", [("Files", name, content)]);

    [Fact]
    public async Task Post_ZipDeclaringMoreThanTheLimit_IsRefusedClearlyAndStoresNothing()
    {
        var (browser, id) = await DraftAsync();
        using var _ = browser;
        var bomb = Zip(("RC.pdf", "rc"), ("zeros.txt", new string('0', 200_000)));

        using var response = await UploadAsync(browser, id, "DCE.zip", bomb);

        Assert.True(bomb.Length < 2_000);
        Assert.Contains("une fois décompressé", await ErrorsAsync(response), StringComparison.Ordinal);
        Assert.Empty((await LoadAsync(app, id)).DceFiles);
        Assert.Empty(StoredBlobs(app, id));
    }

    [Fact]
    public async Task Post_ZipLyingAboutItsSizes_IsRefusedAndStoresNothing()
    {
        var (browser, id) = await DraftAsync();
        using var _ = browser;
        var bomb = WithDeclaredSize(Zip(("RC.pdf", "rc"), ("zeros.txt", new string('0', 200_000))), "zeros.txt", 10);

        using var response = await UploadAsync(browser, id, "DCE.zip", bomb);

        // The reader stops at the declared size; the CRC check notices the truncation.
        var errors = await ErrorsAsync(response);
        Assert.Contains("zeros.txt", errors, StringComparison.Ordinal);
        Assert.Contains("endommagé", errors, StringComparison.Ordinal);
        Assert.Empty((await LoadAsync(app, id)).DceFiles);
        Assert.Empty(StoredBlobs(app, id));
    }

    [Fact]
    public async Task Post_PlainFilesOverTheLimit_AreRefusedAndStoreNothing()
    {
        var (browser, id) = await DraftAsync();
        using var _ = browser;

        using var response = await UploadAsync(browser, id, "gros.pdf", new byte[100_001]);

        Assert.Contains("une fois décompressé", await ErrorsAsync(response), StringComparison.Ordinal);
        Assert.Empty(StoredBlobs(app, id));
    }

    /// <summary>Rewrites the uncompressed size of an entry in its local header and in the central directory.</summary>
    private static byte[] WithDeclaredSize(byte[] zip, string entryName, uint size)
    {
        var bytes = (byte[])zip.Clone();
        var name = System.Text.Encoding.UTF8.GetBytes(entryName);
        for (var i = 0; i + 46 < bytes.Length; i++)
        {
            var signature = BinaryPrimitives.ReadUInt32LittleEndian(bytes.AsSpan(i));
            if (signature == 0x04034b50 && bytes.AsSpan(i + 30, name.Length).SequenceEqual(name))
            {
                BinaryPrimitives.WriteUInt32LittleEndian(bytes.AsSpan(i + 22), size);
            }
            else if (signature == 0x02014b50 && bytes.AsSpan(i + 46, name.Length).SequenceEqual(name))
            {
                BinaryPrimitives.WriteUInt32LittleEndian(bytes.AsSpan(i + 24), size);
            }
        }
        return bytes;
    }
}

public sealed class SmallDceLimitsSqliteApp : PliApp
{
    public override Pli.Web.Infrastructure.Data.DatabaseProvider Provider => Pli.Web.Infrastructure.Data.DatabaseProvider.Sqlite;

    protected override string ConnectionString => $"Data Source={Path.Combine(DataRoot, "pli.db")}";

    protected override IDictionary<string, string?> Settings => DceLimitTests.SmallLimits;
}

public sealed class SmallDceLimitsPostgresApp : PostgresApp
{
    protected override IDictionary<string, string?> Settings => DceLimitTests.SmallLimits;
}

public sealed class DceLimitTestsOnSqlite(SmallDceLimitsSqliteApp app) : DceLimitTests(app), IClassFixture<SmallDceLimitsSqliteApp>;

public sealed class DceLimitTestsOnPostgres(SmallDceLimitsPostgresApp app) : DceLimitTests(app), IClassFixture<SmallDceLimitsPostgresApp>;

using System.Net;
using System.Text;
using Pli.Web.Tests.Infrastructure;
using static Pli.Web.Tests.Features.Backoffice.BackofficeTestData;

namespace Pli.Web.Tests.Features.Backoffice;

public abstract class DceUploadTests(PliApp app)
{
    private static byte[] Bytes(string text) => Encoding.UTF8.GetBytes(text);

    private async Task<(TestBrowser Browser, Guid Id)> DraftAsync(params string[] existing)
    {
        var id = await CreateDraftAsync(app, await DemoOrganisationIdAsync(app), null, existing);
        var browser = app.Browser();
        await browser.SignInAsDemoAgentAsync();
        return (browser, id);
    }

    private static Task<HttpResponseMessage> UploadAsync(TestBrowser browser, Guid id, bool? unzip, params (string Name, byte[] Content)[] files)
    {
        var fields = new Dictionary<string, string>();
        if (unzip == false)
        {
            fields["Unzip"] = "false";
        }
        return browser.SubmitFormAsync($"/acheteur/consultations/{id}/dce", fields, "#form-upload", [.. files.Select(f => ("Files", f.Name, f.Content))]);
    }

    [Fact]
    public async Task Post_SeveralFiles_AreStoredWithSizeAndHash()
    {
        var (browser, id) = await DraftAsync();
        using var _ = browser;

        using var response = await UploadAsync(browser, id, null, ("RC.pdf", Bytes("règlement")), ("CCAP.docx", Bytes("clauses")));

        Assert.Equal(HttpStatusCode.Redirect, response.StatusCode);
        var files = (await LoadAsync(app, id)).DceFiles.OrderBy(f => f.RelativePath).ToList();
        Assert.Equal(["CCAP.docx", "RC.pdf"], files.Select(f => f.RelativePath));
        Assert.Equal(Bytes("règlement").Length, files[1].Size);
        Assert.Equal(Convert.ToHexStringLower(System.Security.Cryptography.SHA256.HashData(Bytes("règlement"))), files[1].Sha256);
        Assert.All(files, f => Assert.StartsWith($"dce/{id:N}/", f.StorageKey, StringComparison.Ordinal));
        Assert.Equal(2, StoredBlobs(app, id).Count);
    }

    [Fact]
    public async Task Post_Zip_IsKeptAsItsTree()
    {
        var (browser, id) = await DraftAsync();
        using var _ = browser;
        var zip = Zip(("RC.pdf", "rc"), ("Pièces techniques/", null), ("Pièces techniques/Plans/plan 1.dwg", "plan"), ("Pièces techniques/CCTP.pdf", "cctp"), ("__MACOSX/._RC.pdf", "meta"));

        using var response = await UploadAsync(browser, id, null, ("DCE.zip", zip));

        Assert.Equal(HttpStatusCode.Redirect, response.StatusCode);
        var paths = (await LoadAsync(app, id)).DceFiles.Select(f => f.RelativePath).Order(StringComparer.Ordinal).ToList();
        Assert.Equal(["Pièces techniques/CCTP.pdf", "Pièces techniques/Plans/plan 1.dwg", "RC.pdf"], paths);
        Assert.Equal(3, StoredBlobs(app, id).Count);
    }

    [Fact]
    public async Task Post_ZipWithUnzipUnchecked_IsKeptAsOneFile()
    {
        var (browser, id) = await DraftAsync();
        using var _ = browser;

        using var response = await UploadAsync(browser, id, unzip: false, ("DCE.zip", Zip(("RC.pdf", "rc"), ("CCAP.pdf", "ccap"))));

        Assert.Equal(HttpStatusCode.Redirect, response.StatusCode);
        Assert.Equal("DCE.zip", Assert.Single((await LoadAsync(app, id)).DceFiles).RelativePath);
    }

    [Fact]
    public async Task Post_ZipSlipEntry_RefusesWholeUploadNamingTheEntryAndStoresNothing()
    {
        var (browser, id) = await DraftAsync();
        using var _ = browser;
        var zip = Zip(("RC.pdf", "rc"), ("../../etc/evil.sh", "boom"));

        using var response = await UploadAsync(browser, id, null, ("DCE.zip", zip));

        Assert.Equal(HttpStatusCode.OK, response.StatusCode);
        Assert.Contains("../../etc/evil.sh", await ErrorsAsync(response), StringComparison.Ordinal);
        Assert.Empty((await LoadAsync(app, id)).DceFiles);
        Assert.Empty(StoredBlobs(app, id));
    }

    [Fact]
    public async Task Post_AbsolutePathEntry_IsRefusedAndStoresNothing()
    {
        var (browser, id) = await DraftAsync();
        using var _ = browser;

        using var response = await UploadAsync(browser, id, null, ("DCE.zip", Zip(("RC.pdf", "rc"), ("/etc/passwd", "root"))));

        Assert.Contains("/etc/passwd", await ErrorsAsync(response), StringComparison.Ordinal);
        Assert.Empty((await LoadAsync(app, id)).DceFiles);
        Assert.Empty(StoredBlobs(app, id));
    }

    [Fact]
    public async Task Post_ReservedName_IsRefusedAndStoresNothing()
    {
        var (browser, id) = await DraftAsync();
        using var _ = browser;

        using var response = await UploadAsync(browser, id, null, ("RC.pdf", Bytes("rc")), ("CON.pdf", Bytes("con")));

        Assert.Contains("CON.pdf", await ErrorsAsync(response), StringComparison.Ordinal);
        Assert.Contains("réservé", await ErrorsAsync(response), StringComparison.Ordinal);
        Assert.Empty((await LoadAsync(app, id)).DceFiles);
        Assert.Empty(StoredBlobs(app, id));
    }

    [Fact]
    public async Task Post_ReservedNameInsideZip_IsRefusedAndStoresNothing()
    {
        var (browser, id) = await DraftAsync();
        using var _ = browser;

        using var response = await UploadAsync(browser, id, null, ("DCE.zip", Zip(("RC.pdf", "rc"), ("Annexes/aux.txt", "aux"))));

        Assert.Contains("aux.txt", await ErrorsAsync(response), StringComparison.Ordinal);
        Assert.Empty(StoredBlobs(app, id));
    }

    [Fact]
    public async Task Post_ControlCharacterInEntryName_IsRefusedAndStoresNothing()
    {
        var (browser, id) = await DraftAsync();
        using var _ = browser;

        using var response = await UploadAsync(browser, id, null, ("DCE.zip", Zip(("RC.pdf", "rc"), ("plan\u0007.pdf", "bell"))));

        Assert.Contains("caractères de contrôle", await ErrorsAsync(response), StringComparison.Ordinal);
        Assert.Empty((await LoadAsync(app, id)).DceFiles);
        Assert.Empty(StoredBlobs(app, id));
    }

    [Fact]
    public async Task Post_EmptyFile_IsRefusedClearlyAndStoresNothing()
    {
        var (browser, id) = await DraftAsync();
        using var _ = browser;

        using var response = await UploadAsync(browser, id, null, ("RC.pdf", Bytes("rc")), ("vide.pdf", []));

        var errors = await ErrorsAsync(response);
        Assert.Contains("vide.pdf", errors, StringComparison.Ordinal);
        Assert.Contains("est vide", errors, StringComparison.Ordinal);
        Assert.Empty((await LoadAsync(app, id)).DceFiles);
        Assert.Empty(StoredBlobs(app, id));
    }

    [Fact]
    public async Task Post_EmptyZipEntry_IsRefusedAndStoresNothing()
    {
        var (browser, id) = await DraftAsync();
        using var _ = browser;

        using var response = await UploadAsync(browser, id, null, ("DCE.zip", Zip(("RC.pdf", "rc"), ("Annexes/vide.txt", ""))));

        Assert.Contains("Annexes/vide.txt", await ErrorsAsync(response), StringComparison.Ordinal);
        Assert.Empty(StoredBlobs(app, id));
    }

    [Fact]
    public async Task Post_PathAlreadyInDce_IsRefusedAndStoresNothingMore()
    {
        var (browser, id) = await DraftAsync("RC.pdf");
        using var _ = browser;

        using var response = await UploadAsync(browser, id, null, ("CCAP.pdf", Bytes("ccap")), ("rc.PDF", Bytes("autre")));

        Assert.Contains("contient déjà", await ErrorsAsync(response), StringComparison.Ordinal);
        Assert.Equal("RC.pdf", Assert.Single((await LoadAsync(app, id)).DceFiles).RelativePath);
        Assert.Single(StoredBlobs(app, id));
    }

    [Fact]
    public async Task Post_SamePathTwiceInOneUpload_IsRefusedAndStoresNothing()
    {
        var (browser, id) = await DraftAsync();
        using var _ = browser;

        using var response = await UploadAsync(browser, id, null, ("RC.pdf", Bytes("un")), ("DCE.zip", Zip(("RC.pdf", "deux"))));

        Assert.Contains("deux fois", await ErrorsAsync(response), StringComparison.Ordinal);
        Assert.Empty(StoredBlobs(app, id));
    }

    [Fact]
    public async Task Post_TooManyEntries_IsRefusedClearlyAndStoresNothing()
    {
        var (browser, id) = await DraftAsync();
        using var _ = browser;
        var entries = Enumerable.Range(0, 5_001).Select(i => ($"f/{i}.txt", (string?)"x")).ToArray();

        using var response = await UploadAsync(browser, id, null, ("DCE.zip", Zip(entries)));

        Assert.Contains("plus de 5000 fichiers", await ErrorsAsync(response), StringComparison.Ordinal);
        Assert.Empty(StoredBlobs(app, id));
    }

    [Fact]
    public async Task Post_NotAZip_IsRefusedAndStoresNothing()
    {
        var (browser, id) = await DraftAsync();
        using var _ = browser;

        using var response = await UploadAsync(browser, id, null, ("RC.pdf", Bytes("rc")), ("DCE.zip", Bytes("pas une archive")));
        Assert.True(response.StatusCode == HttpStatusCode.OK, await response.Content.ReadAsStringAsync());

        Assert.Contains("archive n'a pas pu être lue", await ErrorsAsync(response), StringComparison.Ordinal);
        Assert.Empty((await LoadAsync(app, id)).DceFiles);
        Assert.Empty(StoredBlobs(app, id));
    }

    [Fact]
    public async Task Post_RemoveFile_WhileDraft_DeletesRowAndContent()
    {
        var (browser, id) = await DraftAsync("RC.pdf", "CCAP.pdf");
        using var _ = browser;
        var file = (await LoadAsync(app, id)).DceFiles.Single(f => f.RelativePath == "RC.pdf");

        using var response = await browser.SubmitFormAsync($"/acheteur/consultations/{id}/dce", new Dictionary<string, string> { ["fileId"] = file.Id.ToString() }, "form[action*='Remove']");

        Assert.Equal(HttpStatusCode.Redirect, response.StatusCode);
        Assert.Equal("CCAP.pdf", Assert.Single((await LoadAsync(app, id)).DceFiles).RelativePath);
        Assert.Single(StoredBlobs(app, id));
    }
}

public sealed class DceUploadTestsOnSqlite(SqliteApp app) : DceUploadTests(app), IClassFixture<SqliteApp>;

public sealed class DceUploadTestsOnPostgres(PostgresApp app) : DceUploadTests(app), IClassFixture<PostgresApp>;

using System.IO.Compression;
using System.Net;
using System.Net.Http.Headers;
using Microsoft.EntityFrameworkCore;
using Pli.Domain.Dce;
using Pli.Web.Features.Dce;
using Pli.Web.Features.Demo;
using Pli.Web.Tests.Infrastructure;

namespace Pli.Web.Tests.Features.Dce;

public abstract class DceDownloadTests(PliApp app)
{
    private static readonly Dictionary<string, string> Understood = new() { ["Understood"] = "true" };

    [Fact]
    public async Task Page_OfDraftConsultation_Returns404()
    {
        var draft = await DceScenario.CreateAsync(app, publish: false);
        using var browser = app.Browser();
        await browser.SignInAsDemoCompanyAsync();

        using var response = await browser.GetAsync(draft.PagePath);

        Assert.Equal(HttpStatusCode.NotFound, response.StatusCode);
    }

    [Fact]
    public async Task Page_OfUnknownConsultation_Returns404()
    {
        using var browser = app.Browser();

        using var response = await browser.GetAsync($"/consultations/{Guid.NewGuid()}/dce");

        Assert.Equal(HttpStatusCode.NotFound, response.StatusCode);
    }

    [Fact]
    public async Task FileAndZip_OfDraftConsultation_Return404ToACompanyUserAndRecordNothing()
    {
        var draft = await DceScenario.CreateAsync(app, publish: false);
        using var browser = app.Browser();
        await browser.SignInAsDemoCompanyAsync();

        using var file = await browser.GetAsync(draft.FilePath("RC.pdf"));
        using var zip = await browser.GetAsync(draft.ZipPath);

        Assert.Equal(HttpStatusCode.NotFound, file.StatusCode);
        Assert.Equal(HttpStatusCode.NotFound, zip.StatusCode);
        Assert.Equal(0, await CountLinesAsync(draft));
    }

    [Fact]
    public async Task Anonymous_Page_WarnsBeforeDownloadingAndOffersSignIn()
    {
        var sample = await DceScenario.CreateAsync(app);
        using var browser = app.Browser();

        var page = await browser.GetPageAsync(sample.PagePath);

        Assert.Contains("Attention ! Le téléchargement « anonyme »", page.QuerySelector("#avertissement-anonyme")!.TextContent, StringComparison.Ordinal);
        Assert.Contains("ne permet pas d'être informé en cas de modification de la consultation", page.QuerySelector("#avertissement-anonyme")!.TextContent, StringComparison.Ordinal);
        Assert.NotNull(page.QuerySelector($"a[href^='/compte/connexion?ReturnUrl=']"));
        Assert.NotNull(page.QuerySelector("a[href='/compte/inscription']"));
        Assert.NotNull(page.QuerySelector("#confirmation-anonyme input[type=checkbox][name=Understood]"));
        Assert.Empty(page.QuerySelectorAll("a.dce-file"));
        Assert.Null(page.QuerySelector("#dce-complet"));
    }

    [Fact]
    public async Task Anonymous_PageInEnglish_ShowsTheWarningInEnglish()
    {
        var sample = await DceScenario.CreateAsync(app);
        using var browser = app.Browser();

        var page = await browser.GetPageAsync(sample.PagePath + "?culture=en-GB&ui-culture=en-GB");

        Assert.Contains("does not let you be informed if the consultation changes", page.QuerySelector("#avertissement-anonyme")!.TextContent, StringComparison.Ordinal);
    }

    [Fact]
    public async Task Anonymous_FileOrZipWithoutConfirmation_IsNotServedAndNothingIsRecorded()
    {
        var sample = await DceScenario.CreateAsync(app);
        using var browser = app.Browser();

        using var file = await browser.GetAsync(sample.FilePath("RC.pdf"));
        using var zip = await browser.GetAsync(sample.ZipPath);

        Assert.Equal(HttpStatusCode.Redirect, file.StatusCode);
        Assert.Equal(sample.PagePath, file.Headers.Location!.OriginalString);
        Assert.Equal(HttpStatusCode.Redirect, zip.StatusCode);
        Assert.Equal(0, await CountLinesAsync(sample));
    }

    [Fact]
    public async Task Anonymous_ConfirmWithoutTickingTheBox_IsRefusedAndGivesNoAccess()
    {
        var sample = await DceScenario.CreateAsync(app);
        using var browser = app.Browser();

        using var confirm = await browser.SubmitFormAsync(sample.PagePath, new Dictionary<string, string>(), "#confirmation-anonyme");

        Assert.Equal(HttpStatusCode.OK, confirm.StatusCode);
        var page = await TestBrowser.ParseAsync(confirm);
        Assert.Contains("J'ai compris", page.QuerySelector("#erreurs")!.TextContent, StringComparison.Ordinal);
        using var file = await browser.GetAsync(sample.FilePath("RC.pdf"));
        Assert.Equal(HttpStatusCode.Redirect, file.StatusCode);
        Assert.Equal(0, await CountLinesAsync(sample));
    }

    [Fact]
    public async Task Anonymous_ConfirmationWithoutAntiforgeryToken_IsRefusedAndGivesNoAccess()
    {
        var sample = await DceScenario.CreateAsync(app);
        using var browser = app.Browser();

        using var confirm = await browser.PostAsync(sample.PagePath, Understood);
        using var file = await browser.GetAsync(sample.FilePath("RC.pdf"));

        Assert.Equal(HttpStatusCode.BadRequest, confirm.StatusCode);
        Assert.False(confirm.Headers.TryGetValues("Set-Cookie", out var cookies) && cookies.Any(c => c.StartsWith(DceAccess.CookieName + "=", StringComparison.Ordinal)));
        Assert.Equal(HttpStatusCode.Redirect, file.StatusCode);
    }

    [Fact]
    public async Task Anonymous_AfterConfirmation_FileIsServedAndRecordedWithoutIdentity()
    {
        var sample = await DceScenario.CreateAsync(app);
        using var browser = app.Browser();

        using var confirm = await browser.SubmitFormAsync(sample.PagePath, Understood, "#confirmation-anonyme");
        using var file = await browser.GetAsync(sample.FilePath("RC.pdf"));

        Assert.Equal(HttpStatusCode.Redirect, confirm.StatusCode);
        Assert.Equal(HttpStatusCode.OK, file.StatusCode);
        Assert.Equal(sample.Contents["RC.pdf"], await file.Content.ReadAsByteArrayAsync());
        var line = Assert.Single(await LinesAsync(sample));
        Assert.True(line.IsAnonymous);
        Assert.Null(line.UserId);
        Assert.Null(line.CompanyId);
        Assert.Equal("RC.pdf", line.Files);
        Assert.Equal(app.Time.GetUtcNow().UtcDateTime, line.AtUtc);
    }

    [Fact]
    public async Task Anonymous_AfterConfirmation_PageShowsTheDownloadLinks()
    {
        var sample = await DceScenario.CreateAsync(app);
        using var browser = app.Browser();
        using var confirm = await browser.SubmitFormAsync(sample.PagePath, Understood, "#confirmation-anonyme");

        var page = await browser.GetPageAsync(sample.PagePath);

        Assert.NotNull(page.QuerySelector("#telechargement-anonyme-confirme"));
        Assert.Equal(4, page.QuerySelectorAll("a.dce-file").Length);
        Assert.Equal(sample.ZipPath, page.QuerySelector("#dce-complet")!.GetAttribute("href"));
    }

    [Fact]
    public async Task Anonymous_ConfirmationOfAnotherConsultation_DoesNotOpenThisOne()
    {
        var confirmed = await DceScenario.CreateAsync(app);
        var other = await DceScenario.CreateAsync(app);
        using var browser = app.Browser();
        using var confirm = await browser.SubmitFormAsync(confirmed.PagePath, Understood, "#confirmation-anonyme");
        var cookie = confirm.Headers.GetValues("Set-Cookie").Select(c => c.Split(';')[0]).Single(c => c.StartsWith(DceAccess.CookieName + "=", StringComparison.Ordinal));
        using var stranger = app.Browser();

        using var onOther = await GetWithCookieAsync(stranger, other.FilePath("RC.pdf"), cookie);
        using var onConfirmed = await GetWithCookieAsync(stranger, confirmed.FilePath("RC.pdf"), cookie);

        Assert.Equal(HttpStatusCode.Redirect, onOther.StatusCode);
        Assert.Equal(HttpStatusCode.OK, onConfirmed.StatusCode);
        Assert.Equal(0, await CountLinesAsync(other));
    }

    [Fact]
    public async Task Anonymous_ForgedConfirmationCookie_IsNotAccepted()
    {
        var sample = await DceScenario.CreateAsync(app);
        using var browser = app.Browser();

        using var response = await GetWithCookieAsync(browser, sample.FilePath("RC.pdf"), $"{DceAccess.CookieName}={sample.ConsultationId:N}");

        Assert.Equal(HttpStatusCode.Redirect, response.StatusCode);
    }

    [Fact]
    public async Task Anonymous_ConfirmationExpired_FileIsNotServed()
    {
        var sample = await DceScenario.CreateAsync(app);
        using var browser = app.Browser();
        using var confirm = await browser.SubmitFormAsync(sample.PagePath, Understood, "#confirmation-anonyme");

        app.Time.Advance(DceAccess.ConfirmationLifetime + TimeSpan.FromMinutes(1));
        using var file = await browser.GetAsync(sample.FilePath("RC.pdf"));

        Assert.Equal(HttpStatusCode.Redirect, file.StatusCode);
        Assert.Equal(0, await CountLinesAsync(sample));
    }

    [Fact]
    public async Task Identified_Page_ShowsZipButtonFileLinksAndCheckboxes()
    {
        var sample = await DceScenario.CreateAsync(app);
        using var browser = app.Browser();
        await browser.SignInAsDemoCompanyAsync();

        var page = await browser.GetPageAsync(sample.PagePath);

        Assert.Equal("Télécharger le DCE complet (zip)", page.QuerySelector("#dce-complet")!.TextContent.Trim());
        Assert.Equal(4, page.QuerySelectorAll("#selection input[type=checkbox][name=fichier]").Length);
        Assert.Equal(4, page.QuerySelectorAll("a.dce-file").Length);
        Assert.Null(page.QuerySelector("#confirmation-anonyme"));
        Assert.Contains("BTP Démo SARL", page.QuerySelector("#telechargement-identifie")!.TextContent, StringComparison.Ordinal);
    }

    [Fact]
    public async Task Identified_TwoDownloads_RecordTwoLinesWithUserAndCompany_AndFollowOnce()
    {
        var sample = await DceScenario.CreateAsync(app);
        using var browser = app.Browser();
        await browser.SignInAsDemoCompanyAsync();

        using var zip = await browser.GetAsync(sample.ZipPath);
        await zip.Content.ReadAsByteArrayAsync();
        using var file = await browser.GetAsync(sample.FilePath(DceScenario.Bpu));

        Assert.Equal(HttpStatusCode.OK, zip.StatusCode);
        Assert.Equal(HttpStatusCode.OK, file.StatusCode);
        var (userId, companyId) = await DemoCompanyUserAsync();
        var lines = await LinesAsync(sample);
        Assert.Equal(2, lines.Count);
        Assert.All(lines, l => Assert.Equal((userId, companyId), (l.UserId!.Value, l.CompanyId!.Value)));
        Assert.Equal([DceDownload.WholeDce, DceScenario.Bpu], lines.Select(l => l.Files).Order(StringComparer.Ordinal));
        var followers = await app.WithDb(db => db.ConsultationFollowers.Where(f => f.ConsultationId == sample.ConsultationId).ToListAsync());
        Assert.Equal(companyId, Assert.Single(followers).CompanyId);
    }

    [Fact]
    public async Task Identified_Zip_KeepsTheFolderTreeInUtf8WithTheStoredContents()
    {
        var sample = await DceScenario.CreateAsync(app);
        using var browser = app.Browser();
        await browser.SignInAsDemoCompanyAsync();

        using var response = await browser.GetAsync(sample.ZipPath);
        var bytes = await response.Content.ReadAsByteArrayAsync();

        Assert.Equal(HttpStatusCode.OK, response.StatusCode);
        Assert.Equal("application/zip", response.Content.Headers.ContentType!.MediaType);
        var expectedName = $"DCE_{sample.Reference.Replace('/', '_')}.zip";
        Assert.Equal(expectedName, response.Content.Headers.ContentDisposition!.FileNameStar);
        Assert.Equal("attachment", response.Content.Headers.ContentDisposition.DispositionType);
        using var archive = new ZipArchive(new MemoryStream(bytes), ZipArchiveMode.Read);
        Assert.Equal(sample.Contents.Keys.Order(StringComparer.Ordinal), archive.Entries.Select(e => e.FullName).Order(StringComparer.Ordinal));
        var stored = await app.WithDb(db => db.DceFiles.Where(f => f.ConsultationId == sample.ConsultationId).ToDictionaryAsync(f => f.RelativePath, f => f.Sha256));
        foreach (var entry in archive.Entries)
        {
            await using var content = await entry.OpenAsync();
            using var copy = new MemoryStream();
            await content.CopyToAsync(copy);
            Assert.Equal(stored[entry.FullName], DceScenario.Sha256(copy.ToArray()));
        }
        var directory = ZipCentralDirectory.Read(bytes);
        Assert.True(directory.Single(e => e.Name == DceScenario.Cctp).Utf8, "The UTF-8 flag must be set on « Pièces techniques/… » entries.");
        Assert.Equal(ZipCentralDirectory.Stored, directory.Single(e => e.Name == DceScenario.Cctp).Method);
        Assert.Equal(ZipCentralDirectory.Deflated, directory.Single(e => e.Name == DceScenario.Bpu).Method);
    }

    [Fact]
    public async Task Identified_ZipOfASelection_HoldsOnlyTheSelectedFilesAndRecordsThem()
    {
        var sample = await DceScenario.CreateAsync(app);
        using var browser = app.Browser();
        await browser.SignInAsDemoCompanyAsync();

        using var response = await browser.GetAsync($"{sample.ZipPath}?fichier={sample.FileIds["RC.pdf"]}&fichier={sample.FileIds[DceScenario.Cctp]}");
        var bytes = await response.Content.ReadAsByteArrayAsync();

        Assert.Equal(HttpStatusCode.OK, response.StatusCode);
        using var archive = new ZipArchive(new MemoryStream(bytes), ZipArchiveMode.Read);
        Assert.Equal(["Pièces techniques/CCTP.pdf", "RC.pdf"], archive.Entries.Select(e => e.FullName).Order(StringComparer.Ordinal));
        var line = Assert.Single(await LinesAsync(sample));
        Assert.Equal(["Pièces techniques/CCTP.pdf", "RC.pdf"], line.Files.Split('\n').Order(StringComparer.Ordinal));
    }

    [Fact]
    public async Task Identified_ZipOfUnknownFiles_Returns404AndRecordsNothing()
    {
        var sample = await DceScenario.CreateAsync(app);
        var other = await DceScenario.CreateAsync(app);
        using var browser = app.Browser();
        await browser.SignInAsDemoCompanyAsync();

        using var response = await browser.GetAsync($"{sample.ZipPath}?fichier={other.FileIds["RC.pdf"]}");

        Assert.Equal(HttpStatusCode.NotFound, response.StatusCode);
        Assert.Equal(0, await CountLinesAsync(sample));
    }

    [Fact]
    public async Task Identified_File_HasContentTypeDispositionAndETag()
    {
        var sample = await DceScenario.CreateAsync(app);
        using var browser = app.Browser();
        await browser.SignInAsDemoCompanyAsync();

        using var response = await browser.GetAsync(sample.FilePath(DceScenario.Cctp));

        Assert.Equal(HttpStatusCode.OK, response.StatusCode);
        Assert.Equal("application/pdf", response.Content.Headers.ContentType!.MediaType);
        Assert.Equal("attachment", response.Content.Headers.ContentDisposition!.DispositionType);
        Assert.Equal("CCTP.pdf", response.Content.Headers.ContentDisposition.FileNameStar);
        Assert.Equal($"\"{DceScenario.Sha256(sample.Contents[DceScenario.Cctp])}\"", response.Headers.ETag!.Tag);
        Assert.Equal("bytes", Assert.Single(response.Headers.AcceptRanges));
        Assert.Equal("nosniff", Assert.Single(response.Headers.GetValues("X-Content-Type-Options")));
        Assert.Equal(sample.Contents[DceScenario.Cctp], await response.Content.ReadAsByteArrayAsync());
    }

    [Fact]
    public async Task Identified_RangeRequest_Returns206WithTheRightBytes()
    {
        var sample = await DceScenario.CreateAsync(app);
        using var browser = app.Browser();
        await browser.SignInAsDemoCompanyAsync();
        using var request = new HttpRequestMessage(HttpMethod.Get, sample.FilePath(DceScenario.Cctp));
        request.Headers.Range = new RangeHeaderValue(100_000, 100_099);

        using var response = await browser.Client.SendAsync(request);

        Assert.Equal(HttpStatusCode.PartialContent, response.StatusCode);
        Assert.Equal(sample.Contents[DceScenario.Cctp][100_000..100_100], await response.Content.ReadAsByteArrayAsync());
        Assert.Equal($"bytes 100000-100099/{sample.Contents[DceScenario.Cctp].Length}", response.Content.Headers.ContentRange!.ToString());
    }

    [Fact]
    public async Task Identified_RangeContinuationOfTheSameFile_AddsNoSecondLine()
    {
        var sample = await DceScenario.CreateAsync(app);
        using var browser = app.Browser();
        await browser.SignInAsDemoCompanyAsync();
        using var first = await browser.GetAsync(sample.FilePath(DceScenario.Cctp));
        app.Time.Advance(TimeSpan.FromMinutes(5));
        using var request = new HttpRequestMessage(HttpMethod.Get, sample.FilePath(DceScenario.Cctp));
        request.Headers.Range = new RangeHeaderValue(150_000, null);

        using var resumed = await browser.Client.SendAsync(request);

        Assert.Equal(HttpStatusCode.PartialContent, resumed.StatusCode);
        Assert.Single(await LinesAsync(sample));
    }

    [Fact]
    public async Task Anonymous_RangeContinuationOfTheSameFile_AddsNoSecondLine()
    {
        var sample = await DceScenario.CreateAsync(app);
        using var browser = app.Browser();
        using var confirm = await browser.SubmitFormAsync(sample.PagePath, Understood, "#confirmation-anonyme");
        using var first = await browser.GetAsync(sample.FilePath(DceScenario.Cctp));
        using var request = new HttpRequestMessage(HttpMethod.Get, sample.FilePath(DceScenario.Cctp));
        request.Headers.Range = new RangeHeaderValue(150_000, null);

        using var resumed = await browser.Client.SendAsync(request);

        Assert.Equal(HttpStatusCode.PartialContent, resumed.StatusCode);
        Assert.Single(await LinesAsync(sample));
    }

    [Fact]
    public async Task Identified_SecondFullDownloadOfTheSameFile_IsASecondLine()
    {
        var sample = await DceScenario.CreateAsync(app);
        using var browser = app.Browser();
        await browser.SignInAsDemoCompanyAsync();

        using var first = await browser.GetAsync(sample.FilePath("RC.pdf"));
        using var second = await browser.GetAsync(sample.FilePath("RC.pdf"));

        Assert.Equal(2, (await LinesAsync(sample)).Count);
    }

    [Fact]
    public async Task AfterDeadline_PageShowsTheNoticeAndTheDceIsStillServed()
    {
        var sample = await DceScenario.CreateAsync(app);
        await DceScenario.MovePastDeadlineAsync(app, sample.ConsultationId);
        using var browser = app.Browser();
        await browser.SignInAsDemoCompanyAsync();

        var page = await browser.GetPageAsync(sample.PagePath);
        using var zip = await browser.GetAsync(sample.ZipPath);

        Assert.Contains("Date limite dépassée", page.QuerySelector("#date-limite-depassee")!.TextContent, StringComparison.Ordinal);
        Assert.Equal(HttpStatusCode.OK, zip.StatusCode);
    }

    [Fact]
    public async Task BeforeDeadline_PageShowsNoDeadlineNotice()
    {
        var sample = await DceScenario.CreateAsync(app);
        using var browser = app.Browser();

        var page = await browser.GetPageAsync(sample.PagePath);

        Assert.Null(page.QuerySelector("#date-limite-depassee"));
    }

    [Fact]
    public async Task BuyerAgent_DownloadsOwnDce_WithoutBeingRecorded()
    {
        var sample = await DceScenario.CreateAsync(app);
        using var browser = app.Browser();
        await browser.SignInAsDemoAgentAsync();

        var page = await browser.GetPageAsync(sample.PagePath);
        using var zip = await browser.GetAsync(sample.ZipPath);
        await zip.Content.ReadAsByteArrayAsync();

        Assert.NotNull(page.QuerySelector("#telechargement-agent"));
        Assert.Equal(HttpStatusCode.OK, zip.StatusCode);
        Assert.Equal(0, await CountLinesAsync(sample));
        Assert.Equal(0, await app.WithDb(db => db.ConsultationFollowers.CountAsync(f => f.ConsultationId == sample.ConsultationId)));
    }

    [Fact]
    public async Task OtherBuyerAgent_IsTreatedAsAnonymous_AndNotServedWithoutConfirmation()
    {
        var sample = await DceScenario.CreateAsync(app);
        var email = await DceScenario.CreateOtherBuyerAgentAsync(app);
        using var browser = app.Browser();
        await browser.SignInAsync(email, DemoData.Password, DemoData.TotpSecret);

        using var file = await browser.GetAsync(sample.FilePath("RC.pdf"));

        Assert.Equal(HttpStatusCode.Redirect, file.StatusCode);
        Assert.Equal(0, await CountLinesAsync(sample));
    }

    private static async Task<HttpResponseMessage> GetWithCookieAsync(TestBrowser browser, string url, string cookie)
    {
        using var request = new HttpRequestMessage(HttpMethod.Get, url);
        request.Headers.Add("Cookie", cookie);
        return await browser.Client.SendAsync(request);
    }

    private Task<List<DceDownload>> LinesAsync(DceSample sample) =>
        app.WithDb(db => db.DceDownloads.Where(d => d.ConsultationId == sample.ConsultationId).ToListAsync());

    private Task<int> CountLinesAsync(DceSample sample) =>
        app.WithDb(db => db.DceDownloads.CountAsync(d => d.ConsultationId == sample.ConsultationId));

    private Task<(Guid UserId, Guid CompanyId)> DemoCompanyUserAsync() =>
        app.WithDb(async db =>
        {
            var user = await db.Users.SingleAsync(u => u.Email == DemoData.CompanyEmail);
            return (user.Id, user.CompanyId!.Value);
        });
}

public sealed class DceDownloadTestsOnSqlite(SqliteApp app) : DceDownloadTests(app), IClassFixture<SqliteApp>;

public sealed class DceDownloadTestsOnPostgres(PostgresApp app) : DceDownloadTests(app), IClassFixture<PostgresApp>;

using System.Globalization;
using System.Net;
using Microsoft.EntityFrameworkCore;
using MimeKit;
using Pli.Domain.Common;
using Pli.Domain.Consultations;
using Pli.Web.Features.Demo;
using Pli.Web.Tests.Features.Backoffice;
using Pli.Web.Tests.Features.Dce;
using Pli.Web.Tests.Features.Deposits;
using Pli.Web.Tests.Infrastructure;

namespace Pli.Web.Tests.Features.Notices;

/// <summary>
/// A published consultation of the demo buyer (its own DCE, deadline in 30 days), the demo agent's
/// browser, and the ways companies come to follow it: identified download, anonymous download, deposit.
/// </summary>
public sealed class NoticeScenario(PliApp app)
{
    public PliApp App => app;

    public Task<DceSample> PublishedAsync() => DceScenario.CreateAsync(app);

    public static string ModifyPath(Guid consultationId) => $"/acheteur/consultations/{consultationId}/modifier";

    public async Task<TestBrowser> AgentAsync()
    {
        var browser = app.Browser();
        await browser.SignInAsDemoAgentAsync();
        return browser;
    }

    /// <summary>The demo company user downloads the whole DCE, signed in: it now follows the consultation.</summary>
    public async Task DownloadIdentifiedAsync(DceSample sample)
    {
        using var browser = app.Browser();
        await browser.SignInAsDemoCompanyAsync();
        using var zip = await browser.GetAsync(sample.ZipPath);
        await zip.Content.ReadAsByteArrayAsync();
        Assert.Equal(HttpStatusCode.OK, zip.StatusCode);
    }

    /// <summary>Someone not signed in downloads after ticking "J'ai compris"; returns the browser (its session) for later checks.</summary>
    public async Task<TestBrowser> DownloadAnonymouslyAsync(DceSample sample)
    {
        var browser = app.Browser();
        using var confirmed = await browser.SubmitFormAsync(sample.PagePath, new Dictionary<string, string> { ["Understood"] = "true" }, "#confirmation-anonyme");
        Assert.True(confirmed.StatusCode is HttpStatusCode.Redirect or HttpStatusCode.OK, confirmed.StatusCode.ToString());
        using var zip = await browser.GetAsync(sample.ZipPath);
        await zip.Content.ReadAsByteArrayAsync();
        Assert.Equal(HttpStatusCode.OK, zip.StatusCode);
        return browser;
    }

    /// <summary>A company user (a new company's) seals a pli; returns the user's e-mail and the instant it was received.</summary>
    public async Task<(string Email, DateTime ReceivedUtc)> DepositAsync(DceSample sample)
    {
        var deposits = new DepositScenario(app);
        var email = await deposits.OtherCompanyUserAsync();
        using var client = await deposits.ClientAsync(email);
        var deposit = DepositScenario.IdOf(await DepositScenario.StartAsync(client, sample.ConsultationId));
        await DepositScenario.UploadOkAsync(client, deposit, "candidature", "DC1.pdf", DepositScenario.Pdf);
        await DepositScenario.UploadOkAsync(client, deposit, "offre", "Offre.pdf", DepositScenario.Pdf);
        var received = app.Time.GetUtcNow().UtcDateTime;
        using var sealedResponse = await DepositScenario.SealAsync(client, deposit);
        Assert.True(sealedResponse.StatusCode == HttpStatusCode.OK, await sealedResponse.Content.ReadAsStringAsync());
        return (email, received);
    }

    /// <summary>The fields of the deadline form for a Paris wall-clock instant, confirmed.</summary>
    public static Dictionary<string, string> DeadlineForm(DateTime utc, string prefix = "Deadline")
    {
        var paris = ParisTime.ToParis(utc);
        return new()
        {
            [prefix + "Date"] = paris.ToString("yyyy-MM-dd", CultureInfo.InvariantCulture),
            [prefix + "Time"] = paris.ToString("HH:mm:ss", CultureInfo.InvariantCulture),
            ["Confirm"] = "true",
        };
    }

    public async Task<HttpResponseMessage> PostDeadlineAsync(TestBrowser agent, Guid consultationId, DateTime newDeadlineUtc) =>
        await agent.SubmitFormAsync(ModifyPath(consultationId), DeadlineForm(newDeadlineUtc), "#form-report");

    /// <summary>The notices about this consultation that reached <paramref name="email"/>.</summary>
    public IReadOnlyList<MimeMessage> NoticesTo(string email, DceSample sample) =>
        [.. app.MailsTo(email).Where(m => m.Subject?.Contains(sample.Reference, StringComparison.Ordinal) == true
            && (m.Subject.StartsWith("Modification", StringComparison.Ordinal) || m.Subject.StartsWith("Annulation", StringComparison.Ordinal)))];

    /// <summary>Every notice about this consultation, whoever it went to.</summary>
    public IReadOnlyList<MimeMessage> AllNotices(DceSample sample) =>
        [.. app.Mails().Where(m => m.Subject?.Contains("consultation " + sample.Reference, StringComparison.Ordinal) == true)];

    public Task<Consultation> LoadAsync(Guid id) =>
        app.WithDb(db => db.Consultations.AsNoTracking().Include(c => c.DceFiles).Include(c => c.Modifications).SingleAsync(c => c.Id == id));

    public Task<int> AuditCountAsync(Guid id) =>
        app.WithDb(db => db.AuditEntries.CountAsync(a => a.ConsultationId == id && a.Action == "consultation.modified"));

    public static Task<string> ErrorsAsync(HttpResponseMessage response) => BackofficeTestData.ErrorsAsync(response);

    public const string CompanyEmail = DemoData.CompanyEmail;
}

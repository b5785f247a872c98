using System.Globalization;
using System.Net;
using Microsoft.EntityFrameworkCore;
using Pli.Domain.Common;
using Pli.Domain.Consultations;
using Pli.Web.Tests.Features.Deposits;
using Pli.Web.Tests.Features.Shared;
using Pli.Web.Tests.Infrastructure;

namespace Pli.Web.Tests.Features.Notices;

/// <summary>Who is told of a modification, and that a refused one tells nobody: on both databases.</summary>
public abstract class NoticeMailTests(PliApp app)
{
    private readonly NoticeScenario _scenario = new(app);

    [Fact]
    public async Task PostDeadline_MailsTheIdentifiedDownloaderAndTheDepositor_WithOldAndNewDatesAndALink()
    {
        var sample = await _scenario.PublishedAsync();
        await _scenario.DownloadIdentifiedAsync(sample);
        var (depositor, _) = await _scenario.DepositAsync(sample);
        using var agent = await _scenario.AgentAsync();
        var before = await _scenario.LoadAsync(sample.ConsultationId);
        var later = before.DeadlineUtc.AddDays(7);

        using var response = await _scenario.PostDeadlineAsync(agent, sample.ConsultationId, later);

        Assert.Equal(HttpStatusCode.Redirect, response.StatusCode);
        Assert.Equal(later, (await _scenario.LoadAsync(sample.ConsultationId)).DeadlineUtc);
        foreach (var email in new[] { NoticeScenario.CompanyEmail, depositor })
        {
            var mail = Assert.Single(_scenario.NoticesTo(email, sample));
            Assert.Equal($"Modification de la consultation {sample.Reference}", mail.Subject);
            Assert.Contains("La date limite de remise des plis passe du", mail.TextBody, StringComparison.Ordinal);
            Assert.Contains(Pli.Domain.Common.ParisTime.Format(before.DeadlineUtc, Pli.Domain.Common.ParisTime.French), mail.TextBody, StringComparison.Ordinal);
            Assert.Contains(Pli.Domain.Common.ParisTime.Format(later, Pli.Domain.Common.ParisTime.French), mail.TextBody, StringComparison.Ordinal);
            Assert.Contains("Voir la consultation", mail.HtmlBody, StringComparison.Ordinal);
            Assert.Contains($"https://localhost/consultations/{sample.ConsultationId}", mail.HtmlBody, StringComparison.Ordinal);
        }
        Assert.Equal(1, await _scenario.AuditCountAsync(sample.ConsultationId));
    }

    [Fact]
    public async Task PostDeadline_ToADepositorWhoReadsEnglish_MailsThemInEnglishAndTheFrenchFollowerInFrench()
    {
        var sample = await _scenario.PublishedAsync();
        await _scenario.DownloadIdentifiedAsync(sample);
        var (depositor, _) = await _scenario.DepositAsync(sample);
        await app.SetLanguageAsync(depositor, "en");
        using var agent = await _scenario.AgentAsync();
        var before = await _scenario.LoadAsync(sample.ConsultationId);
        var later = before.DeadlineUtc.AddDays(7);

        using var response = await _scenario.PostDeadlineAsync(agent, sample.ConsultationId, later);

        Assert.Equal(HttpStatusCode.Redirect, response.StatusCode);
        var english = Assert.Single(app.MailsTo(depositor), m => m.Subject == $"Modification of consultation {sample.Reference}");
        Assert.Contains("The deadline for tenders moves from", english.TextBody, StringComparison.Ordinal);
        Assert.Contains(ParisTime.Format(later, CultureInfo.GetCultureInfo("en-GB")), english.TextBody, StringComparison.Ordinal);
        Assert.Contains("(Paris time, UTC+0", english.TextBody, StringComparison.Ordinal);
        Assert.Contains("See the consultation", english.HtmlBody, StringComparison.Ordinal);
        Assert.Contains("<html lang=\"en\"", english.HtmlBody, StringComparison.Ordinal);
        var french = Assert.Single(_scenario.NoticesTo(NoticeScenario.CompanyEmail, sample));
        Assert.Equal($"Modification de la consultation {sample.Reference}", french.Subject);
        Assert.Contains("(heure de Paris, UTC+0", french.TextBody, StringComparison.Ordinal);
    }

    [Fact]
    public async Task PostDeadline_ToSomeoneWhoDownloadedTwiceAndDeposited_SendsThemOneMail()
    {
        var sample = await _scenario.PublishedAsync();
        var (depositor, _) = await _scenario.DepositAsync(sample);
        await app.WithDb(async db =>
        {
            // The depositor had downloaded the DCE twice, identified: the company follows the consultation.
            var user = await db.Users.SingleAsync(u => u.Email == depositor);
            var now = app.Time.GetUtcNow().UtcDateTime;
            db.DceDownloads.Add(Pli.Domain.Dce.DceDownload.Identified(sample.ConsultationId, user.Id, user.CompanyId!.Value, Pli.Domain.Dce.DceDownload.WholeDce, now));
            db.DceDownloads.Add(Pli.Domain.Dce.DceDownload.Identified(sample.ConsultationId, user.Id, user.CompanyId!.Value, Pli.Domain.Dce.DceDownload.WholeDce, now));
            db.ConsultationFollowers.Add(new Pli.Domain.Dce.ConsultationFollower(sample.ConsultationId, user.CompanyId!.Value, now));
            await db.SaveChangesAsync();
        });
        using var agent = await _scenario.AgentAsync();
        var before = await _scenario.LoadAsync(sample.ConsultationId);

        using var response = await _scenario.PostDeadlineAsync(agent, sample.ConsultationId, before.DeadlineUtc.AddDays(7));

        Assert.Equal(HttpStatusCode.Redirect, response.StatusCode);
        Assert.Single(_scenario.NoticesTo(depositor, sample));
        Assert.Single(_scenario.AllNotices(sample));
    }

    [Fact]
    public async Task PostDeadline_AfterAnAnonymousDownloadOnly_MailsNobody()
    {
        var sample = await _scenario.PublishedAsync();
        using var anonymous = await _scenario.DownloadAnonymouslyAsync(sample);
        using var agent = await _scenario.AgentAsync();
        var before = await _scenario.LoadAsync(sample.ConsultationId);

        using var response = await _scenario.PostDeadlineAsync(agent, sample.ConsultationId, before.DeadlineUtc.AddDays(7));

        Assert.Equal(HttpStatusCode.Redirect, response.StatusCode);
        Assert.Equal(1, await app.WithDb(db => db.DceDownloads.CountAsync(d => d.ConsultationId == sample.ConsultationId && d.UserId == null)));
        Assert.Empty(_scenario.AllNotices(sample));
        Assert.Single((await _scenario.LoadAsync(sample.ConsultationId)).Modifications);
    }

    [Fact]
    public async Task PostDeadline_BeforeTheLatestDeposit_IsRefusedChangesNothingAndMailsNobody()
    {
        var sample = await _scenario.PublishedAsync();
        await _scenario.DownloadIdentifiedAsync(sample);
        var (depositor, received) = await _scenario.DepositAsync(sample);
        app.Time.Advance(TimeSpan.FromMinutes(10));
        using var agent = await _scenario.AgentAsync();
        var before = await _scenario.LoadAsync(sample.ConsultationId);

        using var response = await _scenario.PostDeadlineAsync(agent, sample.ConsultationId, received.AddSeconds(-1));

        Assert.Equal(HttpStatusCode.OK, response.StatusCode);
        Assert.Contains("Un pli a déjà été reçu après cette date", await NoticeScenario.ErrorsAsync(response), StringComparison.Ordinal);
        var after = await _scenario.LoadAsync(sample.ConsultationId);
        Assert.Equal(before.DeadlineUtc, after.DeadlineUtc);
        Assert.Empty(after.Modifications);
        Assert.Empty(_scenario.NoticesTo(depositor, sample));
        Assert.Empty(_scenario.NoticesTo(NoticeScenario.CompanyEmail, sample));
        Assert.Equal(0, await _scenario.AuditCountAsync(sample.ConsultationId));
    }

    [Fact]
    public async Task PostDeadline_IntoThePast_IsRefusedChangesNothingAndMailsNobody()
    {
        var sample = await _scenario.PublishedAsync();
        await _scenario.DownloadIdentifiedAsync(sample);
        using var agent = await _scenario.AgentAsync();
        var before = await _scenario.LoadAsync(sample.ConsultationId);

        using var response = await _scenario.PostDeadlineAsync(agent, sample.ConsultationId, app.Time.GetUtcNow().UtcDateTime.AddMinutes(-1));

        Assert.Contains("doit être à venir", await NoticeScenario.ErrorsAsync(response), StringComparison.Ordinal);
        var after = await _scenario.LoadAsync(sample.ConsultationId);
        Assert.Equal(before.DeadlineUtc, after.DeadlineUtc);
        Assert.Empty(after.Modifications);
        Assert.Empty(_scenario.AllNotices(sample));
    }

    [Fact]
    public async Task PostCancel_MailsTheFollowerAndBlocksNewDeposits()
    {
        var sample = await _scenario.PublishedAsync();
        await _scenario.DownloadIdentifiedAsync(sample);
        using var agent = await _scenario.AgentAsync();

        using var response = await agent.SubmitFormAsync(NoticeScenario.ModifyPath(sample.ConsultationId),
            new Dictionary<string, string> { ["Reason"] = "Besoin abandonné par la métropole.", ["Confirm"] = "true" }, "#form-annulation");

        Assert.Equal(HttpStatusCode.Redirect, response.StatusCode);
        Assert.Equal(ConsultationStatus.Cancelled, (await _scenario.LoadAsync(sample.ConsultationId)).Status);
        var mail = Assert.Single(_scenario.NoticesTo(NoticeScenario.CompanyEmail, sample));
        Assert.Equal($"Annulation de la consultation {sample.Reference}", mail.Subject);
        Assert.Contains("aucun pli ne peut plus être déposé", mail.TextBody, StringComparison.Ordinal);
        Assert.DoesNotContain("Besoin abandonné", mail.TextBody, StringComparison.Ordinal);
        var deposits = new DepositScenario(app);
        using var company = await deposits.ClientAsync();
        using var start = await company.PostAsync($"/api/consultations/{sample.ConsultationId}/deposits",
            System.Net.Http.Json.JsonContent.Create(new { mode = "Solo", candidatureType = "Standard", lots = Array.Empty<int>() }));
        Assert.Equal(HttpStatusCode.NotFound, start.StatusCode);
        Assert.Equal(0, await app.WithDb(db => db.Deposits.CountAsync(d => d.ConsultationId == sample.ConsultationId)));
    }
}

public sealed class NoticeMailTestsOnSqlite(SqliteApp app) : NoticeMailTests(app), IClassFixture<SqliteApp>;

public sealed class NoticeMailTestsOnPostgres(PostgresApp app) : NoticeMailTests(app), IClassFixture<PostgresApp>;

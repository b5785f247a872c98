using System.Net;
using Pli.Web.Infrastructure.Mail;
using Pli.Web.Tests.Infrastructure;

namespace Pli.Web.Tests.Mail;

/// <summary>The outbox: a mail saved with its event reaches the SMTP server once, whatever stops or fails in between.</summary>
public sealed class OutboxTests
{
    private const string To = "entreprise@example.org";

    [Fact]
    public async Task SavedMail_IsSentOnceThroughSmtp_AndMarkedSent()
    {
        using var app = new MailApp();
        var id = await app.EnqueueAsync(To, "Modification de la consultation 2026-042");

        var sent = app.SendOutbox();
        var again = app.SendOutbox();

        Assert.Equal(1, sent);
        Assert.Equal(0, again);
        var received = Assert.Single(app.Smtp.To(To));
        Assert.Equal("Modification de la consultation 2026-042", received.Subject);
        Assert.Equal($"{id:N}@pli.localhost", received.MessageId);
        var stored = await app.OutboxMailAsync(id);
        Assert.Equal(OutboxMailStatus.Sent, stored.Status);
        Assert.Equal(1, stored.Attempts);
        Assert.Equal(app.Time.GetUtcNow().UtcDateTime, stored.SentUtc);
    }

    [Fact]
    public async Task SeveralMailsDue_AreSentOverOneSmtpConnection()
    {
        using var app = new MailApp();
        for (var i = 0; i < 3; i++)
        {
            await app.EnqueueAsync($"entreprise{i}@example.org");
        }

        var sent = app.SendOutbox();

        Assert.Equal(3, sent);
        Assert.Equal(3, app.Smtp.Received.Count);
        Assert.Equal(1, app.Smtp.SessionsUsed);
    }

    [Fact]
    public async Task MoreMailsDueThanABatch_AreEachSentExactlyOnce_OneConnectionPerBatch_AndAllMarkedSent()
    {
        using var app = new MailApp();
        var ids = new List<Guid>();
        for (var i = 0; i < 230; i++)
        {
            ids.Add(await app.EnqueueAsync($"entreprise-{i}@example.org"));
        }

        var sent = app.SendOutbox();
        var again = app.SendOutbox();

        Assert.Equal(230, sent);
        Assert.Equal(0, again);
        Assert.Equal(ids.Select(id => $"{id:N}@pli.localhost").Order(StringComparer.Ordinal), app.Smtp.Received.Select(m => m.MessageId).Order(StringComparer.Ordinal));
        Assert.Equal(3, app.Smtp.SessionsUsed);
        foreach (var id in ids)
        {
            var stored = await app.OutboxMailAsync(id);
            Assert.Equal(OutboxMailStatus.Sent, stored.Status);
            Assert.Equal(1, stored.Attempts);
            Assert.Null(stored.LeaseUntilUtc);
        }
    }

    [Fact]
    public async Task BatchSentSoSlowlyItsLeaseNearsItsEnd_StopsAndReleasesTheRest_WhichAreSentNextRound()
    {
        // Lease 100 s, stop 10 s before its end; each mail takes 40 s: mails 1-3 go, 4 and 5 are left for another worker.
        using var app = new MailApp(settings: new Dictionary<string, string?> { ["Mail:Outbox:LeaseSeconds"] = "100" });
        var ids = new List<Guid>();
        for (var i = 0; i < 5; i++)
        {
            ids.Add(await app.EnqueueAsync($"lent-{i}@example.org"));
        }
        app.Smtp.OnReceived = _ => app.Time.Advance(TimeSpan.FromSeconds(40));

        var first = app.SendOutbox();
        // Mails enqueued at one instant go in any order: which two are left is not fixed, that two are is.
        var afterFirst = new List<OutboxMail>();
        foreach (var id in ids)
        {
            afterFirst.Add(await app.OutboxMailAsync(id));
        }
        var second = app.SendOutbox();

        Assert.Equal(3, first);
        var released = afterFirst.Where(m => m.Status == OutboxMailStatus.Pending).ToList();
        Assert.Equal(2, released.Count);
        Assert.All(released, m => Assert.Null(m.LeaseUntilUtc));
        Assert.Equal(2, second);
        Assert.Equal(5, app.Smtp.Received.Select(m => m.MessageId).Distinct().Count());
        Assert.Equal(5, app.Smtp.Received.Count);
    }

    [Fact]
    public async Task MailsSharingOneBody_EachHaveTheirOwnHeaders_AndTheSameParts()
    {
        using var app = new MailApp();
        var first = await app.EnqueueAsync("premier@example.org");
        var second = await app.EnqueueAsync("second@example.org");

        app.SendOutbox();

        var one = Assert.Single(app.Smtp.To("premier@example.org"));
        var other = Assert.Single(app.Smtp.To("second@example.org"));
        Assert.Equal($"{first:N}@pli.localhost", one.MessageId);
        Assert.Equal($"{second:N}@pli.localhost", other.MessageId);
        Assert.Equal(new Version(1, 0), one.MimeVersion);
        Assert.Equal("multipart/alternative", one.Body?.ContentType.MimeType);
        Assert.Contains("Une consultation a changé.", one.TextBody, StringComparison.Ordinal);
        Assert.Contains("<p>Une consultation a changé.</p>", one.HtmlBody, StringComparison.Ordinal);
        Assert.Equal(one.TextBody, other.TextBody);
        Assert.Equal(one.HtmlBody, other.HtmlBody);
    }

    [Fact]
    public async Task MailRefusedInTheMiddleOfABatch_IsFlagged_AndTheNextOnesAreSentOnANewConnection()
    {
        using var app = new MailApp();
        var first = await app.EnqueueAsync("entreprise0@example.org");
        app.Time.Advance(TimeSpan.FromSeconds(1));
        var refused = await app.EnqueueAsync("inconnu@example.org");
        app.Time.Advance(TimeSpan.FromSeconds(1));
        var last = await app.EnqueueAsync("entreprise2@example.org");
        app.Smtp.RefusedRecipient = "inconnu@example.org";

        var sent = app.SendOutbox();

        Assert.Equal(2, sent);
        Assert.Single(app.Smtp.To("entreprise0@example.org"));
        Assert.Single(app.Smtp.To("entreprise2@example.org"));
        Assert.Equal(OutboxMailStatus.Sent, (await app.OutboxMailAsync(first)).Status);
        Assert.Equal(OutboxMailStatus.Failed, (await app.OutboxMailAsync(refused)).Status);
        Assert.Equal(OutboxMailStatus.Sent, (await app.OutboxMailAsync(last)).Status);
        Assert.Equal(2, app.Smtp.SessionsUsed);
    }

    [Fact]
    public async Task MailOfAChangeNotSaved_IsNeverSent()
    {
        using var app = new MailApp();
        await app.EnqueueAsync(To, save: false);

        Assert.Equal(0, app.SendOutbox());
        Assert.Empty(app.Smtp.Received);
    }

    [Fact]
    public async Task ProcessStoppedBeforeSending_TheNextProcessSendsTheMail()
    {
        await using var smtp = await SmtpSink.StartAsync();
        var first = new MailApp(smtp);
        await first.EnqueueAsync(To);
        using var restarted = first.Restarted();
        await first.DisposeAsync();
        Assert.Empty(first.Smtp.Received);

        restarted.SendOutbox();

        Assert.Single(smtp.To(To));
    }

    [Fact]
    public async Task MailSentBeforeARestart_IsNotSentAgain()
    {
        await using var smtp = await SmtpSink.StartAsync();
        var first = new MailApp(smtp);
        var id = await first.EnqueueAsync(To);
        Assert.Equal(1, first.SendOutbox());
        using var restarted = first.Restarted(worker: true);
        await first.DisposeAsync();

        _ = restarted.Services;
        var sentAfterRestart = restarted.SendOutbox();

        Assert.Equal(0, sentAfterRestart);
        Assert.Single(smtp.Received);
        Assert.Equal(OutboxMailStatus.Sent, (await restarted.OutboxMailAsync(id)).Status);
    }

    [Fact]
    public async Task SmtpServerDown_MailWaitsAndIsRetriedAfterTheDelay_ThenSent()
    {
        await using var smtp = SmtpSink.Stopped();
        using var app = new MailApp(smtp);
        var id = await app.EnqueueAsync(To);

        app.SendOutbox();
        var waiting = await app.OutboxMailAsync(id);
        app.SendOutbox();
        var notYetDue = await app.OutboxMailAsync(id);
        await smtp.StartAgainAsync();
        app.Time.Advance(app.RetryDelay(1) - TimeSpan.FromSeconds(1));
        app.SendOutbox();
        var secondBeforeRetry = await app.OutboxMailAsync(id);
        app.Time.Advance(TimeSpan.FromSeconds(1));
        app.SendOutbox();

        Assert.Equal(OutboxMailStatus.Pending, waiting.Status);
        Assert.Equal(1, waiting.Attempts);
        Assert.Contains("unreachable", waiting.LastError, StringComparison.Ordinal);
        Assert.Equal(app.Time.GetUtcNow().UtcDateTime, waiting.NextAttemptUtc);
        Assert.Equal(1, notYetDue.Attempts);
        Assert.Equal(1, secondBeforeRetry.Attempts);
        Assert.Single(smtp.To(To));
        Assert.Equal(OutboxMailStatus.Sent, (await app.OutboxMailAsync(id)).Status);
    }

    [Fact]
    public async Task SmtpServerRefusingForNow_IsRetriedWithADoublingDelay_ThenFlaggedAfterTheLastAttempt()
    {
        await using var smtp = await SmtpSink.StartAsync();
        smtp.Mode = SinkMode.RefuseTemporarily;
        using var app = new MailApp(smtp, settings: new Dictionary<string, string?> { ["Mail:Outbox:MaxAttempts"] = "4" });
        var id = await app.EnqueueAsync(To);

        var delays = new List<TimeSpan>();
        for (var attempt = 1; attempt <= 4; attempt++)
        {
            var before = await app.OutboxMailAsync(id);
            app.Time.Advance(before.NextAttemptUtc - app.Time.GetUtcNow().UtcDateTime);
            app.SendOutbox();
            var after = await app.OutboxMailAsync(id);
            delays.Add(after.NextAttemptUtc - app.Time.GetUtcNow().UtcDateTime);
        }
        var flagged = await app.OutboxMailAsync(id);

        Assert.Equal([TimeSpan.FromSeconds(30), TimeSpan.FromSeconds(60), TimeSpan.FromSeconds(120)], delays.Take(3));
        Assert.Equal(OutboxMailStatus.Failed, flagged.Status);
        Assert.Equal(4, flagged.Attempts);
        Assert.Contains("451", flagged.LastError, StringComparison.Ordinal);
        Assert.Empty(smtp.Received);
    }

    [Fact]
    public async Task SmtpServerRefusingForGood_FlagsTheMailAtOnce()
    {
        await using var smtp = await SmtpSink.StartAsync();
        smtp.Mode = SinkMode.RefusePermanently;
        using var app = new MailApp(smtp);
        var id = await app.EnqueueAsync(To);

        app.SendOutbox();

        var flagged = await app.OutboxMailAsync(id);
        Assert.Equal(OutboxMailStatus.Failed, flagged.Status);
        Assert.Equal(1, flagged.Attempts);
        Assert.Contains("550", flagged.LastError, StringComparison.Ordinal);
    }

    [Fact]
    public async Task FlaggedMail_IsShownToThePlatformAdmin_WhoSendsItAgain()
    {
        await using var smtp = await SmtpSink.StartAsync();
        smtp.Mode = SinkMode.RefusePermanently;
        using var app = new MailApp(smtp);
        var id = await app.EnqueueAsync(To, "Nouveau message concernant la consultation 2026-042");
        app.SendOutbox();
        using var browser = app.Browser();
        await browser.SignInAsDemoAdminAsync();

        var page = await browser.GetPageAsync("/admin/courriels");
        var row = page.GetElementById($"courriel-{id}");
        smtp.Mode = SinkMode.Accept;
        using var retried = await browser.SubmitFormAsync("/admin/courriels", new Dictionary<string, string>(), $"#courriel-{id} form");
        app.SendOutbox();

        Assert.NotNull(row);
        Assert.Contains(To, row.TextContent, StringComparison.Ordinal);
        Assert.Contains("550", row.TextContent, StringComparison.Ordinal);
        Assert.Equal(HttpStatusCode.Redirect, retried.StatusCode);
        Assert.Single(smtp.To(To));
        Assert.Equal(OutboxMailStatus.Sent, (await app.OutboxMailAsync(id)).Status);
        Assert.Contains(await app.WithDb(db => Microsoft.EntityFrameworkCore.EntityFrameworkQueryableExtensions.ToListAsync(db.AuditEntries)), e => e.Action == "mail.retried" && e.Target == $"mail:{id}");
    }

    [Fact]
    public async Task MailsPage_IsForThePlatformAdminOnly()
    {
        using var app = new MailApp();
        using var browser = app.Browser();
        await browser.SignInAsDemoAgentAsync();

        using var response = await browser.Client.GetAsync("/admin/courriels");

        Assert.NotEqual(HttpStatusCode.OK, response.StatusCode);
    }

    [Fact]
    public async Task TwoWorkersAtOnce_SendEachMailOnce()
    {
        await using var smtp = await SmtpSink.StartAsync();
        using var app = new MailApp(smtp);
        for (var i = 0; i < 30; i++)
        {
            await app.EnqueueAsync($"entreprise-{i}@example.org");
        }
        var dispatcher = (OutboxDispatcher)app.Services.GetService(typeof(OutboxDispatcher))!;

        var counts = await Task.WhenAll(dispatcher.DispatchDueAsync(), dispatcher.DispatchDueAsync(), dispatcher.DispatchDueAsync());

        Assert.Equal(30, counts.Sum());
        Assert.Equal(30, smtp.Received.Count);
        Assert.Equal(30, smtp.Received.Select(m => m.MessageId).Distinct().Count());
    }

    [Fact]
    public async Task BackgroundWorker_SendsWithoutBeingAsked()
    {
        await using var smtp = await SmtpSink.StartAsync();
        using var app = new MailApp(smtp, worker: true);
        await app.EnqueueAsync(To);

        // The worker polls every 100 ms in tests: wait for its round, bounded.
        for (var i = 0; i < 100 && smtp.Received.Count == 0; i++)
        {
            await Task.Delay(100);
        }

        Assert.Single(smtp.To(To));
    }
}

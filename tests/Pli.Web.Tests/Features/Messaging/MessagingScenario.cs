using System.Globalization;
using System.Net;
using System.Text;
using Microsoft.EntityFrameworkCore;
using Pli.Domain.Common;
using Pli.Domain.Consultations;
using Pli.Domain.Dce;
using Pli.Domain.Messaging;
using Pli.Web.Features.Messaging;
using Pli.Web.Infrastructure.Data;
using Pli.Web.Tests.Features.Account;
using Pli.Web.Tests.Features.Portal;
using Pli.Web.Tests.Features.Uploads;
using Pli.Web.Tests.Infrastructure;

namespace Pli.Web.Tests.Features.Messaging;

/// <summary>Pli with a small attachment limit, so that it can be crossed with a small file.</summary>
public static class MessagingSettings
{
    public const int MaxFileSize = 64 * 1024;

    public static IDictionary<string, string?> Values => new Dictionary<string, string?>
    {
        ["Messaging:MaxFileSize"] = MaxFileSize.ToString(CultureInfo.InvariantCulture),
    };
}

public sealed class MessagingSqliteApp : SqliteApp
{
    protected override IDictionary<string, string?> Settings => MessagingSettings.Values;
}

public sealed class MessagingPostgresApp : PostgresApp
{
    protected override IDictionary<string, string?> Settings => MessagingSettings.Values;
}

/// <summary>A consultation of the demo buyer, companies in its audience, and the forms of messaging, posted as a browser does.</summary>
public sealed class MessagingScenario(PliApp app)
{
    public static readonly byte[] Pdf = Encoding.ASCII.GetBytes("%PDF-1.7\n% complément\n1 0 obj << /Type /Catalog >> endobj\ntrailer << /Root 1 0 R >>\n%%EOF\n");

    public async Task<Consultation> ConsultationAsync() =>
        await new ConsultationBuilder(app).Buyer(await ConsultationBuilder.DemoBuyerIdAsync(app)).SaveAsync();

    /// <summary>A new company (its user an administrator, so the one mailed) that downloaded the DCE identified: a follower.</summary>
    public async Task<PliUser> FollowerAsync(Guid consultationId, Guid? companyId = null)
    {
        var user = await app.CreateCompanyUserAsync(admin: true, companyId: companyId);
        if (companyId is null)
        {
            await app.WithDb(db =>
            {
                db.ConsultationFollowers.Add(new ConsultationFollower(consultationId, user.CompanyId!.Value, app.Time.GetUtcNow().UtcDateTime));
                return db.SaveChangesAsync();
            });
        }
        return user;
    }

    public async Task<TestBrowser> SignedInAsync(PliUser user)
    {
        var browser = app.Browser();
        await browser.SignInAsync(user.Email!, AccountTestKit.Password);
        return browser;
    }

    public async Task<TestBrowser> AgentAsync()
    {
        var browser = app.Browser();
        await browser.SignInAsDemoAgentAsync();
        return browser;
    }

    /// <summary>A reply deadline some minutes ahead of the fake clock, on a whole second, as the form takes it.</summary>
    public DateTime DeadlineIn(TimeSpan fromNow)
    {
        var at = app.Time.GetUtcNow().UtcDateTime.Add(fromNow);
        return new DateTime(at.Ticks - (at.Ticks % TimeSpan.TicksPerSecond), DateTimeKind.Utc);
    }

    public static Task<HttpResponseMessage> SendAsync(TestBrowser agent, Guid consultationId, IEnumerable<Guid> companies,
        string text = "Merci de nous transmettre votre attestation d'assurance.", string subject = "Compléments à votre candidature",
        DateTime? replyDeadlineUtc = null, IEnumerable<(string Field, string FileName, byte[] Content)>? files = null, string type = nameof(MessageType.CandidatureComplements),
        IEnumerable<string>? uploadIds = null)
    {
        var fields = new List<KeyValuePair<string, string>>
        {
            new("Recipients", nameof(RecipientChoice.Chosen)),
            new("Type", type),
            new("Subject", subject),
            new("Text", text),
        };
        fields.AddRange(companies.Select(id => new KeyValuePair<string, string>("CompanyIds", id.ToString())));
        fields.AddRange((uploadIds ?? []).Select(id => new KeyValuePair<string, string>("UploadIds", id)));
        if (replyDeadlineUtc is { } deadline)
        {
            var paris = ParisTime.ToParis(deadline);
            fields.Add(new("ReplyDeadlineDate", paris.ToString("yyyy-MM-dd", CultureInfo.InvariantCulture)));
            fields.Add(new("ReplyDeadlineTime", paris.ToString("HH:mm:ss", CultureInfo.InvariantCulture)));
        }
        return agent.SubmitFormAsync(MessagePaths.Compose(consultationId), fields, "#form-message", files ?? []);
    }

    /// <summary>Sends and returns the thread of each company, failing with the page's errors when refused.</summary>
    public async Task<IReadOnlyDictionary<Guid, Guid>> SendOkAsync(TestBrowser agent, Guid consultationId, IReadOnlyCollection<Guid> companies,
        string text = "Merci de nous transmettre votre attestation d'assurance.", DateTime? replyDeadlineUtc = null, IEnumerable<(string, string, byte[])>? files = null,
        IEnumerable<string>? uploadIds = null)
    {
        using var response = await SendAsync(agent, consultationId, companies, text, replyDeadlineUtc: replyDeadlineUtc, files: files, uploadIds: uploadIds);
        await AccountTestKit.AssertRedirectAsync(response);
        return await app.WithDb(db => db.MessageThreads.Where(t => t.ConsultationId == consultationId && companies.Contains(t.CompanyId))
            .ToDictionaryAsync(t => t.CompanyId, t => t.Id));
    }

    /// <summary>Posts a reply with an antiforgery token read earlier (: after the deadline the page shows no form).</summary>
    public static Task<HttpResponseMessage> ReplyAsync(TestBrowser company, Guid threadId, string antiforgeryToken, string text, params (string FileName, byte[] Content)[] files) =>
        company.PostAsync(MessagePaths.CompanyThread(threadId),
            [new("__RequestVerificationToken", antiforgeryToken), new("Text", text)],
            files.Select(f => ("Files", f.FileName, f.Content)).ToList());

    /// <summary>Posts a reply carrying the ids of attachments sent through tus, as message-upload.js leaves them in the form.</summary>
    public static Task<HttpResponseMessage> ReplyWithUploadsAsync(TestBrowser company, Guid threadId, string text, params string[] uploadIds) =>
        company.SubmitFormAsync(MessagePaths.CompanyThread(threadId),
            [new("Text", text), .. uploadIds.Select(id => new KeyValuePair<string, string>("UploadIds", id))], "#form-reponse");

    /// <summary>The Upload-Metadata message-upload.js sends: purpose, the message's context and the file's name.</summary>
    public static string TusMetadata(string contextKey, Guid contextId, string fileName, string purpose = MessageUploadMetadata.Purpose)
    {
        static string B64(string s) => Convert.ToBase64String(Encoding.UTF8.GetBytes(s));
        return string.Join(',', "purpose " + B64(purpose), contextKey + " " + B64(contextId.ToString()), "filename " + B64(fileName));
    }

    /// <summary>Creates the tus upload (signed in by the browser's cookie), without bytes, as the script does.</summary>
    public static Task<HttpResponseMessage> TusCreateAsync(TestBrowser browser, string metadata, long length) =>
        browser.Client.SendAsync(Tus.Create(length, metadata));

    /// <summary>Sends a whole attachment through tus: creation, then one PATCH; returns the upload's id.</summary>
    public static async Task<string> TusUploadOkAsync(TestBrowser browser, string contextKey, Guid contextId, string fileName, byte[] content)
    {
        using var created = await TusCreateAsync(browser, TusMetadata(contextKey, contextId, fileName), content.Length);
        Assert.True(created.StatusCode == HttpStatusCode.Created, $"{created.StatusCode}: {await created.Content.ReadAsStringAsync()}");
        var url = created.Headers.Location!.ToString();
        using var patched = await browser.Client.SendAsync(Tus.Patch(url, 0, content));
        Assert.True(patched.StatusCode == HttpStatusCode.NoContent, $"{patched.StatusCode}: {await patched.Content.ReadAsStringAsync()}");
        return Tus.IdOf(url);
    }

    public static async Task<string> ReplyTokenAsync(TestBrowser company, Guid threadId)
    {
        var page = await company.GetPageAsync(MessagePaths.CompanyThread(threadId));
        return page.QuerySelector("#form-reponse input[name=__RequestVerificationToken]")?.GetAttribute("value")
            ?? throw new InvalidOperationException("No reply form on the thread page.");
    }

    public Task<MessageThread> ThreadAsync(Guid threadId) =>
        app.WithDb(db => db.MessageThreads.AsNoTracking().Include(t => t.Messages).ThenInclude(m => m.Attachments).SingleAsync(t => t.Id == threadId));

    public Task<List<string>> AuditAsync(Guid threadId) =>
        app.WithDb(db => db.AuditEntries.AsNoTracking().Where(a => a.Target == $"message:{threadId}").OrderBy(a => a.AtUtc).Select(a => a.Action).ToListAsync());

    public static void AssertNotFound(HttpResponseMessage response) =>
        Assert.True(response.StatusCode == HttpStatusCode.NotFound, $"Expected 404, got {(int)response.StatusCode} {response.Headers.Location}");
}

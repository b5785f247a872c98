using System.IO.Compression;
using System.Text;
using Microsoft.AspNetCore.Identity;
using Microsoft.EntityFrameworkCore;
using Microsoft.Extensions.DependencyInjection;
using Pli.Domain.Consultations;
using Pli.Domain.Organisations;
using Pli.Web.Features.Demo;
using Pli.Web.Infrastructure.Data;
using Pli.Web.Tests.Infrastructure;

namespace Pli.Web.Tests.Features.Backoffice;

/// <summary>Builders for back-office tests: organisations, agents, drafts, forms and zip archives.</summary>
public static class BackofficeTestData
{
    /// <summary>Wednesday 15 July 2026, 12:00 in Paris (10:00 UTC), weeks after the fake clock's start.</summary>
    public static readonly DateTime DeadlineUtc = new(2026, 7, 15, 10, 0, 0, DateTimeKind.Utc);

    public static Task<Guid> DemoOrganisationIdAsync(PliApp app) =>
        app.WithDb(db => db.Users.Where(u => u.Email == DemoData.AgentEmail).Select(u => u.OrganisationId!.Value).SingleAsync());

    /// <summary>Another buyer with one agent who can sign in with the demo password and TOTP secret.</summary>
    public static async Task<(Guid OrganisationId, string Email)> CreateOrganisationWithAgentAsync(PliApp app, AgentRole roles, string? name = null)
    {
        await using var scope = app.Services.CreateAsyncScope();
        var db = scope.ServiceProvider.GetRequiredService<PliDbContext>();
        var organisation = Organisation.Create(name ?? "Ville Test " + Guid.NewGuid().ToString("N")[..6], null, app.Time.GetUtcNow().UtcDateTime);
        db.Organisations.Add(organisation);
        await db.SaveChangesAsync();
        var email = $"agent-{Guid.NewGuid():N}@ville-test.localhost";
        await CreateAgentAsync(scope.ServiceProvider, organisation.Id, email, roles);
        return (organisation.Id, email);
    }

    public static async Task<string> CreateAgentAsync(PliApp app, Guid organisationId, AgentRole roles)
    {
        await using var scope = app.Services.CreateAsyncScope();
        var email = $"agent-{Guid.NewGuid():N}@metropole-demo.localhost";
        await CreateAgentAsync(scope.ServiceProvider, organisationId, email, roles);
        return email;
    }

    private static async Task CreateAgentAsync(IServiceProvider services, Guid organisationId, string email, AgentRole roles)
    {
        var users = services.GetRequiredService<UserManager<PliUser>>();
        var keys = (IUserAuthenticatorKeyStore<PliUser>)services.GetRequiredService<IUserStore<PliUser>>();
        var user = new PliUser { UserName = email, Email = email, EmailConfirmed = true, FullName = "Agent " + email[..12], OrganisationId = organisationId, AgentRoles = roles };
        var created = await users.CreateAsync(user, DemoData.Password);
        Assert.True(created.Succeeded, string.Join(", ", created.Errors.Select(e => e.Description)));
        await keys.SetAuthenticatorKeyAsync(user, DemoData.TotpSecret, CancellationToken.None);
        await users.UpdateAsync(user);
        await users.SetTwoFactorEnabledAsync(user, true);
    }

    public static Task SignInAsAgentAsync(this TestBrowser browser, string email) => browser.SignInAsync(email, DemoData.Password, DemoData.TotpSecret);

    /// <summary>A draft stored directly, with optional DCE files (contents stored too).</summary>
    public static async Task<Guid> CreateDraftAsync(PliApp app, Guid organisationId, DateTime? deadlineUtc = null, params string[] dceFiles)
    {
        await using var scope = app.Services.CreateAsyncScope();
        var db = scope.ServiceProvider.GetRequiredService<PliDbContext>();
        var cpv = scope.ServiceProvider.GetRequiredService<CpvCatalog>();
        var store = scope.ServiceProvider.GetRequiredService<Pli.Web.Infrastructure.Storage.IFileStore>();
        var deadline = deadlineUtc ?? DeadlineUtc;
        var now = app.Time.GetUtcNow().UtcDateTime;
        var details = new ConsultationDetails("T-" + Guid.NewGuid().ToString("N")[..10], "Consultation de test", "Objet", ProcedureType.ProcedureAdaptee,
            Nature.Services, cpv.Require("90910000-9"), "Lyon", deadline, deadline.AddDays(-7), FilePolicy.DefaultAcceptedFormats);
        var consultation = Consultation.CreateDraft(organisationId, details, now);
        foreach (var path in dceFiles)
        {
            var key = $"dce/{consultation.Id:N}/{Guid.NewGuid():N}";
            await using var content = new MemoryStream(Encoding.UTF8.GetBytes("contenu de " + path));
            var stored = await store.SaveAsync(key, content);
            consultation.AddDceFile(path, stored.Size, stored.Sha256, key, now);
        }
        db.Consultations.Add(consultation);
        await db.SaveChangesAsync();
        return consultation.Id;
    }

    public static Task<Consultation> LoadAsync(PliApp app, Guid id) =>
        app.WithDb(db => db.Consultations.AsNoTracking().Include(c => c.DceFiles).Include(c => c.Lots).SingleAsync(c => c.Id == id));

    /// <summary>Files stored for a consultation's DCE, whatever the database says.</summary>
    public static IReadOnlyList<string> StoredBlobs(PliApp app, Guid consultationId)
    {
        var folder = Path.Combine(app.DataRoot, "files", "dce", consultationId.ToString("N"));
        return Directory.Exists(folder) ? Directory.GetFiles(folder, "*", SearchOption.AllDirectories) : [];
    }

    /// <summary>The fields of a valid consultation form, deadline 15 July 2026 12:00 Paris.</summary>
    public static Dictionary<string, string> ValidForm(string reference) => new()
    {
        ["Form.Reference"] = reference,
        ["Form.Title"] = "Entretien des espaces verts",
        ["Form.Object"] = "Tonte, taille et désherbage des parcs de la métropole.",
        ["Form.Procedure"] = nameof(ProcedureType.AppelOffresOuvert),
        ["Form.Nature"] = nameof(Nature.Services),
        ["Form.MainCpv"] = "90910000-9",
        ["Form.PlaceOfExecution"] = "Marseille",
        ["Form.DeadlineDate"] = "2026-07-15",
        ["Form.DeadlineTime"] = "12:00",
        ["Form.QuestionDeadlineDate"] = "2026-07-08",
        ["Form.QuestionDeadlineTime"] = "12:00:00",
    };

    public static Dictionary<string, string> With(this Dictionary<string, string> form, string key, string value)
    {
        form[key] = value;
        return form;
    }

    /// <summary>A zip of the given entries; a null content makes a folder entry.</summary>
    public static byte[] Zip(params (string Name, string? Content)[] entries)
    {
        using var buffer = new MemoryStream();
        using (var zip = new ZipArchive(buffer, ZipArchiveMode.Create, leaveOpen: true))
        {
            foreach (var (name, content) in entries)
            {
                var entry = zip.CreateEntry(name);
                if (content is not null)
                {
                    using var stream = entry.Open();
                    stream.Write(Encoding.UTF8.GetBytes(content));
                }
            }
        }
        return buffer.ToArray();
    }

    /// <summary>The text of the error summary, decoded; empty when the page shows none.</summary>
    public static async Task<string> ErrorsAsync(HttpResponseMessage response)
    {
        var page = await TestBrowser.ParseAsync(response);
        return page.QuerySelector("#erreurs")?.TextContent ?? "";
    }

    public static async Task<string> TextAsync(HttpResponseMessage response)
    {
        var page = await TestBrowser.ParseAsync(response);
        return page.QuerySelector("main")?.TextContent ?? "";
    }
}

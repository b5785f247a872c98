using Pli.Web.Features.Account;
using Pli.Web.Features.Alerts;
using Pli.Web.Features.Award;
using Pli.Web.Features.Api;
using Pli.Web.Features.Backoffice;
using Pli.Web.Features.Committee;
using Pli.Web.Features.Companies;
using Pli.Web.Features.Portal;
using Pli.Web.Features.Dce;
using Pli.Web.Features.Deposits;
using Pli.Web.Features.Help;
using Pli.Web.Features.Questions;
using Pli.Web.Features.Demo;
using Pli.Web.Features.Ingest;
using Pli.Web.Features.Notices;
using Pli.Web.Features.Messaging;
using Pli.Web.Features.OpenData.Ocds;
using Pli.Web.Features.Registers;
using Pli.Web.Features.Opening;
using Pli.Web.Features.Uploads;
using Pli.Web.Infrastructure.Audit;
using Pli.Web.Infrastructure.Backup;
using Pli.Web.Infrastructure.Cpv;
using Pli.Web.Infrastructure.Crypto;
using Pli.Web.Infrastructure.Data;
using Pli.Web.Infrastructure.Mail;
using Pli.Web.Infrastructure.Malware;
using Pli.Web.Infrastructure.Security;
using Pli.Web.Infrastructure.Storage;
using Pli.Web.Infrastructure.Timestamping;
using Pli.Web.Infrastructure.Web;

var builder = WebApplication.CreateBuilder(args);

// In every environment: a singleton holding a scoped service (a DbContext) fails at start, not in production.
builder.Host.UseDefaultServiceProvider(o =>
{
    o.ValidateScopes = true;
    o.ValidateOnBuild = true;
});

// Ingest instances serve only the uploads (docs/deployment.md, "Ingest instances"). The All role is a function
// of its own so that an ingest process never even compiles the calls to what it leaves out (Razor Pages, ...).
if (PliRoles.Of(builder.Configuration) == PliRole.Ingest)
{
    await IngestRole.Build(builder).RunAsync();
    return 0;
}
return await RunAllAsync(builder, args);

static async Task<int> RunAllAsync(WebApplicationBuilder builder, string[] args)
{
    builder.Services.AddSingleton(TimeProvider.System);
    builder.Services.AddData(builder.Configuration, builder.Environment);
    builder.Services.AddStorage(builder.Configuration);
    builder.Services.AddStorageVerification();
    builder.Services.AddCrypto(builder.Configuration);
    builder.Services.AddMalwareScanning(builder.Configuration);
    builder.Services.AddMail(builder.Configuration);
    builder.Services.AddAudit(builder.Configuration);
    builder.Services.AddTimestamping(builder.Configuration);
    builder.Services.AddCpvCatalog();
    builder.Services.AddPliDataProtection();
    builder.Services.AddAccounts(builder.Configuration);
    builder.Services.AddPliRateLimiting(builder.Configuration);
    builder.Services.AddPliWeb();
    builder.Services.AddTrustedProxies(builder.Configuration);
    builder.Services.AddPliApi();
    builder.Services.AddPortal();
    builder.Services.AddCompanies();
    builder.Services.AddBackoffice();
    builder.Services.AddDce();
    builder.Services.AddUploads(builder.Configuration);
    builder.Services.AddDeposits(builder.Configuration);
    builder.Services.AddAlerts(builder.Configuration);
    builder.Services.AddNotices();
    builder.Services.AddQuestions(builder.Configuration);
    builder.Services.AddMessaging(builder.Configuration);
    builder.Services.AddOcds(builder.Configuration);
    builder.Services.AddRegisters();
    builder.Services.AddOpening();
    builder.Services.AddAward();
    builder.Services.AddCommittee();
    builder.Services.AddHelp(builder.Configuration);
    builder.Services.AddDemoData(builder.Configuration);

    var app = builder.Build();

    await app.Services.MigrateDatabaseAsync();
    if (AuditCommand.Matches(args))
    {
        return await AuditCommand.RunAsync(app.Services, Console.Out);
    }
    if (StorageCommand.Matches(args))
    {
        return await StorageCommand.RunAsync(app.Services, Console.Out);
    }
    await app.Services.SeedDemoDataAsync();
    await app.Services.EnsureTestConsultationAsync();

    app.UsePliPipeline();
    app.MapPliApi();
    app.MapDce();
    app.MapAlerts();
    app.MapOcds();
    app.MapRegisters();
    app.MapOpening();
    app.MapAward();
    app.MapRazorPages();
    app.MapHealth();

    await app.RunAsync();
    return 0;
}

/// <summary>Entry point, public so that tests can host it with WebApplicationFactory.</summary>
public partial class Program;

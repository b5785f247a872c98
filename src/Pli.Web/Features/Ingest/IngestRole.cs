using Pli.Web.Features.Account;
using Pli.Web.Features.Deposits;
using Pli.Web.Features.Messaging;
using Pli.Web.Features.Uploads;
using Pli.Web.Infrastructure.Audit;
using Pli.Web.Infrastructure.Crypto;
using Pli.Web.Infrastructure.Data;
using Pli.Web.Infrastructure.Mail;
using Pli.Web.Infrastructure.Security;
using Pli.Web.Infrastructure.Storage;
using Pli.Web.Infrastructure.Web;

namespace Pli.Web.Features.Ingest;

/// <summary>What one instance of the binary serves (<c>Pli:Role</c>; docs/deployment.md, "Ingest instances").</summary>
public enum PliRole
{
    /// <summary>Everything: pages, API, uploads, background work, migrations, demo data. The default.</summary>
    All,

    /// <summary>Only the tus endpoints (/api/uploads/) and /health, for instances a load balancer sends uploads to.</summary>
    Ingest,
}

public static class PliRoles
{
    public const string Setting = "Pli:Role";

    /// <summary>The configured role; anything but All or Ingest stops the start, naming the setting.</summary>
    public static PliRole Of(IConfiguration configuration)
    {
        var text = configuration[Setting]?.Trim();
        if (string.IsNullOrEmpty(text))
        {
            return PliRole.All;
        }
        // By name only: Enum.TryParse would also take "1".
        foreach (var role in Enum.GetValues<PliRole>())
        {
            if (string.Equals(role.ToString(), text, StringComparison.OrdinalIgnoreCase))
            {
                return role;
            }
        }
        throw new InvalidOperationException($"{Setting}: \"{text}\" is no role; expected All (the default) or Ingest.");
    }
}

/// <summary>
/// An ingest instance: the same binary, serving only the tus upload endpoints (deposit files and message
/// attachments, sealed and handed over exactly as in the All role) and /health. It signs nobody in (the token
/// and the cookie come from an All instance, read with the key ring in the database), renders no page, runs no
/// background work but the expiry of abandoned uploads, and neither migrates nor seeds the database: start it
/// once an All instance has. What it does not load (Razor Pages and MVC, OpenAPI, PDF and spreadsheet writers,
/// the mail sender, the workers) is what keeps it small (bench/README.md, "An ingest role").
/// </summary>
public static class IngestRole
{
    public static WebApplication Build(WebApplicationBuilder builder)
    {
        var services = builder.Services;
        var configuration = builder.Configuration;
        services.AddSingleton(TimeProvider.System);
        services.AddData(configuration, builder.Environment);
        services.AddStorage(configuration);
        services.AddCrypto(configuration);
        // Enqueued only (Identity's services need the outbox; nothing here mails): the All instances send.
        services.AddMailOutbox(configuration);
        services.AddScoped<AuditTrail>();
        services.AddPliDataProtection();
        services.AddAccounts(configuration);
        services.AddTrustedProxies(configuration);
        services.AddPliHttp();
        services.AddUploads(configuration);
        services.AddDepositUploads(configuration);
        services.AddMessaging(configuration);

        var app = builder.Build();
        app.UseTrustedProxies();
        // API callers only: a refused rule is a problem (DomainExceptionHandler), anything else a bare 500.
        app.UseExceptionHandler();
        if (!app.Environment.IsDevelopment())
        {
            app.UseHsts();
        }
        app.UseSecurityHeaders();
        app.UseRequestLocalization();
        app.UseRouting();
        app.UseAuthentication();
        app.UseAuthorization();
        app.MapGroup("/api").MapUploads();
        app.MapHealth();
        return app;
    }
}

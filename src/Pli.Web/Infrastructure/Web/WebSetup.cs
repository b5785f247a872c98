using System.Globalization;
using System.Text.Json;
using Microsoft.AspNetCore.Antiforgery;
using Microsoft.AspNetCore.Diagnostics.HealthChecks;
using Microsoft.AspNetCore.Identity;
using Microsoft.AspNetCore.Localization;
using Microsoft.Extensions.Diagnostics.HealthChecks;
using Pli.Web.Infrastructure.Data;
using Pli.Web.Infrastructure.Errors;
using Pli.Web.Infrastructure.Security;

namespace Pli.Web.Infrastructure.Web;

public static class WebSetup
{
    public static readonly CultureInfo[] SupportedCultures = [new("fr-FR"), new("en-GB")];

    public static IServiceCollection AddPliWeb(this IServiceCollection services)
    {
        services.AddPliHttp();
        services.AddRazorPages(o =>
            {
                o.RootDirectory = "/Features";
                o.Conventions.AuthorizeFolder("/Backoffice", Policies.Agent);
                o.Conventions.AuthorizeFolder("/Admin", Policies.PlatformAdmin);
                o.Conventions.AuthorizeFolder("/Companies", Policies.Company);
                o.Conventions.AuthorizeFolder("/Deposits", Policies.Company);
            })
            .AddMvcOptions(ModelBindingTexts.Apply)
            .AddViewLocalization()
            .AddDataAnnotationsLocalization();
        return services;
    }

    /// <summary>
    /// What every role's HTTP host needs besides its endpoints: the languages, the public links of mails, the
    /// audience of a consultation, refusals as problem details, HSTS. The ingest role (<c>Pli:Role=Ingest</c>) takes
    /// only this; the All role adds the pages.
    /// </summary>
    public static IServiceCollection AddPliHttp(this IServiceCollection services)
    {
        services.AddPliLocalization();
        services.AddSingleton<PublicLinks>();
        services.AddScoped<Pli.Web.Features.Shared.ConsultationAudience>();
        services.AddProblemDetails();
        services.AddExceptionHandler<DomainExceptionHandler>();
        services.AddHsts(o => o.MaxAge = TimeSpan.FromDays(365));
        return services;
    }

    /// <summary>French first, English on request (query string or the cookie the language form sets).</summary>
    private static void AddPliLocalization(this IServiceCollection services)
    {
        services.AddLocalization();
        services.Configure<RequestLocalizationOptions>(o =>
        {
            o.DefaultRequestCulture = new RequestCulture(SupportedCultures[0]);
            o.SupportedCultures = SupportedCultures;
            o.SupportedUICultures = SupportedCultures;
            o.RequestCultureProviders = [new QueryStringRequestCultureProvider(), new CookieRequestCultureProvider()];
        });
    }

    public static WebApplication UsePliPipeline(this WebApplication app)
    {
        app.UseTrustedProxies();
        app.UseExceptionHandler("/erreur");
        // People get the error page; API callers keep the bare status (and problem details where an endpoint wrote them).
        app.UseWhen(context => !context.Request.Path.StartsWithSegments("/api"), branch => branch.UseStatusCodePagesWithReExecute("/erreur/{0}"));
        if (!app.Environment.IsDevelopment())
        {
            app.UseHsts();
        }
        app.UseSecurityHeaders();
        app.UseStaticFiles();
        app.UseRequestLocalization();
        app.UseRouting();
        app.UseRateLimiter();
        app.UseAuthentication();
        app.UseAuthorization();
        app.UseAntiforgery();
        app.MapPost("/langue", async (HttpContext context) =>
        {
            // Read by hand: a form bound by parameters would throw (a 500) on a stale or missing antiforgery token.
            if (context.Features.Get<IAntiforgeryValidationFeature>() is { IsValid: false })
            {
                // Refused here; the error page the 400 re-executes must not trip over the same token again.
                context.Features.Set<IAntiforgeryValidationFeature>(null);
                return Results.BadRequest();
            }
            if (!context.Request.HasFormContentType)
            {
                return Results.BadRequest();
            }
            var form = await context.Request.ReadFormAsync(context.RequestAborted);
            var culture = form["culture"].ToString();
            var returnUrl = form["returnUrl"].ToString();
            var chosen = LanguageOf(culture);
            SetLanguageCookie(context, chosen);
            // A signed-in person's choice is kept with their account too: their mails follow it.
            if (context.User.Identity?.IsAuthenticated == true && context.RequestServices.GetService<UserManager<PliUser>>() is { } users
                && await users.GetUserAsync(context.User) is { } user && user.Language != chosen.TwoLetterISOLanguageName)
            {
                user.Language = chosen.TwoLetterISOLanguageName;
                await users.UpdateAsync(user);
            }
            return Results.LocalRedirect(IsLocalPath(returnUrl) ? returnUrl : "/");
        }).WithMetadata(new RequireAntiforgeryTokenAttribute()).ExcludeFromDescription();
        return app;
    }

    /// <summary>The platform's culture for a language's short name ("fr", "en"); French for any other or none.</summary>
    public static CultureInfo LanguageOf(string? language) =>
        SupportedCultures.FirstOrDefault(c => c.TwoLetterISOLanguageName == language) ?? SupportedCultures[0];

    /// <summary>The language cookie the request localization reads (the switch's, and the account's at sign-in).</summary>
    public static void SetLanguageCookie(HttpContext context, CultureInfo culture)
    {
        var secureCookies = context.RequestServices.GetRequiredService<IConfiguration>().GetValue("Security:SecureCookies", true);
        context.Response.Cookies.Append(CookieRequestCultureProvider.DefaultCookieName,
            CookieRequestCultureProvider.MakeCookieValue(new RequestCulture(culture)),
            new CookieOptions { Expires = DateTimeOffset.MaxValue, HttpOnly = true, SameSite = SameSiteMode.Lax, IsEssential = true, Secure = secureCookies || context.Request.IsHttps });
    }

    /// <summary>The language a request's cookie names, if it names one of the platform's.</summary>
    public static CultureInfo? LanguageCookieOf(HttpContext context) =>
        context.Request.Cookies[CookieRequestCultureProvider.DefaultCookieName] is { } value
        && CookieRequestCultureProvider.ParseCookieValue(value) is { } parsed
        && parsed.UICultures.FirstOrDefault() is { } name
            ? SupportedCultures.FirstOrDefault(c => string.Equals(c.Name, name.Value, StringComparison.OrdinalIgnoreCase))
            : null;

    /// <summary>A path on this site: "/x", never "//host" nor "/\\host", which browsers read as another site.</summary>
    public static bool IsLocalPath(string? url) =>
        !string.IsNullOrEmpty(url) && url[0] == '/' && (url.Length == 1 || (url[1] != '/' && url[1] != '\\'));

    /// <summary>/health answers 200 only when the database and the file store both work.</summary>
    public static WebApplication MapHealth(this WebApplication app)
    {
        app.MapHealthChecks("/health", new HealthCheckOptions
        {
            ResponseWriter = async (context, report) =>
            {
                context.Response.ContentType = "application/json";
                await JsonSerializer.SerializeAsync(context.Response.Body, new
                {
                    status = report.Status.ToString(),
                    checks = report.Entries.ToDictionary(e => e.Key, e => e.Value.Status.ToString()),
                });
            },
            ResultStatusCodes =
            {
                [HealthStatus.Healthy] = StatusCodes.Status200OK,
                [HealthStatus.Degraded] = StatusCodes.Status200OK,
                [HealthStatus.Unhealthy] = StatusCodes.Status503ServiceUnavailable,
            },
        }).DisableRateLimiting();
        return app;
    }
}

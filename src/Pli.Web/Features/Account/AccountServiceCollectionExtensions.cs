using System.Security.Claims;
using Microsoft.AspNetCore.Authentication.Cookies;
using Microsoft.AspNetCore.Identity;
using Microsoft.AspNetCore.Mvc;
using Pli.Web.Infrastructure.Data;
using Pli.Web.Infrastructure.Security;

namespace Pli.Web.Features.Account;

public static class AccountServiceCollectionExtensions
{
    public const string CookieOrBearerScheme = "Pli.CookieOrBearer";

    public static IServiceCollection AddAccounts(this IServiceCollection services, IConfiguration configuration)
    {
        services.AddIdentity<PliUser, IdentityRole<Guid>>(o =>
            {
                o.SignIn.RequireConfirmedEmail = true;
                o.User.RequireUniqueEmail = true;
                // The user name is the e-mail address, already checked by the forms: any character it allows is fine.
                o.User.AllowedUserNameCharacters = "";
                o.Lockout.AllowedForNewUsers = true;
                o.Lockout.MaxFailedAccessAttempts = 5;
                o.Lockout.DefaultLockoutTimeSpan = TimeSpan.FromMinutes(15);
                o.Password.RequiredLength = 12;
                o.Password.RequireNonAlphanumeric = false;
                o.Password.RequireUppercase = false;
                o.Password.RequireLowercase = false;
                o.Password.RequireDigit = false;
            })
            .AddEntityFrameworkStores<PliDbContext>()
            .AddDefaultTokenProviders()
            // Link tokens and lockout measured with the injected TimeProvider (Identity reads the system clock).
            .AddTokenProvider<ExpiringTokenProvider>(TokenOptions.DefaultProvider)
            .AddUserManager<PliUserManager>()
            .AddSignInManager<PliSignInManager>()
            .AddClaimsPrincipalFactory<PliClaimsPrincipalFactory>();

        // Confirmation and reset links are single-use (the security stamp changes) and expire.
        services.Configure<DataProtectionTokenProviderOptions>(o => o.TokenLifespan = TimeSpan.FromHours(24));

        services.Configure<SecurityStampValidatorOptions>(o =>
        {
            // A password reset, a removal from a company or a change of rights reaches open sessions within a minute.
            o.ValidationInterval = TimeSpan.FromMinutes(1);
            // Identity rebuilds the principal from the database at each validation: without this the
            // second-factor claim would be lost and an agent would lose the back office after the interval.
            o.OnRefreshingPrincipal = context =>
            {
                if (context.CurrentPrincipal?.PassedSecondFactor() == true && context.NewPrincipal?.Identity is ClaimsIdentity identity
                    && !identity.HasClaim(PliClaims.AuthenticationMethod, PliClaims.MultiFactor))
                {
                    identity.AddClaim(new Claim(PliClaims.AuthenticationMethod, PliClaims.MultiFactor));
                }
                return Task.CompletedTask;
            };
        });
        services.AddScoped<AccountMails>();
        services.AddScoped<CompanyRegistration>();

        // Every endpoint, page or API, knows the caller from either the site's cookie or Identity's bearer token
        // (scripts, from POST /api/auth/token): the Authorization header decides which one is read.
        services.AddAuthentication(o => o.DefaultAuthenticateScheme = CookieOrBearerScheme)
            // Short-lived: a deactivated account's token dies within minutes; scripts refresh (the refresh re-checks the account).
            .AddBearerToken(IdentityConstants.BearerScheme, o => o.BearerTokenExpiration = TimeSpan.FromMinutes(15))
            .AddPolicyScheme(CookieOrBearerScheme, "Cookie or bearer token", o => o.ForwardDefaultSelector = context =>
                context.Request.Headers.Authorization.ToString().StartsWith("Bearer ", StringComparison.OrdinalIgnoreCase)
                    ? IdentityConstants.BearerScheme
                    : IdentityConstants.ApplicationScheme);

        var secureCookies = configuration.GetValue("Security:SecureCookies", true);
        services.ConfigureApplicationCookie(o =>
        {
            o.LoginPath = "/compte/connexion";
            o.LogoutPath = "/compte/deconnexion";
            o.AccessDeniedPath = "/compte/acces-refuse";
            o.Cookie.Name = "pli.auth";
            o.Cookie.HttpOnly = true;
            o.Cookie.SameSite = SameSiteMode.Lax;
            o.Cookie.SecurePolicy = secureCookies ? CookieSecurePolicy.Always : CookieSecurePolicy.SameAsRequest;
            o.SlidingExpiration = true;
            o.ExpireTimeSpan = TimeSpan.FromHours(8);
            o.Events.OnRedirectToAccessDenied = context =>
            {
                // A signed-in user who is not allowed here learns nothing: the page does not exist for them.
                context.Response.StatusCode = StatusCodes.Status404NotFound;
                return Task.CompletedTask;
            };
            o.Events.OnRedirectToLogin = context =>
            {
                if (context.Request.Path.StartsWithSegments("/api"))
                {
                    context.Response.StatusCode = StatusCodes.Status401Unauthorized;
                    return Task.CompletedTask;
                }
                context.Response.Redirect(context.RedirectUri);
                return Task.CompletedTask;
            };
        });
        services.ConfigureExternalCookie(o => o.Cookie.SecurePolicy = secureCookies ? CookieSecurePolicy.Always : CookieSecurePolicy.SameAsRequest);
        foreach (var scheme in new[] { IdentityConstants.TwoFactorUserIdScheme, IdentityConstants.TwoFactorRememberMeScheme })
        {
            services.Configure<CookieAuthenticationOptions>(scheme, o => o.Cookie.SecurePolicy = secureCookies ? CookieSecurePolicy.Always : CookieSecurePolicy.SameAsRequest);
        }
        services.Configure<CookieTempDataProviderOptions>(o => o.Cookie.SecurePolicy = secureCookies ? CookieSecurePolicy.Always : CookieSecurePolicy.SameAsRequest);
        services.AddAntiforgery(o =>
        {
            o.Cookie.Name = "pli.af";
            o.Cookie.SecurePolicy = secureCookies ? CookieSecurePolicy.Always : CookieSecurePolicy.SameAsRequest;
            o.HeaderName = "X-CSRF-TOKEN";
        });
        services.AddPliAuthorization();
        return services;
    }
}

using System.Security.Claims;
using Microsoft.AspNetCore.Authentication.BearerToken;
using Microsoft.AspNetCore.Http.HttpResults;
using Microsoft.AspNetCore.Identity;
using Microsoft.EntityFrameworkCore;
using Microsoft.Extensions.Options;
using Pli.Domain.Organisations;
using Pli.Web.Infrastructure.Data;
using Pli.Web.Infrastructure.Security;

namespace Pli.Web.Features.Account;

public static class AccountEndpoints
{
    /// <summary>Bearer-token sign-in for scripts acting as a company or an agent.</summary>
    public static RouteGroupBuilder MapAccountApi(this RouteGroupBuilder api)
    {
        // Not MapIdentityApi: its /register would create users outside company registration.
        var auth = api.MapGroup("/auth").WithTags("Authentification").RequireRateLimiting(RateLimits.Authentication);
        auth.MapPost("/token", TokenAsync)
            .WithSummary("Jeton d'accès (bearer) pour un script : e-mail, mot de passe et, pour un agent ou un administrateur, code TOTP.");
        auth.MapPost("/refresh", RefreshAsync)
            .WithSummary("Nouveau jeton d'accès à partir du jeton de rafraîchissement.");
        api.MapGet("/me", MeAsync).WithTags("Authentification").RequireAuthorization()
            .WithSummary("L'utilisateur du jeton ou de la session : identité, entreprise ou organisation, rôles.");
        return api;
    }

    public sealed record TokenRequest(string Email, string Password, string? TwoFactorCode);

    public sealed record RefreshRequest(string RefreshToken);

    public sealed record CompanyRef(Guid Id, string Name);

    public sealed record OrganisationRef(Guid Id);

    public sealed record MeResponse(Guid Id, string Email, string FullName, CompanyRef? Company, OrganisationRef? Organisation,
        IReadOnlyList<string> Roles, bool SecondFactor);

    /// <summary>
    /// As Identity's /login does: SignInManager signs in on the bearer scheme, whose handler writes the
    /// AccessTokenResponse. Agents and platform admins pass the TOTP step, which adds amr=mfa to the token.
    /// </summary>
    private static async Task<Results<Ok<AccessTokenResponse>, EmptyHttpResult, ProblemHttpResult>> TokenAsync(TokenRequest request, SignInManager<PliUser> signIn)
    {
        signIn.AuthenticationScheme = IdentityConstants.BearerScheme;
        var email = (request.Email ?? "").Trim();
        var password = request.Password ?? "";
        var user = await signIn.UserManager.FindByEmailAsync(email);
        if (user is null)
        {
            // As long as a wrong password: the time of the answer does not tell whether the address exists.
            signIn.UserManager.PasswordHasher.HashPassword(new PliUser(), password);
            return Refused(Microsoft.AspNetCore.Identity.SignInResult.Failed.ToString());
        }
        if (SignInRedirect.RequiresSecondFactor(user) && !user.TwoFactorEnabled)
        {
            // Without an enrolled authenticator there is no second factor to check: the web sign-in enrols it first.
            var check = await signIn.CheckPasswordSignInAsync(user, password, lockoutOnFailure: true);
            return Refused(check.Succeeded ? "SecondFactorNotEnrolled" : check.ToString());
        }
        var result = await signIn.PasswordSignInAsync(user, password, isPersistent: false, lockoutOnFailure: true);
        if (result.RequiresTwoFactor && !string.IsNullOrWhiteSpace(request.TwoFactorCode))
        {
            var code = request.TwoFactorCode.Replace(" ", "", StringComparison.Ordinal).Replace("-", "", StringComparison.Ordinal);
            result = await signIn.TwoFactorAuthenticatorSignInAsync(code, isPersistent: false, rememberClient: false);
        }
        // Unknown address and wrong password both answer "Failed": no enumeration.
        return result.Succeeded ? TypedResults.Empty : Refused(result.ToString());
    }

    private static async Task<Results<SignInHttpResult, ProblemHttpResult>> RefreshAsync(RefreshRequest request, SignInManager<PliUser> signIn,
        IOptionsMonitor<BearerTokenOptions> bearer, TimeProvider time)
    {
        var ticket = bearer.Get(IdentityConstants.BearerScheme).RefreshTokenProtector.Unprotect(request.RefreshToken);
        if (ticket?.Properties.ExpiresUtc is not { } expires || time.GetUtcNow() >= expires
            || await signIn.ValidateSecurityStampAsync(ticket.Principal) is not { } user
            || !await signIn.CanSignInAsync(user) || await signIn.UserManager.IsLockedOutAsync(user))
        {
            return Refused("InvalidRefreshToken");
        }
        var principal = await signIn.CreateUserPrincipalAsync(user);
        if (ticket.Principal.PassedSecondFactor() && principal.Identity is ClaimsIdentity identity)
        {
            // The second factor was passed when the refresh token was issued; the new token keeps saying so.
            identity.AddClaim(new Claim(PliClaims.AuthenticationMethod, PliClaims.MultiFactor));
        }
        return TypedResults.SignIn(principal, authenticationScheme: IdentityConstants.BearerScheme);
    }

    private static async Task<Results<Ok<MeResponse>, UnauthorizedHttpResult>> MeAsync(ClaimsPrincipal principal, PliDbContext db, CancellationToken cancellationToken)
    {
        var id = principal.UserId();
        var user = id is null ? null : await db.Users.AsNoTracking().SingleOrDefaultAsync(u => u.Id == id, cancellationToken);
        if (user is null)
        {
            return TypedResults.Unauthorized();
        }
        var company = user.CompanyId is { } companyId
            ? await db.Companies.AsNoTracking().Where(c => c.Id == companyId).Select(c => new CompanyRef(c.Id, c.Name)).SingleOrDefaultAsync(cancellationToken)
            : null;
        var roles = new List<string>();
        if (company is not null)
        {
            roles.Add("company-user");
            if (user.IsCompanyAdmin)
            {
                roles.Add("company-admin");
            }
        }
        if (user.OrganisationId is not null)
        {
            roles.Add("agent");
            roles.AddRange(Enum.GetValues<AgentRole>().Where(r => r != AgentRole.None && user.AgentRoles.HasFlag(r)).Select(r => r.ToString()));
        }
        if (user.IsPlatformAdmin)
        {
            roles.Add("platform-admin");
        }
        return TypedResults.Ok(new MeResponse(user.Id, user.Email ?? "", user.FullName, company,
            user.OrganisationId is { } organisation ? new OrganisationRef(organisation) : null, roles, principal.PassedSecondFactor()));
    }

    private static ProblemHttpResult Refused(string detail) =>
        TypedResults.Problem(detail: detail, statusCode: StatusCodes.Status401Unauthorized, title: "Authentification refusée.");
}

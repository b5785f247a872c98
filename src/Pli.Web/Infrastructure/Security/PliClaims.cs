using System.Security.Claims;
using Microsoft.AspNetCore.Identity;
using Microsoft.Extensions.Options;
using Pli.Domain.Organisations;
using Pli.Web.Infrastructure.Data;

namespace Pli.Web.Infrastructure.Security;

/// <summary>The claims Pli puts in a sign-in, read back by <see cref="PliPrincipal"/>.</summary>
public static class PliClaims
{
    public const string Company = "pli:company";
    public const string CompanyAdmin = "pli:company-admin";
    public const string Organisation = "pli:organisation";
    public const string AgentRoles = "pli:agent-roles";
    public const string PlatformAdmin = "pli:platform-admin";

    /// <summary>Identity adds amr=mfa when the sign-in passed the second factor.</summary>
    public const string AuthenticationMethod = "amr";
    public const string MultiFactor = "mfa";
}

public static class PliPrincipal
{
    public static Guid? UserId(this ClaimsPrincipal user) =>
        Guid.TryParse(user.FindFirstValue(ClaimTypes.NameIdentifier), out var id) ? id : null;

    public static Guid? CompanyId(this ClaimsPrincipal user) =>
        Guid.TryParse(user.FindFirstValue(PliClaims.Company), out var id) ? id : null;

    public static Guid? OrganisationId(this ClaimsPrincipal user) =>
        Guid.TryParse(user.FindFirstValue(PliClaims.Organisation), out var id) ? id : null;

    public static bool IsCompanyAdmin(this ClaimsPrincipal user) => user.HasClaim(PliClaims.CompanyAdmin, "true");

    public static bool IsPlatformAdmin(this ClaimsPrincipal user) => user.HasClaim(PliClaims.PlatformAdmin, "true");

    public static AgentRole AgentRoles(this ClaimsPrincipal user) =>
        Enum.TryParse<AgentRole>(user.FindFirstValue(PliClaims.AgentRoles), out var roles) ? roles : AgentRole.None;

    public static bool HasAgentRole(this ClaimsPrincipal user, AgentRole role) => user.AgentRoles().HasFlag(role);

    public static bool PassedSecondFactor(this ClaimsPrincipal user) => user.HasClaim(PliClaims.AuthenticationMethod, PliClaims.MultiFactor);
}

internal sealed class PliClaimsPrincipalFactory(
    UserManager<PliUser> userManager,
    RoleManager<IdentityRole<Guid>> roleManager,
    IOptions<IdentityOptions> options)
    : UserClaimsPrincipalFactory<PliUser, IdentityRole<Guid>>(userManager, roleManager, options)
{
    protected override async Task<ClaimsIdentity> GenerateClaimsAsync(PliUser user)
    {
        var identity = await base.GenerateClaimsAsync(user);
        identity.AddClaim(new Claim(ClaimTypes.GivenName, user.FullName));
        if (user.CompanyId is { } company)
        {
            identity.AddClaim(new Claim(PliClaims.Company, company.ToString()));
            if (user.IsCompanyAdmin)
            {
                identity.AddClaim(new Claim(PliClaims.CompanyAdmin, "true"));
            }
        }
        if (user.OrganisationId is { } organisation)
        {
            identity.AddClaim(new Claim(PliClaims.Organisation, organisation.ToString()));
            identity.AddClaim(new Claim(PliClaims.AgentRoles, ((int)user.AgentRoles).ToString(System.Globalization.CultureInfo.InvariantCulture)));
        }
        if (user.IsPlatformAdmin)
        {
            identity.AddClaim(new Claim(PliClaims.PlatformAdmin, "true"));
        }
        return identity;
    }
}

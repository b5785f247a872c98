using Microsoft.AspNetCore.Authorization;
using Microsoft.AspNetCore.Identity;

namespace Pli.Web.Infrastructure.Security;

/// <summary>
/// API endpoints accept the site's cookie (pages calling the API) and Identity's bearer token
/// (scripts, from POST /api/auth/token). Razor Pages keep the cookie alone.
/// </summary>
public static class ApiAuthorization
{
    /// <summary>The schemes an API endpoint authenticates with, as AuthorizeAttribute.AuthenticationSchemes expects them.</summary>
    public static readonly string Schemes = IdentityConstants.ApplicationScheme + "," + IdentityConstants.BearerScheme;

    /// <summary>
    /// Requires a signed-in user (cookie or bearer), and the <paramref name="policy"/> when given
    /// (<see cref="Policies.Company"/>, <see cref="Policies.Agent"/>…): <c>.RequireApiAuthorization(Policies.Agent)</c>.
    /// </summary>
    public static TBuilder RequireApiAuthorization<TBuilder>(this TBuilder builder, string? policy = null) where TBuilder : IEndpointConventionBuilder =>
        builder.RequireAuthorization(new AuthorizeAttribute { Policy = policy, AuthenticationSchemes = Schemes });
}

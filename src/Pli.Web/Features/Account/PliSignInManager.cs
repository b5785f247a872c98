using Microsoft.AspNetCore.Authentication;
using Microsoft.AspNetCore.Identity;
using Microsoft.Extensions.Options;
using Pli.Web.Infrastructure.Data;

namespace Pli.Web.Features.Account;

/// <summary>
/// Identity's sign-in manager, except that the state of an account (email not confirmed, locked out)
/// is told only to whoever gives its password. Identity checks that state before the password, so
/// "confirm your address first" would otherwise tell anyone that an address has an account.
/// </summary>
public sealed class PliSignInManager(
    UserManager<PliUser> userManager,
    IHttpContextAccessor contextAccessor,
    IUserClaimsPrincipalFactory<PliUser> claimsFactory,
    IOptions<IdentityOptions> optionsAccessor,
    ILogger<SignInManager<PliUser>> logger,
    IAuthenticationSchemeProvider schemes,
    IUserConfirmation<PliUser> confirmation)
    : SignInManager<PliUser>(userManager, contextAccessor, claimsFactory, optionsAccessor, logger, schemes, confirmation)
{
    public override async Task<SignInResult> CheckPasswordSignInAsync(PliUser user, string password, bool lockoutOnFailure)
    {
        var result = await base.CheckPasswordSignInAsync(user, password, lockoutOnFailure);
        if ((result.IsNotAllowed || result.IsLockedOut) && !await UserManager.CheckPasswordAsync(user, password))
        {
            return SignInResult.Failed;
        }
        return result;
    }
}

using Microsoft.AspNetCore.Authentication;
using Microsoft.AspNetCore.Identity;
using Microsoft.Extensions.Options;
using Pli.Web.Infrastructure.Audit;
using Pli.Web.Infrastructure.Data;
using Pli.Web.Infrastructure.Mail;
using Pli.Web.Infrastructure.Web;

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
    IUserConfirmation<PliUser> confirmation,
    PliDbContext db,
    AuditTrail audit)
    : SignInManager<PliUser>(userManager, contextAccessor, claimsFactory, optionsAccessor, logger, schemes, confirmation)
{
    public override async Task<SignInResult> CheckPasswordSignInAsync(PliUser user, string password, bool lockoutOnFailure)
    {
        var result = await base.CheckPasswordSignInAsync(user, password, lockoutOnFailure);
        if ((result.IsNotAllowed || result.IsLockedOut) && !await UserManager.CheckPasswordAsync(user, password))
        {
            result = SignInResult.Failed;
        }
        if (!result.Succeeded)
        {
            await RecordAsync("signin.failed", user, result.IsLockedOut ? "locked out" : result.IsNotAllowed ? "not allowed (email not confirmed)" : "wrong password");
        }
        return result;
    }

    public override async Task<SignInResult> PasswordSignInAsync(string userName, string password, bool isPersistent, bool lockoutOnFailure)
    {
        var user = await UserManager.FindByNameAsync(userName);
        if (user is null)
        {
            // No account: recorded without the typed address, which may be anybody's.
            await RecordAsync("signin.failed", null, "unknown account");
            return SignInResult.Failed;
        }
        return await PasswordSignInAsync(user, password, isPersistent, lockoutOnFailure);
    }

    public override async Task<SignInResult> TwoFactorAuthenticatorSignInAsync(string code, bool isPersistent, bool rememberClient)
    {
        var result = await base.TwoFactorAuthenticatorSignInAsync(code, isPersistent, rememberClient);
        if (!result.Succeeded)
        {
            await RecordAsync("signin.second-factor-failed", await GetTwoFactorAuthenticationUserAsync(), result.IsLockedOut ? "locked out" : "wrong code");
        }
        return result;
    }

    public override async Task SignInWithClaimsAsync(PliUser user, AuthenticationProperties? authenticationProperties, IEnumerable<System.Security.Claims.Claim> additionalClaims)
    {
        await base.SignInWithClaimsAsync(user, authenticationProperties, additionalClaims);
        await AlignLanguageAsync(user);
        var secondFactor = additionalClaims.Any(c => c.Type == "amr" && c.Value == "mfa");
        await RecordAsync("signin.succeeded", user, secondFactor ? "password + second factor" : "password");
    }

    /// <summary>
    /// The language chosen in this browser becomes the account's (its mails follow it); a browser that never chose
    /// takes the account's, so that a person who reads English finds English on a new machine once signed in.
    /// </summary>
    private async Task AlignLanguageAsync(PliUser user)
    {
        if (Context is not { } context)
        {
            return;
        }
        if (WebSetup.LanguageCookieOf(context) is { } chosen)
        {
            if (user.Language != chosen.TwoLetterISOLanguageName)
            {
                user.Language = chosen.TwoLetterISOLanguageName;
                await UserManager.UpdateAsync(user);
            }
        }
        // A bearer sign-in (the API) has written its token already: there is no page to give a language to.
        else if (user.Language is not null && !context.Response.HasStarted)
        {
            WebSetup.SetLanguageCookie(context, RecipientLanguage.Of(user));
        }
    }

    private async Task RecordAsync(string action, PliUser? user, string detail)
    {
        audit.Record(action, user?.Id, user?.CompanyId, user?.OrganisationId, detail: detail);
        await db.SaveChangesAsync();
    }
}

using Pli.Web.Infrastructure.Data;
using Pli.Web.Infrastructure.Web;

namespace Pli.Web.Features.Account;

internal static class SignInRedirect
{
    /// <summary>Where a user lands after signing in: the page asked for, else their own area.</summary>
    public static string For(PliUser user, string? returnUrl)
    {
        if (WebSetup.IsLocalPath(returnUrl))
        {
            return returnUrl!;
        }
        if (user.IsPlatformAdmin)
        {
            return "/admin";
        }
        return user.IsAgent ? "/acheteur" : "/";
    }

    /// <summary>Agents and platform admins must sign in with an authenticator app.</summary>
    public static bool RequiresSecondFactor(PliUser user) => user.IsAgent || user.IsPlatformAdmin;
}

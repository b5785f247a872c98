using Microsoft.AspNetCore.Identity;
using Microsoft.AspNetCore.Mvc;
using Microsoft.AspNetCore.Mvc.RazorPages;
using Microsoft.AspNetCore.RateLimiting;
using Pli.Web.Infrastructure.Data;
using Pli.Web.Infrastructure.Security;

namespace Pli.Web.Features.Account;

/// <summary>
/// The link of the confirmation mail. Opening it only shows a button: mail scanners that open links
/// would otherwise spend the single-use token before the person does.
/// </summary>
[EnableRateLimiting(RateLimits.Authentication)]
public sealed class ConfirmEmailModel(UserManager<PliUser> users) : PageModel
{
    [BindProperty(SupportsGet = true)]
    public Guid UserId { get; set; }

    [BindProperty(SupportsGet = true)]
    public string? Code { get; set; }

    public bool LinkInvalid { get; private set; }

    public async Task OnGetAsync() => LinkInvalid = await FindUserWithValidTokenAsync() is null;

    public async Task<IActionResult> OnPostAsync()
    {
        var user = await FindUserWithValidTokenAsync();
        if (user is null || !(await users.ConfirmEmailAsync(user, Code!)).Succeeded)
        {
            LinkInvalid = true;
            return Page();
        }
        // A new security stamp kills this link: it cannot be used twice.
        await users.UpdateSecurityStampAsync(user);
        return RedirectToPage("Login", new { notice = "confirme" });
    }

    private async Task<PliUser?> FindUserWithValidTokenAsync()
    {
        if (string.IsNullOrEmpty(Code) || await users.FindByIdAsync(UserId.ToString()) is not { } user || user.EmailConfirmed)
        {
            return null;
        }
        var valid = await users.VerifyUserTokenAsync(user, users.Options.Tokens.EmailConfirmationTokenProvider, UserManager<PliUser>.ConfirmEmailTokenPurpose, Code);
        return valid ? user : null;
    }
}

using Microsoft.AspNetCore.Identity;
using Microsoft.AspNetCore.Mvc;
using Microsoft.AspNetCore.Mvc.RazorPages;
using Microsoft.AspNetCore.RateLimiting;
using Microsoft.Extensions.Localization;
using Pli.Web.Infrastructure.Data;
using Pli.Web.Infrastructure.Security;

namespace Pli.Web.Features.Account;

/// <summary>
/// The link of the reset mail. Identity changes the security stamp on reset: the link dies and open
/// sessions end at their next check. The lockout is lifted, and the address counts as confirmed
/// since the link reached it.
/// </summary>
[EnableRateLimiting(RateLimits.Authentication)]
public sealed class ResetPasswordModel(PliUserManager users, IStringLocalizer<AccountTexts> texts) : PageModel
{
    [BindProperty(SupportsGet = true)]
    public Guid UserId { get; set; }

    [BindProperty(SupportsGet = true)]
    public string? Code { get; set; }

    [BindProperty]
    public string? Password { get; set; }

    [BindProperty]
    public string? ConfirmPassword { get; set; }

    public bool LinkInvalid { get; private set; }

    public async Task OnGetAsync() => LinkInvalid = await FindUserWithValidTokenAsync() is null;

    public async Task<IActionResult> OnPostAsync()
    {
        var user = await FindUserWithValidTokenAsync();
        if (user is null)
        {
            LinkInvalid = true;
            return Page();
        }
        await ModelState.CheckNewPasswordAsync(users, user, Password, ConfirmPassword, texts);
        if (!ModelState.IsValid)
        {
            return Page();
        }
        var result = await users.ResetPasswordAsync(user, Code!, Password!);
        if (!result.Succeeded)
        {
            if (result.Errors.Any(e => e.Code == nameof(IdentityErrorDescriber.InvalidToken)))
            {
                LinkInvalid = true;
            }
            ModelState.AddIdentityErrors(nameof(Password), result.Errors.Where(e => e.Code != nameof(IdentityErrorDescriber.InvalidToken)), texts);
            return Page();
        }
        await users.ClearLockoutAsync(user);
        if (!user.EmailConfirmed)
        {
            user.EmailConfirmed = true;
            await users.UpdateAsync(user);
        }
        return RedirectToPage("Login", new { notice = "reinitialise" });
    }

    private async Task<PliUser?> FindUserWithValidTokenAsync()
    {
        if (string.IsNullOrEmpty(Code) || await users.FindByIdAsync(UserId.ToString()) is not { } user)
        {
            return null;
        }
        var valid = await users.VerifyUserTokenAsync(user, users.Options.Tokens.PasswordResetTokenProvider, UserManager<PliUser>.ResetPasswordTokenPurpose, Code);
        return valid ? user : null;
    }
}

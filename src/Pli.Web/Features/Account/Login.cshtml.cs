using System.ComponentModel.DataAnnotations;
using Microsoft.AspNetCore.Identity;
using Microsoft.AspNetCore.Mvc;
using Microsoft.AspNetCore.Mvc.RazorPages;
using Microsoft.AspNetCore.RateLimiting;
using Microsoft.Extensions.Localization;
using Pli.Web.Infrastructure.Data;
using Pli.Web.Infrastructure.Security;

namespace Pli.Web.Features.Account;

[EnableRateLimiting(RateLimits.Authentication)]
public sealed class LoginModel(SignInManager<PliUser> signIn, UserManager<PliUser> users, IStringLocalizer<AccountTexts> texts) : PageModel
{
    [BindProperty, Required, EmailAddress]
    public string Email { get; set; } = "";

    [BindProperty, Required, DataType(DataType.Password)]
    public string Password { get; set; } = "";

    [BindProperty(SupportsGet = true)]
    public string? ReturnUrl { get; set; }

    public string? Notice { get; private set; }

    public void OnGet(string? notice)
    {
        Notice = notice switch
        {
            "confirme" => texts["EmailConfirmedNotice"].Value,
            "reinitialise" => texts["PasswordResetNotice"].Value,
            "invitation" => texts["InvitationAcceptedNotice"].Value,
            _ => null,
        };
    }

    public async Task<IActionResult> OnPostAsync()
    {
        if (!ModelState.IsValid)
        {
            return Page();
        }
        if (await users.FindByEmailAsync(Email.Trim()) is null)
        {
            // As long as a wrong password: the time of the answer does not tell whether the address exists.
            users.PasswordHasher.HashPassword(new PliUser(), Password);
        }
        var result = await signIn.PasswordSignInAsync(Email.Trim(), Password, isPersistent: false, lockoutOnFailure: true);
        if (result.RequiresTwoFactor)
        {
            return RedirectToPage("LoginWith2fa", new { ReturnUrl });
        }
        if (result.IsLockedOut)
        {
            ModelState.AddModelError(string.Empty, texts["LockedOut"]);
            return Page();
        }
        if (result.IsNotAllowed)
        {
            ModelState.AddModelError(string.Empty, texts["EmailNotConfirmed"]);
            return Page();
        }
        if (!result.Succeeded)
        {
            // The same message whether the address exists or not: no account enumeration.
            ModelState.AddModelError(nameof(Email), texts["InvalidCredentials"]);
            return Page();
        }
        var user = await users.FindByEmailAsync(Email.Trim());
        if (user is not null && SignInRedirect.RequiresSecondFactor(user) && !user.TwoFactorEnabled)
        {
            return RedirectToPage("EnrollAuthenticator", new { ReturnUrl });
        }
        return LocalRedirect(SignInRedirect.For(user!, ReturnUrl));
    }
}

using System.ComponentModel.DataAnnotations;
using Microsoft.AspNetCore.Authorization;
using Microsoft.AspNetCore.Identity;
using Microsoft.AspNetCore.Mvc;
using Microsoft.AspNetCore.Mvc.RazorPages;
using Microsoft.AspNetCore.RateLimiting;
using Microsoft.AspNetCore.WebUtilities;
using Microsoft.Extensions.Localization;
using Pli.Web.Infrastructure.Data;
using Pli.Web.Infrastructure.Security;

namespace Pli.Web.Features.Agents;

/// <summary>
/// An invited agent chooses a password from the mailed link; the next sign-in leads to the
/// authenticator enrolment, as for every agent without one.
/// </summary>
[AllowAnonymous]
[EnableRateLimiting(RateLimits.Authentication)]
public sealed class ActivateModel(UserManager<PliUser> users, IStringLocalizer<AgentsTexts> texts) : PageModel
{
    [BindProperty(SupportsGet = true)]
    public Guid UserId { get; set; }

    [BindProperty(SupportsGet = true)]
    public string? Code { get; set; }

    [BindProperty, DataType(DataType.Password)]
    public string? Password { get; set; }

    [BindProperty, DataType(DataType.Password)]
    public string? ConfirmPassword { get; set; }

    public bool LinkInvalid { get; private set; }

    public async Task<IActionResult> OnGetAsync()
    {
        var user = await FindAsync();
        LinkInvalid = user is null || !await users.VerifyUserTokenAsync(user, users.Options.Tokens.PasswordResetTokenProvider, UserManager<PliUser>.ResetPasswordTokenPurpose, DecodeCode());
        return Page();
    }

    public async Task<IActionResult> OnPostAsync()
    {
        var user = await FindAsync();
        if (user is null)
        {
            LinkInvalid = true;
            return Page();
        }
        if (string.IsNullOrEmpty(Password))
        {
            ModelState.AddModelError(nameof(Password), texts["PasswordRequired"]);
        }
        else if (!string.Equals(Password, ConfirmPassword, StringComparison.Ordinal))
        {
            ModelState.AddModelError(nameof(ConfirmPassword), texts["PasswordsDiffer"]);
        }
        if (!ModelState.IsValid)
        {
            return Page();
        }
        var result = await users.ResetPasswordAsync(user, DecodeCode(), Password!);
        if (!result.Succeeded)
        {
            if (result.Errors.Any(e => e.Code == "InvalidToken"))
            {
                LinkInvalid = true;
                return Page();
            }
            foreach (var error in result.Errors)
            {
                ModelState.AddModelError(nameof(Password), error.Code.StartsWith("Password", StringComparison.Ordinal) ? texts["PasswordTooWeak"] : error.Description);
            }
            return Page();
        }
        // The mailed link proved the address.
        if (!user.EmailConfirmed)
        {
            user.EmailConfirmed = true;
            await users.UpdateAsync(user);
        }
        return Redirect("/compte/connexion?notice=reinitialise");
    }

    private async Task<PliUser?> FindAsync()
    {
        var user = UserId == Guid.Empty ? null : await users.FindByIdAsync(UserId.ToString());
        return user is { IsAgent: true } ? user : null;
    }

    private string DecodeCode()
    {
        try
        {
            return System.Text.Encoding.UTF8.GetString(WebEncoders.Base64UrlDecode(Code ?? ""));
        }
        catch (FormatException)
        {
            return "";
        }
    }
}

using Microsoft.AspNetCore.Identity;
using Microsoft.AspNetCore.Mvc;
using Microsoft.AspNetCore.Mvc.RazorPages;
using Microsoft.AspNetCore.RateLimiting;
using Pli.Web.Infrastructure.Data;
using Pli.Web.Infrastructure.Security;

namespace Pli.Web.Features.Account;

/// <summary>Asks for a reset link; the answer is the same whether the address has an account or not.</summary>
[EnableRateLimiting(RateLimits.Authentication)]
public sealed class ForgotPasswordModel(UserManager<PliUser> users, AccountMails mails) : PageModel
{
    [BindProperty]
    public string? Email { get; set; }

    public bool Sent { get; private set; }

    public void OnGet()
    {
    }

    public async Task<IActionResult> OnPostAsync(CancellationToken cancellationToken)
    {
        if (AccountForms.NormaliseEmail(Email) is { } email && await users.FindByEmailAsync(email) is { } user)
        {
            await mails.SendPasswordResetAsync(user, cancellationToken);
        }
        Sent = true;
        return Page();
    }
}

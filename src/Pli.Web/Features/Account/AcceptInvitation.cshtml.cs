using Microsoft.AspNetCore.Identity;
using Microsoft.AspNetCore.Mvc;
using Microsoft.AspNetCore.Mvc.RazorPages;
using Microsoft.AspNetCore.RateLimiting;
using Microsoft.EntityFrameworkCore;
using Microsoft.Extensions.Localization;
using Pli.Web.Features.Companies;
using Pli.Web.Infrastructure.Data;
using Pli.Web.Infrastructure.Security;

namespace Pli.Web.Features.Account;

/// <summary>The invitee of a company chooses a name and a password and joins the company.</summary>
[EnableRateLimiting(RateLimits.Authentication)]
public sealed class AcceptInvitationModel(CompanyInvitations invitations, PliDbContext db, UserManager<PliUser> users, IStringLocalizer<AccountTexts> texts) : PageModel
{
    [BindProperty(SupportsGet = true)]
    public string? Token { get; set; }

    [BindProperty] public string? FullName { get; set; }
    [BindProperty] public string? Password { get; set; }
    [BindProperty] public string? ConfirmPassword { get; set; }
    [BindProperty] public bool AcceptTerms { get; set; }

    public bool InvitationInvalid { get; private set; }
    public bool AccountExists { get; private set; }
    public string Email { get; private set; } = "";
    public string CompanyName { get; private set; } = "";

    public async Task OnGetAsync(CancellationToken cancellationToken) => await LoadAsync(cancellationToken);

    public async Task<IActionResult> OnPostAsync(CancellationToken cancellationToken)
    {
        if (await LoadAsync(cancellationToken) is not { } invitation)
        {
            return Page();
        }
        var fullName = ModelState.Required(nameof(FullName), FullName, 200, texts["FullNameRequired"]);
        await ModelState.CheckNewPasswordAsync(users, new PliUser { Email = Email, UserName = Email }, Password, ConfirmPassword, texts);
        if (!AcceptTerms)
        {
            ModelState.AddModelError(nameof(AcceptTerms), texts["TermsRequired"]);
        }
        if (!ModelState.IsValid)
        {
            return Page();
        }
        var (joined, errors) = await invitations.AcceptAsync(invitation, fullName!, Password!, cancellationToken);
        if (!joined)
        {
            if (errors.Count == 0)
            {
                InvitationInvalid = true;
            }
            ModelState.AddIdentityErrors(nameof(Password), errors, texts);
            return Page();
        }
        return RedirectToPage("Login", new { notice = "invitation" });
    }

    private async Task<CompanyInvitation?> LoadAsync(CancellationToken cancellationToken)
    {
        var invitation = await invitations.FindUsableAsync(Token, cancellationToken);
        if (invitation is null)
        {
            InvitationInvalid = true;
            return null;
        }
        Email = invitation.Email;
        CompanyName = await db.Companies.Where(c => c.Id == invitation.CompanyId).Select(c => c.Name).SingleAsync(cancellationToken);
        if (await users.FindByEmailAsync(invitation.Email) is not null)
        {
            // The address got an account after the invitation was sent: an account belongs to one company only.
            AccountExists = true;
            return null;
        }
        return invitation;
    }
}

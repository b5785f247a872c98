using Microsoft.AspNetCore.Authorization;
using Microsoft.AspNetCore.Mvc;
using Microsoft.AspNetCore.Mvc.RazorPages;
using Microsoft.EntityFrameworkCore;
using Microsoft.Extensions.Localization;
using Pli.Web.Features.Account;
using Pli.Web.Infrastructure.Data;
using Pli.Web.Infrastructure.Security;

namespace Pli.Web.Features.Companies;

/// <summary>
/// A company's admin invites colleagues, revokes pending invitations, removes colleagues and grants
/// or withdraws the admin right. Other users of the company get 404. Every handler reads the admin
/// again from the database rather than trusting the session's claims.
/// </summary>
[Authorize(Policy = Policies.CompanyAdmin)]
public sealed class UsersModel(PliDbContext db, CompanyMembers members, CompanyInvitations invitations, TimeProvider time,
    IStringLocalizer<CompaniesTexts> texts) : PageModel
{
    [BindProperty]
    public string? InviteEmail { get; set; }

    public string CompanyName { get; private set; } = "";
    public Guid CurrentUserId { get; private set; }
    public IReadOnlyList<PliUser> Users { get; private set; } = [];
    public IReadOnlyList<CompanyInvitation> Invitations { get; private set; } = [];
    public DateTime NowUtc { get; private set; }
    public string? Notice { get; private set; }

    public async Task<IActionResult> OnGetAsync(string? notice, CancellationToken cancellationToken)
    {
        if (await members.FindAdminAsync(User) is not { } admin)
        {
            return NotFound();
        }
        Notice = notice is "invitation-envoyee" or "invitation-revoquee" or "retire" or "admin-accorde" or "admin-retire" ? texts["Notice." + notice].Value : null;
        await LoadAsync(admin, cancellationToken);
        return Page();
    }

    public async Task<IActionResult> OnPostInviteAsync(CancellationToken cancellationToken)
    {
        if (await members.FindAdminAsync(User) is not { } admin)
        {
            return NotFound();
        }
        var email = AccountForms.NormaliseEmail(InviteEmail);
        if (email is null)
        {
            ModelState.AddModelError(nameof(InviteEmail), texts["InviteEmailInvalid"]);
        }
        else
        {
            var companyName = await db.Companies.Where(c => c.Id == admin.CompanyId).Select(c => c.Name).SingleAsync(cancellationToken);
            await invitations.InviteAsync(admin, companyName, email, cancellationToken);
            return RedirectToPage(new { notice = "invitation-envoyee" });
        }
        await LoadAsync(admin, cancellationToken);
        return Page();
    }

    public Task<IActionResult> OnPostRevokeInvitationAsync(Guid id, CancellationToken cancellationToken) =>
        ChangeAsync(admin => members.RevokeInvitationAsync(admin, id, cancellationToken), "invitation-revoquee", cancellationToken);

    public Task<IActionResult> OnPostRemoveAsync(Guid id, CancellationToken cancellationToken) =>
        ChangeAsync(admin => members.RemoveAsync(admin, id), "retire", cancellationToken);

    public Task<IActionResult> OnPostGrantAdminAsync(Guid id, CancellationToken cancellationToken) =>
        ChangeAsync(admin => members.SetAdminAsync(admin, id, isAdmin: true), "admin-accorde", cancellationToken);

    public Task<IActionResult> OnPostRevokeAdminAsync(Guid id, CancellationToken cancellationToken) =>
        ChangeAsync(admin => members.SetAdminAsync(admin, id, isAdmin: false), "admin-retire", cancellationToken);

    private async Task<IActionResult> ChangeAsync(Func<PliUser, Task<MemberChange>> change, string notice, CancellationToken cancellationToken)
    {
        if (await members.FindAdminAsync(User) is not { } admin)
        {
            return NotFound();
        }
        switch (await change(admin))
        {
            case MemberChange.Done:
                return RedirectToPage(new { notice });
            case MemberChange.NotOnYourself:
                ModelState.AddModelError(string.Empty, texts["NotOnYourself"]);
                await LoadAsync(admin, cancellationToken);
                return Page();
            default:
                return NotFound();
        }
    }

    private async Task LoadAsync(PliUser admin, CancellationToken cancellationToken)
    {
        var companyId = admin.CompanyId!.Value;
        CurrentUserId = admin.Id;
        CompanyName = await db.Companies.Where(c => c.Id == companyId).Select(c => c.Name).SingleAsync(cancellationToken);
        Users = await members.ListAsync(companyId, cancellationToken);
        Invitations = await members.PendingInvitationsAsync(companyId, cancellationToken);
        NowUtc = time.GetUtcNow().UtcDateTime;
    }
}

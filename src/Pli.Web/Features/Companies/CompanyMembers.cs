using System.Security.Claims;
using Microsoft.AspNetCore.Identity;
using Microsoft.EntityFrameworkCore;
using Pli.Web.Infrastructure.Data;
using Pli.Web.Infrastructure.Security;

namespace Pli.Web.Features.Companies;

public enum MemberChange
{
    Done,
    NotFound,

    /// <summary>An admin does not remove themselves nor drop their own rights: the company keeps an admin.</summary>
    NotOnYourself,
}

/// <summary>What a company's admin does to colleagues. Every change renews the colleague's security stamp so their sessions pick it up.</summary>
public sealed class CompanyMembers(PliDbContext db, UserManager<PliUser> users)
{
    /// <summary>
    /// The signed-in user read again from the database, if they are still an admin of the company of
    /// their sign-in: the claims of a session may be up to a minute old.
    /// </summary>
    public async Task<PliUser?> FindAdminAsync(ClaimsPrincipal principal)
    {
        var user = await users.GetUserAsync(principal);
        return user is { IsCompanyAdmin: true, CompanyId: { } company } && company == principal.CompanyId() ? user : null;
    }

    public Task<List<PliUser>> ListAsync(Guid companyId, CancellationToken cancellationToken = default) =>
        db.Users.AsNoTracking().Where(u => u.CompanyId == companyId).OrderBy(u => u.FullName).ThenBy(u => u.Email).ToListAsync(cancellationToken);

    /// <summary>The colleague leaves the company; their account stays (it may hold history) but no longer acts for it.</summary>
    public async Task<MemberChange> RemoveAsync(PliUser admin, Guid userId)
    {
        if (userId == admin.Id)
        {
            return MemberChange.NotOnYourself;
        }
        if (await FindColleagueAsync(admin, userId) is not { } colleague)
        {
            return MemberChange.NotFound;
        }
        colleague.CompanyId = null;
        colleague.IsCompanyAdmin = false;
        await users.UpdateSecurityStampAsync(colleague);
        return MemberChange.Done;
    }

    public async Task<MemberChange> SetAdminAsync(PliUser admin, Guid userId, bool isAdmin)
    {
        if (userId == admin.Id)
        {
            return MemberChange.NotOnYourself;
        }
        if (await FindColleagueAsync(admin, userId) is not { } colleague)
        {
            return MemberChange.NotFound;
        }
        colleague.IsCompanyAdmin = isAdmin;
        await users.UpdateSecurityStampAsync(colleague);
        return MemberChange.Done;
    }

    public async Task<MemberChange> RevokeInvitationAsync(PliUser admin, Guid invitationId, CancellationToken cancellationToken = default)
    {
        var deleted = await db.CompanyInvitations
            .Where(i => i.Id == invitationId && i.CompanyId == admin.CompanyId && i.AcceptedUtc == null)
            .ExecuteDeleteAsync(cancellationToken);
        return deleted == 1 ? MemberChange.Done : MemberChange.NotFound;
    }

    public Task<List<CompanyInvitation>> PendingInvitationsAsync(Guid companyId, CancellationToken cancellationToken = default) =>
        db.CompanyInvitations.AsNoTracking().Where(i => i.CompanyId == companyId && i.AcceptedUtc == null)
            .OrderBy(i => i.CreatedUtc).ToListAsync(cancellationToken);

    private Task<PliUser?> FindColleagueAsync(PliUser admin, Guid userId) =>
        db.Users.SingleOrDefaultAsync(u => u.Id == userId && u.CompanyId == admin.CompanyId);
}

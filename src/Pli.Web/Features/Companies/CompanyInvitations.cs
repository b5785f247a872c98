using System.Buffers.Text;
using System.Security.Cryptography;
using System.Text;
using Microsoft.AspNetCore.Identity;
using Microsoft.EntityFrameworkCore;
using Microsoft.Extensions.Localization;
using Pli.Web.Infrastructure.Data;
using Pli.Web.Infrastructure.Mail;
using Pli.Web.Infrastructure.Web;

namespace Pli.Web.Features.Companies;

/// <summary>
/// Invitations of colleagues by a company's admin. The token is only in the mail; the database keeps
/// its SHA-256, so that a copy of the database lets nobody join a company. A token serves once and
/// for seven days.
/// </summary>
public sealed class CompanyInvitations(PliDbContext db, UserManager<PliUser> users, MailOutbox mail, MailTemplate template, PublicLinks links,
    IStringLocalizer<CompaniesTexts> texts, TimeProvider time)
{
    public static readonly TimeSpan Lifetime = TimeSpan.FromDays(7);

    public static string Hash(string token) => Convert.ToHexStringLower(SHA256.HashData(Encoding.UTF8.GetBytes(token)));

    /// <summary>
    /// Invites <paramref name="email"/>. An address that has an account already gets the same mail: the
    /// link tells its owner that an account belongs to one company only, and the admin learns nothing
    /// about who has an account.
    /// </summary>
    public async Task InviteAsync(PliUser admin, string companyName, string email, CancellationToken cancellationToken = default)
    {
        // Inviting again replaces the pending invitation: only the newest link works.
        var normalised = email.ToUpperInvariant();
        await db.CompanyInvitations
            .Where(i => i.CompanyId == admin.CompanyId && i.AcceptedUtc == null && i.Email.ToUpper() == normalised)
            .ExecuteDeleteAsync(cancellationToken);

        var token = Base64Url.EncodeToString(RandomNumberGenerator.GetBytes(32));
        var now = time.GetUtcNow().UtcDateTime;
        db.CompanyInvitations.Add(new CompanyInvitation
        {
            Id = Guid.NewGuid(),
            CompanyId = admin.CompanyId!.Value,
            Email = email,
            TokenHash = Hash(token),
            InvitedByUserId = admin.Id,
            CreatedUtc = now,
            ExpiresUtc = now + Lifetime,
        });
        // The invited person has no account, hence no language yet: the inviter's is the best guess, frame included.
        mail.Enqueue(template.Create(email, string.Format(texts["MailInviteSubject"], companyName),
            [string.Format(texts["MailInviteText"], admin.FullName, companyName), texts["MailInviteValidity"], texts["MailInviteIgnore"]],
            texts["MailInviteLink"], links.To("/compte/invitation?token=" + token), System.Globalization.CultureInfo.CurrentUICulture));
        await db.SaveChangesAsync(cancellationToken);
    }

    /// <summary>The invitation of this token if it can still be accepted (not used, not expired, not revoked).</summary>
    public async Task<CompanyInvitation?> FindUsableAsync(string? token, CancellationToken cancellationToken = default)
    {
        if (string.IsNullOrWhiteSpace(token) || token.Length > 100)
        {
            return null;
        }
        var hash = Hash(token.Trim());
        var invitation = await db.CompanyInvitations.AsNoTracking().SingleOrDefaultAsync(i => i.TokenHash == hash, cancellationToken);
        return invitation is { AcceptedUtc: null } && invitation.ExpiresUtc > time.GetUtcNow().UtcDateTime ? invitation : null;
    }

    /// <summary>
    /// Creates the invitee's account in the company and spends the invitation, in one transaction.
    /// The invitation link reached the address, so it counts as confirmed.
    /// </summary>
    public async Task<(bool Joined, IReadOnlyList<IdentityError> Errors)> AcceptAsync(CompanyInvitation invitation, string fullName, string password,
        CancellationToken cancellationToken = default)
    {
        var now = time.GetUtcNow().UtcDateTime;
        await using var transaction = await db.Database.BeginTransactionAsync(cancellationToken);
        // Conditional update: of two simultaneous acceptances, only one finds the invitation unused.
        var spent = await db.CompanyInvitations
            .Where(i => i.Id == invitation.Id && i.AcceptedUtc == null && i.ExpiresUtc > now)
            .ExecuteUpdateAsync(s => s.SetProperty(i => i.AcceptedUtc, now), cancellationToken);
        if (spent != 1)
        {
            return (false, []);
        }
        var user = new PliUser
        {
            UserName = invitation.Email,
            Email = invitation.Email,
            EmailConfirmed = true,
            FullName = fullName,
            CompanyId = invitation.CompanyId,
            CreatedUtc = now,
            TermsAcceptedUtc = now,
            // The invited person is the one reading this page: their mails start in its language.
            Language = RecipientLanguage.NameOf(System.Globalization.CultureInfo.CurrentUICulture),
        };
        var result = await users.CreateAsync(user, password);
        if (!result.Succeeded)
        {
            await transaction.RollbackAsync(cancellationToken);
            db.ChangeTracker.Clear();
            return (false, [.. result.Errors]);
        }
        await transaction.CommitAsync(cancellationToken);
        return (true, []);
    }
}

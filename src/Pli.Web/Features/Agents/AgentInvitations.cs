using Microsoft.AspNetCore.Identity;
using Microsoft.AspNetCore.WebUtilities;
using Microsoft.Extensions.Localization;
using Pli.Domain.Common;
using Pli.Domain.Organisations;
using Pli.Web.Infrastructure.Data;
using Pli.Web.Infrastructure.Mail;
using Pli.Web.Infrastructure.Web;

namespace Pli.Web.Features.Agents;

/// <summary>
/// Creates the account of a buyer's agent without a password and mails a link to choose one.
/// The link carries an Identity password-reset token: single use (the security stamp changes when
/// the password is set) and short-lived.
/// </summary>
public sealed class AgentInvitations(
    UserManager<PliUser> users,
    MailOutbox mail,
    MailTemplate template,
    PublicLinks links,
    TimeProvider time,
    IStringLocalizer<AgentsTexts> texts)
{
    /// <summary>Creates the agent; throws a <see cref="DomainException"/> (field "Email" or "FullName") when refused.</summary>
    public async Task<PliUser> CreateAsync(Guid organisationId, string? fullName, string? email, AgentRole roles)
    {
        var name = (fullName ?? "").Trim();
        if (name.Length is 0 or > 200 || name.Any(char.IsControl))
        {
            throw new DomainException("agent.name", texts["AgentNameRequired"], "FullName");
        }
        var address = (email ?? "").Trim();
        if (!IsEmail(address))
        {
            throw new DomainException("agent.email", texts["AgentEmailInvalid"], "Email");
        }
        if (await users.FindByEmailAsync(address) is not null)
        {
            throw new DomainException("agent.email-taken", texts["AgentEmailTaken"], "Email");
        }
        var user = new PliUser
        {
            UserName = address,
            Email = address,
            FullName = name,
            OrganisationId = organisationId,
            AgentRoles = roles,
            CreatedUtc = time.GetUtcNow().UtcDateTime,
        };
        var result = await users.CreateAsync(user);
        if (!result.Succeeded)
        {
            throw new DomainException("agent.create", string.Join(" ", result.Errors.Select(e => e.Description)), "Email");
        }
        return user;
    }

    /// <summary>Mails the activation link. Sent after the account is committed, so a link never names a missing account.</summary>
    public async Task SendActivationAsync(PliUser user, string organisationName)
    {
        var code = WebEncoders.Base64UrlEncode(System.Text.Encoding.UTF8.GetBytes(await users.GeneratePasswordResetTokenAsync(user)));
        var link = links.To($"/compte/activer?userId={user.Id}&code={code}");
        // The new agent has not chosen a language yet: the inviting admin's is the best guess, frame included.
        await mail.SendAsync(template.Create(user.Email!, texts["ActivationMailSubject", organisationName],
            [texts["ActivationMailHello", user.FullName], texts["ActivationMailBody", organisationName], texts["ActivationMailTotp"]],
            texts["ActivationMailLink"], link, System.Globalization.CultureInfo.CurrentUICulture));
    }

    private static bool IsEmail(string address) =>
        address.Length is > 3 and <= 256 && !address.Any(c => char.IsWhiteSpace(c) || char.IsControl(c))
        && address.IndexOf('@', StringComparison.Ordinal) is > 0 and var at && at == address.LastIndexOf('@') && address[(at + 1)..].Contains('.', StringComparison.Ordinal)
        && System.Net.Mail.MailAddress.TryCreate(address, out _);
}

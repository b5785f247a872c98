using Microsoft.AspNetCore.Identity;
using Microsoft.Extensions.Localization;
using Pli.Web.Infrastructure.Data;
using Pli.Web.Infrastructure.Mail;
using Pli.Web.Infrastructure.Web;

namespace Pli.Web.Features.Account;

/// <summary>The mails of the account journeys: confirmation, reset, and the notice of a registration attempt.</summary>
public sealed class AccountMails(MailOutbox mail, MailTemplate template, PublicLinks links, UserManager<PliUser> users, IStringLocalizer<AccountTexts> texts)
{
    public async Task SendConfirmationAsync(PliUser user, CancellationToken cancellationToken = default)
    {
        var code = await users.GenerateEmailConfirmationTokenAsync(user);
        var url = links.To($"/compte/confirmer?userId={user.Id}&code={Uri.EscapeDataString(code)}");
        await mail.SendAsync(template.Create(user.Email!, texts["MailConfirmSubject"],
            [string.Format(texts["MailHello"], user.FullName), texts["MailConfirmText"], texts["MailLinkValidity24h"]],
            texts["MailConfirmLink"], url), cancellationToken);
    }

    public async Task SendPasswordResetAsync(PliUser user, CancellationToken cancellationToken = default)
    {
        var code = await users.GeneratePasswordResetTokenAsync(user);
        var url = links.To($"/compte/reinitialiser?userId={user.Id}&code={Uri.EscapeDataString(code)}");
        await mail.SendAsync(template.Create(user.Email!, texts["MailResetSubject"],
            [string.Format(texts["MailHello"], user.FullName), texts["MailResetText"], texts["MailLinkValidity24h"], texts["MailIgnoreIfNotYou"]],
            texts["MailResetLink"], url), cancellationToken);
    }

    /// <summary>Someone tried to register with an address that already has an account: its owner is told, the visitor is not.</summary>
    public Task SendRegistrationAttemptAsync(PliUser user, CancellationToken cancellationToken = default) =>
        mail.SendAsync(template.Create(user.Email!, texts["MailAttemptSubject"],
            [string.Format(texts["MailHello"], user.FullName), texts["MailAttemptText"], texts["MailAttemptAdvice"]],
            texts["MailAttemptLink"], links.To("/compte/mot-de-passe-oublie")), cancellationToken);
}

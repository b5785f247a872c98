using System.Globalization;
using Microsoft.AspNetCore.Identity;
using Pli.Web.Infrastructure.Data;
using Pli.Web.Infrastructure.Mail;
using Pli.Web.Infrastructure.Web;

namespace Pli.Web.Features.Account;

/// <summary>
/// The mails of the account journeys: confirmation, reset, and the notice of a registration attempt. The first two
/// answer the person on the page, in its language; the notice goes to the account's owner, who is not that person,
/// in the owner's language.
/// </summary>
public sealed class AccountMails(MailOutbox mail, MailTemplate template, PublicLinks links, UserManager<PliUser> users)
{
    public async Task SendConfirmationAsync(PliUser user, CancellationToken cancellationToken = default)
    {
        var culture = CultureInfo.CurrentUICulture;
        var code = await users.GenerateEmailConfirmationTokenAsync(user);
        var url = links.To($"/compte/confirmer?userId={user.Id}&code={Uri.EscapeDataString(code)}");
        await mail.SendAsync(Create(user, culture, "MailConfirmSubject", ["MailConfirmText", "MailLinkValidity24h"], "MailConfirmLink", url), cancellationToken);
    }

    public async Task SendPasswordResetAsync(PliUser user, CancellationToken cancellationToken = default)
    {
        var culture = CultureInfo.CurrentUICulture;
        var code = await users.GeneratePasswordResetTokenAsync(user);
        var url = links.To($"/compte/reinitialiser?userId={user.Id}&code={Uri.EscapeDataString(code)}");
        await mail.SendAsync(Create(user, culture, "MailResetSubject", ["MailResetText", "MailLinkValidity24h", "MailIgnoreIfNotYou"], "MailResetLink", url), cancellationToken);
    }

    /// <summary>Someone tried to register with an address that already has an account: its owner is told, the visitor is not.</summary>
    public Task SendRegistrationAttemptAsync(PliUser user, CancellationToken cancellationToken = default) =>
        mail.SendAsync(Create(user, RecipientLanguage.Of(user), "MailAttemptSubject", ["MailAttemptText", "MailAttemptAdvice"], "MailAttemptLink", links.To("/compte/mot-de-passe-oublie")), cancellationToken);

    private OutgoingMail Create(PliUser user, CultureInfo culture, string subject, string[] paragraphs, string link, string url) =>
        template.Create(user.Email!, AccountTexts.Get(subject, culture),
            [string.Format(culture, AccountTexts.Get("MailHello", culture), user.FullName), .. paragraphs.Select(p => AccountTexts.Get(p, culture))],
            AccountTexts.Get(link, culture), url, culture);
}

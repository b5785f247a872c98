using System.Text;
using System.Text.Encodings.Web;
using Microsoft.AspNetCore.Identity;
using Microsoft.Extensions.Localization;
using Pli.Web.Infrastructure.Data;
using Pli.Web.Infrastructure.Mail;
using Pli.Web.Infrastructure.Web;

namespace Pli.Web.Features.Account;

/// <summary>A short mail: a few paragraphs and at most one link, as HTML and as plain text.</summary>
public static class LinkMail
{
    public static OutgoingMail Create(string to, string subject, IEnumerable<string> paragraphs, string? linkText = null, string? url = null)
    {
        var html = new StringBuilder();
        var text = new StringBuilder();
        foreach (var paragraph in paragraphs)
        {
            html.Append("<p>").Append(HtmlEncoder.Default.Encode(paragraph)).Append("</p>\n");
            text.Append(paragraph).Append("\n\n");
        }
        if (url is not null)
        {
            html.Append("<p><a href=\"").Append(HtmlEncoder.Default.Encode(url)).Append("\">")
                .Append(HtmlEncoder.Default.Encode(linkText ?? url)).Append("</a></p>\n");
            text.Append(linkText).Append(" :\n").Append(url).Append('\n');
        }
        return new OutgoingMail(to, subject, html.ToString(), text.ToString());
    }
}

/// <summary>The mails of the account journeys: confirmation, reset, and the notice of a registration attempt.</summary>
public sealed class AccountMails(IMailSender mail, PublicLinks links, UserManager<PliUser> users, IStringLocalizer<AccountTexts> texts)
{
    public async Task SendConfirmationAsync(PliUser user, CancellationToken cancellationToken = default)
    {
        var code = await users.GenerateEmailConfirmationTokenAsync(user);
        var url = links.To($"/compte/confirmer?userId={user.Id}&code={Uri.EscapeDataString(code)}");
        await mail.SendAsync(LinkMail.Create(user.Email!, texts["MailConfirmSubject"],
            [string.Format(texts["MailHello"], user.FullName), texts["MailConfirmText"], texts["MailLinkValidity24h"]],
            texts["MailConfirmLink"], url), cancellationToken);
    }

    public async Task SendPasswordResetAsync(PliUser user, CancellationToken cancellationToken = default)
    {
        var code = await users.GeneratePasswordResetTokenAsync(user);
        var url = links.To($"/compte/reinitialiser?userId={user.Id}&code={Uri.EscapeDataString(code)}");
        await mail.SendAsync(LinkMail.Create(user.Email!, texts["MailResetSubject"],
            [string.Format(texts["MailHello"], user.FullName), texts["MailResetText"], texts["MailLinkValidity24h"], texts["MailIgnoreIfNotYou"]],
            texts["MailResetLink"], url), cancellationToken);
    }

    /// <summary>Someone tried to register with an address that already has an account: its owner is told, the visitor is not.</summary>
    public Task SendRegistrationAttemptAsync(PliUser user, CancellationToken cancellationToken = default) =>
        mail.SendAsync(LinkMail.Create(user.Email!, texts["MailAttemptSubject"],
            [string.Format(texts["MailHello"], user.FullName), texts["MailAttemptText"], texts["MailAttemptAdvice"]],
            texts["MailAttemptLink"], links.To("/compte/mot-de-passe-oublie")), cancellationToken);
}

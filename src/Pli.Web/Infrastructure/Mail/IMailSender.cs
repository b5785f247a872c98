namespace Pli.Web.Infrastructure.Mail;

/// <summary>
/// Sends a mail. Mails carry notices and links back to the platform, never the content of an
/// offer, a message or an attachment.
/// </summary>
public interface IMailSender
{
    Task SendAsync(OutgoingMail mail, CancellationToken cancellationToken = default);
}

public sealed record OutgoingMail(string To, string Subject, string HtmlBody, string TextBody)
{
    /// <summary>Documents the platform itself issues (a receipt), never a file a user sent.</summary>
    public IReadOnlyList<MailAttachment> Attachments { get; init; } = [];
}

public sealed record MailAttachment(string FileName, string ContentType, byte[] Content);

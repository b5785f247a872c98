namespace Pli.Web.Infrastructure.Mail;

/// <summary>
/// A mail to send. Mails carry notices and links back to the platform, never the content of an
/// offer, of a message or of a file a user sent.
/// </summary>
public sealed record OutgoingMail(string To, string Subject, string HtmlBody, string TextBody)
{
    /// <summary>Documents the platform itself issues (a deposit receipt), never a file a user sent.</summary>
    public IReadOnlyList<MailAttachment> Attachments { get; init; } = [];
}

public sealed record MailAttachment(string FileName, string ContentType, byte[] Content);

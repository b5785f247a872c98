using Microsoft.Extensions.Options;
using MimeKit;
using Pli.Web.Infrastructure.Data;

namespace Pli.Web.Infrastructure.Mail;

/// <summary>
/// Where every mail of the platform goes first. <see cref="Enqueue"/> adds it to the request's
/// DbContext, so the mail is saved with the change that causes it, or not at all.
/// </summary>
public sealed class MailOutbox(PliDbContext db, IOptions<MailOptions> options, TimeProvider time)
{
    private readonly MailboxAddress _from = MailboxAddress.Parse(options.Value.From);

    /// <summary>Adds the mail to the outbox; it is stored by the caller's next SaveChanges.</summary>
    public OutboxMail Enqueue(OutgoingMail mail)
    {
        var now = time.GetUtcNow().UtcDateTime;
        var id = Guid.NewGuid();
        var entry = new OutboxMail
        {
            Id = id,
            CreatedUtc = now,
            To = mail.To,
            Subject = mail.Subject,
            Mime = Compose(mail, id, now),
            Status = OutboxMailStatus.Pending,
            NextAttemptUtc = now,
        };
        db.OutboxMails.Add(entry);
        return entry;
    }

    /// <summary>For a mail that follows no other change: enqueued and saved at once.</summary>
    public async Task SendAsync(OutgoingMail mail, CancellationToken cancellationToken = default)
    {
        Enqueue(mail);
        await db.SaveChangesAsync(cancellationToken);
    }

    private byte[] Compose(OutgoingMail mail, Guid id, DateTime nowUtc)
    {
        var message = new MimeMessage();
        message.From.Add(_from);
        message.To.Add(MailboxAddress.Parse(mail.To));
        message.Subject = mail.Subject;
        message.Date = new DateTimeOffset(nowUtc, TimeSpan.Zero);
        // A stable id: a receiving server or a reader can tell a mail sent again from a new one.
        message.MessageId = $"{id:N}@{_from.Domain}";
        var body = new BodyBuilder { HtmlBody = mail.HtmlBody, TextBody = mail.TextBody };
        foreach (var attachment in mail.Attachments)
        {
            body.Attachments.Add(attachment.FileName, attachment.Content, ContentType.Parse(attachment.ContentType));
        }
        message.Body = body.ToMessageBody();
        using var buffer = new MemoryStream();
        message.WriteTo(buffer);
        return buffer.ToArray();
    }
}

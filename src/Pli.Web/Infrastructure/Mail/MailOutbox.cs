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

    // The body last composed, encoded: a notice to ten thousand people is one body, encoded once, under
    // ten thousand headers. Only mails without attachments share it (a receipt is a document of its own).
    private (string Html, string Text, byte[] Encoded)? _lastBody;

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
        using var buffer = new MemoryStream();
        if (mail.Attachments.Count > 0)
        {
            foreach (var attachment in mail.Attachments)
            {
                body.Attachments.Add(attachment.FileName, attachment.Content, ContentType.Parse(attachment.ContentType));
            }
            message.Body = body.ToMessageBody();
            message.WriteTo(buffer);
            return buffer.ToArray();
        }
        // What MimeMessage.WriteTo writes, in two pieces: the message's headers, then the body entity (its
        // own headers, a blank line, its content), the latter encoded once for every mail that shares it.
        if (_lastBody is not { } last || !string.Equals(last.Html, mail.HtmlBody, StringComparison.Ordinal) || !string.Equals(last.Text, mail.TextBody, StringComparison.Ordinal))
        {
            using var encoded = new MemoryStream();
            body.ToMessageBody().WriteTo(FormatOptions.Default, encoded);
            last = (mail.HtmlBody, mail.TextBody, encoded.ToArray());
            _lastBody = last;
        }
        message.MimeVersion = new Version(1, 0);
        message.Headers.WriteTo(FormatOptions.Default, buffer);
        // The header list ends with the blank line that ends a message's headers: the body's own headers come first.
        var blankLine = FormatOptions.Default.NewLineFormat == NewLineFormat.Dos ? 2 : 1;
        if (buffer.Length < 2 * blankLine || buffer.GetBuffer()[buffer.Length - 1] != (byte)'\n')
        {
            throw new InvalidOperationException("MimeKit's header list no longer ends with a blank line.");
        }
        buffer.SetLength(buffer.Length - blankLine);
        buffer.Write(last.Encoded);
        return buffer.ToArray();
    }
}

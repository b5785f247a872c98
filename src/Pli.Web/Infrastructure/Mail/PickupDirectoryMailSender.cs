using Microsoft.Extensions.Options;
using MimeKit;

namespace Pli.Web.Infrastructure.Mail;

/// <summary>
/// Writes each mail as an .eml file: the embedded default, so that a newcomer without an SMTP
/// server still receives confirmation and reset links.
/// </summary>
public sealed class PickupDirectoryMailSender : IMailSender
{
    private readonly string _directory;
    private readonly MailboxAddress _from;
    private readonly TimeProvider _time;

    public PickupDirectoryMailSender(IOptions<MailOptions> options, IHostEnvironment environment, TimeProvider time)
    {
        var path = options.Value.PickupDirectory;
        _directory = Path.IsPathRooted(path) ? path : Path.Combine(environment.ContentRootPath, path);
        System.IO.Directory.CreateDirectory(_directory);
        _from = MailboxAddress.Parse(options.Value.From);
        _time = time;
    }

    public string PickupDirectory => _directory;

    public async Task SendAsync(OutgoingMail mail, CancellationToken cancellationToken = default)
    {
        var message = new MimeMessage();
        message.From.Add(_from);
        message.To.Add(MailboxAddress.Parse(mail.To));
        message.Subject = mail.Subject;
        message.Date = _time.GetUtcNow();
        var body = new BodyBuilder { HtmlBody = mail.HtmlBody, TextBody = mail.TextBody };
        foreach (var attachment in mail.Attachments)
        {
            body.Attachments.Add(attachment.FileName, attachment.Content, ContentType.Parse(attachment.ContentType));
        }
        message.Body = body.ToMessageBody();
        var name = $"{_time.GetUtcNow():yyyyMMddTHHmmssfff}-{Guid.NewGuid():N}.eml";
        var temp = Path.Combine(_directory, name + ".tmp");
        await message.WriteToAsync(temp, cancellationToken);
        File.Move(temp, Path.Combine(_directory, name));
    }
}

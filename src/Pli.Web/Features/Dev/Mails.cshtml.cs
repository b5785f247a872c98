using System.Text.RegularExpressions;
using Microsoft.AspNetCore.Mvc;
using Microsoft.AspNetCore.Mvc.RazorPages;
using MimeKit;
using Pli.Web.Infrastructure.Mail;

namespace Pli.Web.Features.Dev;

/// <summary>
/// The mails of the pickup folder, for a newcomer running Pli without an SMTP server: confirmation
/// links, notices and messages can be followed from here. Only in Development, and only when mails go
/// to the pickup folder; anywhere else the page does not exist.
/// </summary>
public sealed partial class MailsModel(IHostEnvironment environment, IMailTransport transport) : PageModel
{
    private const int Shown = 100;

    public IReadOnlyList<PickupMail> Mails { get; private set; } = [];
    public PickupMail? Selected { get; private set; }

    public IActionResult OnGet(string? name)
    {
        if (!environment.IsDevelopment() || transport is not PickupDirectoryMailTransport pickup)
        {
            return NotFound();
        }
        var files = new DirectoryInfo(pickup.PickupDirectory).GetFiles("*.eml")
            .OrderByDescending(f => f.Name, StringComparer.Ordinal).Take(Shown).ToList();
        if (name is not null)
        {
            var file = files.FirstOrDefault(f => f.Name == name);
            if (file is null)
            {
                return NotFound();
            }
            Selected = Read(file);
            return Page();
        }
        Mails = [.. files.Select(Read)];
        return Page();
    }

    private static PickupMail Read(FileInfo file)
    {
        using var message = MimeMessage.Load(file.FullName);
        var links = Href().Matches(message.HtmlBody ?? "").Select(m => System.Net.WebUtility.HtmlDecode(m.Groups[1].Value)).Distinct().ToList();
        return new PickupMail(file.Name, message.Date, string.Join(", ", message.To.Mailboxes.Select(b => b.Address)), message.Subject ?? "",
            message.TextBody ?? "", links, [.. message.Attachments.OfType<MimePart>().Select(a => a.FileName ?? "")]);
    }

    [GeneratedRegex("href=\"([^\"]+)\"")]
    private static partial Regex Href();

    public sealed record PickupMail(string Name, DateTimeOffset Date, string To, string Subject, string Text, IReadOnlyList<string> Links, IReadOnlyList<string> Attachments);
}

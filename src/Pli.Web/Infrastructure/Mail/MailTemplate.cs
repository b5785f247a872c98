using System.Globalization;
using System.Resources;
using System.Text;
using System.Text.Encodings.Web;
using System.Text.Unicode;
using Pli.Web.Infrastructure.Web;

namespace Pli.Web.Infrastructure.Mail;

/// <summary>
/// The one layout of Pli's mails, as HTML and as plain text: the platform's name, a few paragraphs
/// written by the platform, at most one button back to the platform, and a footer saying why the
/// mail was sent. Every text a user typed stays on the platform; a mail only says where to read it.
/// </summary>
public sealed class MailTemplate(IConfiguration configuration, PublicLinks links)
{
    private static readonly ResourceManager Texts = new(typeof(MailTemplate));
    private static readonly CultureInfo French = CultureInfo.GetCultureInfo("fr-FR");

    // Accents stay readable in the source of the mail; markup characters are still encoded.
    private static readonly HtmlEncoder Encoder = HtmlEncoder.Create(UnicodeRanges.All);

    public string PlatformName { get; } = configuration["Platform:Name"] is { Length: > 0 } name ? name : "Pli";

    public static string Text(string key, CultureInfo? culture = null) => Texts.GetString(key, culture ?? French) ?? key;

    public OutgoingMail Create(string to, string subject, IEnumerable<string> paragraphs, string? buttonText = null, string? url = null, CultureInfo? culture = null) =>
        CreateWithList(to, subject, paragraphs, [], buttonText, url, culture);

    /// <summary>
    /// The same layout with, after the paragraphs, a list of links back to the platform (a digest of
    /// public consultations, say): each item a line of text, its link, and an optional detail line.
    /// </summary>
    public OutgoingMail CreateWithList(string to, string subject, IEnumerable<string> paragraphs, IEnumerable<MailListItem> items,
        string? buttonText = null, string? url = null, CultureInfo? culture = null)
    {
        culture ??= French;
        var encode = Encoder;
        var html = new StringBuilder();
        var text = new StringBuilder();
        html.Append("<!DOCTYPE html>\n<html lang=\"").Append(culture.TwoLetterISOLanguageName).Append("\"><head><meta charset=\"utf-8\"><title>")
            .Append(encode.Encode(subject)).Append("</title></head>\n<body style=\"font-family:Arial,sans-serif;color:#161616;max-width:640px;margin:0 auto;padding:16px\">\n")
            .Append("<p style=\"font-size:20px;font-weight:bold;color:#000091;margin:0 0 16px\">").Append(encode.Encode(PlatformName)).Append("</p>\n");
        text.Append(PlatformName).Append("\n\n");
        foreach (var paragraph in paragraphs)
        {
            html.Append("<p>").Append(encode.Encode(paragraph)).Append("</p>\n");
            text.Append(paragraph).Append("\n\n");
        }
        var list = items.ToList();
        if (list.Count > 0)
        {
            html.Append("<ul style=\"padding-left:20px\">\n");
            foreach (var item in list)
            {
                html.Append("<li style=\"margin:0 0 12px\"><a href=\"").Append(encode.Encode(item.Url)).Append("\" style=\"color:#000091\">")
                    .Append(encode.Encode(item.Text)).Append("</a>");
                text.Append("- ").Append(item.Text).Append('\n');
                if (item.Detail is { Length: > 0 } detail)
                {
                    html.Append("<br><span style=\"font-size:14px;color:#3a3a3a\">").Append(encode.Encode(detail)).Append("</span>");
                    text.Append("  ").Append(detail).Append('\n');
                }
                html.Append("</li>\n");
                text.Append("  ").Append(item.Url).Append("\n\n");
            }
            html.Append("</ul>\n");
        }
        if (url is not null)
        {
            var label = buttonText ?? url;
            html.Append("<p style=\"margin:24px 0\"><a href=\"").Append(encode.Encode(url))
                .Append("\" style=\"background:#000091;color:#ffffff;padding:12px 20px;text-decoration:none;display:inline-block;font-weight:bold\">")
                .Append(encode.Encode(label)).Append("</a></p>\n")
                .Append("<p style=\"font-size:13px;color:#666\">").Append(encode.Encode(Text("LinkFallback", culture))).Append("<br>")
                .Append(encode.Encode(url)).Append("</p>\n");
            text.Append(label).Append(" :\n").Append(url).Append("\n\n");
        }
        var footer = string.Format(culture, Text("Footer", culture), PlatformName, links.Base);
        html.Append("<hr style=\"border:none;border-top:1px solid #ddd\">\n<p style=\"font-size:12px;color:#666\">").Append(encode.Encode(footer)).Append("</p>\n</body></html>\n");
        text.Append("-- \n").Append(footer).Append('\n');
        return new OutgoingMail(to, subject, html.ToString(), text.ToString());
    }
}

/// <summary>One line of a mail's list: a text, the platform page it links to, and an optional detail line.</summary>
public sealed record MailListItem(string Text, string Url, string? Detail = null);

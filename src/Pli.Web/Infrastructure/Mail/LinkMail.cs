using System.Text;
using System.Text.Encodings.Web;

namespace Pli.Web.Infrastructure.Mail;

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

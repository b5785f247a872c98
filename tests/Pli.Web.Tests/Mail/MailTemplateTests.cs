using Microsoft.Extensions.Configuration;
using Pli.Web.Infrastructure.Mail;
using Pli.Web.Infrastructure.Web;

namespace Pli.Web.Tests.Mail;

public sealed class MailTemplateTests
{
    private static readonly MailTemplate Template = new(
        new ConfigurationBuilder().AddInMemoryCollection(new Dictionary<string, string?> { ["Platform:Name"] = "Marchés de la Métropole", ["Platform:PublicBaseUrl"] = "https://marches.example.org" }).Build(),
        new PublicLinks(new ConfigurationBuilder().AddInMemoryCollection(new Dictionary<string, string?> { ["Platform:PublicBaseUrl"] = "https://marches.example.org" }).Build()));

    [Fact]
    public void Create_GivesHtmlAndText_WithThePlatformNameTheButtonAndTheFooter()
    {
        var mail = Template.Create("a@example.org", "Nouveau message", ["Un message vous attend."], "Accéder au contenu du message", "https://marches.example.org/messages/1");

        Assert.Contains("<html lang=\"fr\">", mail.HtmlBody, StringComparison.Ordinal);
        Assert.Contains("Marchés de la Métropole", mail.HtmlBody, StringComparison.Ordinal);
        Assert.Contains("href=\"https://marches.example.org/messages/1\"", mail.HtmlBody, StringComparison.Ordinal);
        Assert.Contains("Accéder au contenu du message", mail.HtmlBody, StringComparison.Ordinal);
        Assert.Contains("y répondez pas", mail.HtmlBody, StringComparison.Ordinal);
        Assert.Contains("N'y répondez pas", mail.TextBody, StringComparison.Ordinal);
        Assert.StartsWith("Marchés de la Métropole", mail.TextBody, StringComparison.Ordinal);
        Assert.Contains("Accéder au contenu du message :\nhttps://marches.example.org/messages/1", mail.TextBody, StringComparison.Ordinal);
        Assert.Contains("(https://marches.example.org)", mail.TextBody, StringComparison.Ordinal);
    }

    [Fact]
    public void Create_EncodesEveryText_SoNoMarkupGetsIntoTheHtml()
    {
        var mail = Template.Create("a@example.org", "<b>objet</b>", ["<script>alert(1)</script>"], "<i>bouton</i>", "https://x.example/?a=1&b=\"2\"");

        Assert.DoesNotContain("<script>", mail.HtmlBody, StringComparison.Ordinal);
        Assert.DoesNotContain("<b>objet", mail.HtmlBody, StringComparison.Ordinal);
        Assert.DoesNotContain("<i>bouton", mail.HtmlBody, StringComparison.Ordinal);
        Assert.Contains("&lt;script&gt;", mail.HtmlBody, StringComparison.Ordinal);
        Assert.DoesNotContain("b=\"2\"", mail.HtmlBody, StringComparison.Ordinal);
    }
}

using Microsoft.Extensions.Configuration;
using Pli.Web.Infrastructure.Mail;
using Pli.Web.Infrastructure.Web;

namespace Pli.Web.Tests.Features.Alerts;

/// <summary>The list variant of the mail layout the digest uses: the same layout, with encoded links.</summary>
public sealed class DigestMailLayoutTests
{
    private static readonly IConfiguration Settings = new ConfigurationBuilder()
        .AddInMemoryCollection(new Dictionary<string, string?> { ["Platform:Name"] = "Pli", ["Platform:PublicBaseUrl"] = "https://marches.example.org" }).Build();

    private static readonly MailTemplate Template = new(Settings, new PublicLinks(Settings));

    [Fact]
    public void CreateWithList_KeepsTheLayoutOfCreate_AndAddsTheItems()
    {
        var plain = Template.Create("a@example.org", "Veille", ["Intro."], "Voir", "https://marches.example.org/");

        var listed = Template.CreateWithList("a@example.org", "Veille", ["Intro."],
            [new MailListItem("R-1 — Quais", "https://marches.example.org/consultations/1", "Acheteur : Ville")], "Voir", "https://marches.example.org/");

        var listHtml = listed.HtmlBody.Substring(listed.HtmlBody.IndexOf("<ul", StringComparison.Ordinal),
            listed.HtmlBody.IndexOf("</ul>\n", StringComparison.Ordinal) + 6 - listed.HtmlBody.IndexOf("<ul", StringComparison.Ordinal));
        Assert.Equal(plain.HtmlBody, listed.HtmlBody.Replace(listHtml, "", StringComparison.Ordinal));
        Assert.Contains("href=\"https://marches.example.org/consultations/1\"", listHtml, StringComparison.Ordinal);
        Assert.Contains("- R-1 — Quais\n  Acheteur : Ville\n  https://marches.example.org/consultations/1\n", listed.TextBody, StringComparison.Ordinal);
        var empty = Template.CreateWithList("a@example.org", "Veille", ["Intro."], [], "Voir", "https://marches.example.org/");
        Assert.Equal((plain.HtmlBody, plain.TextBody), (empty.HtmlBody, empty.TextBody));
    }

    [Fact]
    public void CreateWithList_EncodesTheItems()
    {
        var mail = Template.CreateWithList("a@example.org", "Veille", [],
            [new MailListItem("<script>alert(1)</script>", "https://x.example/?a=1&b=\"2\"", "<b>détail</b>")]);

        Assert.DoesNotContain("<script>", mail.HtmlBody, StringComparison.Ordinal);
        Assert.DoesNotContain("<b>détail", mail.HtmlBody, StringComparison.Ordinal);
        Assert.DoesNotContain("b=\"2\"", mail.HtmlBody, StringComparison.Ordinal);
        Assert.Contains("&lt;script&gt;", mail.HtmlBody, StringComparison.Ordinal);
    }
}

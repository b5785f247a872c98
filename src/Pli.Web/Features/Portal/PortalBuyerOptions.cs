using System.Runtime.CompilerServices;
using System.Text;
using System.Text.Encodings.Web;
using Microsoft.AspNetCore.Html;

namespace Pli.Web.Features.Portal;

/// <summary>
/// The &lt;option&gt;s of the search form's buyer select, encoded once per list of buyers (<see cref="PortalBuyerCache"/>
/// keeps the same list for a minute) instead of 300 options encoded on every page; the chosen buyer, when there is one,
/// is marked in a copy.
/// </summary>
public static class PortalBuyerOptions
{
    private static readonly ConditionalWeakTable<IReadOnlyList<BuyerOption>, string> Encoded = [];

    public static IHtmlContent Render(IReadOnlyList<BuyerOption> buyers, string? selected, HtmlEncoder encoder)
    {
        var html = Encoded.GetValue(buyers, list => Encode(list, encoder));
        if (Guid.TryParse(selected?.Trim(), out var id) && buyers.Any(b => b.Id == id))
        {
            var option = OptionStart(id);
            html = html.Replace(option, option + " selected=\"selected\"", StringComparison.Ordinal);
        }
        return new HtmlString(html);
    }

    private static string OptionStart(Guid id) => $"<option value=\"{id}\"";

    private static string Encode(IReadOnlyList<BuyerOption> buyers, HtmlEncoder encoder)
    {
        var html = new StringBuilder(buyers.Count * 80);
        foreach (var buyer in buyers)
        {
            html.Append(OptionStart(buyer.Id)).Append('>').Append(encoder.Encode(buyer.Name)).Append("</option>");
        }
        return html.ToString();
    }
}

using System.Text.RegularExpressions;
using System.Xml.Linq;
using Microsoft.Playwright;
using Pli.Web.Tests.Infrastructure;

namespace Pli.Browser.Tests.Localization;

/// <summary>
/// The French texts of the interface, read from the web project's resources, to find on a page that should be English.
/// A text counts when its key has another value in the .en.resx beside it: a value both languages share (a brand,
/// an acronym) proves nothing. Values are cut at their placeholders, since a page shows them filled in, and only
/// pieces of 12 characters or more with a space are kept: a lone word ("Lot", "Statut") also reads as English
/// or as data.
/// </summary>
public static partial class FrenchTexts
{
    private const int MinimumLength = 12;

    public static IReadOnlySet<string> All => Texts.Value;

    private static readonly Lazy<IReadOnlySet<string>> Texts = new(Read);

    /// <summary>The French texts in the page's header, main and footer, as a reader sees them (innerText).</summary>
    public static async Task<IReadOnlyList<string>> FoundOnAsync(IPage page)
    {
        var visible = await page.EvaluateAsync<string>(
            "() => ['header', 'main', 'footer'].flatMap(s => [...document.querySelectorAll(s)]).map(e => e.innerText).join('\\n')");
        var text = Normalized(visible);
        return [.. All.Where(french => text.Contains(french, StringComparison.Ordinal)).Order(StringComparer.Ordinal)];
    }

    private static IReadOnlySet<string> Read()
    {
        var web = Path.Combine(SourceTree.Root, "src", "Pli.Web");
        var french = new HashSet<string>(StringComparer.Ordinal);
        var english = new List<string>();
        foreach (var path in Directory.EnumerateFiles(web, "*.resx", SearchOption.AllDirectories).Where(p => !p.EndsWith(".en.resx", StringComparison.Ordinal)))
        {
            var englishPath = Path.ChangeExtension(path, ".en.resx");
            var translations = File.Exists(englishPath) ? Values(englishPath) : [];
            english.AddRange(translations.Values);
            foreach (var (key, value) in Values(path))
            {
                if (translations.TryGetValue(key, out var translation) && translation == value)
                {
                    continue;
                }
                french.UnionWith(Placeholder().Split(value).Select(Normalized).Where(p => p.Length >= MinimumLength && p.Contains(' ', StringComparison.Ordinal)));
            }
        }
        // An English text may quote a French one on purpose (the messaging help names the button of a mail written in
        // French, « Accéder au contenu du message »): a French text an English one contains is not a miss.
        var allEnglish = Normalized(string.Join('\n', english));
        french.RemoveWhere(f => allEnglish.Contains(f, StringComparison.Ordinal));
        return french;
    }

    private static Dictionary<string, string> Values(string resx) =>
        XDocument.Load(resx).Root!.Elements("data")
            .ToDictionary(d => (string)d.Attribute("name")!, d => (string?)d.Element("value") ?? "", StringComparer.Ordinal);

    // Non-breaking and narrow spaces (French punctuation) and line breaks all read as one space.
    private static string Normalized(string text) => Whitespace().Replace(text, " ").Trim();

    [GeneratedRegex(@"\{\d+[^}]*\}|\n")]
    private static partial Regex Placeholder();

    [GeneratedRegex(@"\s+")]
    private static partial Regex Whitespace();
}

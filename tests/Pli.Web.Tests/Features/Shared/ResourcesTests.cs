using System.Xml.Linq;
using Pli.Web.Tests.Infrastructure;

namespace Pli.Web.Tests.Features.Shared;

/// <summary>French is the default and English complete: every text of every resource file has both.</summary>
public sealed class ResourcesTests
{
    public static TheoryData<string> FrenchResources()
    {
        var data = new TheoryData<string>();
        foreach (var file in Directory.EnumerateFiles(WebProject(), "*.resx", SearchOption.AllDirectories)
                     .Where(f => !f.EndsWith(".en.resx", StringComparison.Ordinal) && !f.Contains($"{Path.DirectorySeparatorChar}bin{Path.DirectorySeparatorChar}", StringComparison.Ordinal) && !f.Contains($"{Path.DirectorySeparatorChar}obj{Path.DirectorySeparatorChar}", StringComparison.Ordinal))
                     .Order(StringComparer.Ordinal))
        {
            data.Add(Path.GetRelativePath(WebProject(), file));
        }
        return data;
    }

    [Theory]
    [MemberData(nameof(FrenchResources))]
    public void EveryFrenchText_HasAnEnglishOne_AndNeitherIsEmpty(string french)
    {
        var path = Path.Combine(WebProject(), french);
        var english = Path.ChangeExtension(path, null) + ".en.resx";
        Assert.True(File.Exists(english), $"{french} has no English counterpart.");

        var fr = Texts(path);
        var en = Texts(english);

        Assert.Empty(fr.Keys.Except(en.Keys).Select(k => "missing in English: " + k));
        Assert.Empty(en.Keys.Except(fr.Keys).Select(k => "only in English: " + k));
        Assert.Empty(fr.Concat(en).Where(t => string.IsNullOrWhiteSpace(t.Value)).Select(t => "empty: " + t.Key));
        // A placeholder lost in translation would throw at run time, or drop a value silently.
        Assert.Empty(fr.Keys.Where(k => Placeholders(fr[k]) != Placeholders(en[k])).Select(k => "placeholders differ: " + k));
    }

    private static Dictionary<string, string> Texts(string path) =>
        XDocument.Load(path).Root!.Elements("data").ToDictionary(d => (string)d.Attribute("name")!, d => (string?)d.Element("value") ?? "");

    private static string Placeholders(string text) =>
        string.Join(',', System.Text.RegularExpressions.Regex.Matches(text, @"\{(\d+)[^}]*\}").Select(m => m.Groups[1].Value).Distinct().Order(StringComparer.Ordinal));

    private static string WebProject() => Path.Combine(SourceTree.Root, "src", "Pli.Web");
}

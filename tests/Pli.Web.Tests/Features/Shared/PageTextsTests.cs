using System.Text;
using System.Text.RegularExpressions;
using Pli.Web.Tests.Infrastructure;

namespace Pli.Web.Tests.Features.Shared;

/// <summary>
/// No text a person reads is written in a page or a script: pages take theirs from resources (so that English
/// follows), scripts from the page's data attributes. The scan is rough on purpose — Razor is not parsed, text
/// between tags and the readable attributes are — and its exceptions are listed, each with why.
/// </summary>
public sealed partial class PageTextsTests
{
    /// <summary>Literals allowed where they stand: (file, literal) — a name that is not translated, a command, a format.</summary>
    private static readonly (string File, string Literal)[] Allowed =
    [
        // Each language is named in its own language, so that a reader who does not know the other finds theirs.
        ("Features/Shared/_Layout.cshtml", "Français"),
        ("Features/Shared/_Layout.cshtml", "English"),
        // The product's name.
        ("Features/Shared/_Layout.cshtml", "Pli"),
        // The name of an algorithm, the same in every language.
        ("Features/Opening/Index.cshtml", "SHA-256"),
        ("Features/Deposits/Receipt.cshtml", "SHA-256"),
        // Commands to type, and their file names: a translated command would not run.
        ("Features/Deposits/Receipt.cshtml", "openssl ts -verify -data   -in   -CAfile tsa.pem"),
        ("Features/Help/Timestamping.cshtml", "tsa.pem"),
        ("Features/Help/Timestamping.cshtml", "openssl ts -verify -data recepisse-….json -in recepisse-….tsr -CAfile tsa.pem"),
        ("Features/Help/Timestamping.cshtml", "openssl ts -reply -in recepisse-….tsr -text"),
        ("Features/Help/Timestamping.cshtml", "sha256sum \"Mémoire technique.pdf\""),
        // A path of the site shown as a link's text.
        ("Features/Notices/Modify.cshtml", "/consultations/"),
        ("Features/Backoffice/Consultations/Publish.cshtml", "/consultations/"),
        ("Features/Backoffice/Consultations/Edit.cshtml", "/consultations/"),
    ];

    public static TheoryData<string> Pages()
    {
        var data = new TheoryData<string>();
        foreach (var file in Directory.EnumerateFiles(Path.Combine(WebProject(), "Features"), "*.cshtml", SearchOption.AllDirectories).Order(StringComparer.Ordinal))
        {
            data.Add(Path.GetRelativePath(WebProject(), file).Replace('\\', '/'));
        }
        return data;
    }

    public static TheoryData<string> Scripts()
    {
        var data = new TheoryData<string>();
        foreach (var file in Directory.EnumerateFiles(Path.Combine(WebProject(), "wwwroot", "js"), "*.js").Order(StringComparer.Ordinal))
        {
            data.Add(Path.GetRelativePath(WebProject(), file).Replace('\\', '/'));
        }
        return data;
    }

    [Theory]
    [MemberData(nameof(Pages))]
    public void Page_WritesNoTextOfItsOwn(string page)
    {
        var literals = LiteralsOfPage(File.ReadAllText(Path.Combine(WebProject(), page)))
            .Where(l => !Allowed.Contains((page, l)))
            .ToList();

        Assert.True(literals.Count == 0, $"{page} writes text that is not in a resource:\n" + string.Join('\n', literals));
    }

    [Theory]
    [MemberData(nameof(Scripts))]
    public void Script_WritesNoTextOfItsOwn(string script)
    {
        var literals = FrenchLiteralsOfScript(File.ReadAllText(Path.Combine(WebProject(), script))).ToList();

        Assert.True(literals.Count == 0, $"{script} writes text that is not in a resource:\n" + string.Join('\n', literals));
    }

    [Fact]
    public void Scan_FindsTheTextsACarelessChangeWouldWrite()
    {
        const string page = """
            @page
            @{ var shown = "pas du texte affiché"; }
            @* Un commentaire n'est pas lu. *@
            <h1>@T["Title"]</h1>
            <p>Date limite dépassée</p>
            <p>@Model.Count fichiers reçus</p>
            <button type="submit" title="Envoyer le pli">@T["Send"]</button>
            @if (Model.Late)
            {
                <span>@T["Late"]</span>
            }
            else
            {
                <span aria-label="@T["OnTime"]">✓</span>
            }
            <script>const x = 'pas lu ici';</script>
            """;

        Assert.Equal(["title=\"Envoyer le pli\"", "Date limite dépassée", "fichiers reçus"], LiteralsOfPage(page));
        Assert.Equal(["'Envoi terminé'"], FrenchLiteralsOfScript("const a = 'upload-item'; el.textContent = 'Envoi terminé';"));
    }

    public static List<string> LiteralsOfPage(string razor)
    {
        var text = RazorComment().Replace(razor, " ");
        text = Directive().Replace(text, " ");
        text = ScriptOrStyle().Replace(text, " ");
        text = RemoveCodeBlocks(text);
        var found = new List<string>();
        foreach (Match m in ReadableAttribute().Matches(text).Concat(ButtonValue().Matches(text)))
        {
            if (!m.Groups["value"].Value.Contains('@', StringComparison.Ordinal) && Letters().IsMatch(m.Groups["value"].Value))
            {
                found.Add($"{m.Groups["name"].Value}=\"{m.Groups["value"].Value}\"");
            }
        }
        var markup = Tag().Replace(RemoveExpressions(text), "\n");
        foreach (var line in markup.Split('\n'))
        {
            var piece = line.Trim();
            if (piece.Length == 0 || !Letters().IsMatch(piece) || CSharpLeftover().IsMatch(piece) || Entity().Replace(piece, "").Trim().Length == 0)
            {
                continue;
            }
            found.Add(piece);
        }
        return found;
    }

    public static List<string> FrenchLiteralsOfScript(string script)
    {
        var withoutComments = ScriptComment().Replace(script, " ");
        return [.. StringLiteral().Matches(withoutComments).Select(m => m.Value).Where(v => FrenchLetter().IsMatch(v) || FrenchWord().IsMatch(v))];
    }

    /// <summary>Blanks out @{ … } and @functions { … } (C#, not markup), braces matched.</summary>
    private static string RemoveCodeBlocks(string text)
    {
        var result = new StringBuilder(text.Length);
        var i = 0;
        while (i < text.Length)
        {
            var start = CodeBlockStart().Match(text, i);
            if (!start.Success)
            {
                result.Append(text, i, text.Length - i);
                break;
            }
            result.Append(text, i, start.Index - i);
            var end = MatchingBrace(text, start.Index + start.Length - 1);
            i = end + 1;
        }
        return result.ToString();
    }

    /// <summary>Blanks out @Name.Member[...](...) and @( … ) and the keywords' conditions (@if (…), @foreach (…)).</summary>
    private static string RemoveExpressions(string text)
    {
        var result = new StringBuilder(text.Length);
        var i = 0;
        while (i < text.Length)
        {
            if (text[i] == '@' && i + 1 < text.Length && (text[i + 1] == '(' || char.IsLetter(text[i + 1])))
            {
                var j = i + 1;
                if (text.AsSpan(j).StartsWith("await "))
                {
                    j += "await ".Length;
                }
                while (j < text.Length)
                {
                    if (char.IsLetterOrDigit(text[j]) || text[j] is '_' or '.' or '?' or '!')
                    {
                        j++;
                    }
                    else if (text[j] is '(' or '[')
                    {
                        j = MatchingBrace(text, j) + 1;
                    }
                    else if (text[j] == ' ' && j + 1 < text.Length && text[j + 1] == '(')
                    {
                        j++;
                    }
                    else
                    {
                        break;
                    }
                }
                result.Append(' ');
                i = j;
            }
            else
            {
                result.Append(text[i]);
                i++;
            }
        }
        return result.ToString();
    }

    private static int MatchingBrace(string text, int open)
    {
        var (opening, closing) = text[open] switch { '(' => ('(', ')'), '[' => ('[', ']'), _ => ('{', '}') };
        var depth = 0;
        var quote = '\0';
        for (var i = open; i < text.Length; i++)
        {
            var c = text[i];
            if (quote != '\0')
            {
                if (c == '\\')
                {
                    i++;
                }
                else if (c == quote)
                {
                    quote = '\0';
                }
                continue;
            }
            if (c == '"' || (c == '\'' && i + 2 < text.Length && text[i + 2] == '\''))
            {
                quote = c;
            }
            else if (c == opening)
            {
                depth++;
            }
            else if (c == closing && --depth == 0)
            {
                return i;
            }
        }
        return text.Length - 1;
    }

    private static string WebProject() => Path.Combine(SourceTree.Root, "src", "Pli.Web");

    [GeneratedRegex(@"@\*.*?\*@", RegexOptions.Singleline)]
    private static partial Regex RazorComment();

    [GeneratedRegex(@"<(script|style)\b[^>]*>.*?</\1>", RegexOptions.Singleline | RegexOptions.IgnoreCase)]
    private static partial Regex ScriptOrStyle();

    [GeneratedRegex(@"@(\{|functions\s*\{|code\s*\{)")]
    private static partial Regex CodeBlockStart();

    [GeneratedRegex(@"\s(?<name>title|alt|placeholder|aria-label|aria-description|label)=""(?<value>[^""]*)""")]
    private static partial Regex ReadableAttribute();

    /// <summary>A value is data (an enum's name, "true"), except on a button, where it is what the button says.</summary>
    [GeneratedRegex(@"<input\b[^>]*\btype=""(submit|button|reset)""[^>]*\s(?<name>value)=""(?<value>[^""]*)""")]
    private static partial Regex ButtonValue();

    /// <summary>Razor's directives (@using, @inject, @model…) and a section's name.</summary>
    [GeneratedRegex(@"^\s*@(using|inject|model|page|addTagHelper|removeTagHelper|namespace|inherits|layout|implements|attribute|preservewhitespace)\b.*$|@section\s+\w+", RegexOptions.Multiline)]
    private static partial Regex Directive();

    [GeneratedRegex(@"<[^<>]*>")]
    private static partial Regex Tag();

    [GeneratedRegex(@"\p{L}{2,}")]
    private static partial Regex Letters();

    [GeneratedRegex(@"&[a-z]+;|&#\d+;")]
    private static partial Regex Entity();

    /// <summary>What is left of Razor's C# between two tags: braces, else, a statement ending with ';'.</summary>
    [GeneratedRegex(@"^([{}();\s]|else\b|if\b|break;|continue;)*$|;\s*$|^\s*(var|else|case|default|return|break|continue|if|foreach|for|while|switch|using|await)\b|=>")]
    private static partial Regex CSharpLeftover();

    [GeneratedRegex(@"/\*.*?\*/|(?<![:'""])//[^\n]*", RegexOptions.Singleline)]
    private static partial Regex ScriptComment();

    [GeneratedRegex(@"'(?:[^'\\\n]|\\.)*'|""(?:[^""\\\n]|\\.)*""|`(?:[^`\\]|\\.)*`")]
    private static partial Regex StringLiteral();

    [GeneratedRegex(@"[àâçéèêëîïôûùüÿœÀÂÇÉÈÊËÎÏÔÛÙÜŸŒ]")]
    private static partial Regex FrenchLetter();

    [GeneratedRegex(@"\b(le|la|les|des|du|un|une|vous|votre|vos|pour|avec|est|sont|fichier|fichiers)\b", RegexOptions.IgnoreCase)]
    private static partial Regex FrenchWord();
}

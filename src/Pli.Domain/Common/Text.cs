using System.Globalization;
using System.Text;

namespace Pli.Domain.Common;

public static class Text
{
    /// <summary>
    /// Lower case without diacritics, so that "echangeur" finds "Échangeur" on every database:
    /// searches compare folded text with folded text.
    /// </summary>
    public static string Fold(string? value)
    {
        if (string.IsNullOrEmpty(value))
        {
            return string.Empty;
        }
        var decomposed = value.Normalize(NormalizationForm.FormD);
        var builder = new StringBuilder(decomposed.Length);
        foreach (var c in decomposed)
        {
            var category = CharUnicodeInfo.GetUnicodeCategory(c);
            if (category == UnicodeCategory.NonSpacingMark)
            {
                continue;
            }
            builder.Append(c switch
            {
                'œ' or 'Œ' => "oe",
                'æ' or 'Æ' => "ae",
                '’' => "'",
                _ => char.ToLowerInvariant(c).ToString(),
            });
        }
        return builder.ToString().Normalize(NormalizationForm.FormC);
    }

    /// <summary>
    /// The search words of <paramref name="value"/>: folded, then cut at everything that is not a–z or 0–9, so that
    /// "l'École Jean-Jaurès" gives ecole, jean, jaures. The portal finds a consultation when each word starts a word
    /// of its text: the same cut on both sides, on every database (a full-text index on PostgreSQL). A lone letter is
    /// dropped: it is an elision (l', d', qu') or a lot's letter, and would match nearly every text.
    /// </summary>
    public static IReadOnlyList<string> Words(string? value)
    {
        var folded = Fold(value);
        var words = new List<string>();
        var start = -1;
        for (var i = 0; i <= folded.Length; i++)
        {
            var inWord = i < folded.Length && IsWordChar(folded[i]);
            if (inWord && start < 0)
            {
                start = i;
            }
            else if (!inWord && start >= 0)
            {
                var word = folded[start..i];
                if ((word.Length > 1 || char.IsAsciiDigit(word[0])) && !words.Contains(word, StringComparer.Ordinal))
                {
                    words.Add(word);
                }
                start = -1;
            }
        }
        return words;
    }

    /// <summary>What a search word is made of (folded text): the ASCII letters and digits, nothing else.</summary>
    private static bool IsWordChar(char c) => c is (>= 'a' and <= 'z') or (>= '0' and <= '9');
}

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
}

using System.Globalization;
using System.Resources;

namespace Pli.Web.Features.Opening;

/// <summary>The opening pages' texts: OpeningTexts.resx (French) and OpeningTexts.en.resx. Other features' pages read them through <see cref="Get"/>.</summary>
public sealed class OpeningTexts
{
    private static readonly ResourceManager Texts = new(typeof(OpeningTexts));

    public static string Get(string key, CultureInfo? culture = null) =>
        Texts.GetString(key, culture ?? CultureInfo.CurrentUICulture) ?? key;
}

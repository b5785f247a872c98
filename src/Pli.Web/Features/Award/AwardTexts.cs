using System.Globalization;
using System.Resources;

namespace Pli.Web.Features.Award;

/// <summary>
/// Marker for the award texts (AwardTexts.resx, French, and AwardTexts.en.resx), read with IStringLocalizer
/// on pages; the letters read them in French through <see cref="Get"/>.
/// </summary>
public sealed class AwardTexts
{
    private static readonly ResourceManager Texts = new(typeof(AwardTexts));

    public static string Get(string key, CultureInfo? culture = null) =>
        Texts.GetString(key, culture ?? CultureInfo.CurrentUICulture) ?? key;
}

using System.Globalization;
using System.Resources;

namespace Pli.Web.Features.Committee;

/// <summary>Marker for the committee pages' texts: CommitteeTexts.resx (French) and CommitteeTexts.en.resx; <see cref="Get"/> for links on other features' pages.</summary>
public sealed class CommitteeTexts
{
    private static readonly ResourceManager Texts = new(typeof(CommitteeTexts));

    public static string Get(string key, CultureInfo? culture = null) =>
        Texts.GetString(key, culture ?? CultureInfo.CurrentUICulture) ?? key;
}

using System.Globalization;
using System.Resources;

namespace Pli.Web.Features.Alerts;

/// <summary>Texts of the alert pages, the digest mail and the feed: AlertsTexts.resx (French) and AlertsTexts.en.resx.</summary>
public sealed class AlertsTexts
{
    private static readonly ResourceManager Texts = new(typeof(AlertsTexts));

    /// <summary>For the mail and the feed, made outside a request: the culture is named, not the request's.</summary>
    public static string Get(string key, CultureInfo culture) => Texts.GetString(key, culture) ?? key;
}

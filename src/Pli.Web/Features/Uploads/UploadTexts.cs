using System.Globalization;
using System.Resources;

namespace Pli.Web.Features.Uploads;

/// <summary>The upload protocol's own answers to a person (UploadTexts.resx, French; UploadTexts.en.resx): rules' refusals come from DomainMessages.</summary>
public sealed class UploadTexts
{
    private static readonly ResourceManager Texts = new(typeof(UploadTexts));

    public static string Get(string key, CultureInfo? culture = null) =>
        Texts.GetString(key, culture ?? CultureInfo.CurrentUICulture) ?? key;
}

using System.Resources;

namespace Pli.Web.Features.Help;

/// <summary>The texts of the help centre and of the workstation test: HelpTexts.resx (French) and HelpTexts.en.resx.</summary>
public sealed class HelpTexts
{
    private static readonly ResourceManager Texts = new(typeof(HelpTexts));

    /// <summary>For code outside a view (the contextual links of other features' pages).</summary>
    public static string Get(string key) => Texts.GetString(key, System.Globalization.CultureInfo.CurrentUICulture) ?? key;
}

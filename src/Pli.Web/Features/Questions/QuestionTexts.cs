using System.Globalization;
using System.Resources;

namespace Pli.Web.Features.Questions;

/// <summary>
/// The questions pages' and mails' texts: QuestionTexts.resx (French) and QuestionTexts.en.resx.
/// Pages read them through IStringLocalizer; mails and other features' pages through <see cref="Get"/>.
/// </summary>
public sealed class QuestionTexts
{
    private static readonly ResourceManager Texts = new(typeof(QuestionTexts));

    public static string Get(string key, CultureInfo? culture = null) =>
        Texts.GetString(key, culture ?? CultureInfo.CurrentUICulture) ?? key;

    public static string Format(CultureInfo culture, string key, params object[] values) =>
        string.Format(culture, Get(key, culture), values);
}

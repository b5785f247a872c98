using System.Globalization;
using System.Resources;

namespace Pli.Web.Features.Registers;

/// <summary>
/// The registers' texts: RegistersTexts.resx (French) and RegistersTexts.en.resx. Pages read them through
/// IStringLocalizer; the exports, given a culture, through <see cref="Get"/>.
/// </summary>
public sealed class RegistersTexts
{
    private static readonly ResourceManager Texts = new(typeof(RegistersTexts));

    // A missing text fails loudly: a register with a key name as a column header would be a hole in a legal record.
    public static string Get(string key, CultureInfo? culture = null) =>
        Texts.GetString(key, culture ?? CultureInfo.CurrentUICulture) ?? throw new InvalidOperationException($"RegistersTexts has no text '{key}'.");

    public static string Format(CultureInfo culture, string key, params object?[] values) =>
        string.Format(culture, Get(key, culture), values);

    public static string Title(RegisterKind kind, CultureInfo? culture = null) => Get("Title_" + kind, culture);
}

using System.Globalization;
using System.Resources;
using Pli.Domain.Messaging;

namespace Pli.Web.Features.Messaging;

/// <summary>
/// Marker for the messaging texts (MessagingTexts.resx, French, and MessagingTexts.en.resx), read with
/// IStringLocalizer on pages; mails read them in French through <see cref="Get"/>.
/// </summary>
public sealed class MessagingTexts
{
    private static readonly ResourceManager Texts = new(typeof(MessagingTexts));

    public static string Get(string key, CultureInfo? culture = null) =>
        Texts.GetString(key, culture ?? CultureInfo.CurrentUICulture) ?? key;

    public static string Type(MessageType type, CultureInfo? culture = null) => Get("Type_" + type, culture);
}

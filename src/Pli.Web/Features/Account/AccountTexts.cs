using System.Globalization;
using System.Resources;

namespace Pli.Web.Features.Account;

/// <summary>The account pages' texts: AccountTexts.resx (French) and AccountTexts.en.resx; mails read them in their recipient's language through <see cref="Get"/>.</summary>
public sealed class AccountTexts
{
    private static readonly ResourceManager Texts = new(typeof(AccountTexts));

    public static string Get(string key, CultureInfo culture) => Texts.GetString(key, culture) ?? key;
}

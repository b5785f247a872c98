using System.Globalization;
using System.Resources;

namespace Pli.Web.Features.Deposits.Receipts;

/// <summary>
/// The receipt's texts in one culture: ReceiptTexts.resx (French) and ReceiptTexts.en.resx. A receipt is
/// rendered outside any request (a mail, a job), hence a culture given rather than the request's.
/// </summary>
internal sealed class ReceiptTexts(CultureInfo culture)
{
    private static readonly ResourceManager Resources = new(typeof(ReceiptTexts));

    public CultureInfo Culture => culture;

    // A missing text fails loudly: a receipt with a key name printed in it would be a legal document with a hole.
    public string this[string name] =>
        Resources.GetString(name, culture) ?? throw new InvalidOperationException($"ReceiptTexts has no text '{name}'.");

    public string Format(string name, params object?[] values) => string.Format(culture, this[name], values);
}

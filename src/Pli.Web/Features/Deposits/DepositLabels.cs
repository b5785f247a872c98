using System.Globalization;
using System.Resources;
using Pli.Domain.Deposits;

namespace Pli.Web.Features.Deposits;

/// <summary>Labels of deposit modes, candidature types, envelopes and the receipt mail (DepositLabels.resx), the same on pages, PDF and mail.</summary>
public static class DepositLabels
{
    private static readonly ResourceManager Texts = new(typeof(DepositLabels));

    public static string Get(string key, CultureInfo? culture = null) =>
        Texts.GetString(key, culture ?? CultureInfo.CurrentUICulture) ?? key;

    public static string Mode(DepositMode mode, CultureInfo? culture = null) => Get("Mode_" + mode, culture);

    public static string CandidatureType(CandidatureType type, CultureInfo? culture = null) => Get("CandidatureType_" + type, culture);

    public static string Status(DepositStatus status, bool late, CultureInfo? culture = null) =>
        late ? Get("Status_Late", culture) : Get("Status_" + status, culture);

    public static string Envelope(EnvelopeKind envelope, int? lot, string? lotTitle, CultureInfo? culture = null) =>
        envelope == EnvelopeKind.Candidature
            ? Get("Envelope_Candidature", culture)
            : lot is null
                ? Get("Envelope_Offre", culture)
                : string.Format(culture ?? CultureInfo.CurrentCulture, Get("Envelope_OffreLot", culture), lot, lotTitle);

    public static string Lot(int number, string title, CultureInfo? culture = null) =>
        string.Format(culture ?? CultureInfo.CurrentCulture, Get("Lot", culture), number, title);
}

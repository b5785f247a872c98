using System.Globalization;

namespace Pli.Domain.Common;

/// <summary>
/// Deadlines are entered and shown in Paris wall-clock time but stored and compared in UTC.
/// A wall-clock time that does not exist (the spring-forward gap) or exists twice (the
/// autumn fall-back) is refused rather than guessed: a deadline must name one instant.
/// </summary>
public static class ParisTime
{
    public static readonly TimeZoneInfo Zone = TimeZoneInfo.FindSystemTimeZoneById("Europe/Paris");

    /// <summary>
    /// The language of the rules' own messages (a refusal's fallback text, a modification's summary in the register):
    /// pages and mails format in their reader's culture, and translate the rules' messages by their code.
    /// </summary>
    public static readonly CultureInfo French = CultureInfo.GetCultureInfo("fr-FR");

    public static DateTime ToUtc(DateTime parisWallClock, string field = "deadline")
    {
        var local = DateTime.SpecifyKind(parisWallClock, DateTimeKind.Unspecified);
        if (Zone.IsInvalidTime(local))
        {
            throw new DomainException("time.nonexistent",
                $"L'heure {local:HH:mm} n'existe pas le {local:dd/MM/yyyy} à Paris (passage à l'heure d'été). Choisissez une autre heure.",
                field, local);
        }
        if (Zone.IsAmbiguousTime(local))
        {
            throw new DomainException("time.ambiguous",
                $"L'heure {local:HH:mm} existe deux fois le {local:dd/MM/yyyy} à Paris (passage à l'heure d'hiver). Choisissez une autre heure.",
                field, local);
        }
        return TimeZoneInfo.ConvertTimeToUtc(local, Zone);
    }

    public static DateTimeOffset ToParis(DateTime utc)
    {
        var asUtc = DateTime.SpecifyKind(utc, DateTimeKind.Utc);
        return TimeZoneInfo.ConvertTime(new DateTimeOffset(asUtc), Zone);
    }

    /// <summary>"12/12/2026 12:00:00 (heure de Paris, UTC+01:00)": the zone is always shown.</summary>
    public static string Format(DateTime utc, CultureInfo culture, bool seconds = false)
    {
        var paris = ToParis(utc);
        var pattern = seconds ? "dd/MM/yyyy HH:mm:ss" : "dd/MM/yyyy HH:mm";
        return $"{paris.ToString(pattern, culture)} {ZoneSuffix(paris, culture)}";
    }

    /// <summary>
    /// "mardi 1 décembre 2026 à 11:59:59 (heure de Paris, UTC+01:00)", to the second: the form of a
    /// document that proves when something happened (a receipt), where a reader must not have to decode "01/12".
    /// </summary>
    public static string FormatLong(DateTime utc, CultureInfo culture)
    {
        var paris = ToParis(utc);
        var pattern = IsFrench(culture) ? "dddd d MMMM yyyy 'à' HH:mm:ss" : "dddd d MMMM yyyy 'at' HH:mm:ss";
        return $"{paris.ToString(pattern, culture)} {ZoneSuffix(paris, culture)}";
    }

    private static string ZoneSuffix(DateTimeOffset paris, CultureInfo culture)
    {
        var offset = paris.Offset;
        var sign = offset < TimeSpan.Zero ? "-" : "+";
        var label = IsFrench(culture) ? "heure de Paris" : "Paris time";
        return $"({label}, UTC{sign}{offset:hh\\:mm})";
    }

    private static bool IsFrench(CultureInfo culture) => culture.TwoLetterISOLanguageName == "fr";
}

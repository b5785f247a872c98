using System.Globalization;
using System.Net;
using Microsoft.AspNetCore.Html;
using Microsoft.Extensions.Localization;

namespace Pli.Web.Features.Shared;

/// <summary>
/// The time left before a deadline, rounded down, as a reader takes it in at a glance: days and hours, then hours
/// and minutes, then minutes. A deposit is on time up to the deadline itself (inclusive), so the deadline is
/// past only once the clock is beyond it. The short form ("3 j 4 h") is for the eye; a screen reader would
/// read it letter by letter, so it is given the same time in words ("3 jours et 4 heures").
/// </summary>
public static class TimeLeft
{
    public static bool IsPast(DateTime deadlineUtc, DateTime nowUtc) => nowUtc > deadlineUtc;

    public static string Format(IStringLocalizer<TimeLeftTexts> texts, DateTime deadlineUtc, DateTime nowUtc)
    {
        if (IsPast(deadlineUtc, nowUtc))
        {
            return texts["Past"];
        }
        var left = deadlineUtc - nowUtc;
        return left switch
        {
            { TotalDays: >= 1 } => texts["Days", (int)left.TotalDays, left.Hours],
            { TotalHours: >= 1 } => texts["Hours", (int)left.TotalHours, left.Minutes],
            { TotalMinutes: >= 1 } => texts["Minutes", (int)left.TotalMinutes],
            _ => texts["UnderMinute"],
        };
    }

    /// <summary>The same time left in words, with the plural of the culture: "3 jours et 4 heures", "1 day and 1 hour".</summary>
    public static string Spoken(IStringLocalizer<TimeLeftTexts> texts, DateTime deadlineUtc, DateTime nowUtc, CultureInfo culture)
    {
        if (IsPast(deadlineUtc, nowUtc))
        {
            return texts["Past"];
        }
        var left = deadlineUtc - nowUtc;
        string Unit(string unit, int n) => texts[Plural(n, culture) ? unit + "Many" : unit + "One", n];
        return left switch
        {
            { TotalDays: >= 1 } => Pair(Unit("SpokenDay", (int)left.TotalDays), left.Hours, "SpokenHour"),
            { TotalHours: >= 1 } => Pair(Unit("SpokenHour", (int)left.TotalHours), left.Minutes, "SpokenMinute"),
            { TotalMinutes: >= 1 } => Unit("SpokenMinute", (int)left.TotalMinutes),
            _ => texts["SpokenUnderMinute"],
        };

        string Pair(string first, int second, string unit) => second == 0 ? first : texts["SpokenPair", first, Unit(unit, second)];
    }

    /// <summary>
    /// The time left for a page: a <c>time</c> element with its ISO 8601 duration, the short form shown and hidden from
    /// screen readers, the words given to them instead; once past, the word for it alone.
    /// </summary>
    public static IHtmlContent Html(IStringLocalizer<TimeLeftTexts> texts, DateTime deadlineUtc, DateTime nowUtc)
    {
        if (IsPast(deadlineUtc, nowUtc))
        {
            return new HtmlString(WebUtility.HtmlEncode(texts["Past"]));
        }
        var shown = WebUtility.HtmlEncode(Format(texts, deadlineUtc, nowUtc));
        var spoken = WebUtility.HtmlEncode(Spoken(texts, deadlineUtc, nowUtc, CultureInfo.CurrentUICulture));
        return new HtmlString($"<time datetime=\"{IsoDuration(deadlineUtc, nowUtc)}\"><span aria-hidden=\"true\">{shown}</span><span class=\"visually-hidden\">{spoken}</span></time>");
    }

    /// <summary>The ISO 8601 duration of the time left (to the minute), for a <c>time</c> element's datetime; empty once past.</summary>
    public static string IsoDuration(DateTime deadlineUtc, DateTime nowUtc)
    {
        if (IsPast(deadlineUtc, nowUtc))
        {
            return "";
        }
        var left = deadlineUtc - nowUtc;
        return string.Create(CultureInfo.InvariantCulture, $"P{(int)left.TotalDays}DT{left.Hours}H{left.Minutes}M");
    }

    // French puts 0 and 1 in the singular ("0 heure", "1 jour"), English only 1.
    private static bool Plural(int n, CultureInfo culture) => culture.TwoLetterISOLanguageName == "fr" ? n >= 2 : n != 1;
}

using System.Globalization;
using Microsoft.Extensions.Localization;

namespace Pli.Web.Features.Backoffice;

/// <summary>
/// The time left before a deadline, rounded down, as an agent reads it at a glance: days and hours, then hours
/// and minutes, then minutes. A deposit is on time up to the deadline itself (inclusive), so the deadline is
/// past only once the clock is beyond it.
/// </summary>
public static class TimeLeft
{
    public static bool IsPast(DateTime deadlineUtc, DateTime nowUtc) => nowUtc > deadlineUtc;

    public static string Format(IStringLocalizer texts, DateTime deadlineUtc, DateTime nowUtc)
    {
        if (IsPast(deadlineUtc, nowUtc))
        {
            return texts["TimeLeftPast"];
        }
        var left = deadlineUtc - nowUtc;
        return left switch
        {
            { TotalDays: >= 1 } => texts["TimeLeftDays", (int)left.TotalDays, left.Hours],
            { TotalHours: >= 1 } => texts["TimeLeftHours", (int)left.TotalHours, left.Minutes],
            { TotalMinutes: >= 1 } => texts["TimeLeftMinutes", (int)left.TotalMinutes],
            _ => texts["TimeLeftUnderMinute"],
        };
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
}

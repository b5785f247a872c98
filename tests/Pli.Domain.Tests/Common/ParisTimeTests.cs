using System.Globalization;
using Pli.Domain.Common;

namespace Pli.Domain.Tests.Common;

public sealed class ParisTimeTests
{
    [Fact]
    public void ToUtc_InWinter_SubtractsOneHour()
    {
        var utc = ParisTime.ToUtc(new DateTime(2026, 12, 12, 12, 0, 0));

        Assert.Equal(new DateTime(2026, 12, 12, 11, 0, 0, DateTimeKind.Utc), utc);
        Assert.Equal(DateTimeKind.Utc, utc.Kind);
    }

    [Fact]
    public void ToUtc_InSummer_SubtractsTwoHours()
    {
        Assert.Equal(new DateTime(2026, 7, 1, 10, 0, 0, DateTimeKind.Utc), ParisTime.ToUtc(new DateTime(2026, 7, 1, 12, 0, 0)));
    }

    [Fact]
    public void ToUtc_InTheSpringForwardGap_IsRefused()
    {
        // 29 March 2026 is the last Sunday of March: clocks jump from 02:00 to 03:00 in Paris.
        var error = Assert.Throws<DomainException>(() => ParisTime.ToUtc(new DateTime(2026, 3, 29, 2, 30, 0)));

        Assert.Equal("time.nonexistent", error.Code);
    }

    [Fact]
    public void ToUtc_JustAroundTheGap_IsAccepted()
    {
        Assert.Equal(new DateTime(2026, 3, 29, 0, 59, 59, DateTimeKind.Utc), ParisTime.ToUtc(new DateTime(2026, 3, 29, 1, 59, 59)));
        Assert.Equal(new DateTime(2026, 3, 29, 1, 0, 0, DateTimeKind.Utc), ParisTime.ToUtc(new DateTime(2026, 3, 29, 3, 0, 0)));
    }

    [Fact]
    public void ToUtc_InTheAutumnOverlap_IsRefused()
    {
        // 25 October 2026: 02:30 happens twice in Paris.
        var error = Assert.Throws<DomainException>(() => ParisTime.ToUtc(new DateTime(2026, 10, 25, 2, 30, 0)));

        Assert.Equal("time.ambiguous", error.Code);
    }

    [Fact]
    public void Format_ShowsParisTimeAndItsZone()
    {
        Assert.Equal("12/12/2026 12:00 (heure de Paris, UTC+01:00)", ParisTime.Format(new DateTime(2026, 12, 12, 11, 0, 0, DateTimeKind.Utc), ParisTime.French));
        Assert.Equal("01/07/2026 12:00:05 (heure de Paris, UTC+02:00)", ParisTime.Format(new DateTime(2026, 7, 1, 10, 0, 5, DateTimeKind.Utc), ParisTime.French, seconds: true));
    }

    [Fact]
    public void Format_InEnglish_NamesTheZoneInEnglish()
    {
        var english = CultureInfo.GetCultureInfo("en-GB");

        Assert.Equal("12/12/2026 12:00 (Paris time, UTC+01:00)", ParisTime.Format(new DateTime(2026, 12, 12, 11, 0, 0, DateTimeKind.Utc), english));
        Assert.Equal("01/07/2026 12:00:05 (Paris time, UTC+02:00)", ParisTime.Format(new DateTime(2026, 7, 1, 10, 0, 5, DateTimeKind.Utc), english, seconds: true));
    }

    [Fact]
    public void FormatLong_NamesTheDayToTheSecondWithTheZone()
    {
        Assert.Equal("mardi 1 décembre 2026 à 11:59:59 (heure de Paris, UTC+01:00)",
            ParisTime.FormatLong(new DateTime(2026, 12, 1, 10, 59, 59, DateTimeKind.Utc), ParisTime.French));
        Assert.Equal("Wednesday 1 July 2026 at 12:00:05 (Paris time, UTC+02:00)",
            ParisTime.FormatLong(new DateTime(2026, 7, 1, 10, 0, 5, DateTimeKind.Utc), CultureInfo.GetCultureInfo("en-GB")));
    }
}

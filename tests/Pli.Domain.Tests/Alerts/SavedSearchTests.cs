using Pli.Domain.Alerts;
using Pli.Domain.Common;

namespace Pli.Domain.Tests.Alerts;

public sealed class SavedSearchTests
{
    private static readonly DateTime Now = new(2026, 6, 1, 8, 0, 0, DateTimeKind.Utc);

    [Fact]
    public void Create_AtTheLimit_IsRefused()
    {
        var e = Assert.Throws<DomainException>(() => SavedSearch.Create(Guid.NewGuid(), "Voirie", "q=voirie", true, "t", SavedSearch.MaxPerUser, Now));

        Assert.Equal("alert.limit", e.Code);
    }

    [Fact]
    public void Create_JustBelowTheLimit_IsAllowed()
    {
        var search = SavedSearch.Create(Guid.NewGuid(), " Voirie ", "q=voirie", true, "t", SavedSearch.MaxPerUser - 1, Now);

        Assert.Equal("Voirie", search.Name);
        Assert.Equal(Now, search.LastDigestUtc);
    }

    [Theory]
    [InlineData("")]
    [InlineData("   ")]
    public void Create_WithoutName_IsRefused(string name)
    {
        var e = Assert.Throws<DomainException>(() => SavedSearch.Create(Guid.NewGuid(), name, "", true, "t", 0, Now));

        Assert.Equal("alert.name", e.Code);
        Assert.Equal("Name", e.Field);
    }

    [Fact]
    public void Create_NameTooLong_IsRefused()
    {
        var e = Assert.Throws<DomainException>(() => SavedSearch.Create(Guid.NewGuid(), new string('a', SavedSearch.MaxNameLength + 1), "", true, "t", 0, Now));

        Assert.Equal("alert.name", e.Code);
    }

    [Fact]
    public void IsDigestDue_OnlyForASlotAfterTheLastDigest()
    {
        var search = SavedSearch.Create(Guid.NewGuid(), "Voirie", "", true, "t", 0, Now);

        Assert.False(search.IsDigestDue(Now));
        Assert.True(search.IsDigestDue(Now.AddSeconds(1)));
    }

    [Fact]
    public void SetDailyDigest_BackOn_StartsFromNow()
    {
        var search = SavedSearch.Create(Guid.NewGuid(), "Voirie", "", true, "t", 0, Now);
        search.SetDailyDigest(false, Now.AddHours(1));

        search.SetDailyDigest(true, Now.AddDays(3));

        Assert.Equal(Now.AddDays(3), search.LastDigestUtc);
        Assert.False(search.IsDigestDue(Now.AddDays(3)));
    }

    [Fact]
    public void LastSlot_OneSecondBeforeTheHour_IsYesterdays()
    {
        // 2 June 2026 07:00 in Paris is 05:00 UTC (summer time).
        var slot = DigestSchedule.LastSlotUtc(new DateTime(2026, 6, 2, 4, 59, 59, DateTimeKind.Utc), 7);

        Assert.Equal(new DateTime(2026, 6, 1, 5, 0, 0, DateTimeKind.Utc), slot);
    }

    [Fact]
    public void LastSlot_AtTheHour_IsTodays()
    {
        var slot = DigestSchedule.LastSlotUtc(new DateTime(2026, 6, 2, 5, 0, 0, DateTimeKind.Utc), 7);

        Assert.Equal(new DateTime(2026, 6, 2, 5, 0, 0, DateTimeKind.Utc), slot);
    }

    [Fact]
    public void LastSlot_InWinter_FollowsParisTime()
    {
        // 1 December 2026 07:00 in Paris is 06:00 UTC.
        var slot = DigestSchedule.LastSlotUtc(new DateTime(2026, 12, 1, 6, 30, 0, DateTimeKind.Utc), 7);

        Assert.Equal(new DateTime(2026, 12, 1, 6, 0, 0, DateTimeKind.Utc), slot);
    }
}

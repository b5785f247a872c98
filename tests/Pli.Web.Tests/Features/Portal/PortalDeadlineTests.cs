using System.Text.Json;
using Pli.Web.Tests.Infrastructure;

namespace Pli.Web.Tests.Features.Portal;

/// <summary>
/// The deadline is the first instant at which a consultation is no longer in progress. Each test
/// makes its own consultation due ten days after the app's current time, then moves the clock
/// forward only (the fake clock of the class is shared).
/// </summary>
public abstract class PortalDeadlineTests(PliApp app)
{
    private async Task<(Guid Id, string Word, DateTime Deadline)> DueInTenDaysAsync()
    {
        var word = "horizon" + Guid.NewGuid().ToString("N")[..8];
        var consultation = await new ConsultationBuilder(app).Title($"Consultation {word}").DeadlineIn(TimeSpan.FromDays(10)).SaveAsync();
        return (consultation.Id, word, consultation.DeadlineUtc);
    }

    [Fact]
    public async Task Home_OneSecondBeforeDeadline_StillListsTheConsultation()
    {
        var (_, word, deadline) = await DueInTenDaysAsync();
        app.Time.SetUtcNow(deadline.AddSeconds(-1));
        using var browser = app.Browser();

        var page = await browser.GetPageAsync($"/?q={word}");

        Assert.Single(PortalPage.References(page));
    }

    [Fact]
    public async Task Home_AtTheDeadlineInstant_StillListsTheConsultation()
    {
        // A pli sealed at the deadline instant is on time: the consultation is open until then, inclusive.
        var (_, word, deadline) = await DueInTenDaysAsync();
        app.Time.SetUtcNow(deadline);
        using var browser = app.Browser();

        var page = await browser.GetPageAsync($"/?q={word}");

        Assert.Single(PortalPage.References(page));
    }

    [Fact]
    public async Task Home_OneMillisecondAfterTheDeadline_NoLongerListsTheConsultation()
    {
        var (_, word, deadline) = await DueInTenDaysAsync();
        app.Time.SetUtcNow(deadline.AddMilliseconds(1));
        using var browser = app.Browser();

        var page = await browser.GetPageAsync($"/?q={word}");

        Assert.Empty(PortalPage.References(page));
        Assert.Contains("Aucune consultation ne correspond", page.QuerySelector("main")!.TextContent, StringComparison.Ordinal);
    }

    [Fact]
    public async Task Page_AfterTheDeadline_StaysViewableWithABanner()
    {
        var (id, _, deadline) = await DueInTenDaysAsync();
        app.Time.SetUtcNow(deadline.AddMilliseconds(1));
        using var browser = app.Browser();

        var page = await browser.GetPageAsync($"/consultations/{id}");

        Assert.Contains("Date limite dépassée", page.QuerySelector("#date-limite-depassee")!.TextContent, StringComparison.Ordinal);
        Assert.NotNull(page.QuerySelector($"a[href='/consultations/{id}/dce']"));
    }

    [Fact]
    public async Task Page_AtTheDeadlineInstant_HasNoBanner()
    {
        var (id, _, deadline) = await DueInTenDaysAsync();
        app.Time.SetUtcNow(deadline);
        using var browser = app.Browser();

        var page = await browser.GetPageAsync($"/consultations/{id}");

        Assert.Null(page.QuerySelector("#date-limite-depassee"));
    }

    [Fact]
    public async Task Api_AfterTheDeadline_LeavesTheDefaultListButNotIncludeClosed()
    {
        var (id, word, deadline) = await DueInTenDaysAsync();
        app.Time.SetUtcNow(deadline.AddMilliseconds(1));
        using var browser = app.Browser();

        using var open = JsonDocument.Parse(await browser.Client.GetStringAsync($"/api/consultations?q={word}"));
        using var all = JsonDocument.Parse(await browser.Client.GetStringAsync($"/api/consultations?q={word}&includeClosed=true"));

        Assert.Equal(0, open.RootElement.GetProperty("total").GetInt32());
        var item = Assert.Single(all.RootElement.GetProperty("items").EnumerateArray());
        Assert.Equal(id, item.GetProperty("id").GetGuid());
        Assert.False(item.GetProperty("inProgress").GetBoolean());
    }
}

public sealed class PortalDeadlineTestsOnSqlite(SqliteApp app) : PortalDeadlineTests(app), IClassFixture<SqliteApp>;

public sealed class PortalDeadlineTestsOnPostgres(PostgresApp app) : PortalDeadlineTests(app), IClassFixture<PostgresApp>;

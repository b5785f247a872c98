using System.Net;
using Microsoft.EntityFrameworkCore;
using Microsoft.Extensions.DependencyInjection;
using MimeKit;
using Pli.Domain.Alerts;
using Pli.Domain.Common;
using Pli.Web.Features.Alerts;
using Pli.Web.Infrastructure.Data;
using Pli.Web.Tests.Features.Account;
using Pli.Web.Tests.Infrastructure;

namespace Pli.Web.Tests.Features.Alerts;

/// <summary>A signed-in company user, their saved searches, and the digest run on the fake clock.</summary>
internal sealed class AlertScenario(PliApp app)
{
    public const int DigestHour = 7;

    /// <summary>A word no other test's consultation holds, so that a search on it finds only this test's.</summary>
    public static string UniqueWord() => "veille" + Guid.NewGuid().ToString("N")[..8];

    public async Task<(PliUser User, TestBrowser Browser)> SignedInUserAsync()
    {
        var user = await app.CreateCompanyUserAsync();
        var browser = app.Browser();
        await browser.SignInAsync(user.Email!, AccountTestKit.Password);
        return (user, browser);
    }

    /// <summary>Saves the search of the portal's <paramref name="query"/> through the save page.</summary>
    public static Task<HttpResponseMessage> SaveAsync(TestBrowser browser, string query, string name = "Ma veille", bool digest = true) =>
        browser.SubmitFormAsync("/alertes/enregistrer?" + query,
            new Dictionary<string, string> { ["Name"] = name, ["DailyDigest"] = digest ? "true" : "false" }, "form#enregistrer");

    public static async Task SaveOkAsync(TestBrowser browser, string query, string name = "Ma veille", bool digest = true)
    {
        using var response = await SaveAsync(browser, query, name, digest);
        await AccountTestKit.AssertRedirectAsync(response);
        Assert.Equal("/alertes?notice=enregistree", response.Headers.Location!.OriginalString);
    }

    public Task<List<SavedSearch>> SearchesOfAsync(Guid userId) =>
        app.WithDb(db => db.SavedSearches.AsNoTracking().Where(s => s.UserId == userId).OrderBy(s => s.CreatedUtc).ToListAsync());

    public async Task<SavedSearch> OnlySearchOfAsync(Guid userId) => Assert.Single(await SearchesOfAsync(userId));

    /// <summary>The antiforgery token of <paramref name="browser"/>'s session, read from a page with a form.</summary>
    public static async Task<string> AntiforgeryTokenAsync(TestBrowser browser)
    {
        var page = await browser.GetPageAsync("/alertes/enregistrer?q=jeton");
        return page.QuerySelector("input[name=__RequestVerificationToken]")!.GetAttribute("value")!;
    }

    public Task<int> RunDigestAsync() => app.Services.GetRequiredService<AlertDigest>().RunDueAsync();

    /// <summary>The next digest time (07:00 in Paris) strictly after the fake clock's now.</summary>
    public DateTime NextDigestUtc()
    {
        var now = app.Time.GetUtcNow().UtcDateTime;
        var day = DateOnly.FromDateTime(ParisTime.ToParis(now).DateTime);
        var slot = ParisTime.ToUtc(day.ToDateTime(new TimeOnly(DigestHour, 0)));
        return slot > now ? slot : ParisTime.ToUtc(day.AddDays(1).ToDateTime(new TimeOnly(DigestHour, 0)));
    }

    public void AdvanceTo(DateTime utc)
    {
        var now = app.Time.GetUtcNow().UtcDateTime;
        Assert.True(utc >= now, $"The clock cannot go back from {now:O} to {utc:O}.");
        app.Time.Advance(utc - now);
    }

    public IReadOnlyList<MimeMessage> MailsTo(PliUser user) => app.MailsTo(user.Email!);

    public static async Task<HttpStatusCode> StatusOfAsync(TestBrowser browser, string url)
    {
        using var response = await browser.GetAsync(url);
        return response.StatusCode;
    }
}

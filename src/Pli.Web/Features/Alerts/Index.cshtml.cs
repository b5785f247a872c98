using System.Globalization;
using Microsoft.AspNetCore.Authorization;
using Microsoft.AspNetCore.Mvc;
using Microsoft.AspNetCore.Mvc.RazorPages;
using Microsoft.EntityFrameworkCore;
using Microsoft.Extensions.Localization;
using Microsoft.Extensions.Options;
using Pli.Domain.Alerts;
using Pli.Web.Features.Portal;
using Pli.Web.Features.Shared;
using Pli.Web.Infrastructure.Data;
using Pli.Web.Infrastructure.Security;
using Pli.Web.Infrastructure.Web;

namespace Pli.Web.Features.Alerts;

/// <summary>The company user's saved searches: the daily mail on or off, the feed address, delete. Another user's search is 404.</summary>
[Authorize(Policy = Policies.Company)]
public sealed class IndexModel(PliDbContext db, PublicConsultations consultations, TimeProvider time, PublicLinks links,
    IOptions<AlertOptions> options, IStringLocalizer<AlertsTexts> texts) : PageModel
{
    private static readonly string[] Notices = ["enregistree", "supprimee", "courriel-active", "courriel-desactive", "nouveau-flux"];

    public IReadOnlyList<SavedSearch> Searches { get; private set; } = [];

    public IReadOnlyDictionary<Guid, string> BuyerNames { get; private set; } = new Dictionary<Guid, string>();

    public string? Notice { get; private set; }

    public int DigestHour => options.Value.DigestHourParis;

    public string FeedUrl(SavedSearch search) => links.To(AlertFeedEndpoints.Path(search.FeedToken));

    public IReadOnlyList<(string Label, string Value)> Summary(SavedSearch search) =>
        SavedCriteria.Summary(search.Criteria, BuyerNames, CultureInfo.CurrentUICulture);

    public async Task<IActionResult> OnGetAsync(string? notice, CancellationToken cancellationToken)
    {
        if (User.UserId() is not { } userId)
        {
            return NotFound();
        }
        Notice = notice is not null && Notices.Contains(notice) ? texts["Notice." + notice].Value : null;
        var searches = await db.SavedSearches.AsNoTracking().Where(s => s.UserId == userId).ToListAsync(cancellationToken);
        // Sorted here: SQLite's binary collation would put "Élagage" after "Voirie".
        var comparer = StringComparer.Create(ConsultationLabels.French, ignoreCase: true);
        Searches = [.. searches.OrderBy(s => s.Name, comparer).ThenBy(s => s.CreatedUtc)];
        BuyerNames = (await consultations.BuyersAsync(cancellationToken)).ToDictionary(b => b.Id, b => b.Name);
        return Page();
    }

    public Task<IActionResult> OnPostDigestAsync(Guid id, bool on, CancellationToken cancellationToken) =>
        ChangeAsync(id, s => s.SetDailyDigest(on, time.GetUtcNow().UtcDateTime), on ? "courriel-active" : "courriel-desactive", cancellationToken);

    public Task<IActionResult> OnPostNewFeedAsync(Guid id, CancellationToken cancellationToken) =>
        ChangeAsync(id, s => s.ReplaceFeedToken(AlertSearch.NewFeedToken()), "nouveau-flux", cancellationToken);

    public Task<IActionResult> OnPostDeleteAsync(Guid id, CancellationToken cancellationToken) =>
        ChangeAsync(id, s => db.SavedSearches.Remove(s), "supprimee", cancellationToken);

    private async Task<IActionResult> ChangeAsync(Guid id, Action<SavedSearch> change, string notice, CancellationToken cancellationToken)
    {
        var userId = User.UserId();
        var search = await db.SavedSearches.SingleOrDefaultAsync(s => s.Id == id && s.UserId == userId, cancellationToken);
        if (search is null)
        {
            return NotFound();
        }
        change(search);
        await db.SaveChangesAsync(cancellationToken);
        return Redirect($"/alertes?notice={notice}");
    }
}

using Microsoft.AspNetCore.Authorization;
using Microsoft.AspNetCore.Mvc;
using Microsoft.AspNetCore.Mvc.RazorPages;
using Microsoft.EntityFrameworkCore;
using Microsoft.Extensions.Localization;
using Pli.Domain.Alerts;
using Pli.Domain.Common;
using Pli.Web.Features.Portal;
using Pli.Web.Infrastructure.Data;
using Pli.Web.Infrastructure.Errors;
using Pli.Web.Infrastructure.Security;

namespace Pli.Web.Features.Alerts;

/// <summary>
/// Saves the portal's current search for the signed-in company user: the criteria come in the
/// portal's own query names, are checked by the portal's parser, and go back as hidden fields.
/// </summary>
[Authorize(Policy = Policies.Company)]
public sealed class SaveModel(PliDbContext db, PublicConsultations consultations, TimeProvider time,
    IStringLocalizer<PortalTexts> portalTexts, IStringLocalizer<AlertsTexts> texts) : PageModel
{
    [BindProperty(SupportsGet = true, Name = "reference")]
    public string? Reference { get; set; }

    [BindProperty(SupportsGet = true, Name = "q")]
    public string? Q { get; set; }

    [BindProperty(SupportsGet = true, Name = "buyer")]
    public string? Buyer { get; set; }

    [BindProperty(SupportsGet = true, Name = "nature")]
    public string? Nature { get; set; }

    [BindProperty(SupportsGet = true, Name = "procedure")]
    public string? Procedure { get; set; }

    [BindProperty(SupportsGet = true, Name = "cpv")]
    public string? Cpv { get; set; }

    [BindProperty(SupportsGet = true, Name = "place")]
    public string? Place { get; set; }

    [BindProperty(SupportsGet = true, Name = "deadlineFrom")]
    public string? DeadlineFrom { get; set; }

    [BindProperty(SupportsGet = true, Name = "deadlineTo")]
    public string? DeadlineTo { get; set; }

    [BindProperty]
    public string? Name { get; set; }

    [BindProperty]
    public bool DailyDigest { get; set; } = true;

    /// <summary>The criteria in the portal's query form: stored as they are, and the way back to the search.</summary>
    public string CriteriaQuery { get; private set; } = "";

    public IEnumerable<KeyValuePair<string, string>> CriteriaFields =>
        Microsoft.AspNetCore.WebUtilities.QueryHelpers.ParseQuery(CriteriaQuery).Select(p => new KeyValuePair<string, string>(p.Key, p.Value.ToString()));

    public IReadOnlyList<(string Label, string Value)> Summary { get; private set; } = [];

    public bool CriteriaValid { get; private set; }

    public bool LimitReached { get; private set; }

    public async Task<IActionResult> OnGetAsync(CancellationToken cancellationToken)
    {
        if (User.UserId() is not { } userId)
        {
            return NotFound();
        }
        await LoadAsync(userId, cancellationToken);
        Name ??= Q?.Trim() is { Length: > 0 and <= SavedSearch.MaxNameLength } keywords ? keywords : texts["DefaultName"];
        return Page();
    }

    public async Task<IActionResult> OnPostAsync(CancellationToken cancellationToken)
    {
        if (User.UserId() is not { } userId)
        {
            return NotFound();
        }
        await LoadAsync(userId, cancellationToken);
        if (!CriteriaValid)
        {
            return Page();
        }
        var saved = await db.SavedSearches.CountAsync(s => s.UserId == userId, cancellationToken);
        try
        {
            var search = SavedSearch.Create(userId, Name ?? "", CriteriaQuery, DailyDigest, AlertSearch.NewFeedToken(), saved, time.GetUtcNow().UtcDateTime);
            db.SavedSearches.Add(search);
        }
        catch (DomainException e)
        {
            ModelState.AddModelError(e.Field ?? string.Empty, DomainMessages.For(e));
            return Page();
        }
        await db.SaveChangesAsync(cancellationToken);
        return Redirect("/alertes?notice=enregistree");
    }

    private async Task LoadAsync(Guid userId, CancellationToken cancellationToken)
    {
        var input = new PortalSearchInput(Reference, Q, Buyer, Nature, Procedure, Cpv, DeadlineFrom, DeadlineTo, Place: Place);
        CriteriaQuery = SavedCriteria.ToQuery(input);
        CriteriaValid = PortalSearch.Parse(input, portalTexts, out var errors) is not null;
        if (!CriteriaValid)
        {
            // The criteria are not fields of this page: their messages are listed without a link.
            foreach (var message in errors.Values.SelectMany(m => m))
            {
                ModelState.AddModelError(string.Empty, message);
            }
            ModelState.AddModelError(string.Empty, texts["InvalidCriteria"]);
        }
        var buyers = (await consultations.BuyersAsync(cancellationToken)).ToDictionary(b => b.Id, b => b.Name);
        Summary = SavedCriteria.Summary(CriteriaQuery, buyers, System.Globalization.CultureInfo.CurrentUICulture);
        LimitReached = await db.SavedSearches.CountAsync(s => s.UserId == userId, cancellationToken) >= SavedSearch.MaxPerUser;
    }
}

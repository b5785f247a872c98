using System.Text.Encodings.Web;
using Microsoft.AspNetCore.Html;
using Microsoft.AspNetCore.Mvc;
using Microsoft.AspNetCore.Mvc.RazorPages;
using Microsoft.Extensions.Localization;

namespace Pli.Web.Features.Portal;

/// <summary>The home page: consultations in progress, searched with a GET form that needs no JavaScript.</summary>
public sealed class IndexModel(PublicConsultations consultations, IStringLocalizer<PortalTexts> texts, HtmlEncoder encoder) : PageModel
{
    [FromQuery(Name = "reference")]
    public string? Reference { get; set; }

    [FromQuery(Name = "q")]
    public string? Q { get; set; }

    [FromQuery(Name = "buyer")]
    public string? Buyer { get; set; }

    [FromQuery(Name = "nature")]
    public string? Nature { get; set; }

    [FromQuery(Name = "procedure")]
    public string? Procedure { get; set; }

    [FromQuery(Name = "cpv")]
    public string? Cpv { get; set; }

    [FromQuery(Name = "place")]
    public string? Place { get; set; }

    [FromQuery(Name = "deadlineFrom")]
    public string? DeadlineFrom { get; set; }

    [FromQuery(Name = "deadlineTo")]
    public string? DeadlineTo { get; set; }

    [FromQuery(Name = "page")]
    public string? PageNumber { get; set; }

    public IReadOnlyList<BuyerOption> Buyers { get; private set; } = [];

    /// <summary>The buyer select's options, the chosen one marked.</summary>
    public IHtmlContent BuyerOptions => PortalBuyerOptions.Render(Buyers, Buyer, encoder);

    /// <summary>Null when the search was refused (the form shows why).</summary>
    public ConsultationListing? Listing { get; private set; }

    public bool Searched { get; private set; }

    /// <summary>A note about a reference search: not found, or shared by several buyers.</summary>
    public string? Notice { get; private set; }

    public DateTime NowUtc => consultations.NowUtc;

    public async Task<IActionResult> OnGetAsync(CancellationToken cancellationToken)
    {
        var input = new PortalSearchInput(Reference, Q, Buyer, Nature, Procedure, Cpv, DeadlineFrom, DeadlineTo, PageNumber, Place: Place);
        Searched = input.HasCriteria;
        var criteria = PortalSearch.Parse(input, texts, out var errors);
        if (criteria is null)
        {
            foreach (var (key, messages) in errors)
            {
                foreach (var message in messages)
                {
                    // The page number has no field in the form: its message is not linked to one.
                    ModelState.AddModelError(key == "page" ? string.Empty : key, message);
                }
            }
            Buyers = await consultations.BuyersAsync(cancellationToken);
            return Page();
        }

        // A consultation number goes straight to its page; typed among the keywords, too.
        var reference = criteria.Reference ?? criteria.RawKeywords;
        if (reference is { Length: <= PortalSearch.MaxReferenceLength })
        {
            var matches = await consultations.FindByReferenceAsync(reference, criteria.BuyerId, cancellationToken);
            if (matches.Count == 1)
            {
                return Redirect($"/consultations/{matches[0]}");
            }
            if (matches.Count > 1)
            {
                Notice = texts["SharedReference", reference];
                criteria = criteria with { Reference = reference, Words = [], IncludeClosed = true };
            }
            else if (criteria.Reference is not null)
            {
                Notice = texts["ReferenceNotFound", criteria.Reference];
                criteria = criteria with { IncludeClosed = true };
            }
        }

        // Read only for a page shown: a reference found is a redirect and needs no form.
        Buyers = await consultations.BuyersAsync(cancellationToken);
        Listing = await consultations.SearchAsync(criteria with { CountCap = PortalSearch.CountCap }, cancellationToken);
        return Page();
    }

    /// <summary>The current search with another page number, for the pagination links.</summary>
    public string PageUrl(int page)
    {
        var pairs = Request.Query
            .Where(p => p.Key != "page" && !string.IsNullOrWhiteSpace(p.Value))
            .Select(p => new KeyValuePair<string, string?>(p.Key, p.Value.ToString()))
            .ToList();
        if (page > 1)
        {
            pairs.Add(new("page", page.ToString(System.Globalization.CultureInfo.InvariantCulture)));
        }
        return "/" + QueryString.Create(pairs);
    }
}

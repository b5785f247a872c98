using System.Security.Cryptography;
using Microsoft.AspNetCore.WebUtilities;
using Microsoft.Extensions.Localization;
using Pli.Domain.Alerts;
using Pli.Web.Features.Portal;

namespace Pli.Web.Features.Alerts;

/// <summary>Runs a saved search through the portal's own search: the criteria checked by <see cref="PortalSearch"/>, the query of <see cref="PublicConsultations"/>.</summary>
public sealed class AlertSearch(PublicConsultations consultations, IStringLocalizer<PortalTexts> portalTexts)
{
    /// <summary>
    /// The published consultations in progress that match <paramref name="search"/>, newest publications
    /// first, published after <paramref name="publishedAfterUtc"/> when given; null when the stored
    /// criteria no longer pass the portal's checks.
    /// </summary>
    public async Task<ConsultationListing?> NewestAsync(SavedSearch search, DateTime? publishedAfterUtc, int max, CancellationToken cancellationToken = default)
    {
        var criteria = PortalSearch.Parse(SavedCriteria.FromQuery(search.Criteria), portalTexts, out _);
        if (criteria is null)
        {
            return null;
        }
        return await consultations.SearchAsync(
            criteria with { Page = 1, PageSize = max, IncludeClosed = false, PublishedAfterUtc = publishedAfterUtc, NewestFirst = true },
            cancellationToken);
    }

    /// <summary>256 random bits, URL-safe: the feed address cannot be guessed, only shared.</summary>
    public static string NewFeedToken() => WebEncoders.Base64UrlEncode(RandomNumberGenerator.GetBytes(32));

    /// <summary>The shape of a token this platform made (43 URL-safe characters), checked before any query.</summary>
    public static bool LooksLikeFeedToken(string token) =>
        token.Length == 43 && token.All(c => char.IsAsciiLetterOrDigit(c) || c is '-' or '_');
}

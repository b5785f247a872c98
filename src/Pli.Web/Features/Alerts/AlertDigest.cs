using System.Globalization;
using Microsoft.EntityFrameworkCore;
using Microsoft.Extensions.Options;
using Pli.Domain.Alerts;
using Pli.Domain.Common;
using Pli.Web.Features.Portal;
using Pli.Web.Infrastructure.Data;
using Pli.Web.Infrastructure.Mail;
using Pli.Web.Infrastructure.Web;

namespace Pli.Web.Features.Alerts;

/// <summary>
/// The daily digest: once the day's digest hour (Paris) has come, each saved search with the digest on
/// that has not had that day's digest gets one mail listing the consultations published since its last
/// digest, if there are any. The mail and the new "last digest" instant are saved together, so a run
/// repeated (or a worker restarted) sends nothing twice; two workers at once are kept apart by the
/// concurrency token on <see cref="SavedSearch.LastDigestUtc"/>.
/// </summary>
public sealed class AlertDigest(IServiceScopeFactory scopes, IOptions<AlertOptions> options, TimeProvider time, ILogger<AlertDigest> logger)
{
    /// <summary>A digest lists at most this many consultations, then links to the portal for the rest.</summary>
    public const int MaxListed = PortalSearch.MaxPageSize;

    /// <summary>Makes every digest due now; returns how many mails were put in the outbox.</summary>
    public async Task<int> RunDueAsync(CancellationToken cancellationToken = default)
    {
        var slot = DigestSchedule.LastSlotUtc(time.GetUtcNow().UtcDateTime, options.Value.DigestHourParis);
        List<Guid> due;
        await using (var scope = scopes.CreateAsyncScope())
        {
            var db = scope.ServiceProvider.GetRequiredService<PliDbContext>();
            due = await db.SavedSearches.AsNoTracking()
                .Where(s => s.DailyDigest && s.LastDigestUtc < slot)
                .OrderBy(s => s.LastDigestUtc)
                .Select(s => s.Id)
                .ToListAsync(cancellationToken);
        }
        var mailed = 0;
        foreach (var id in due)
        {
            try
            {
                if (await DigestOneAsync(id, slot, cancellationToken))
                {
                    mailed++;
                }
            }
            catch (DbUpdateConcurrencyException)
            {
                // Another worker made this digest (or the search was deleted) meanwhile: nothing of ours was saved.
                logger.LogInformation("Digest of saved search {Id} was made elsewhere.", id);
            }
        }
        return mailed;
    }

    private async Task<bool> DigestOneAsync(Guid id, DateTime slotUtc, CancellationToken cancellationToken)
    {
        await using var scope = scopes.CreateAsyncScope();
        var services = scope.ServiceProvider;
        var db = services.GetRequiredService<PliDbContext>();
        var search = await db.SavedSearches.SingleOrDefaultAsync(s => s.Id == id, cancellationToken);
        if (search is null || !search.IsDigestDue(slotUtc))
        {
            return false;
        }
        var now = time.GetUtcNow().UtcDateTime;
        var owner = await db.Users.Where(u => u.Id == search.UserId && u.EmailConfirmed).Select(u => new { u.Email, u.Language }).SingleOrDefaultAsync(cancellationToken);
        var listing = await services.GetRequiredService<AlertSearch>().NewestAsync(search, search.LastDigestUtc, MaxListed, cancellationToken);
        if (listing is null)
        {
            logger.LogWarning("Saved search {Id} has criteria the portal now refuses; its digest is skipped.", id);
        }
        var mailed = false;
        if (listing is { Total: > 0 } && owner?.Email is { } email)
        {
            var mail = Compose(services.GetRequiredService<MailTemplate>(), services.GetRequiredService<PublicLinks>(), email, RecipientLanguage.Of(owner.Language), search, listing);
            services.GetRequiredService<MailOutbox>().Enqueue(mail);
            mailed = true;
        }
        search.RecordDigest(now);
        await db.SaveChangesAsync(cancellationToken);
        return mailed;
    }

    /// <summary>
    /// Public consultation data only (reference, title, buyer, deadline), each with its link. The search's
    /// name, typed by the user, stays on the platform like every user text.
    /// </summary>
    private static OutgoingMail Compose(MailTemplate template, PublicLinks links, string to, CultureInfo culture, SavedSearch search, ConsultationListing listing)
    {
        string T(string key) => AlertsTexts.Get(key, culture);
        var subject = listing.Total == 1
            ? T("Digest_SubjectOne")
            : string.Format(culture, T("Digest_SubjectMany"), listing.Total);
        var paragraphs = new List<string>
        {
            string.Format(culture, T("Digest_Intro"), ParisTime.Format(search.LastDigestUtc, culture)),
        };
        if (listing.Total > listing.Items.Count)
        {
            paragraphs.Add(string.Format(culture, T("Digest_More"), listing.Items.Count, listing.Total));
        }
        paragraphs.Add(string.Format(culture, T("Digest_Stop"), links.To("/alertes")));
        var items = listing.Items.Select(c => new MailListItem(
            $"{c.Reference} — {c.Title}",
            links.To($"/consultations/{c.Id}"),
            string.Format(culture, T("Digest_Item"), listing.BuyerOf(c), ParisTime.Format(c.DeadlineUtc, culture))));
        return template.CreateWithList(to, subject, paragraphs, items, T("Digest_Button"), links.To(SavedCriteria.PortalPath(search.Criteria)), culture);
    }
}

using System.Globalization;
using System.Text;
using System.Xml;
using Microsoft.EntityFrameworkCore;
using Pli.Domain.Common;
using Pli.Web.Infrastructure.Data;
using Pli.Web.Infrastructure.Mail;
using Pli.Web.Infrastructure.Web;

namespace Pli.Web.Features.Alerts;

/// <summary>
/// GET /alertes/{token}.atom: a saved search as an Atom 1.0 feed. Feed readers do not sign in, so the
/// unguessable token is the key; the feed holds only public consultation data.
/// </summary>
public static class AlertFeedEndpoints
{
    public const int MaxEntries = 50;
    private const string Atom = "http://www.w3.org/2005/Atom";

    public static string Path(string token) => $"/alertes/{token}.atom";

    public static IEndpointRouteBuilder MapAlertFeed(this IEndpointRouteBuilder app)
    {
        app.MapGet("/alertes/{token}.atom", FeedAsync).AllowAnonymous().ExcludeFromDescription();
        return app;
    }

    private static async Task<IResult> FeedAsync(string token, PliDbContext db, AlertSearch search, PublicLinks links, CancellationToken cancellationToken)
    {
        if (!AlertSearch.LooksLikeFeedToken(token))
        {
            return Results.NotFound();
        }
        // A feed reader sends no language of its own worth trusting: the feed is in its owner's, read with the search.
        var found = await db.SavedSearches.AsNoTracking().Where(s => s.FeedToken == token)
            .Select(s => new { Search = s, Language = db.Users.Where(u => u.Id == s.UserId).Select(u => u.Language).FirstOrDefault() })
            .SingleOrDefaultAsync(cancellationToken);
        if (found is null)
        {
            return Results.NotFound();
        }
        var saved = found.Search;
        var listing = await search.NewestAsync(saved, null, MaxEntries, cancellationToken);
        var items = listing?.Items ?? [];
        var culture = RecipientLanguage.Of(found.Language);
        string T(string key) => AlertsTexts.Get(key, culture);

        using var buffer = new MemoryStream();
        using (var xml = XmlWriter.Create(buffer, new XmlWriterSettings { Encoding = new UTF8Encoding(false), Indent = true }))
        {
            xml.WriteStartDocument();
            xml.WriteStartElement(null, "feed", Atom);
            xml.WriteAttributeString("xml", "lang", null, culture.TwoLetterISOLanguageName);
            xml.WriteElementString("id", Atom, $"urn:uuid:{saved.Id}");
            xml.WriteElementString("title", Atom, string.Format(culture, T("Feed_Title"), saved.Name));
            xml.WriteElementString("updated", Atom, Instant(items.Select(c => c.PublishedUtc ?? saved.CreatedUtc).DefaultIfEmpty(saved.CreatedUtc).Max()));
            WriteLink(xml, "self", links.To(Path(saved.FeedToken)), "application/atom+xml");
            WriteLink(xml, "alternate", links.To(SavedCriteria.PortalPath(saved.Criteria)), "text/html");
            xml.WriteStartElement("author", Atom);
            xml.WriteElementString("name", Atom, "Pli");
            xml.WriteEndElement();
            foreach (var c in items)
            {
                var url = links.To($"/consultations/{c.Id}");
                xml.WriteStartElement("entry", Atom);
                xml.WriteElementString("id", Atom, $"urn:uuid:{c.Id}");
                xml.WriteElementString("title", Atom, $"{c.Reference} — {c.Title}");
                xml.WriteElementString("updated", Atom, Instant(c.PublishedUtc ?? saved.CreatedUtc));
                WriteLink(xml, "alternate", url, "text/html");
                xml.WriteStartElement("summary", Atom);
                xml.WriteAttributeString("type", "text");
                xml.WriteString(string.Format(culture, T("Digest_Item"), listing!.BuyerOf(c), ParisTime.Format(c.DeadlineUtc, culture)));
                xml.WriteEndElement();
                xml.WriteEndElement();
            }
            xml.WriteEndElement();
            xml.WriteEndDocument();
        }
        return Results.Bytes(buffer.ToArray(), "application/atom+xml; charset=utf-8");
    }

    private static void WriteLink(XmlWriter xml, string rel, string href, string type)
    {
        xml.WriteStartElement("link", Atom);
        xml.WriteAttributeString("rel", rel);
        xml.WriteAttributeString("type", type);
        xml.WriteAttributeString("href", href);
        xml.WriteEndElement();
    }

    /// <summary>RFC 3339, in UTC, as Atom requires.</summary>
    private static string Instant(DateTime utc) => DateTime.SpecifyKind(utc, DateTimeKind.Utc).ToString("yyyy-MM-dd'T'HH:mm:ss'Z'", CultureInfo.InvariantCulture);
}

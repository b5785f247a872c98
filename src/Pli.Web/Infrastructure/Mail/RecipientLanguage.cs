using System.Globalization;
using Microsoft.EntityFrameworkCore;
using Pli.Web.Infrastructure.Data;
using Pli.Web.Infrastructure.Web;

namespace Pli.Web.Infrastructure.Mail;

/// <summary>
/// The language a mail is written in: its recipient's (<see cref="PliUser.Language"/>), French for an address
/// without an account or a person who never chose. Never the language of whoever caused the mail: an agent
/// reading in English does not make a French company's notice English.
/// </summary>
public sealed class RecipientLanguage(PliDbContext db)
{
    public static CultureInfo Of(string? language) => WebSetup.LanguageOf(language);

    public static CultureInfo Of(PliUser? user) => Of(user?.Language);

    /// <summary>The short name stored for a culture ("fr", "en").</summary>
    public static string NameOf(CultureInfo culture) => Of(culture.TwoLetterISOLanguageName).TwoLetterISOLanguageName;

    public async Task<CultureInfo> OfAsync(string email, CancellationToken cancellationToken = default)
    {
        var normalized = email.ToUpperInvariant();
        var language = await db.Users.Where(u => u.NormalizedEmail == normalized).Select(u => u.Language).FirstOrDefaultAsync(cancellationToken);
        return Of(language);
    }

    /// <summary>
    /// One mail that names nobody, to each of <paramref name="emails"/> in their language: written once per language
    /// (at most one per supported culture, whatever the audience's size), then addressed.
    /// </summary>
    public async Task<IReadOnlyList<OutgoingMail>> ToEachAsync(IEnumerable<string> emails, Func<CultureInfo, OutgoingMail> write, CancellationToken cancellationToken = default)
    {
        var recipients = emails.ToList();
        var cultures = await OfAsync(recipients, cancellationToken);
        var written = new Dictionary<CultureInfo, OutgoingMail>();
        var mails = new List<OutgoingMail>(recipients.Count);
        foreach (var email in recipients)
        {
            var culture = cultures[email];
            if (!written.TryGetValue(culture, out var mail))
            {
                mail = written[culture] = write(culture);
            }
            mails.Add(mail with { To = email });
        }
        return mails;
    }

    /// <summary>
    /// The language of each of many recipients, in one query (a notice to every downloader, say). The addresses go as one
    /// parameter (an array on PostgreSQL, JSON on SQLite): one parameter each would stop at SQLite's 32,766 variables.
    /// </summary>
    public async Task<IReadOnlyDictionary<string, CultureInfo>> OfAsync(IEnumerable<string> emails, CancellationToken cancellationToken = default)
    {
        var wanted = emails.Distinct(StringComparer.OrdinalIgnoreCase).ToList();
        var normalized = wanted.Select(e => e.ToUpperInvariant()).ToList();
        var found = await db.Users.Where(u => u.NormalizedEmail != null && EF.Parameter(normalized).Contains(u.NormalizedEmail))
            .Select(u => new { u.NormalizedEmail, u.Language }).ToListAsync(cancellationToken);
        var byEmail = found.GroupBy(u => u.NormalizedEmail!).ToDictionary(g => g.Key, g => Of(g.First().Language));
        return wanted.ToDictionary(e => e, e => byEmail.GetValueOrDefault(e.ToUpperInvariant()) ?? Of((string?)null), StringComparer.OrdinalIgnoreCase);
    }
}

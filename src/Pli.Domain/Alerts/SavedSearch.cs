using Pli.Domain.Common;

namespace Pli.Domain.Alerts;

/// <summary>
/// A company user's saved portal search (a "veille"): its criteria, a daily digest of the consultations
/// newly published that match them, and a feed reachable by an unguessable token.
/// </summary>
public sealed class SavedSearch
{
    /// <summary>Searches one user may keep: each runs every day, a few are enough to follow a trade.</summary>
    public const int MaxPerUser = 20;
    public const int MaxNameLength = 100;
    public const int MaxCriteriaLength = 2000;

    public Guid Id { get; private set; }
    public Guid UserId { get; private set; }
    public string Name { get; private set; } = "";

    /// <summary>The portal's criteria, as the query string of its search page (the portal reads them back).</summary>
    public string Criteria { get; private set; } = "";
    public bool DailyDigest { get; private set; }
    public string FeedToken { get; private set; } = "";
    public DateTime CreatedUtc { get; private set; }

    /// <summary>Consultations published after this instant are new to the search's next digest.</summary>
    public DateTime LastDigestUtc { get; private set; }

    private SavedSearch() { }

    /// <summary>
    /// Saves a search. Consultations already published count as seen (the user had them in the list
    /// they saved): the first digest lists only those published afterwards.
    /// </summary>
    public static SavedSearch Create(Guid userId, string name, string criteria, bool dailyDigest, string feedToken, int savedByUser, DateTime nowUtc)
    {
        if (savedByUser >= MaxPerUser)
        {
            throw new DomainException("alert.limit", $"Vous avez déjà {MaxPerUser} recherches enregistrées : supprimez-en une avant d'en ajouter une autre.", null, MaxPerUser);
        }
        var trimmed = (name ?? "").Trim();
        if (trimmed.Length is 0 or > MaxNameLength)
        {
            throw new DomainException("alert.name", $"Donnez un nom à cette recherche ({MaxNameLength} caractères au plus).", "Name", MaxNameLength);
        }
        if ((criteria ?? "").Length > MaxCriteriaLength)
        {
            throw new DomainException("alert.criteria", "Ces critères de recherche sont trop longs pour être enregistrés.");
        }
        return new SavedSearch
        {
            Id = Guid.NewGuid(),
            UserId = userId,
            Name = trimmed,
            Criteria = criteria ?? "",
            DailyDigest = dailyDigest,
            FeedToken = feedToken,
            CreatedUtc = nowUtc,
            LastDigestUtc = nowUtc,
        };
    }

    /// <summary>Turning the digest back on starts from now: it does not pour out what was published while it was off.</summary>
    public void SetDailyDigest(bool on, DateTime nowUtc)
    {
        if (on && !DailyDigest)
        {
            LastDigestUtc = nowUtc;
        }
        DailyDigest = on;
    }

    /// <summary>A new token: the old feed address stops working (it was shared too widely, say).</summary>
    public void ReplaceFeedToken(string feedToken) => FeedToken = feedToken;

    /// <summary>Whether the digest of the slot <paramref name="slotUtc"/> is still to be made.</summary>
    public bool IsDigestDue(DateTime slotUtc) => DailyDigest && LastDigestUtc < slotUtc;

    public void RecordDigest(DateTime nowUtc) => LastDigestUtc = nowUtc;
}

/// <summary>Digests go out once a day at a fixed hour of Paris wall-clock time.</summary>
public static class DigestSchedule
{
    /// <summary>
    /// The latest digest time at or before <paramref name="nowUtc"/>: today's at <paramref name="hourParis"/>
    /// if it has come, else yesterday's. The hour is one that exists every day (clocks change at 2 and 3 a.m.).
    /// </summary>
    public static DateTime LastSlotUtc(DateTime nowUtc, int hourParis)
    {
        if (hourParis is < 4 or > 23)
        {
            throw new ArgumentOutOfRangeException(nameof(hourParis), hourParis, "Digest hour must be between 4 and 23 (Paris).");
        }
        var today = DateOnly.FromDateTime(ParisTime.ToParis(nowUtc).DateTime);
        var slot = ParisTime.ToUtc(today.ToDateTime(new TimeOnly(hourParis, 0)));
        return slot <= nowUtc ? slot : ParisTime.ToUtc(today.AddDays(-1).ToDateTime(new TimeOnly(hourParis, 0)));
    }
}

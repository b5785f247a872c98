using System.Globalization;
using System.Text.RegularExpressions;
using Microsoft.Extensions.Localization;
using Pli.Domain.Common;
using Pli.Domain.Consultations;

namespace Pli.Web.Features.Portal;

/// <summary>
/// A search as typed in the portal's form or the API's query string: every value is text, so that
/// a wrong one becomes a clear message instead of a binding failure.
/// </summary>
public sealed record PortalSearchInput(
    string? Reference = null,
    string? Q = null,
    string? Buyer = null,
    string? Nature = null,
    string? Procedure = null,
    string? Cpv = null,
    string? DeadlineFrom = null,
    string? DeadlineTo = null,
    string? Page = null,
    string? PageSize = null,
    string? IncludeClosed = null,
    string? Place = null)
{
    public bool HasCriteria =>
        new[] { Reference, Q, Buyer, Nature, Procedure, Cpv, DeadlineFrom, DeadlineTo, Place }.Any(v => !string.IsNullOrWhiteSpace(v));
}

/// <summary>A checked search. Deadlines bounds are UTC instants: from inclusive, to exclusive.</summary>
public sealed record PortalCriteria
{
    public string? Reference { get; init; }
    public IReadOnlyList<string> Words { get; init; } = [];
    public Guid? BuyerId { get; init; }
    public Nature? Nature { get; init; }
    public ProcedureType? Procedure { get; init; }
    public string? CpvPrefix { get; init; }

    /// <summary>The place as <see cref="Consultation.PlaceKeyOf"/> folds it: found anywhere in the consultation's place.</summary>
    public string? PlaceKey { get; init; }
    public DateTime? DeadlineFromUtc { get; init; }
    public DateTime? DeadlineBeforeUtc { get; init; }
    public bool IncludeClosed { get; init; }
    public int Page { get; init; } = 1;
    public int PageSize { get; init; } = PortalSearch.DefaultPageSize;

    /// <summary>The keywords as typed (trimmed), for the exact-reference shortcut.</summary>
    public string? RawKeywords { get; init; }

    /// <summary>Only consultations published after this instant (a saved search's digest: what is new).</summary>
    public DateTime? PublishedAfterUtc { get; init; }

    /// <summary>Newest publications first (a feed) instead of the nearest deadline first.</summary>
    public bool NewestFirst { get; init; }

    /// <summary>
    /// Count the matches up to this number only (the portal's page and API: a search matching 30,000 consultations
    /// says "more than 1,000" instead of reading all 30,000 to count them); null counts them all.
    /// </summary>
    public int? CountCap { get; init; }
}

public static partial class PortalSearch
{
    public const int DefaultPageSize = 20;
    public const int MaxPageSize = 100;
    public const int MaxPage = 10_000;
    public const int MaxKeywordsLength = 200;
    public const int MaxWords = 10;
    public const int MaxReferenceLength = 50;
    public const int MaxPlaceLength = 100;

    /// <summary>The portal counts matches up to this number: beyond, it says "more than 1,000" and asks to refine.</summary>
    public const int CountCap = 1_000;

    private static readonly string[] DateFormats = ["yyyy-MM-dd", "dd/MM/yyyy", "d/M/yyyy"];

    [GeneratedRegex(@"^(\d{2,8})(-\d)?$", RegexOptions.CultureInvariant)]
    private static partial Regex CpvPattern();

    /// <summary>
    /// Checks <paramref name="input"/>. Errors are keyed by parameter name (the form's input names
    /// and the API's query names are the same), with messages in the request's language.
    /// </summary>
    public static PortalCriteria? Parse(PortalSearchInput input, IStringLocalizer<PortalTexts> texts, out Dictionary<string, string[]> errors)
    {
        var found = new Dictionary<string, string[]>(StringComparer.Ordinal);
        void Fail(string key, string message) => found[key] = [message];

        var reference = Clean(input.Reference);
        if (reference is { Length: > MaxReferenceLength })
        {
            Fail("reference", texts["ReferenceTooLong", MaxReferenceLength]);
        }

        var keywords = Clean(input.Q);
        string[] words = [];
        if (keywords is not null)
        {
            words = [.. Text.Words(keywords)];
            if (keywords.Length > MaxKeywordsLength)
            {
                Fail("q", texts["KeywordsTooLong", MaxKeywordsLength]);
            }
            else if (words.Length > MaxWords)
            {
                Fail("q", texts["TooManyKeywords", MaxWords]);
            }
        }

        Guid? buyer = null;
        if (Clean(input.Buyer) is { } buyerText)
        {
            if (Guid.TryParse(buyerText, out var id))
            {
                buyer = id;
            }
            else
            {
                Fail("buyer", texts["InvalidBuyer"]);
            }
        }

        Nature? nature = null;
        if (Clean(input.Nature) is { } natureText)
        {
            if (TryParseName<Nature>(natureText, out var parsed))
            {
                nature = parsed;
            }
            else
            {
                Fail("nature", texts["InvalidNature", natureText]);
            }
        }

        ProcedureType? procedure = null;
        if (Clean(input.Procedure) is { } procedureText)
        {
            if (TryParseName<ProcedureType>(procedureText, out var parsed))
            {
                procedure = parsed;
            }
            else
            {
                Fail("procedure", texts["InvalidProcedure", procedureText]);
            }
        }

        string? cpvPrefix = null;
        if (Clean(input.Cpv) is { } cpvText)
        {
            var match = CpvPattern().Match(cpvText.Replace(" ", "", StringComparison.Ordinal));
            if (match.Success)
            {
                cpvPrefix = HierarchyPrefix(match.Groups[1].Value);
            }
            else
            {
                Fail("cpv", texts["InvalidCpv", cpvText]);
            }
        }

        string? placeKey = null;
        if (Clean(input.Place) is { } placeText)
        {
            if (placeText.Length > MaxPlaceLength)
            {
                Fail("place", texts["PlaceTooLong", MaxPlaceLength]);
            }
            else if (Consultation.PlaceKeyOf(placeText) is { Length: > 0 } key)
            {
                // A place of only hyphens folds to nothing: no criterion, as an empty field.
                placeKey = key;
            }
        }

        var from = ParseDate(input.DeadlineFrom, "deadlineFrom", texts, Fail);
        var to = ParseDate(input.DeadlineTo, "deadlineTo", texts, Fail);
        if (from is not null && to is not null && from > to)
        {
            Fail("deadlineTo", texts["DateRangeInverted"]);
        }

        var page = ParseInt(input.Page, 1, 1, MaxPage, "page", texts["InvalidPage", MaxPage], Fail);
        var pageSize = ParseInt(input.PageSize, DefaultPageSize, 1, MaxPageSize, "pageSize", texts["InvalidPageSize", MaxPageSize], Fail);

        var includeClosed = false;
        if (Clean(input.IncludeClosed) is { } includeText && !bool.TryParse(includeText, out includeClosed))
        {
            if (includeText is "1" or "0")
            {
                includeClosed = includeText == "1";
            }
            else
            {
                Fail("includeClosed", texts["InvalidIncludeClosed"]);
            }
        }

        errors = found;
        if (found.Count > 0)
        {
            return null;
        }
        return new PortalCriteria
        {
            Reference = reference,
            Words = words,
            RawKeywords = keywords,
            BuyerId = buyer,
            Nature = nature,
            Procedure = procedure,
            CpvPrefix = cpvPrefix,
            PlaceKey = placeKey,
            // Midnight always exists in Paris (clocks change at 2 or 3 a.m.), so ToUtc cannot refuse it.
            DeadlineFromUtc = from is { } f ? ParisTime.ToUtc(f.ToDateTime(TimeOnly.MinValue)) : null,
            DeadlineBeforeUtc = to is { } t ? ParisTime.ToUtc(t.AddDays(1).ToDateTime(TimeOnly.MinValue)) : null,
            IncludeClosed = includeClosed,
            Page = page,
            PageSize = pageSize,
        };
    }

    /// <summary>
    /// CPV codes are hierarchical: trailing zeros only mark the level, so "45200000" (a group)
    /// covers "45233120" (one of its sub-categories). The two-digit division is always kept.
    /// </summary>
    public static string HierarchyPrefix(string digits)
    {
        var trimmed = digits.TrimEnd('0');
        return trimmed.Length >= 2 ? trimmed : digits[..2];
    }

    private static string? Clean(string? value) => string.IsNullOrWhiteSpace(value) ? null : value.Trim();

    /// <summary>Names only: Enum.TryParse would also take "7" or "Travaux,Services".</summary>
    private static bool TryParseName<TEnum>(string text, out TEnum value) where TEnum : struct, Enum
    {
        value = default;
        var name = Enum.GetNames<TEnum>().FirstOrDefault(n => string.Equals(n, text, StringComparison.OrdinalIgnoreCase));
        return name is not null && Enum.TryParse(name, out value);
    }

    private static DateOnly? ParseDate(string? text, string key, IStringLocalizer<PortalTexts> texts, Action<string, string> fail)
    {
        if (Clean(text) is not { } value)
        {
            return null;
        }
        if (DateOnly.TryParseExact(value, DateFormats, CultureInfo.InvariantCulture, DateTimeStyles.None, out var date)
            && date.Year is >= 2000 and <= 2200)
        {
            return date;
        }
        fail(key, texts["InvalidDate", value]);
        return null;
    }

    private static int ParseInt(string? text, int fallback, int min, int max, string key, string message, Action<string, string> fail)
    {
        if (Clean(text) is not { } value)
        {
            return fallback;
        }
        if (int.TryParse(value, NumberStyles.None, CultureInfo.InvariantCulture, out var number) && number >= min && number <= max)
        {
            return number;
        }
        fail(key, message);
        return fallback;
    }
}

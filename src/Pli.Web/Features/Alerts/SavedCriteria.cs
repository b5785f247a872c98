using System.Globalization;
using Microsoft.AspNetCore.WebUtilities;
using Pli.Domain.Consultations;
using Pli.Web.Features.Portal;
using Pli.Web.Features.Shared;

namespace Pli.Web.Features.Alerts;

/// <summary>
/// A saved search keeps the portal's own criteria, as the query string of its search page: the portal
/// reads them back with <see cref="PortalSearch.Parse"/>, so a saved search finds what the page finds.
/// </summary>
public static class SavedCriteria
{
    /// <summary>The portal's criteria names, in the order they are stored (the page number and size are not criteria).</summary>
    public static readonly string[] Names = ["reference", "q", "buyer", "nature", "procedure", "cpv", "place", "deadlineFrom", "deadlineTo"];

    public static string ToQuery(PortalSearchInput input)
    {
        var values = Values(input);
        var pairs = Names.Zip(values)
            .Where(p => !string.IsNullOrWhiteSpace(p.Second))
            .Select(p => new KeyValuePair<string, string?>(p.First, p.Second!.Trim()));
        return QueryString.Create(pairs).Value?.TrimStart('?') ?? "";
    }

    public static PortalSearchInput FromQuery(string query)
    {
        var parsed = QueryHelpers.ParseQuery(query);
        string? Value(string name) => parsed.TryGetValue(name, out var v) && !string.IsNullOrWhiteSpace(v) ? v.ToString() : null;
        return new PortalSearchInput(Value("reference"), Value("q"), Value("buyer"), Value("nature"), Value("procedure"), Value("cpv"),
            Value("deadlineFrom"), Value("deadlineTo"), Place: Value("place"));
    }

    /// <summary>The portal page of this search.</summary>
    public static string PortalPath(string query) => query.Length == 0 ? "/" : "/?" + query;

    /// <summary>The criteria as a reader sees them: (label, value) pairs; none for a search of everything.</summary>
    public static IReadOnlyList<(string Label, string Value)> Summary(string query, IReadOnlyDictionary<Guid, string> buyerNames, CultureInfo culture)
    {
        var input = FromQuery(query);
        var lines = new List<(string, string)>();
        void Add(string key, string? value)
        {
            if (value is not null)
            {
                lines.Add((AlertsTexts.Get("Criterion_" + key, culture), value));
            }
        }
        Add("reference", input.Reference);
        Add("q", input.Q);
        Add("buyer", input.Buyer is { } b && Guid.TryParse(b, out var id) ? buyerNames.GetValueOrDefault(id, b) : input.Buyer);
        Add("nature", input.Nature is { } n && Enum.TryParse<Nature>(n, ignoreCase: true, out var nature) ? ConsultationLabels.Nature(nature, culture) : input.Nature);
        Add("procedure", input.Procedure is { } p && Enum.TryParse<ProcedureType>(p, ignoreCase: true, out var procedure) ? ConsultationLabels.Procedure(procedure, culture) : input.Procedure);
        Add("cpv", input.Cpv);
        Add("place", input.Place);
        Add("deadlineFrom", input.DeadlineFrom);
        Add("deadlineTo", input.DeadlineTo);
        return lines;
    }

    private static string?[] Values(PortalSearchInput input) =>
        [input.Reference, input.Q, input.Buyer, input.Nature, input.Procedure, input.Cpv, input.Place, input.DeadlineFrom, input.DeadlineTo];
}

using System.Text;
using Pli.Domain.Common;

namespace Pli.Domain.Consultations;

/// <summary>
/// The CPV 2008 main vocabulary. A code is valid when it is in the published list: the check
/// digit is not recomputed, because some 2008 codes were published with a wrong one and the
/// Commission keeps them as they are.
/// </summary>
public sealed class CpvCatalog
{
    private readonly Dictionary<string, CpvEntry> _byCode;
    private readonly IReadOnlyList<CpvEntry> _entries;

    public CpvCatalog(IEnumerable<CpvEntry> entries)
    {
        _entries = [.. entries];
        _byCode = _entries.ToDictionary(e => e.Code, StringComparer.Ordinal);
    }

    public int Count => _entries.Count;

    public bool TryGet(string? code, out CpvEntry entry)
    {
        entry = default!;
        if (string.IsNullOrWhiteSpace(code))
        {
            return false;
        }
        var trimmed = code.Trim();
        if (_byCode.TryGetValue(trimmed, out var found))
        {
            entry = found;
            return true;
        }
        // "45233120" without its check digit names the same code unambiguously.
        if (trimmed.Length == 8)
        {
            var match = _entries.FirstOrDefault(e => e.Code.StartsWith(trimmed, StringComparison.Ordinal));
            if (match is not null)
            {
                entry = match;
                return true;
            }
        }
        return false;
    }

    public CpvEntry Require(string? code, string field = "MainCpv") =>
        TryGet(code, out var entry)
            ? entry
            : throw new DomainException("cpv.unknown", $"Le code CPV « {code} » n'existe pas dans la nomenclature CPV 2008.", field, code ?? "");

    /// <summary>Codes whose code or label (accents and case ignored) contains every word of the query.</summary>
    public IReadOnlyList<CpvEntry> Search(string? query, int max = 20)
    {
        var words = Text.Fold(query).Split(' ', StringSplitOptions.RemoveEmptyEntries);
        if (words.Length == 0)
        {
            return [];
        }
        return _entries
            .Where(e => words.All(w => e.Code.StartsWith(w, StringComparison.Ordinal) || e.FoldedLabels.Contains(w, StringComparison.Ordinal)))
            .Take(max)
            .ToList();
    }

    /// <summary>Reads the CSV shipped with Pli: code,label_fr,label_en, RFC 4180 quoting.</summary>
    public static CpvCatalog Load(TextReader reader)
    {
        var entries = new List<CpvEntry>(9500);
        var header = true;
        foreach (var fields in ReadCsv(reader))
        {
            if (header)
            {
                header = false;
                continue;
            }
            if (fields.Count >= 3)
            {
                entries.Add(new CpvEntry(fields[0], fields[1], fields[2]));
            }
        }
        return new CpvCatalog(entries);
    }

    private static IEnumerable<List<string>> ReadCsv(TextReader reader)
    {
        var fields = new List<string>();
        var field = new StringBuilder();
        var inQuotes = false;
        int c;
        while ((c = reader.Read()) != -1)
        {
            var ch = (char)c;
            if (inQuotes)
            {
                if (ch == '"')
                {
                    if (reader.Peek() == '"')
                    {
                        reader.Read();
                        field.Append('"');
                    }
                    else
                    {
                        inQuotes = false;
                    }
                }
                else
                {
                    field.Append(ch);
                }
            }
            else if (ch == '"')
            {
                inQuotes = true;
            }
            else if (ch == ',')
            {
                fields.Add(field.ToString());
                field.Clear();
            }
            else if (ch == '\n')
            {
                fields.Add(field.ToString().TrimEnd('\r'));
                field.Clear();
                yield return fields;
                fields = [];
            }
            else
            {
                field.Append(ch);
            }
        }
        if (field.Length > 0 || fields.Count > 0)
        {
            fields.Add(field.ToString());
            yield return fields;
        }
    }
}

public sealed record CpvEntry(string Code, string LabelFr, string LabelEn)
{
    internal string FoldedLabels { get; } = Text.Fold(LabelFr + " " + LabelEn);
}

using System.Globalization;
using Pli.Domain.Common;

namespace Pli.Web.Features.Registers;

public enum RegisterCellKind
{
    Text,

    /// <summary>An instant stored in UTC, shown in Paris time with its zone.</summary>
    Instant,
    Number,

    /// <summary>A size in bytes.</summary>
    Size,
}

/// <summary>One cell of a register: a text, an instant, a count or a size, kept typed so that each format shows it its own way.</summary>
public readonly record struct RegisterCell(RegisterCellKind Kind, string Text, DateTime? Utc, long Number)
{
    public static readonly RegisterCell Empty = new(RegisterCellKind.Text, "", null, 0);

    public static RegisterCell Of(string? text) => new(RegisterCellKind.Text, text ?? "", null, 0);

    /// <summary>An instant; none gives an empty cell.</summary>
    public static RegisterCell At(DateTime? utc) => utc is { } at ? new(RegisterCellKind.Instant, "", DateTime.SpecifyKind(at, DateTimeKind.Utc), 0) : Empty;

    public static RegisterCell Count(long number) => new(RegisterCellKind.Number, "", null, number);

    public static RegisterCell Bytes(long size) => new(RegisterCellKind.Size, "", null, size);

    public static implicit operator RegisterCell(string? text) => Of(text);

    /// <summary>As read by a person: Paris time to the second with the zone, numbers with the culture's grouping.</summary>
    public string Display(CultureInfo culture) => Kind switch
    {
        RegisterCellKind.Instant => ParisTime.Format(Utc!.Value, culture, seconds: true),
        RegisterCellKind.Number => Number.ToString("N0", culture),
        RegisterCellKind.Size => Number.ToString("N0", culture),
        _ => Text,
    };
}

/// <summary>A column; <paramref name="Width"/> is relative to the others' (PDF, XLSX), a monospace column (a digest) is as wide as its content.</summary>
public sealed record RegisterColumn(string Header, double Width = 1, bool Monospace = false);

public sealed record RegisterTable(string Title, IReadOnlyList<RegisterColumn> Columns, IReadOnlyList<IReadOnlyList<RegisterCell>> Rows);

/// <summary>
/// A register the law asks the buyer to keep (downloads, questions, deposits, exchanges), as one or more tables,
/// in a form each export (CSV, XLSX, PDF) writes without knowing which register it is.
/// </summary>
public sealed record RegisterDocument(
    RegisterKind Kind,
    string Title,
    string ConsultationReference,
    string ConsultationTitle,
    DateTime GeneratedUtc,
    IReadOnlyList<RegisterTable> Tables)
{
    public int RowCount => Tables.Sum(t => t.Rows.Count);

    /// <summary>"registre-depots-2026-MDEMO-0017-20260601-100000.pdf": which register, which consultation, when (Paris time).</summary>
    public string FileName(RegisterFormat format)
    {
        var reference = new string([.. ConsultationReference.Select(c => char.IsAsciiLetterOrDigit(c) || c is '-' or '_' ? c : '-')]);
        var at = ParisTime.ToParis(GeneratedUtc).ToString("yyyyMMdd-HHmmss", CultureInfo.InvariantCulture);
        return $"registre-{RegisterKinds.Slug(Kind)}-{reference}-{at}.{RegisterFormats.Extension(format)}";
    }
}

public enum RegisterKind
{
    Downloads,
    Questions,
    Deposits,
    Exchanges,
}

public static class RegisterKinds
{
    /// <summary>The French path segment of the register's page, also used in its export's URL and file name.</summary>
    public static string Slug(RegisterKind kind) => kind switch
    {
        RegisterKind.Downloads => "retraits",
        RegisterKind.Questions => "questions",
        RegisterKind.Deposits => "depots",
        RegisterKind.Exchanges => "messages",
        _ => throw new ArgumentOutOfRangeException(nameof(kind)),
    };

    public static bool TryParse(string? slug, out RegisterKind kind)
    {
        foreach (var candidate in Enum.GetValues<RegisterKind>())
        {
            if (string.Equals(Slug(candidate), slug, StringComparison.Ordinal))
            {
                kind = candidate;
                return true;
            }
        }
        kind = default;
        return false;
    }
}

public enum RegisterFormat
{
    Csv,
    Xlsx,
    Pdf,
}

public static class RegisterFormats
{
    public static string Extension(RegisterFormat format) => format switch
    {
        RegisterFormat.Csv => "csv",
        RegisterFormat.Xlsx => "xlsx",
        RegisterFormat.Pdf => "pdf",
        _ => throw new ArgumentOutOfRangeException(nameof(format)),
    };

    public static string ContentType(RegisterFormat format) => format switch
    {
        RegisterFormat.Csv => "text/csv; charset=utf-8",
        RegisterFormat.Xlsx => "application/vnd.openxmlformats-officedocument.spreadsheetml.sheet",
        RegisterFormat.Pdf => "application/pdf",
        _ => throw new ArgumentOutOfRangeException(nameof(format)),
    };

    public static bool TryParse(string? extension, out RegisterFormat format)
    {
        foreach (var candidate in Enum.GetValues<RegisterFormat>())
        {
            if (string.Equals(Extension(candidate), extension, StringComparison.Ordinal))
            {
                format = candidate;
                return true;
            }
        }
        format = default;
        return false;
    }

    /// <summary>The export's URL: /acheteur/consultations/{id}/depots/export.pdf.</summary>
    public static string Path(Guid consultationId, RegisterKind kind, RegisterFormat format) =>
        $"/acheteur/consultations/{consultationId}/{RegisterKinds.Slug(kind)}/export.{Extension(format)}";
}

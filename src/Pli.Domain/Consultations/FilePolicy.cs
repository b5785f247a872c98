using Pli.Domain.Common;

namespace Pli.Domain.Consultations;

/// <summary>
/// Which files a consultation accepts, and which file names are safe to store and to serve.
/// </summary>
public static class FilePolicy
{
    /// <summary>The formats the Métropole's guide lists, accepted unless a consultation says otherwise.</summary>
    public static readonly IReadOnlyList<string> DefaultAcceptedFormats =
        [".odt", ".ods", ".doc", ".docx", ".txt", ".rtf", ".pdf", ".xls", ".xlsx", ".rar", ".zip", ".gif", ".jpeg", ".png", ".ppt", ".dwg", ".dxf"];

    public const int MaxNameLength = 255;
    public const int MaxPathLength = 1024;

    private static readonly HashSet<string> ReservedNames = new(StringComparer.OrdinalIgnoreCase)
    {
        "CON", "PRN", "AUX", "NUL",
        "COM0", "COM1", "COM2", "COM3", "COM4", "COM5", "COM6", "COM7", "COM8", "COM9",
        "LPT0", "LPT1", "LPT2", "LPT3", "LPT4", "LPT5", "LPT6", "LPT7", "LPT8", "LPT9",
    };

    private static readonly char[] ForbiddenChars = ['<', '>', ':', '"', '|', '?', '*', '\\'];

    /// <summary>
    /// Checks one name (no folder). A name is refused rather than cleaned: silently renaming a
    /// tender document would make the buyer's DCE differ from what it uploaded.
    /// </summary>
    public static string RequireSafeName(string? name, string field = "File")
    {
        if (string.IsNullOrWhiteSpace(name))
        {
            throw new DomainException("file.name.empty", "Le fichier doit avoir un nom.", field);
        }
        if (name.Any(char.IsControl))
        {
            throw new DomainException("file.name.control", $"Le nom de fichier « {Printable(name)} » contient des caractères de contrôle.", field, Printable(name));
        }
        if (name is "." or ".." || name.Contains('/', StringComparison.Ordinal) || name.IndexOfAny(ForbiddenChars) >= 0)
        {
            throw new DomainException("file.name.forbidden", $"Le nom de fichier « {name} » contient un caractère interdit (/ \\ < > : \" | ? *) ou désigne un dossier.", field, name);
        }
        if (name.Length > MaxNameLength)
        {
            throw new DomainException("file.name.long", $"Le nom de fichier dépasse {MaxNameLength} caractères.", field, MaxNameLength);
        }
        if (name.EndsWith('.') || name.EndsWith(' ') || name.StartsWith(' '))
        {
            throw new DomainException("file.name.edge", $"Le nom de fichier « {name} » ne peut ni commencer par une espace ni finir par un point ou une espace.", field, name);
        }
        var stem = name.Split('.')[0];
        if (ReservedNames.Contains(stem.TrimEnd()))
        {
            throw new DomainException("file.name.reserved", $"Le nom de fichier « {name} » est un nom réservé par Windows.", field, name);
        }
        return name;
    }

    /// <summary>Checks a relative path such as "Plans/Lot 1/plan.dwg", segment by segment.</summary>
    public static string RequireSafeRelativePath(string? path, string field = "File")
    {
        if (string.IsNullOrWhiteSpace(path))
        {
            throw new DomainException("file.name.empty", "Le fichier doit avoir un nom.", field);
        }
        if (path.Contains('\\', StringComparison.Ordinal))
        {
            path = path.Replace('\\', '/');
        }
        if (path.StartsWith('/') || path.Length > MaxPathLength)
        {
            throw new DomainException("file.path.invalid", $"Le chemin « {Printable(path)} » n'est pas un chemin relatif valide.", field, Printable(path));
        }
        var segments = path.Split('/');
        foreach (var segment in segments)
        {
            if (segment is ".." or "." or "")
            {
                throw new DomainException("file.path.traversal", $"Le chemin « {Printable(path)} » ne peut contenir ni « .. » ni dossier vide.", field, Printable(path));
            }
            RequireSafeName(segment, field);
        }
        return string.Join('/', segments);
    }

    public static string ExtensionOf(string name)
    {
        var dot = name.LastIndexOf('.');
        return dot < 0 ? "" : name[dot..].ToLowerInvariant();
    }

    /// <summary>Parses a list such as ".pdf, docx ,.ZIP" into normalised extensions.</summary>
    public static IReadOnlyList<string> ParseFormats(string? list)
    {
        if (string.IsNullOrWhiteSpace(list))
        {
            return DefaultAcceptedFormats;
        }
        var formats = list.Split([',', ';', ' '], StringSplitOptions.RemoveEmptyEntries | StringSplitOptions.TrimEntries)
            .Select(f => f.StartsWith('.') ? f.ToLowerInvariant() : "." + f.ToLowerInvariant())
            .Distinct()
            .ToList();
        foreach (var f in formats)
        {
            if (f.Length < 2 || f.Length > 10 || !f[1..].All(char.IsAsciiLetterOrDigit))
            {
                throw new DomainException("formats.invalid", $"Le format « {f} » n'est pas une extension de fichier valide.", "AcceptedFormats", f);
            }
        }
        return formats;
    }

    private static string Printable(string s) => new([.. s.Select(c => char.IsControl(c) ? '?' : c)]);
}

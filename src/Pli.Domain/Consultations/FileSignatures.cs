using System.Text;
using Pli.Domain.Common;

namespace Pli.Domain.Consultations;

/// <summary>
/// A file's content must be what its extension says: an executable renamed ".pdf" is refused. The
/// first <see cref="HeadLength"/> bytes are compared with the format's signature. A format Pli knows no
/// signature for (a consultation may accept more than the default 17) is judged by its extension alone.
/// </summary>
public static class FileSignatures
{
    /// <summary>How many leading bytes a check reads: enough for the PDF header window and a text sample.</summary>
    public const int HeadLength = 8192;

    private static readonly byte[] Ole2 = [0xD0, 0xCF, 0x11, 0xE0, 0xA1, 0xB1, 0x1A, 0xE1];
    private static readonly byte[] ZipLocal = [0x50, 0x4B, 0x03, 0x04];
    private static readonly byte[] ZipEmpty = [0x50, 0x4B, 0x05, 0x06];
    private static readonly byte[] ZipSpanned = [0x50, 0x4B, 0x07, 0x08];
    private static readonly byte[] Png = [0x89, 0x50, 0x4E, 0x47, 0x0D, 0x0A, 0x1A, 0x0A];
    private static readonly byte[] Jpeg = [0xFF, 0xD8, 0xFF];

    /// <summary>Whether this format has a signature Pli checks.</summary>
    public static bool IsKnown(string extension) => Check(extension.ToLowerInvariant()) is not null;

    /// <summary>True when <paramref name="head"/> (the file's first bytes) fits the format of <paramref name="extension"/>.</summary>
    public static bool Matches(string extension, ReadOnlySpan<byte> head)
    {
        var check = Check(extension.ToLowerInvariant());
        return check is null || check(head);
    }

    public static void RequireContentMatches(string fileName, ReadOnlySpan<byte> head, string field = "File")
    {
        var extension = FilePolicy.ExtensionOf(fileName);
        if (!Matches(extension, head))
        {
            throw new DomainException("file.content-mismatch",
                $"Le contenu du fichier « {fileName} » ne correspond pas à son format ({extension}) : vérifiez que c'est bien le bon fichier.",
                field, fileName, extension);
        }
    }

    private delegate bool HeadCheck(ReadOnlySpan<byte> head);

    private static HeadCheck? Check(string extension) => extension switch
    {
        ".pdf" => head => IndexOf(head[..Math.Min(head.Length, 1024)], "%PDF-"u8) >= 0,
        ".doc" or ".xls" or ".ppt" => head => head.StartsWith(Ole2),
        ".docx" or ".xlsx" or ".zip" => IsZip,
        ".odt" => head => IsZip(head) && IndexOf(head, "application/vnd.oasis.opendocument.text"u8) >= 0,
        ".ods" => head => IsZip(head) && IndexOf(head, "application/vnd.oasis.opendocument.spreadsheet"u8) >= 0,
        ".rar" => head => head.StartsWith("Rar!\u001A\u0007"u8),
        ".rtf" => head => head.StartsWith(@"{\rtf"u8),
        ".gif" => head => head.StartsWith("GIF87a"u8) || head.StartsWith("GIF89a"u8),
        ".jpeg" or ".jpg" => head => head.StartsWith(Jpeg),
        ".png" => head => head.StartsWith(Png),
        ".dwg" => head => head.Length >= 6 && head.StartsWith("AC1"u8) && char.IsAsciiDigit((char)head[3]) && char.IsAsciiDigit((char)head[4]) && char.IsAsciiDigit((char)head[5]),
        ".dxf" => head => head.StartsWith("AutoCAD Binary DXF"u8) || IsDxfText(head),
        ".txt" => IsText,
        ".xml" => IsXml,
        _ => null,
    };

    private static bool IsZip(ReadOnlySpan<byte> head) =>
        head.StartsWith(ZipLocal) || head.StartsWith(ZipEmpty) || head.StartsWith(ZipSpanned);

    /// <summary>Text: no NUL byte and no other control character than tab, line feed, carriage return and form feed.</summary>
    private static bool IsText(ReadOnlySpan<byte> head)
    {
        foreach (var b in head)
        {
            if (b < 0x20 && b is not (0x09 or 0x0A or 0x0D or 0x0C) || b == 0x7F)
            {
                return false;
            }
        }
        return true;
    }

    /// <summary>XML (a DUME): text whose first character, after an optional UTF-8 byte order mark and spaces, is "&lt;".</summary>
    private static bool IsXml(ReadOnlySpan<byte> head)
    {
        var body = head.StartsWith((ReadOnlySpan<byte>)[0xEF, 0xBB, 0xBF]) ? head[3..] : head;
        var start = body.IndexOfAnyExcept((ReadOnlySpan<byte>)[0x20, 0x09, 0x0A, 0x0D]);
        return start >= 0 && body[start] == (byte)'<' && IsText(body);
    }

    /// <summary>An ASCII DXF starts with group code 0 then SECTION (or a 999 comment line), spaces allowed.</summary>
    private static bool IsDxfText(ReadOnlySpan<byte> head)
    {
        if (!IsText(head))
        {
            return false;
        }
        var text = Encoding.Latin1.GetString(head[..Math.Min(head.Length, 256)]).TrimStart();
        return text.StartsWith("0", StringComparison.Ordinal) && text.Contains("SECTION", StringComparison.Ordinal)
            || text.StartsWith("999", StringComparison.Ordinal);
    }

    private static int IndexOf(ReadOnlySpan<byte> haystack, ReadOnlySpan<byte> needle) => haystack.IndexOf(needle);
}

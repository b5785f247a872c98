using System.Collections.Concurrent;
using PdfSharp.Fonts;

namespace Pli.Web.Features.Deposits.Receipts;

/// <summary>
/// The DejaVu fonts shipped inside Pli.Web (Fonts/, licence beside them), served to PDFsharp. PDFsharp's
/// Core build finds no system font on Linux, and a receipt must look the same on every server anyway.
/// </summary>
internal sealed class ReceiptFonts : IFontResolver
{
    public const string Sans = "DejaVu Sans";
    public const string Mono = "DejaVu Sans Mono";

    private const string Regular = "DejaVuSans";
    private const string Bold = "DejaVuSans-Bold";
    private const string MonoRegular = "DejaVuSansMono";

    private static readonly ReceiptFonts Instance = new();
    private static readonly Lock Gate = new();
    private static volatile bool _registered;

    private readonly ConcurrentDictionary<string, byte[]> _faces = new(StringComparer.Ordinal);

    private ReceiptFonts()
    {
    }

    /// <summary>
    /// Sets <see cref="GlobalFontSettings.FontResolver"/>, a process-wide setting, once: several apps in one
    /// process (the tests' factories) and concurrent first receipts all end up here.
    /// </summary>
    public static void EnsureRegistered()
    {
        if (_registered)
        {
            return;
        }
        lock (Gate)
        {
            if (_registered)
            {
                return;
            }
            var current = GlobalFontSettings.FontResolver;
            if (current is null)
            {
                GlobalFontSettings.FontResolver = Instance;
            }
            else if (!ReferenceEquals(current, Instance))
            {
                // PDFsharp takes one resolver per process; replacing another component's would break its documents.
                throw new InvalidOperationException(
                    $"PDFsharp already has a font resolver ({current.GetType().FullName}); the receipt needs {typeof(ReceiptFonts).FullName}.");
            }
            _registered = true;
        }
    }

    public FontResolverInfo? ResolveTypeface(string familyName, bool bold, bool italic)
    {
        // No italic face is shipped: PDFsharp slants the upright one. Any other family falls back to DejaVu Sans
        // rather than failing a receipt.
        if (string.Equals(familyName, Mono, StringComparison.OrdinalIgnoreCase))
        {
            return new FontResolverInfo(MonoRegular, bold, italic);
        }
        return new FontResolverInfo(bold ? Bold : Regular, false, italic);
    }

    public byte[]? GetFont(string faceName) => _faces.GetOrAdd(faceName, Load);

    private static byte[] Load(string faceName)
    {
        var name = $"Pli.Web.Receipts.Fonts.{faceName}.ttf";
        using var stream = typeof(ReceiptFonts).Assembly.GetManifestResourceStream(name)
            ?? throw new InvalidOperationException($"The font {name} is not embedded in Pli.Web.");
        using var bytes = new MemoryStream((int)stream.Length);
        stream.CopyTo(bytes);
        return bytes.ToArray();
    }
}

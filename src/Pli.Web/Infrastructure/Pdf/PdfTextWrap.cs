using PdfSharp.Drawing;

namespace Pli.Web.Infrastructure.Pdf;

/// <summary>The line breaking of Pli's PDFs (receipts, registers): measured with the font that draws the text.</summary>
public static class PdfTextWrap
{
    /// <summary>
    /// Greedy word wrap; a word wider than the line (a long file name, a digest) is cut, after a '-', '_', '.'
    /// or '/' when one is near the cut.
    /// </summary>
    public static List<string> Wrap(XGraphics graphics, string text, XFont font, double width)
    {
        var lines = new List<string>();
        foreach (var paragraph in text.Replace("\r\n", "\n", StringComparison.Ordinal).Split('\n'))
        {
            var line = "";
            foreach (var word in paragraph.Split(' '))
            {
                var candidate = line.Length == 0 ? word : line + " " + word;
                if (Measure(graphics, candidate, font) <= width)
                {
                    line = candidate;
                    continue;
                }
                if (line.Length > 0)
                {
                    lines.Add(line);
                }
                var rest = word;
                while (rest.Length > 1 && Measure(graphics, rest, font) > width)
                {
                    var cut = Cut(graphics, rest, font, width);
                    lines.Add(rest[..cut]);
                    rest = rest[cut..];
                }
                line = rest;
            }
            lines.Add(line);
        }
        return lines;
    }

    public static double Measure(XGraphics graphics, string text, XFont font) => text.Length == 0 ? 0 : graphics.MeasureString(text, font).Width;

    private static int Cut(XGraphics graphics, string word, XFont font, double width)
    {
        // The longest prefix that fits, found by bisection: names of 200 characters, 200 files.
        int fits = 1, tooLong = word.Length;
        while (tooLong - fits > 1)
        {
            var middle = (fits + tooLong) / 2;
            if (Measure(graphics, word[..middle], font) <= width)
            {
                fits = middle;
            }
            else
            {
                tooLong = middle;
            }
        }
        var separator = word.LastIndexOfAny(['-', '_', '.', '/'], fits - 1);
        var cut = separator >= fits * 2 / 3 ? separator + 1 : fits;
        if (cut < word.Length && char.IsLowSurrogate(word[cut]) && cut > 1)
        {
            cut--;
        }
        return cut;
    }
}

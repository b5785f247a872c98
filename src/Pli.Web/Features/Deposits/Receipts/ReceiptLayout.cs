using PdfSharp.Drawing;
using PdfSharp.Pdf;
using Pli.Web.Infrastructure.Pdf;

namespace Pli.Web.Features.Deposits.Receipts;

/// <summary>A column of a <see cref="ReceiptLayout.Table"/>; a width of 0 takes what the others leave.</summary>
internal sealed record ReceiptColumn(string Header, double Width, XFont Font, bool AlignRight = false);

/// <summary>
/// Text flowing down A4 pages: PDFsharp draws but does not lay out, so wrapping, page breaks and the table
/// header repeated on each page are done here. The footers ("Page 2 / 5") are drawn last, once the count is known.
/// </summary>
internal sealed class ReceiptLayout : IDisposable
{
    public static readonly double PageWidth = XUnit.FromMillimeter(210).Point;
    public static readonly double PageHeight = XUnit.FromMillimeter(297).Point;

    private const double Margin = 42;
    private const double LabelWidth = 150;
    private const double CellPadding = 3;
    private const double FirstBandHeight = 64;
    private const double NextBandHeight = 26;
    private const double FooterTop = 30;

    public static readonly XColor Navy = XColor.FromArgb(0x1E, 0x3A, 0x5F);
    private static readonly XColor Ink = XColor.FromArgb(0x1A, 0x1A, 0x1A);
    private static readonly XColor Muted = XColor.FromArgb(0x55, 0x5B, 0x63);
    private static readonly XColor RuleColour = XColor.FromArgb(0xA9, 0xB4, 0xC0);
    private static readonly XColor Shade = XColor.FromArgb(0xE8, 0xEC, 0xF1);
    private static readonly XColor Zebra = XColor.FromArgb(0xF7, 0xF8, 0xFA);
    private static readonly XColor LateRed = XColor.FromArgb(0xA4, 0x1E, 0x22);

    public readonly XFont Body = new(ReceiptFonts.Sans, 9);
    public readonly XFont BodyBold = new(ReceiptFonts.Sans, 9, XFontStyleEx.Bold);
    public readonly XFont Small = new(ReceiptFonts.Sans, 7.5);
    public readonly XFont SmallBold = new(ReceiptFonts.Sans, 7.5, XFontStyleEx.Bold);
    public readonly XFont Mono = new(ReceiptFonts.Mono, 8);
    public readonly XFont MonoSmall = new(ReceiptFonts.Mono, 6.6);
    private readonly XFont _heading = new(ReceiptFonts.Sans, 11, XFontStyleEx.Bold);
    private readonly XFont _subheading = new(ReceiptFonts.Sans, 9.5, XFontStyleEx.Bold);
    private readonly XFont _title = new(ReceiptFonts.Sans, 16, XFontStyleEx.Bold);
    private readonly XFont _bandName = new(ReceiptFonts.Sans, 22, XFontStyleEx.Bold);
    private readonly XFont _bandNameSmall = new(ReceiptFonts.Sans, 10, XFontStyleEx.Bold);

    private readonly PdfDocument _document;
    private readonly string _platform;
    private readonly string _tagline;
    private readonly string _bandRight;
    private readonly string _runningHeader;
    private XGraphics _graphics;
    private double _y;

    public ReceiptLayout(PdfDocument document, string platform, string tagline, string bandRight, string runningHeader)
    {
        _document = document;
        _platform = platform;
        _tagline = tagline;
        _bandRight = bandRight;
        _runningHeader = runningHeader;
        _graphics = StartPage(first: true);
    }

    public static double Left => Margin;

    public static double Width => PageWidth - 2 * Margin;

    private static double Bottom => PageHeight - Margin - FooterTop + 12;

    public void Title(string text)
    {
        Lines(text, _title, Navy, Left, Width, spaceAfter: 6);
    }

    public void Paragraph(string text, XFont? font = null, double spaceAfter = 5)
    {
        Lines(text, font ?? Body, Ink, Left, Width, spaceAfter);
    }

    public void Space(double points) => _y += points;

    /// <summary>A framed block in red, white bold text: what no reader can miss (a late pli).</summary>
    public void Banner(string text)
    {
        const double padding = 9;
        var font = new XFont(ReceiptFonts.Sans, 11.5, XFontStyleEx.Bold);
        var lines = Wrap(text, font, Width - 2 * padding);
        var lineHeight = font.GetHeight();
        var height = lines.Count * lineHeight + 2 * padding;
        _y += 4;
        EnsureSpace(height);
        _graphics.DrawRectangle(new XSolidBrush(LateRed), Left, _y, Width, height);
        var y = _y + padding;
        foreach (var line in lines)
        {
            _graphics.DrawString(line, font, XBrushes.White, Left + padding, y, XStringFormats.TopLeft);
            y += lineHeight;
        }
        _y += height + 10;
    }

    /// <summary>A heading with a rule under it; kept with at least a few lines of what follows.</summary>
    public void Section(string heading)
    {
        var lineHeight = _heading.GetHeight();
        EnsureSpace(lineHeight + 6 + 4 * Body.GetHeight());
        _y += 6;
        _graphics.DrawString(heading, _heading, new XSolidBrush(Navy), Left, _y, XStringFormats.TopLeft);
        _y += lineHeight + 1.5;
        _graphics.DrawLine(new XPen(Navy, 0.8), Left, _y, Left + Width, _y);
        _y += 5;
    }

    public void Subheading(string text)
    {
        EnsureSpace(_subheading.GetHeight() + 3 * Small.GetHeight() + 4 * CellPadding);
        Lines(text, _subheading, Navy, Left, Width, spaceAfter: 3);
    }

    /// <summary>A label on the left, its value beside it; both wrap, the pair is never split over two pages.</summary>
    public void Field(string label, string value, XFont? valueFont = null)
    {
        var font = valueFont ?? Body;
        var labels = Wrap(label, Body, LabelWidth - 8);
        var values = Wrap(value, font, Width - LabelWidth);
        var labelHeight = labels.Count * Body.GetHeight();
        var valueHeight = values.Count * font.GetHeight();
        EnsureSpace(Math.Max(labelHeight, valueHeight));
        var top = _y;
        DrawLines(labels, Body, Muted, Left, top);
        DrawLines(values, font, Ink, Left + LabelWidth, top + (font.Size < Body.Size ? 1.2 : 0));
        _y = top + Math.Max(labelHeight, valueHeight) + 2;
    }

    /// <summary>Bordered rows; a row is never split, and the header row starts every page the table runs onto.</summary>
    public void Table(IReadOnlyList<ReceiptColumn> columns, IEnumerable<IReadOnlyList<string>> rows, CancellationToken cancellationToken)
    {
        var fixedWidth = columns.Sum(c => c.Width);
        var widths = columns.Select(c => c.Width > 0 ? c.Width : Width - fixedWidth).ToArray();
        var headerFont = SmallBold;
        var headers = columns.Select((c, i) => Wrap(c.Header, headerFont, widths[i] - 2 * CellPadding)).ToArray();
        var headerHeight = headers.Max(h => h.Count) * headerFont.GetHeight() + 2 * CellPadding;

        EnsureSpace(headerHeight + Small.GetHeight() + 2 * CellPadding);
        DrawHeader();
        var index = 0;
        foreach (var row in rows)
        {
            cancellationToken.ThrowIfCancellationRequested();
            var cells = columns.Select((c, i) => Wrap(row[i], c.Font, widths[i] - 2 * CellPadding)).ToArray();
            var height = cells.Select((lines, i) => lines.Count * columns[i].Font.GetHeight()).Max() + 2 * CellPadding;
            if (_y + height > Bottom)
            {
                NewPage();
                DrawHeader();
            }
            var x = Left;
            for (var i = 0; i < columns.Count; i++)
            {
                var fill = index % 2 == 1 ? new XSolidBrush(Zebra) : null;
                DrawCell(x, widths[i], height, cells[i], columns[i], fill);
                x += widths[i];
            }
            _y += height;
            index++;
        }
        _y += 6;

        void DrawHeader()
        {
            var x = Left;
            for (var i = 0; i < columns.Count; i++)
            {
                DrawCell(x, widths[i], headerHeight, headers[i], columns[i] with { Font = headerFont }, new XSolidBrush(Shade));
                x += widths[i];
            }
            _y += headerHeight;
        }
    }

    /// <summary>Draws every page's footer (now that the page count is known) and closes the last page.</summary>
    public void Finish(string footer, Func<int, int, string> pageLabel)
    {
        _graphics.Dispose();
        var count = _document.PageCount;
        for (var i = 0; i < count; i++)
        {
            using var graphics = XGraphics.FromPdfPage(_document.Pages[i], XGraphicsPdfPageOptions.Append);
            var top = PageHeight - Margin - FooterTop + 18;
            graphics.DrawLine(new XPen(RuleColour, 0.5), Left, top, Left + Width, top);
            var brush = new XSolidBrush(Muted);
            graphics.DrawString(footer, Small, brush, Left, top + 4, XStringFormats.TopLeft);
            graphics.DrawString(pageLabel(i + 1, count), Small, brush,
                new XRect(Left, top + 4, Width, Small.GetHeight()), XStringFormats.TopRight);
        }
    }

    public void Dispose() => _graphics.Dispose();

    public List<string> Wrap(string text, XFont font, double width) => PdfTextWrap.Wrap(_graphics, text, font, width);

    public double Measure(string text, XFont font) => PdfTextWrap.Measure(_graphics, text, font);

    private void Lines(string text, XFont font, XColor colour, double x, double width, double spaceAfter)
    {
        var lineHeight = font.GetHeight();
        var lines = Wrap(text, font, width);
        // A paragraph of a few lines is not split between two pages; a longer one flows line by line.
        if (lines.Count <= 6)
        {
            EnsureSpace(lines.Count * lineHeight);
        }
        foreach (var line in lines)
        {
            EnsureSpace(lineHeight);
            _graphics.DrawString(line, font, new XSolidBrush(colour), x, _y, XStringFormats.TopLeft);
            _y += lineHeight;
        }
        _y += spaceAfter;
    }

    private void DrawLines(List<string> lines, XFont font, XColor colour, double x, double y)
    {
        var brush = new XSolidBrush(colour);
        foreach (var line in lines)
        {
            _graphics.DrawString(line, font, brush, x, y, XStringFormats.TopLeft);
            y += font.GetHeight();
        }
    }

    private void DrawCell(double x, double width, double height, List<string> lines, ReceiptColumn column, XBrush? fill)
    {
        var pen = new XPen(RuleColour, 0.5);
        if (fill is null)
        {
            _graphics.DrawRectangle(pen, x, _y, width, height);
        }
        else
        {
            _graphics.DrawRectangle(pen, fill, x, _y, width, height);
        }
        var lineHeight = column.Font.GetHeight();
        var y = _y + CellPadding;
        var brush = new XSolidBrush(Ink);
        foreach (var line in lines)
        {
            var box = new XRect(x + CellPadding, y, width - 2 * CellPadding, lineHeight);
            _graphics.DrawString(line, column.Font, brush, box, column.AlignRight ? XStringFormats.TopRight : XStringFormats.TopLeft);
            y += lineHeight;
        }
    }

    private void EnsureSpace(double height)
    {
        if (_y + height > Bottom)
        {
            NewPage();
        }
    }

    private void NewPage()
    {
        _graphics.Dispose();
        _graphics = StartPage(first: false);
    }

    private XGraphics StartPage(bool first)
    {
        var page = _document.AddPage();
        page.Width = XUnit.FromPoint(PageWidth);
        page.Height = XUnit.FromPoint(PageHeight);
        var graphics = XGraphics.FromPdfPage(page);
        var white = XBrushes.White;
        var pale = new XSolidBrush(XColor.FromArgb(0xD5, 0xDE, 0xE8));
        if (first)
        {
            graphics.DrawRectangle(new XSolidBrush(Navy), 0, 0, PageWidth, FirstBandHeight);
            graphics.DrawString(_platform, _bandName, white, Left, 12, XStringFormats.TopLeft);
            graphics.DrawString(_tagline, Small, pale, Left, 42, XStringFormats.TopLeft);
            graphics.DrawString(_bandRight, BodyBold, white, new XRect(Left, 20, Width, 14), XStringFormats.TopRight);
            _y = FirstBandHeight + 16;
        }
        else
        {
            graphics.DrawRectangle(new XSolidBrush(Navy), 0, 0, PageWidth, NextBandHeight);
            graphics.DrawString(_platform, _bandNameSmall, white, Left, 7, XStringFormats.TopLeft);
            graphics.DrawString(_runningHeader, Small, pale, new XRect(Left, 9, Width, 10), XStringFormats.TopRight);
            _y = NextBandHeight + 18;
        }
        return graphics;
    }
}

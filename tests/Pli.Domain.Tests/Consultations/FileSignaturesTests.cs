using System.IO.Compression;
using System.Text;
using Pli.Domain.Common;
using Pli.Domain.Consultations;

namespace Pli.Domain.Tests.Consultations;

public sealed class FileSignaturesTests
{
    private static byte[] Ascii(string text) => Encoding.ASCII.GetBytes(text);

    private static byte[] Zip(string firstEntry, string content)
    {
        using var buffer = new MemoryStream();
        using (var zip = new ZipArchive(buffer, ZipArchiveMode.Create, leaveOpen: true))
        {
            var entry = zip.CreateEntry(firstEntry, CompressionLevel.NoCompression);
            using var writer = new StreamWriter(entry.Open());
            writer.Write(content);
        }
        return buffer.ToArray();
    }

    private static readonly byte[] Executable = [0x7F, (byte)'E', (byte)'L', (byte)'F', 2, 1, 1, 0, 0, 0];

    public static TheoryData<string, byte[]> GenuineFiles => new()
    {
        { ".pdf", Ascii("%PDF-1.7\n%\u00e2\u00e3\n1 0 obj") },
        { ".pdf", [.. Ascii("\uFEFFjunk before the header "), .. Ascii("%PDF-1.4")] },
        { ".doc", [0xD0, 0xCF, 0x11, 0xE0, 0xA1, 0xB1, 0x1A, 0xE1, 0, 0] },
        { ".xls", [0xD0, 0xCF, 0x11, 0xE0, 0xA1, 0xB1, 0x1A, 0xE1, 0, 0] },
        { ".ppt", [0xD0, 0xCF, 0x11, 0xE0, 0xA1, 0xB1, 0x1A, 0xE1, 0, 0] },
        { ".docx", Zip("[Content_Types].xml", "<Types/>") },
        { ".xlsx", Zip("[Content_Types].xml", "<Types/>") },
        { ".zip", Zip("plans/plan.dwg", "AC1032") },
        { ".odt", Zip("mimetype", "application/vnd.oasis.opendocument.text") },
        { ".ods", Zip("mimetype", "application/vnd.oasis.opendocument.spreadsheet") },
        { ".rar", [.. Ascii("Rar!"), 0x1A, 0x07, 0x01, 0x00] },
        { ".rtf", Ascii(@"{\rtf1\ansi Offre}") },
        { ".gif", Ascii("GIF89a\u0001\u0000") },
        { ".jpeg", [0xFF, 0xD8, 0xFF, 0xE0, 0, 0x10] },
        { ".png", [0x89, 0x50, 0x4E, 0x47, 0x0D, 0x0A, 0x1A, 0x0A, 0, 0] },
        { ".dwg", Ascii("AC1032\u0000\u0000") },
        { ".dxf", Ascii("  0\r\nSECTION\r\n  2\r\nHEADER\r\n") },
        { ".dxf", [.. Ascii("AutoCAD Binary DXF\r\n"), 0x1A, 0x00] },
        { ".txt", Encoding.UTF8.GetBytes("Mémoire technique\r\n\tLot 1 : terrassements\n") },
    };

    [Theory]
    [MemberData(nameof(GenuineFiles))]
    public void Matches_GenuineContent_IsAccepted(string extension, byte[] head) => Assert.True(FileSignatures.Matches(extension, head));

    [Theory]
    [InlineData(".pdf")]
    [InlineData(".doc")]
    [InlineData(".docx")]
    [InlineData(".zip")]
    [InlineData(".odt")]
    [InlineData(".rar")]
    [InlineData(".rtf")]
    [InlineData(".gif")]
    [InlineData(".jpeg")]
    [InlineData(".png")]
    [InlineData(".dwg")]
    [InlineData(".dxf")]
    [InlineData(".txt")]
    [InlineData(".xml")]
    public void Matches_AnExecutableRenamed_IsRefused(string extension) => Assert.False(FileSignatures.Matches(extension, Executable));

    [Theory]
    [InlineData("<?xml version=\"1.0\"?><ESPDResponse/>")]
    [InlineData("\uFEFF\n  <ESPDResponse/>")]
    public void Matches_AnXmlDume_IsAccepted(string text) => Assert.True(FileSignatures.Matches(".xml", Encoding.UTF8.GetBytes(text)));

    [Fact]
    public void Matches_TextThatIsNotXml_IsRefusedAsXml() => Assert.False(FileSignatures.Matches(".xml", Ascii("Bonjour, voici mon DUME")));

    [Fact]
    public void Matches_AWordZipNamedOdt_IsRefused() =>
        Assert.False(FileSignatures.Matches(".odt", Zip("[Content_Types].xml", "<Types/>")));

    [Fact]
    public void Matches_PdfHeaderBeyondTheFirstKilobyte_IsRefused() =>
        Assert.False(FileSignatures.Matches(".pdf", [.. new byte[2000], .. Ascii("%PDF-1.7")]));

    [Fact]
    public void Matches_ExtensionIsCaseInsensitive() => Assert.True(FileSignatures.Matches(".PDF", Ascii("%PDF-1.7")));

    [Fact]
    public void EveryDefaultFormat_HasASignature() =>
        Assert.All(FilePolicy.DefaultAcceptedFormats, format => Assert.True(FileSignatures.IsKnown(format), format));

    [Fact]
    public void Matches_FormatWithoutKnownSignature_IsJudgedByExtensionAlone() =>
        Assert.True(FileSignatures.Matches(".ifc", Executable));

    [Fact]
    public void RequireContentMatches_NamesTheFileAndFormat()
    {
        var error = Assert.Throws<DomainException>(() => FileSignatures.RequireContentMatches("offre.pdf", Executable));

        Assert.Equal("file.content-mismatch", error.Code);
        Assert.Equal(["offre.pdf", ".pdf"], error.Arguments);
    }
}

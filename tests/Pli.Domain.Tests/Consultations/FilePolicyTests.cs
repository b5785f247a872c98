using Pli.Domain.Common;
using Pli.Domain.Consultations;

namespace Pli.Domain.Tests.Consultations;

public sealed class FilePolicyTests
{
    [Theory]
    [InlineData("RC.pdf")]
    [InlineData("Règlement de consultation (v2).pdf")]
    [InlineData("plan.lot-1.dwg")]
    public void RequireSafeName_OrdinaryNames_AreAccepted(string name) => Assert.Equal(name, FilePolicy.RequireSafeName(name));

    [Theory]
    [InlineData("../RC.pdf", "file.name.forbidden")]
    [InlineData("..", "file.name.forbidden")]
    [InlineData("a\u0001b.pdf", "file.name.control")]
    [InlineData("a\nb.pdf", "file.name.control")]
    [InlineData("CON.pdf", "file.name.reserved")]
    [InlineData("lpt1.txt", "file.name.reserved")]
    [InlineData("nul", "file.name.reserved")]
    [InlineData("RC.pdf.", "file.name.edge")]
    [InlineData("a:b.pdf", "file.name.forbidden")]
    [InlineData("", "file.name.empty")]
    public void RequireSafeName_DangerousNames_AreRefused(string name, string code)
    {
        var error = Assert.Throws<DomainException>(() => FilePolicy.RequireSafeName(name));

        Assert.Equal(code, error.Code);
    }

    [Fact]
    public void RequireSafeRelativePath_KeepsTheFolderTree() =>
        Assert.Equal("Pièces techniques/Lot 1/CCTP.pdf", FilePolicy.RequireSafeRelativePath("Pièces techniques/Lot 1/CCTP.pdf"));

    [Fact]
    public void RequireSafeRelativePath_NormalisesBackslashes() =>
        Assert.Equal("Plans/plan.dwg", FilePolicy.RequireSafeRelativePath("Plans\\plan.dwg"));

    [Theory]
    [InlineData("../../etc/passwd")]
    [InlineData("Plans/../../secret.pdf")]
    [InlineData("/etc/passwd")]
    [InlineData("Plans//plan.dwg")]
    [InlineData("Plans/./plan.dwg")]
    public void RequireSafeRelativePath_TraversalIsRefused(string path) =>
        Assert.Throws<DomainException>(() => FilePolicy.RequireSafeRelativePath(path));

    [Fact]
    public void DefaultAcceptedFormats_AreTheSeventeenOfTheGuide()
    {
        Assert.Equal(17, FilePolicy.DefaultAcceptedFormats.Count);
        Assert.Contains(".dwg", FilePolicy.DefaultAcceptedFormats);
        Assert.Contains(".jpeg", FilePolicy.DefaultAcceptedFormats);
    }

    [Fact]
    public void ParseFormats_NormalisesAndRefusesNonsense()
    {
        Assert.Equal([".pdf", ".docx", ".zip"], FilePolicy.ParseFormats("pdf, .DOCX ;zip"));
        Assert.Throws<DomainException>(() => FilePolicy.ParseFormats(".pdf, .p*f"));
        Assert.Equal(FilePolicy.DefaultAcceptedFormats, FilePolicy.ParseFormats("  "));
    }
}

using System.Globalization;
using Pli.Domain.Common;
using Pli.Domain.Consultations;
using Pli.Web.Infrastructure.Errors;
using Pli.Web.Tests.Infrastructure;

namespace Pli.Web.Tests.Errors;

public sealed class DomainMessagesTests
{
    private static readonly CultureInfo English = CultureInfo.GetCultureInfo("en-GB");
    private static readonly CultureInfo French = CultureInfo.GetCultureInfo("fr-FR");

    [Fact]
    public void For_English_TranslatesTheRuleWithItsValues()
    {
        var error = Assert.Throws<DomainException>(() => FilePolicy.RequireSafeName("CON.pdf"));

        Assert.Equal("The file name “CON.pdf” is a name reserved by Windows.", DomainMessages.For(error, English));
    }

    [Fact]
    public void For_French_ReadsTheResourcesToo()
    {
        var error = Assert.Throws<DomainException>(() => ParisTime.ToUtc(new DateTime(2026, 3, 29, 2, 30, 0)));

        Assert.Equal("L'heure 02:30 n'existe pas le 29/03/2026 à Paris (passage à l'heure d'été). Choisissez une autre heure.", DomainMessages.For(error, French));
    }

    [Fact]
    public void For_English_FormatsDatesOfTheRule()
    {
        var error = Assert.Throws<DomainException>(() => ParisTime.ToUtc(new DateTime(2026, 10, 25, 2, 30, 0)));

        Assert.Equal("The time 02:30 happens twice on 25/10/2026 in Paris (clocks go back). Choose another time.", DomainMessages.For(error, English));
    }

    [Fact]
    public void EveryRuleThrownByTheDomain_HasAFrenchAndAnEnglishText()
    {
        var codes = Directory.GetFiles(Path.Combine(SourceTree.Root, "src", "Pli.Domain"), "*.cs", SearchOption.AllDirectories)
            .SelectMany(f => System.Text.RegularExpressions.Regex.Matches(File.ReadAllText(f), "new DomainException\\(\\s*\"([^\"]+)\"").Select(m => m.Groups[1].Value))
            .Distinct()
            .ToList();
        var texts = new System.Resources.ResourceManager(typeof(DomainMessages));

        Assert.True(codes.Count > 30);
        Assert.All(codes, code =>
        {
            Assert.False(string.IsNullOrEmpty(texts.GetString(code, French)), $"no French text for {code}");
            Assert.NotEqual(texts.GetString(code, French), texts.GetString(code, English));
        });
    }

    [Fact]
    public void For_HostMessageWithoutValues_IsKeptAsItIs()
    {
        var error = new DomainException("file.empty", "Already in the reader's language", "File");

        Assert.Equal("Already in the reader's language", DomainMessages.For(error, English));
    }

    [Fact]
    public void For_UnknownCode_KeepsTheMessage() =>
        Assert.Equal("Message", DomainMessages.For(new DomainException("no.such.rule", "Message"), English));
}

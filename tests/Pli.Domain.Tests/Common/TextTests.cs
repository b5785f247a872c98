using Pli.Domain.Common;

namespace Pli.Domain.Tests.Common;

public sealed class TextTests
{
    [Theory]
    [InlineData("Échangeur", "echangeur")]
    [InlineData("ÉCOLE Maternelle", "ecole maternelle")]
    [InlineData("Cœur de ville", "coeur de ville")]
    [InlineData("l’échangeur", "l'echangeur")]
    [InlineData("", "")]
    public void Fold_RemovesAccentsAndCase(string input, string expected) => Assert.Equal(expected, Text.Fold(input));

    [Theory]
    [InlineData("l’École Jean-Jaurès", "ecole|jean|jaures")]
    [InlineData("  Réhabilitation, ÉCOLE ; école ", "rehabilitation|ecole")]
    [InlineData("2026-TRV-0042", "2026|trv|0042")]
    [InlineData("Cœur (ville) « centre »", "coeur|ville|centre")]
    [InlineData("v2.1 a1b2 lot B 3", "v2|1|a1b2|lot|3")]
    [InlineData("qu’à d’un", "qu|un")]
    [InlineData("--- ’ …", "")]
    [InlineData("", "")]
    public void Words_AreTheFoldedRunsOfLettersAndDigits(string input, string expected) =>
        Assert.Equal(expected, string.Join('|', Text.Words(input)));

    [Fact]
    public void Words_CutAtLettersOutsideAToZ()
    {
        // Folding keeps what it cannot decompose (ß, Cyrillic): such letters cut words, the same on both sides of a search.
        Assert.Equal(["stra", "ee"], Text.Words("Straßee"));
        Assert.Equal(["abc"], Text.Words("abc дом"));
    }
}


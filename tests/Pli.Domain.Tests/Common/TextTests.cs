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
}

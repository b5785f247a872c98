using Pli.Domain.Common;
using Pli.Domain.Companies;

namespace Pli.Domain.Tests.Companies;

public sealed class SiretTests
{
    [Theory]
    [InlineData("44321010900015")]
    [InlineData("443 210 109 00015")]
    [InlineData("73282932000074")]
    public void Parse_ValidLuhnKey_IsAccepted(string input) => Assert.Equal(input.Replace(" ", ""), Siret.Parse(input).Value);

    [Theory]
    [InlineData("44321010900016")]
    [InlineData("4432101090001")]
    [InlineData("443210109000150")]
    [InlineData("4432101090001A")]
    [InlineData("")]
    [InlineData(null)]
    public void Parse_BadSiret_IsRefused(string? input)
    {
        var error = Assert.Throws<DomainException>(() => Siret.Parse(input));

        Assert.Equal("siret.invalid", error.Code);
    }

    [Fact]
    public void Parse_LaPosteEstablishment_IsCheckedBySumOfDigits()
    {
        // 35600000049837: fails the Luhn key, but its digits add up to 45, a multiple of 5.
        Assert.False(Siret.HasValidLuhnKey("35600000049837"));

        Assert.Equal("35600000049837", Siret.Parse("35600000049837").Value);
    }

    [Fact]
    public void Parse_LaPosteEstablishment_WithBadSum_IsRefused()
    {
        Assert.False(Siret.HasValidLuhnKey("35600000049838"));

        Assert.Throws<DomainException>(() => Siret.Parse("35600000049838"));
    }

    [Fact]
    public void Parse_OtherSirenWithSumMultipleOfFive_IsNotExempted()
    {
        // Same digit sum rule, but not La Poste's SIREN: the Luhn key applies.
        Assert.False(Siret.HasValidLuhnKey("12345678900005"));

        Assert.Throws<DomainException>(() => Siret.Parse("12345678900005"));
    }
}

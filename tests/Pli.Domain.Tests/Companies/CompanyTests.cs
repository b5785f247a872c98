using Pli.Domain.Common;
using Pli.Domain.Companies;

namespace Pli.Domain.Tests.Companies;

public sealed class CompanyTests
{
    private static readonly DateTime Now = new(2026, 6, 1, 8, 0, 0, DateTimeKind.Utc);
    private static readonly Address Address = new("1 rue de la Paix", "75002", "Paris", "FR");

    [Fact]
    public void CreateFrench_KeepsTheDigitsOfTheSiret() =>
        Assert.Equal("44321010900015", Company.CreateFrench("BTP SARL", "443 210 109 00015", Address, Now).Siret);

    [Fact]
    public void CreateFrench_WithBadSiret_IsRefused() =>
        Assert.Equal("siret.invalid", Assert.Throws<DomainException>(() => Company.CreateFrench("BTP SARL", "44321010900016", Address, Now)).Code);

    [Fact]
    public void CreateForeign_KeepsCountryAndIdentifier()
    {
        var company = Company.CreateForeign("Bau GmbH", "de", "DE123456789", Address with { Country = "DE" }, Now);

        Assert.Equal("DE", company.Country);
        Assert.Equal("DE123456789", company.NationalIdentifier);
        Assert.Null(company.Siret);
    }

    [Theory]
    [InlineData("FR", "X12345", "company.french-needs-siret")]
    [InlineData("Germany", "DE123456789", "company.country")]
    [InlineData("DE", "", "company.national-id")]
    public void CreateForeign_WithBadIdentity_IsRefused(string country, string identifier, string code) =>
        Assert.Equal(code, Assert.Throws<DomainException>(() => Company.CreateForeign("Bau GmbH", country, identifier, Address, Now)).Code);

    [Fact]
    public void Create_WithoutName_IsRefused() =>
        Assert.Equal("company.name", Assert.Throws<DomainException>(() => Company.CreateFrench("  ", "44321010900015", Address, Now)).Code);
}

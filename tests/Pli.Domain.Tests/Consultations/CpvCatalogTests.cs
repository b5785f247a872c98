using Pli.Domain.Common;
using Pli.Domain.Consultations;

namespace Pli.Domain.Tests.Consultations;

public sealed class CpvCatalogTests
{
    private static readonly Lazy<CpvCatalog> Catalog = new(() =>
    {
        using var reader = new StreamReader(Path.Combine(AppContext.BaseDirectory, "cpv2008.csv"));
        return CpvCatalog.Load(reader);
    });

    [Fact]
    public void Load_ReadsTheWholeOfficialList() => Assert.Equal(9454, Catalog.Value.Count);

    [Fact]
    public void Require_KnownCode_GivesBothLabels()
    {
        var entry = Catalog.Value.Require("45233120-6");

        Assert.Equal("Travaux de construction de routes", entry.LabelFr);
        Assert.Equal("Road construction works", entry.LabelEn);
    }

    [Fact]
    public void Require_QuotedLabelWithComma_IsReadWhole() =>
        Assert.Equal("Produits agricoles, de l'élevage, de la pêche, de la sylviculture et produits connexes", Catalog.Value.Require("03000000-1").LabelFr);

    [Fact]
    public void Require_OfficialCodeWhoseCheckDigitFailsTheArithmetic_IsAccepted()
    {
        // 03300000-2 is in the official list although its check digit does not follow the 3-7-1 weights.
        var entry = Catalog.Value.Require("03300000-2");

        Assert.Equal("Produits agricoles, de la chasse et de la pêche", entry.LabelFr);
    }

    [Theory]
    [InlineData("45233120-7")]
    [InlineData("99999999-9")]
    [InlineData("4523")]
    [InlineData("")]
    public void Require_UnknownCode_IsRefused(string code)
    {
        var error = Assert.Throws<DomainException>(() => Catalog.Value.Require(code));

        Assert.Equal("cpv.unknown", error.Code);
    }

    [Fact]
    public void Require_EightDigitsWithoutCheckDigit_FindsTheCode() => Assert.Equal("45233120-6", Catalog.Value.Require("45233120").Code);

    [Fact]
    public void Search_IgnoresAccentsAndCase()
    {
        var results = Catalog.Value.Search("MOBILIER scolaire");

        Assert.Contains(results, e => e.Code == "39160000-1");
    }
}

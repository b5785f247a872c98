using Pli.Domain.Common;

namespace Pli.Domain.Companies;

/// <summary>
/// A company that answers consultations. A French company is identified by its SIRET; a company
/// established abroad by its country and the identifier its country gives it (VAT number,
/// trade register number…), which Pli cannot check and keeps as typed.
/// </summary>
public sealed class Company
{
    public Guid Id { get; private set; }
    public string Name { get; private set; } = "";
    public string? Siret { get; private set; }

    /// <summary>ISO 3166-1 alpha-2 code; "FR" for a company with a SIRET.</summary>
    public string Country { get; private set; } = "FR";
    public string? NationalIdentifier { get; private set; }
    public Address Address { get; private set; } = new("", "", "", "FR");
    public DateTime CreatedUtc { get; private set; }

    private Company() { }

    public static Company CreateFrench(string name, string siret, Address address, DateTime nowUtc) => new()
    {
        Id = Guid.NewGuid(),
        Name = RequireName(name),
        Siret = Companies.Siret.Parse(siret).Value,
        Country = "FR",
        Address = address,
        CreatedUtc = nowUtc,
    };

    public static Company CreateForeign(string name, string country, string nationalIdentifier, Address address, DateTime nowUtc)
    {
        var code = (country ?? "").Trim().ToUpperInvariant();
        if (code.Length != 2 || !code.All(char.IsAsciiLetterUpper))
        {
            throw new DomainException("company.country", "Indiquez le pays de l'entreprise (code ISO à deux lettres).", "Country");
        }
        if (code == "FR")
        {
            throw new DomainException("company.french-needs-siret", "Une entreprise établie en France s'inscrit avec son numéro SIRET.", "Siret");
        }
        var identifier = (nationalIdentifier ?? "").Trim();
        if (identifier.Length is < 2 or > 40)
        {
            throw new DomainException("company.national-id", "Indiquez l'identifiant national de l'entreprise (2 à 40 caractères).", "NationalIdentifier");
        }
        return new Company
        {
            Id = Guid.NewGuid(),
            Name = RequireName(name),
            Country = code,
            NationalIdentifier = identifier,
            Address = address,
            CreatedUtc = nowUtc,
        };
    }

    private static string RequireName(string name)
    {
        var trimmed = (name ?? "").Trim();
        if (trimmed.Length is 0 or > 200)
        {
            throw new DomainException("company.name", "Indiquez la raison sociale (200 caractères au plus).", "Name");
        }
        return trimmed;
    }
}

public sealed record Address(string Street, string PostalCode, string City, string Country);

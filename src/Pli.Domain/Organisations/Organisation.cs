using Pli.Domain.Common;

namespace Pli.Domain.Organisations;

/// <summary>A public buyer (a métropole, a city, a hospital) and its services.</summary>
public sealed class Organisation
{
    private readonly List<Service> _services = [];

    public Guid Id { get; private set; }
    public string Name { get; private set; } = "";

    /// <summary>The buyer's SIRET, published in the open data of its contracts.</summary>
    public string? Siret { get; private set; }
    public DateTime CreatedUtc { get; private set; }
    public IReadOnlyList<Service> Services => _services;

    private Organisation() { }

    public static Organisation Create(string name, string? siret, DateTime nowUtc)
    {
        var trimmed = (name ?? "").Trim();
        if (trimmed.Length is 0 or > 200)
        {
            throw new DomainException("organisation.name", "Indiquez le nom de l'organisation (200 caractères au plus).", "Name");
        }
        string? checkedSiret = string.IsNullOrWhiteSpace(siret) ? null : Companies.Siret.Parse(siret).Value;
        return new Organisation { Id = Guid.NewGuid(), Name = trimmed, Siret = checkedSiret, CreatedUtc = nowUtc };
    }

    public Service AddService(string name)
    {
        var trimmed = (name ?? "").Trim();
        if (trimmed.Length is 0 or > 200)
        {
            throw new DomainException("service.name", "Indiquez le nom du service (200 caractères au plus).", "Name");
        }
        if (_services.Any(s => string.Equals(s.Name, trimmed, StringComparison.OrdinalIgnoreCase)))
        {
            throw new DomainException("service.duplicate", "Ce service existe déjà dans l'organisation.", "Name");
        }
        var service = new Service(Guid.NewGuid(), Id, trimmed);
        _services.Add(service);
        return service;
    }
}

public sealed class Service(Guid id, Guid organisationId, string name)
{
    public Guid Id { get; private set; } = id;
    public Guid OrganisationId { get; private set; } = organisationId;
    public string Name { get; private set; } = name;
}

/// <summary>What an agent may do within its organisation. Flags: an agent often holds several.</summary>
[Flags]
public enum AgentRole
{
    None = 0,
    ConsultationManager = 1,
    Opener = 2,
    OrganisationAdmin = 4,
}

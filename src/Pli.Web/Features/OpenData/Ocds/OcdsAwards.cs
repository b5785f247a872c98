namespace Pli.Web.Features.OpenData.Ocds;

/// <summary>
/// An award as the OCDS feed needs it: who won which lot (null: the whole consultation), for how much, when.
/// <see cref="Id"/> is the award's own stable id (its release id derives from it).
/// </summary>
public sealed record OcdsAwardInput(Guid Id, Guid ConsultationId, int? LotNumber, IReadOnlyList<OcdsSupplierInput> Suppliers, decimal AmountEur, DateTime DateUtc);

/// <summary>An awarded company (or a member of an awarded groupement): its name and SIRET.</summary>
public sealed record OcdsSupplierInput(string Name, string Siret);

/// <summary>Where the feed reads the awards of consultations from (the award feature's read model).</summary>
public interface IOcdsAwardSource
{
    /// <summary>The awards of these consultations; the feed publishes them only for consultations it publishes.</summary>
    Task<IReadOnlyList<OcdsAwardInput>> ForConsultationsAsync(IReadOnlyCollection<Guid> consultationIds, CancellationToken cancellationToken);
}

/// <summary>No award source yet: the feed has tender releases only.</summary>
public sealed class NoOcdsAwards : IOcdsAwardSource
{
    public Task<IReadOnlyList<OcdsAwardInput>> ForConsultationsAsync(IReadOnlyCollection<Guid> consultationIds, CancellationToken cancellationToken) =>
        Task.FromResult<IReadOnlyList<OcdsAwardInput>>([]);
}

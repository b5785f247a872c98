using Pli.Domain.Common;
using Pli.Domain.Consultations;
using Pli.Web.Features.Deposits;
using Pli.Web.Infrastructure.Crypto;

namespace Pli.Web.Features.Opening;

/// <summary>
/// Where the opening gets the consultation's private key, once per request. The platform's default reads it
/// through <see cref="ConsultationKeyStore.OpenPrivateKeyAsync"/> (refused while now &lt;= deadline); a
/// committee's k-of-n split replaces this registration with one that rebuilds the key from the members' shares.
/// </summary>
public interface IOpeningKeySource
{
    /// <summary>The opened key (dispose it soon); throws <see cref="OpeningTooEarlyException"/> before the deadline has passed.</summary>
    Task<OpenedConsultationKey> OpenAsync(Consultation consultation, CancellationToken cancellationToken);
}

public sealed class PlatformOpeningKeySource(ConsultationKeyStore keys) : IOpeningKeySource
{
    /// <summary>A committee's key still locked is a refusal the opener reads (how many shares are missing), not an error page.</summary>
    public async Task<OpenedConsultationKey> OpenAsync(Consultation consultation, CancellationToken cancellationToken)
    {
        try
        {
            return await keys.OpenPrivateKeyAsync(consultation.Id, consultation.DeadlineUtc, cancellationToken);
        }
        catch (CommitteePendingException e)
        {
            throw new DomainException(CommitteePendingException.ErrorCode, e.Message, null, e.Presented, e.Threshold);
        }
    }
}

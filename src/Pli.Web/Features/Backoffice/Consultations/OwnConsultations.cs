using System.Security.Claims;
using Microsoft.EntityFrameworkCore;
using Pli.Domain.Consultations;
using Pli.Web.Infrastructure.Data;
using Pli.Web.Infrastructure.Security;

namespace Pli.Web.Features.Backoffice.Consultations;

/// <summary>
/// Every back-office read of a consultation goes through here, filtered on the agent's own
/// organisation: another buyer's consultation is simply not found (404), whatever its id.
/// </summary>
public static class OwnConsultations
{
    public static async Task<Consultation?> FindOwnAsync(this PliDbContext db, ClaimsPrincipal user, Guid id)
    {
        var organisationId = user.OrganisationId();
        if (organisationId is null)
        {
            return null;
        }
        return await db.Consultations
            .Include(c => c.Lots)
            .Include(c => c.DceFiles)
            .AsSplitQuery()
            .FirstOrDefaultAsync(c => c.Id == id && c.OrganisationId == organisationId);
    }

    /// <summary>A consultation of the agent's own organisation, read only and without its lots or DCE; null otherwise (404).</summary>
    public static Task<Consultation?> FindOwnReadOnlyAsync(this PliDbContext db, ClaimsPrincipal user, Guid id, CancellationToken cancellationToken = default)
    {
        var organisationId = user.OrganisationId();
        return organisationId is null
            ? Task.FromResult<Consultation?>(null)
            : db.Consultations.AsNoTracking().FirstOrDefaultAsync(c => c.Id == id && c.OrganisationId == organisationId, cancellationToken);
    }

    /// <summary>References are unique within an organisation, case ignored ("2026-01" and "2026-01 " too).</summary>
    public static Task<bool> ReferenceTakenAsync(this PliDbContext db, Guid organisationId, string? reference, Guid? exceptId)
    {
        var wanted = Consultation.KeyOf(reference ?? "");
        return db.Consultations.AnyAsync(c => c.OrganisationId == organisationId && c.ReferenceKey == wanted && c.Id != exceptId);
    }

    public static bool IsUniqueViolation(DbUpdateException e) =>
        e.InnerException?.GetType().Name is "PostgresException" or "SqliteException"
        && (e.InnerException.Message.Contains("UNIQUE", StringComparison.OrdinalIgnoreCase) || e.InnerException.Message.Contains("23505", StringComparison.Ordinal));
}

using System.Security.Claims;
using Pli.Web.Infrastructure.Data;
using Pli.Web.Infrastructure.Security;

namespace Pli.Web.Infrastructure.Audit;

/// <summary>Appends to the audit trail through the request's DbContext: the entry is saved with the act, or not at all.</summary>
public sealed class AuditTrail(PliDbContext db, TimeProvider time)
{
    public AuditEntry Record(string action, ClaimsPrincipal? user, Guid? consultationId = null, string? target = null, string? detail = null) =>
        Record(action, user?.UserId(), user?.CompanyId(), user?.OrganisationId(), consultationId, target, detail);

    public AuditEntry Record(string action, Guid? userId, Guid? companyId, Guid? organisationId, Guid? consultationId = null, string? target = null, string? detail = null)
    {
        var entry = new AuditEntry
        {
            Id = Guid.NewGuid(),
            AtUtc = ToMicroseconds(time.GetUtcNow().UtcDateTime),
            Action = action,
            UserId = userId,
            CompanyId = companyId,
            OrganisationId = organisationId,
            ConsultationId = consultationId,
            Target = target,
            Detail = detail is { Length: > 2000 } ? detail[..2000] : detail,
        };
        db.AuditEntries.Add(entry);
        return entry;
    }

    // Both databases keep microseconds: the entry hashes the same before and after a round trip.
    internal static DateTime ToMicroseconds(DateTime utc) => utc.AddTicks(-(utc.Ticks % 10));
}

using Microsoft.AspNetCore.Identity;
using Pli.Domain.Organisations;

namespace Pli.Web.Infrastructure.Data;

/// <summary>
/// A person who signs in: a company user (CompanyId set), an agent of a buyer (OrganisationId
/// set), or a platform admin. One account never acts for two companies or two buyers.
/// </summary>
public sealed class PliUser : IdentityUser<Guid>
{
    public string FullName { get; set; } = "";
    public Guid? CompanyId { get; set; }
    public bool IsCompanyAdmin { get; set; }
    public Guid? OrganisationId { get; set; }
    public AgentRole AgentRoles { get; set; }
    public bool IsPlatformAdmin { get; set; }
    public DateTime CreatedUtc { get; set; }

    /// <summary>When the person accepted the terms of use (registration or invitation); kept as proof.</summary>
    public DateTime? TermsAcceptedUtc { get; set; }

    /// <summary>
    /// The language the person reads Pli in ("fr", "en"), kept from their last choice or their registration: mails
    /// sent to them later, outside any request of theirs (a receipt, a notice, a message), are written in it.
    /// </summary>
    public string? Language { get; set; }

    public bool IsAgent => OrganisationId is not null;
}

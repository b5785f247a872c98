namespace Pli.Web.Infrastructure.Data;

/// <summary>
/// An admin of a company invites a colleague by email. Only the SHA-256 of the token is kept, so a
/// leaked database does not let anyone join a company.
/// </summary>
public sealed class CompanyInvitation
{
    public Guid Id { get; set; }
    public Guid CompanyId { get; set; }
    public string Email { get; set; } = "";
    public string TokenHash { get; set; } = "";
    public Guid InvitedByUserId { get; set; }
    public DateTime CreatedUtc { get; set; }
    public DateTime ExpiresUtc { get; set; }
    public DateTime? AcceptedUtc { get; set; }
}

using Microsoft.AspNetCore.Authorization;
using Microsoft.AspNetCore.Mvc;
using Microsoft.AspNetCore.Mvc.RazorPages;
using Microsoft.EntityFrameworkCore;
using Pli.Domain.Consultations;
using Pli.Domain.Dce;
using Pli.Web.Infrastructure.Data;
using Pli.Web.Infrastructure.Security;

namespace Pli.Web.Features.Dce;

/// <summary>
/// The register of downloads (retraits) of one consultation, for the agents of its buyer only:
/// any other signed-in user gets 404, as if the consultation did not exist.
/// </summary>
[Authorize(Policy = Policies.Agent)]
public sealed class RetraitsModel(PliDbContext db) : PageModel
{
    public Consultation Consultation { get; private set; } = null!;
    public IReadOnlyList<RegisterLine> Lines { get; private set; } = [];
    public int IdentifiedCount { get; private set; }
    public int DistinctCompanies { get; private set; }
    public int AnonymousCount { get; private set; }

    public async Task<IActionResult> OnGetAsync(Guid id)
    {
        var organisationId = User.OrganisationId();
        var consultation = await db.Consultations.AsNoTracking().FirstOrDefaultAsync(c => c.Id == id && c.OrganisationId == organisationId);
        if (consultation is null)
        {
            return NotFound();
        }
        Consultation = consultation;

        var downloads = await db.DceDownloads.AsNoTracking().Where(d => d.ConsultationId == id).ToListAsync();
        var userIds = downloads.Where(d => d.UserId is not null).Select(d => d.UserId!.Value).Distinct().ToList();
        var companyIds = downloads.Where(d => d.CompanyId is not null).Select(d => d.CompanyId!.Value).Distinct().ToList();
        var users = await db.Users.AsNoTracking().Where(u => userIds.Contains(u.Id))
            .Select(u => new { u.Id, u.FullName, u.Email }).ToDictionaryAsync(u => u.Id);
        var companies = await db.Companies.AsNoTracking().Where(c => companyIds.Contains(c.Id))
            .Select(c => new { c.Id, c.Name, c.Siret, c.Country, c.NationalIdentifier }).ToDictionaryAsync(c => c.Id);

        // Every line is loaded for the counts anyway (a register holds hundreds of lines, not millions).
        Lines = [.. downloads.OrderByDescending(d => d.AtUtc).Select(d =>
        {
            var user = d.UserId is { } u && users.TryGetValue(u, out var found) ? found : null;
            var company = d.CompanyId is { } c && companies.TryGetValue(c, out var co) ? co : null;
            return new RegisterLine(
                d.AtUtc,
                d.IsAnonymous,
                company?.Name,
                company is null ? null : company.Siret ?? $"{company.Country} {company.NationalIdentifier}",
                user?.FullName,
                user?.Email,
                d.Files == DceDownload.WholeDce,
                d.Files == DceDownload.WholeDce ? [] : d.Files.Split('\n', StringSplitOptions.RemoveEmptyEntries));
        })];
        IdentifiedCount = downloads.Count(d => !d.IsAnonymous);
        DistinctCompanies = companyIds.Count;
        AnonymousCount = downloads.Count(d => d.IsAnonymous);
        return Page();
    }
}

public sealed record RegisterLine(DateTime AtUtc, bool Anonymous, string? CompanyName, string? CompanyIdentifier,
    string? UserName, string? UserEmail, bool WholeDce, IReadOnlyList<string> Files);

using Microsoft.AspNetCore.Mvc;
using Microsoft.AspNetCore.Mvc.RazorPages;
using Microsoft.EntityFrameworkCore;
using Pli.Domain.Companies;
using Pli.Web.Infrastructure.Data;
using Pli.Web.Infrastructure.Security;

namespace Pli.Web.Features.Companies;

/// <summary>
/// The company's dashboard: its downloaded consultations (changes since the download first), plis, messages
/// (unread first), questions and the user's saved searches; below, who the company is and who acts for it.
/// </summary>
public sealed class IndexModel(PliDbContext db, CompanyMembers members, CompanyDashboard dashboard, TimeProvider time) : PageModel
{
    /// <summary><c>?tout=consultations</c> or <c>?tout=questions</c>: that section without its limit (no other page lists them whole).</summary>
    [BindProperty(SupportsGet = true, Name = "tout")]
    public string? ShowAll { get; set; }

    public Company Company { get; private set; } = null!;
    public IReadOnlyList<PliUser> Users { get; private set; } = [];
    public bool IsAdmin { get; private set; }
    public DateTime NowUtc { get; private set; }

    public CompanyDashboardView Dashboard { get; private set; } = null!;

    public async Task<IActionResult> OnGetAsync(CancellationToken cancellationToken)
    {
        var companyId = User.CompanyId();
        var company = companyId is null ? null : await db.Companies.AsNoTracking().SingleOrDefaultAsync(c => c.Id == companyId, cancellationToken);
        if (company is null || User.UserId() is not { } userId)
        {
            return NotFound();
        }
        Company = company;
        NowUtc = time.GetUtcNow().UtcDateTime;
        Dashboard = await dashboard.LoadAsync(company.Id, userId, NowUtc, ShowAll, cancellationToken);
        Users = await members.ListAsync(company.Id, cancellationToken);
        IsAdmin = User.IsCompanyAdmin();
        return Page();
    }
}

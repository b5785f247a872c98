using Microsoft.AspNetCore.Mvc;
using Microsoft.AspNetCore.Mvc.RazorPages;
using Microsoft.EntityFrameworkCore;
using Pli.Domain.Companies;
using Pli.Web.Infrastructure.Data;
using Pli.Web.Infrastructure.Security;

namespace Pli.Web.Features.Companies;

/// <summary>The company area: who the company is and who acts for it.</summary>
public sealed class IndexModel(PliDbContext db, CompanyMembers members) : PageModel
{
    public Company Company { get; private set; } = null!;
    public IReadOnlyList<PliUser> Users { get; private set; } = [];
    public bool IsAdmin { get; private set; }

    public async Task<IActionResult> OnGetAsync(CancellationToken cancellationToken)
    {
        var companyId = User.CompanyId();
        var company = companyId is null ? null : await db.Companies.AsNoTracking().SingleOrDefaultAsync(c => c.Id == companyId, cancellationToken);
        if (company is null)
        {
            return NotFound();
        }
        Company = company;
        Users = await members.ListAsync(company.Id, cancellationToken);
        IsAdmin = User.IsCompanyAdmin();
        return Page();
    }
}

using Microsoft.AspNetCore.Mvc.RazorPages;
using Microsoft.EntityFrameworkCore;
using Pli.Domain.Consultations;
using Pli.Domain.Deposits;
using Pli.Web.Infrastructure.Data;
using Pli.Web.Infrastructure.Security;

namespace Pli.Web.Features.Deposits;

/// <summary>The company's plis, newest first: drafts to finish, sealed ones with their receipts, late ones flagged.</summary>
public sealed class MineModel(PliDbContext db) : PageModel
{
    public IReadOnlyList<(Deposit Deposit, Consultation Consultation)> Deposits { get; private set; } = [];

    public async Task OnGetAsync(CancellationToken cancellationToken)
    {
        var companyId = User.CompanyId();
        var mine = await db.Deposits.AsNoTracking().Include(d => d.Files).Where(d => d.CompanyId == companyId).OrderByDescending(d => d.CreatedUtc).ToListAsync(cancellationToken);
        var ids = mine.Select(d => d.ConsultationId).Distinct().ToList();
        var consultations = await db.Consultations.AsNoTracking().Where(c => ids.Contains(c.Id)).ToDictionaryAsync(c => c.Id, cancellationToken);
        Deposits = [.. mine.Select(d => (d, consultations[d.ConsultationId]))];
    }
}

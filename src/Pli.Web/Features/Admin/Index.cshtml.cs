using Microsoft.AspNetCore.Mvc.RazorPages;
using Microsoft.EntityFrameworkCore;
using Pli.Web.Infrastructure.Data;

namespace Pli.Web.Features.Admin;

public sealed class IndexModel(PliDbContext db) : PageModel
{
    public IReadOnlyList<OrganisationRow> Organisations { get; private set; } = [];

    public async Task OnGetAsync()
    {
        var organisations = await db.Organisations.AsNoTracking().OrderBy(o => o.Name).ToListAsync();
        var agents = await db.Users.Where(u => u.OrganisationId != null)
            .GroupBy(u => u.OrganisationId)
            .Select(g => new { Id = g.Key, Count = g.Count() })
            .ToDictionaryAsync(g => g.Id!.Value, g => g.Count);
        Organisations = [.. organisations.Select(o => new OrganisationRow(o.Id, o.Name, o.Siret, agents.GetValueOrDefault(o.Id), o.CreatedUtc))];
    }

    public sealed record OrganisationRow(Guid Id, string Name, string? Siret, int Agents, DateTime CreatedUtc);
}

using Microsoft.AspNetCore.Mvc.RazorPages;
using Microsoft.EntityFrameworkCore;
using Pli.Domain.Consultations;
using Pli.Web.Infrastructure.Data;
using Pli.Web.Infrastructure.Security;

namespace Pli.Web.Features.Backoffice;

/// <summary>The organisation's consultations, grouped by status; drafts first since they await work.</summary>
public sealed class IndexModel(PliDbContext db) : PageModel
{
    public static readonly ConsultationStatus[] StatusOrder = [ConsultationStatus.Draft, ConsultationStatus.Published, ConsultationStatus.Awarded, ConsultationStatus.Cancelled];

    public ILookup<ConsultationStatus, Row> ByStatus { get; private set; } = Array.Empty<Row>().ToLookup(r => r.Status);

    public async Task OnGetAsync()
    {
        var organisationId = User.OrganisationId();
        var rows = await db.Consultations.AsNoTracking()
            .Where(c => c.OrganisationId == organisationId)
            .Select(c => new Row(c.Id, c.Reference, c.Title, c.Status, c.DeadlineUtc))
            .ToListAsync();
        ByStatus = rows.OrderBy(r => r.DeadlineUtc).ThenBy(r => r.Reference, StringComparer.Ordinal).ToLookup(r => r.Status);
    }

    public sealed record Row(Guid Id, string Reference, string Title, ConsultationStatus Status, DateTime DeadlineUtc);
}

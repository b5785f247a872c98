using Microsoft.AspNetCore.Authorization;
using Microsoft.AspNetCore.Mvc.RazorPages;
using Microsoft.EntityFrameworkCore;
using Pli.Domain.Messaging;
using Pli.Web.Infrastructure.Data;
using Pli.Web.Infrastructure.Security;

namespace Pli.Web.Features.Messaging;

/// <summary>The messages addressed to the user's company, unread first, then newest first.</summary>
[Authorize(Policy = Policies.Company)]
public sealed class InboxModel(PliDbContext db) : PageModel
{
    public IReadOnlyList<InboxRow> Rows { get; private set; } = [];

    public async Task OnGetAsync(CancellationToken cancellationToken)
    {
        var companyId = User.CompanyId();
        Rows = await (from t in db.MessageThreads.AsNoTracking()
                      join c in db.Consultations.AsNoTracking() on t.ConsultationId equals c.Id
                      where t.CompanyId == companyId
                      orderby t.FirstReadUtc == null descending, t.CreatedUtc descending
                      select new InboxRow(t.Id, c.Reference, c.Title, t.Subject, t.Type, t.CreatedUtc, t.ReplyDeadlineUtc, t.FirstReadUtc != null))
            .ToListAsync(cancellationToken);
    }
}

public sealed record InboxRow(Guid ThreadId, string Reference, string ConsultationTitle, string Subject, MessageType Type, DateTime SentUtc, DateTime? ReplyDeadlineUtc, bool Read);

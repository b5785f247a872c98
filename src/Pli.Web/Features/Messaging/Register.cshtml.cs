using Pli.Web.Features.Backoffice.Consultations;
using Microsoft.AspNetCore.Authorization;
using Microsoft.AspNetCore.Mvc;
using Microsoft.AspNetCore.Mvc.RazorPages;
using Microsoft.EntityFrameworkCore;
using Pli.Domain.Consultations;
using Pli.Domain.Messaging;
using Pli.Web.Infrastructure.Data;
using Pli.Web.Infrastructure.Security;

namespace Pli.Web.Features.Messaging;

/// <summary>
/// The register of a consultation's exchanges: every message, its company, type, when it was sent, its read
/// receipt and its replies. For the agents of the buyer only; anyone else gets 404.
/// </summary>
[Authorize(Policy = Policies.Agent)]
public sealed class RegisterModel(PliDbContext db) : PageModel
{
    public Consultation Consultation { get; private set; } = null!;
    public IReadOnlyList<RegisterRow> Rows { get; private set; } = [];

    public async Task<IActionResult> OnGetAsync(Guid id, CancellationToken cancellationToken)
    {
        var consultation = await db.FindOwnReadOnlyAsync(User, id, cancellationToken);
        if (consultation is null)
        {
            return NotFound();
        }
        Consultation = consultation;
        Rows = await ReadAsync(db, id, cancellationToken);
        return Page();
    }

    /// <summary>The threads of a consultation, newest first, with their messages and attachments (names and sizes, for the export).</summary>
    public static async Task<IReadOnlyList<RegisterRow>> ReadAsync(PliDbContext db, Guid consultationId, CancellationToken cancellationToken)
    {
        var threads = await db.MessageThreads.AsNoTracking().Include(t => t.Messages).ThenInclude(m => m.Attachments)
            .Where(t => t.ConsultationId == consultationId).AsSplitQuery().ToListAsync(cancellationToken);
        var companyIds = threads.Select(t => t.CompanyId).Distinct().ToList();
        var userIds = threads.SelectMany(t => new[] { t.CreatedByUserId, t.FirstReadByUserId ?? Guid.Empty }).Distinct().ToList();
        var companies = await db.Companies.AsNoTracking().Where(c => companyIds.Contains(c.Id)).ToDictionaryAsync(c => c.Id, c => c.Name, cancellationToken);
        var users = await db.Users.AsNoTracking().Where(u => userIds.Contains(u.Id)).ToDictionaryAsync(u => u.Id, u => u.FullName, cancellationToken);
        return [.. threads.OrderByDescending(t => t.CreatedUtc).ThenBy(t => companies.GetValueOrDefault(t.CompanyId), StringComparer.CurrentCulture).ThenBy(t => t.Id).Select(t => new RegisterRow(
            t,
            companies.GetValueOrDefault(t.CompanyId) ?? "—",
            users.GetValueOrDefault(t.CreatedByUserId) ?? "—",
            t.FirstReadByUserId is { } reader ? users.GetValueOrDefault(reader) ?? "—" : null,
            t.Replies.Count(),
            t.UnreadReplies))];
    }
}

public sealed record RegisterRow(MessageThread Thread, string CompanyName, string AuthorName, string? ReaderName, int Replies, int UnreadReplies);

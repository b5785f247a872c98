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
/// One thread for the buyer's agents: the message, its read receipt, the company's replies and their files.
/// Opening it marks its replies read. A thread of another buyer is 404.
/// </summary>
[Authorize(Policy = Policies.Agent)]
public sealed class AgentThreadModel(PliDbContext db, MessagingService messaging) : PageModel
{
    public MessageThread Thread { get; private set; } = null!;
    public Consultation Consultation { get; private set; } = null!;
    public string CompanyName { get; private set; } = "";
    public string? ReaderName { get; private set; }
    public IReadOnlyList<MessageView> Messages { get; private set; } = [];

    public async Task<IActionResult> OnGetAsync(Guid threadId, CancellationToken cancellationToken)
    {
        if (await messaging.FindForAgentAsync(User, threadId, cancellationToken) is not { } found)
        {
            return NotFound();
        }
        var (thread, consultation) = found;
        Thread = thread;
        Consultation = consultation;
        await messaging.MarkRepliesReadAsync(thread, cancellationToken);
        CompanyName = await db.Companies.AsNoTracking().Where(c => c.Id == thread.CompanyId).Select(c => c.Name).FirstAsync(cancellationToken);
        var userIds = thread.Messages.Select(m => m.AuthorUserId).Append(thread.FirstReadByUserId ?? Guid.Empty).Distinct().ToList();
        var users = await db.Users.AsNoTracking().Where(u => userIds.Contains(u.Id)).ToDictionaryAsync(u => u.Id, u => u.FullName, cancellationToken);
        ReaderName = thread.FirstReadByUserId is { } reader ? users.GetValueOrDefault(reader) : null;
        Messages = [.. thread.Messages.OrderBy(m => m.SentUtc).Select(m => new MessageView(m,
            m.Side == MessageSide.Company ? $"{users.GetValueOrDefault(m.AuthorUserId) ?? "—"} ({CompanyName})" : users.GetValueOrDefault(m.AuthorUserId) ?? "—",
            fileId => MessagePaths.AgentFile(thread.Id, fileId)))];
        return Page();
    }

    public async Task<IActionResult> OnGetFileAsync(Guid threadId, Guid fileId, CancellationToken cancellationToken)
    {
        if (await messaging.FindForAgentAsync(User, threadId, cancellationToken) is not { } found
            || MessagingService.AttachmentOf(found.Thread, fileId) is not { } attachment)
        {
            return NotFound();
        }
        return new FileStreamResult(await messaging.OpenAsync(attachment, cancellationToken), "application/octet-stream") { FileDownloadName = attachment.Name, EnableRangeProcessing = true };
    }
}

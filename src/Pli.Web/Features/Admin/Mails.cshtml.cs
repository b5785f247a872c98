using Microsoft.AspNetCore.Mvc;
using Microsoft.AspNetCore.Mvc.RazorPages;
using Microsoft.EntityFrameworkCore;
using Microsoft.Extensions.Localization;
using Pli.Web.Infrastructure.Audit;
using Pli.Web.Infrastructure.Data;
using Pli.Web.Infrastructure.Mail;

namespace Pli.Web.Features.Admin;

/// <summary>
/// The outbox as the platform admin sees it: mails refused for good or still being retried, with the
/// server's last answer, and a way to send a flagged mail again once the cause is fixed.
/// </summary>
public sealed class MailsModel(PliDbContext db, AuditTrail audit, TimeProvider time, IStringLocalizer<AdminTexts> texts) : PageModel
{
    private const int Shown = 200;

    public IReadOnlyList<OutboxMail> Failed { get; private set; } = [];
    public IReadOnlyList<OutboxMail> Retrying { get; private set; } = [];
    public int PendingCount { get; private set; }
    public int SentCount { get; private set; }

    public async Task OnGetAsync()
    {
        var rows = await db.OutboxMails.AsNoTracking()
            .Where(m => m.Status == OutboxMailStatus.Failed || (m.Status == OutboxMailStatus.Pending && m.Attempts > 0))
            .OrderByDescending(m => m.CreatedUtc).Take(Shown)
            .Select(m => new OutboxMail
            {
                Id = m.Id, CreatedUtc = m.CreatedUtc, To = m.To, Subject = m.Subject, Status = m.Status, Attempts = m.Attempts,
                NextAttemptUtc = m.NextAttemptUtc, LastError = m.LastError, FailedUtc = m.FailedUtc,
            })
            .ToListAsync();
        Failed = [.. rows.Where(m => m.Status == OutboxMailStatus.Failed)];
        Retrying = [.. rows.Where(m => m.Status == OutboxMailStatus.Pending)];
        PendingCount = await db.OutboxMails.CountAsync(m => m.Status == OutboxMailStatus.Pending);
        SentCount = await db.OutboxMails.CountAsync(m => m.Status == OutboxMailStatus.Sent);
    }

    public async Task<IActionResult> OnPostRetryAsync(Guid id)
    {
        var now = time.GetUtcNow().UtcDateTime;
        var mail = await db.OutboxMails.SingleOrDefaultAsync(m => m.Id == id && m.Status == OutboxMailStatus.Failed);
        if (mail is null)
        {
            return NotFound();
        }
        mail.Status = OutboxMailStatus.Pending;
        mail.Attempts = 0;
        mail.NextAttemptUtc = now;
        mail.FailedUtc = null;
        mail.LeaseUntilUtc = null;
        audit.Record("mail.retried", User, target: $"mail:{mail.Id}", detail: mail.To);
        await db.SaveChangesAsync();
        TempData["Notice"] = texts["MailRetryQueued", mail.To].Value;
        return RedirectToPage();
    }
}

using Microsoft.AspNetCore.Authorization;
using Microsoft.AspNetCore.Mvc;
using Microsoft.AspNetCore.Mvc.RazorPages;
using Microsoft.EntityFrameworkCore;
using Microsoft.Extensions.Localization;
using Microsoft.Extensions.Options;
using Pli.Domain.Common;
using Pli.Domain.Consultations;
using Pli.Domain.Messaging;
using Pli.Web.Infrastructure.Data;
using Pli.Web.Infrastructure.Errors;
using Pli.Web.Infrastructure.Security;

namespace Pli.Web.Features.Messaging;

/// <summary>
/// A message as its company reads it: the target of the mail's link. A visitor signs in first (and comes
/// back here); a user of any other company, or an agent, gets 404 and nothing is recorded. The first
/// opening by a user of the company is the read receipt. The reply form stays until the reply deadline.
/// </summary>
[Authorize(Policy = Policies.Company)]
[RequestSizeLimit(MessagePaths.MaxRequestBytes)]
[RequestFormLimits(MultipartBodyLengthLimit = MessagePaths.MaxRequestBytes)]
public sealed class ThreadModel(PliDbContext db, MessagingService messaging, MessageAttachments attachments, IOptions<MessagingOptions> options, TimeProvider time, IStringLocalizer<MessagingTexts> texts) : PageModel
{
    [BindProperty]
    public string? Text { get; set; }

    [BindProperty]
    public List<IFormFile> Files { get; set; } = [];

    /// <summary>The attachments already sent through tus (message-upload.js), by upload id.</summary>
    [BindProperty]
    public List<string> UploadIds { get; set; } = [];

    public MessageThread Thread { get; private set; } = null!;
    public Consultation Consultation { get; private set; } = null!;
    public IReadOnlyList<MessageView> Messages { get; private set; } = [];
    public bool AcceptsReplies { get; private set; }
    public MessagingOptions Limits => options.Value;
    public AttachmentsField Attachments { get; private set; } = null!;

    public async Task<IActionResult> OnGetAsync(Guid threadId, CancellationToken cancellationToken)
    {
        if (!await LoadAsync(threadId, cancellationToken))
        {
            return NotFound();
        }
        await messaging.MarkReadAsync(Thread, User, cancellationToken);
        await ShowAsync(cancellationToken);
        return Page();
    }

    public async Task<IActionResult> OnPostAsync(Guid threadId, CancellationToken cancellationToken)
    {
        if (!await LoadAsync(threadId, cancellationToken))
        {
            return NotFound();
        }
        try
        {
            await messaging.ReplyAsync(Thread, Consultation, User, Text, Files, UploadIds, cancellationToken);
        }
        catch (DomainException e)
        {
            ModelState.AddModelError(e.Field ?? string.Empty, DomainMessages.For(e));
            Attachments = Attachments with { Kept = await attachments.KeptAsync(User.UserId(), MessageUploadContext.Reply(threadId), UploadIds, cancellationToken) };
            await ShowAsync(cancellationToken);
            return Page();
        }
        TempData["Notice"] = texts["ReplySentNotice"].Value;
        return Redirect(MessagePaths.CompanyThread(Thread.Id));
    }

    public async Task<IActionResult> OnGetFileAsync(Guid threadId, Guid fileId, CancellationToken cancellationToken)
    {
        if (!await LoadAsync(threadId, cancellationToken) || MessagingService.AttachmentOf(Thread, fileId) is not { } attachment)
        {
            return NotFound();
        }
        return new FileStreamResult(await messaging.OpenAsync(attachment, cancellationToken), "application/octet-stream") { FileDownloadName = attachment.Name, EnableRangeProcessing = true };
    }

    private async Task<bool> LoadAsync(Guid threadId, CancellationToken cancellationToken)
    {
        if (await messaging.FindForCompanyAsync(User, threadId, cancellationToken) is not { } found)
        {
            return false;
        }
        (Thread, Consultation) = found;
        Attachments = new AttachmentsField(Consultation.AcceptedFormatList, Limits.MaxFileSize, Limits.MaxFiles, []);
        return true;
    }

    private async Task ShowAsync(CancellationToken cancellationToken)
    {
        var thread = Thread;
        var userIds = thread.Messages.Select(m => m.AuthorUserId).Distinct().ToList();
        var users = await db.Users.AsNoTracking().Where(u => userIds.Contains(u.Id)).ToDictionaryAsync(u => u.Id, u => u.FullName, cancellationToken);
        var buyer = await db.Organisations.AsNoTracking().Where(o => o.Id == Consultation.OrganisationId).Select(o => o.Name).FirstOrDefaultAsync(cancellationToken) ?? "—";
        // The company sees who wrote on its side; on the buyer's side, the buyer.
        Messages = [.. thread.Messages.OrderBy(m => m.SentUtc).Select(m => new MessageView(m,
            m.Side == MessageSide.Company ? users.GetValueOrDefault(m.AuthorUserId) ?? "—" : buyer,
            fileId => MessagePaths.CompanyFile(thread.Id, fileId)))];
        AcceptsReplies = thread.AcceptsRepliesAt(time.GetUtcNow().UtcDateTime);
    }
}

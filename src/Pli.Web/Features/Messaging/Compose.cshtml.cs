using System.Globalization;
using Microsoft.AspNetCore.Authorization;
using Microsoft.AspNetCore.Mvc;
using Microsoft.AspNetCore.Mvc.RazorPages;
using Pli.Web.Features.Backoffice.Consultations;
using Microsoft.Extensions.Localization;
using Microsoft.Extensions.Options;
using Pli.Domain.Common;
using Pli.Domain.Consultations;
using Pli.Domain.Messaging;
using Pli.Web.Features.Shared;
using Pli.Web.Infrastructure.Data;
using Pli.Web.Infrastructure.Errors;
using Pli.Web.Infrastructure.Security;

namespace Pli.Web.Features.Messaging;

/// <summary>Which companies of the audience a message goes to.</summary>
public enum RecipientChoice
{
    All,
    Downloaders,
    Depositors,
    Chosen,
}

/// <summary>
/// An agent writes to one, several or all companies of a consultation (its audience: identified downloaders
/// and depositors), with a type, an optional reply deadline (Paris date and time) and attachments.
/// </summary>
[Authorize(Policy = Policies.Agent)]
[RequestSizeLimit(MessagePaths.MaxRequestBytes)]
[RequestFormLimits(MultipartBodyLengthLimit = MessagePaths.MaxRequestBytes)]
public sealed class ComposeModel(PliDbContext db, ConsultationAudience audience, MessagingService messaging, MessageAttachments attachments, IOptions<MessagingOptions> options, IStringLocalizer<MessagingTexts> texts) : PageModel
{
    private static readonly string[] TimeFormats = ["HH:mm", "HH:mm:ss"];

    [BindProperty]
    public RecipientChoice Recipients { get; set; } = RecipientChoice.All;

    [BindProperty]
    public List<Guid> CompanyIds { get; set; } = [];

    [BindProperty]
    public MessageType Type { get; set; } = MessageType.Free;

    [BindProperty]
    public string? Subject { get; set; }

    [BindProperty]
    public string? Text { get; set; }

    [BindProperty]
    public string? ReplyDeadlineDate { get; set; }

    [BindProperty]
    public string? ReplyDeadlineTime { get; set; }

    [BindProperty]
    public List<IFormFile> Files { get; set; } = [];

    /// <summary>The attachments already sent through tus (message-upload.js), by upload id.</summary>
    [BindProperty]
    public List<string> UploadIds { get; set; } = [];

    public Consultation Consultation { get; private set; } = null!;
    public IReadOnlyList<AudienceCompany> Companies { get; private set; } = [];
    public MessagingOptions Limits => options.Value;
    public AttachmentsField Attachments { get; private set; } = null!;

    public async Task<IActionResult> OnGetAsync(Guid id, CancellationToken cancellationToken)
    {
        return await LoadAsync(id, cancellationToken) ? Page() : NotFound();
    }

    public async Task<IActionResult> OnPostAsync(Guid id, CancellationToken cancellationToken)
    {
        if (!await LoadAsync(id, cancellationToken))
        {
            return NotFound();
        }
        IReadOnlyList<MessageThread> threads;
        try
        {
            var draft = new MessageDraft(ChosenCompanies(), Type, Subject, Text, ReadReplyDeadline());
            threads = await messaging.SendAsync(Consultation, User, draft, Files, UploadIds, cancellationToken);
        }
        catch (DomainException e)
        {
            ModelState.AddModelError(e.Field ?? string.Empty, DomainMessages.For(e));
            Attachments = Attachments with { Kept = await attachments.KeptAsync(User.UserId(), MessageUploadContext.Message(id), UploadIds, cancellationToken) };
            return Page();
        }
        TempData["Notice"] = texts["SentNotice", threads.Count].Value;
        return Redirect(MessagePaths.Register(Consultation.Id));
    }

    private List<Guid> ChosenCompanies() => Recipients switch
    {
        RecipientChoice.All => [.. Companies.Select(c => c.CompanyId)],
        RecipientChoice.Downloaders => [.. Companies.Where(c => c.Downloaded).Select(c => c.CompanyId)],
        RecipientChoice.Depositors => [.. Companies.Where(c => c.Deposited).Select(c => c.CompanyId)],
        _ => CompanyIds,
    };

    private DateTime? ReadReplyDeadline()
    {
        var date = ReplyDeadlineDate?.Trim();
        var time = ReplyDeadlineTime?.Trim();
        if (string.IsNullOrEmpty(date) && string.IsNullOrEmpty(time))
        {
            return null;
        }
        if (!DateOnly.TryParseExact(date, "yyyy-MM-dd", CultureInfo.InvariantCulture, DateTimeStyles.None, out var day))
        {
            throw new DomainException("date.invalid", texts["ReplyDeadlineDateInvalid"], nameof(ReplyDeadlineDate));
        }
        if (!TimeOnly.TryParseExact(time, TimeFormats, CultureInfo.InvariantCulture, DateTimeStyles.None, out var hour))
        {
            throw new DomainException("time.invalid", texts["ReplyDeadlineTimeInvalid"], nameof(ReplyDeadlineTime));
        }
        return ParisTime.ToUtc(day.ToDateTime(hour), nameof(ReplyDeadlineTime));
    }

    private async Task<bool> LoadAsync(Guid id, CancellationToken cancellationToken)
    {
        var consultation = await db.FindOwnReadOnlyAsync(User, id, cancellationToken);
        if (consultation is null)
        {
            return false;
        }
        Consultation = consultation;
        Attachments = new AttachmentsField(consultation.AcceptedFormatList, Limits.MaxFileSize, Limits.MaxFiles, []);
        Companies = await audience.CompaniesAsync(id, cancellationToken);
        return true;
    }
}

using System.Globalization;
using Microsoft.AspNetCore.Authorization;
using Microsoft.AspNetCore.Mvc;
using Microsoft.AspNetCore.Mvc.RazorPages;
using Microsoft.EntityFrameworkCore;
using Microsoft.Extensions.Localization;
using Pli.Domain.Common;
using Pli.Domain.Consultations;
using Pli.Web.Features.Backoffice.Consultations;
using Pli.Web.Features.Shared;
using Pli.Web.Infrastructure.Data;
using Pli.Web.Infrastructure.Errors;
using Pli.Web.Infrastructure.Security;

namespace Pli.Web.Features.Notices;

/// <summary>
/// Modifications of a published consultation, one form per kind: the deadlines, a rectificatif, a
/// complement or a replaced file of the DCE, the cancellation. Each form asks for a confirmation,
/// since the change is public at once and mailed to every identified company. The rules are the
/// domain's; a refused change leaves the consultation, its history and the outbox untouched.
/// </summary>
[Authorize(Policy = Policies.ConsultationManager)]
[RequestSizeLimit(DceModel.MaxUploadBytes)]
[RequestFormLimits(MultipartBodyLengthLimit = DceModel.MaxUploadBytes)]
public sealed class ModifyModel(PliDbContext db, ConsultationNotices notices, ConsultationAudience audience, DceUploader uploader,
    Pli.Web.Infrastructure.Audit.AuditTrail audit, IStringLocalizer<NoticesTexts> texts) : PageModel
{
    private static readonly string[] TimeFormats = ["HH:mm", "HH:mm:ss"];

    public static string PathOf(Guid consultationId) => $"/acheteur/consultations/{consultationId}/modifier";

    [BindProperty] public string? DeadlineDate { get; set; }
    [BindProperty] public string? DeadlineTime { get; set; }
    [BindProperty] public string? QuestionDeadlineDate { get; set; }
    [BindProperty] public string? QuestionDeadlineTime { get; set; }
    [BindProperty] public string? Rectificatif { get; set; }
    [BindProperty] public List<IFormFile> Files { get; set; } = [];
    [BindProperty] public bool Unzip { get; set; } = true;
    [BindProperty] public Guid? ReplacedFileId { get; set; }
    [BindProperty] public IFormFile? Replacement { get; set; }
    [BindProperty] public string? Reason { get; set; }
    [BindProperty] public bool Confirm { get; set; }

    public Consultation Consultation { get; private set; } = null!;

    /// <summary>Companies told of each modification (identified downloaders and depositors).</summary>
    public int AudienceCount { get; private set; }

    public bool DeadlinePassed => Consultation.DeadlineUtc < notices.NowUtc;

    public async Task<IActionResult> OnGetAsync(Guid id)
    {
        if (!await LoadAsync(id))
        {
            return NotFound();
        }
        FillDates(onlyMissing: false);
        return Page();
    }

    public Task<IActionResult> OnPostDeadlineAsync(Guid id, CancellationToken cancellationToken) =>
        ApplyAsync(id, "report", async c =>
        {
            var wanted = ReadParisTime(DeadlineDate, DeadlineTime, nameof(DeadlineDate), nameof(DeadlineTime));
            var latest = await notices.LatestDepositAsync(c.Id, cancellationToken);
            return (c.ChangeDeadline(wanted, latest, notices.NowUtc), null);
        }, cancellationToken);

    public Task<IActionResult> OnPostQuestionDeadlineAsync(Guid id, CancellationToken cancellationToken) =>
        ApplyAsync(id, "questions", c =>
        {
            var wanted = ReadParisTime(QuestionDeadlineDate, QuestionDeadlineTime, nameof(QuestionDeadlineDate), nameof(QuestionDeadlineTime));
            return Task.FromResult<(ConsultationModification, IReadOnlyList<DceFile>?)>((c.ChangeQuestionDeadline(wanted, notices.NowUtc), null));
        }, cancellationToken);

    public Task<IActionResult> OnPostRectificatifAsync(Guid id, CancellationToken cancellationToken) =>
        ApplyAsync(id, "rectificatif", c =>
            Task.FromResult<(ConsultationModification, IReadOnlyList<DceFile>?)>((c.PublishRectificatif(Rectificatif ?? "", notices.NowUtc), null)),
            cancellationToken);

    public Task<IActionResult> OnPostComplementAsync(Guid id, CancellationToken cancellationToken) =>
        ApplyAsync(id, "complement", async c =>
        {
            var stored = await uploader.StoreAsync(c.Id, Files, Unzip, path => c.RequireDceComplementPath(path, notices.NowUtc), cancellationToken);
            try
            {
                var (modification, added) = c.ComplementDce(stored, notices.NowUtc);
                return (modification, added);
            }
            catch
            {
                await uploader.DeleteAsync(stored.Select(s => s.StorageKey));
                throw;
            }
        }, cancellationToken);

    public Task<IActionResult> OnPostReplaceAsync(Guid id, CancellationToken cancellationToken) =>
        ApplyAsync(id, "replace", async c =>
        {
            if (ReplacedFileId is not { } fileId || c.DceFiles.All(f => f.Id != fileId))
            {
                throw new DomainException("modification.dce-file-unknown", texts["ReplacedFileRequired"], nameof(ReplacedFileId));
            }
            if (Replacement is null)
            {
                throw new DomainException("dce.no-file", texts["ReplacementRequired"], nameof(Replacement));
            }
            var stored = await uploader.StoreAsync(c.Id, [Replacement], unzip: false, path => c.RequireDceReplacementPath(fileId, path, notices.NowUtc), cancellationToken);
            try
            {
                var (modification, removed, added) = c.ReplaceDceFile(fileId, stored[0], notices.NowUtc);
                // The replaced content stays in the store: the DCE as companies downloaded it before the change
                // is evidence (a dispute over what the DCE said on a given day), found again through the audit trail.
                audit.Record("dce.file-replaced", User, c.Id, $"dce-file:{removed.Id}",
                    $"{removed.RelativePath} sha256={removed.Sha256} size={removed.Size} kept-at={removed.StorageKey}");
                return (modification, [added]);
            }
            catch
            {
                await uploader.DeleteAsync(stored.Select(s => s.StorageKey));
                throw;
            }
        }, cancellationToken);

    public Task<IActionResult> OnPostCancelAsync(Guid id, CancellationToken cancellationToken) =>
        ApplyAsync(id, "cancel", async c =>
        {
            // A lot already awarded binds the buyer: the consultation can no longer be cancelled, even partly decided.
            var anyLotAwarded = await db.AwardDecisions.AnyAsync(a => a.ConsultationId == c.Id, cancellationToken);
            return (c.Cancel(Reason ?? "", notices.NowUtc, anyLotAwarded), (IReadOnlyList<DceFile>?)null);
        },
            cancellationToken);

    /// <summary>Input of each form's confirmation checkbox, so the error summary links to the right one.</summary>
    public static string ConfirmId(string form) => "Confirm-" + form;

    /// <summary>
    /// Runs one change of the domain (which checks everything before changing anything), then publishes
    /// it with its notices. Files stored for a change that is refused, or not saved, are deleted.
    /// </summary>
    private async Task<IActionResult> ApplyAsync(Guid id, string form, Func<Consultation, Task<(ConsultationModification, IReadOnlyList<DceFile>?)>> change,
        CancellationToken cancellationToken)
    {
        if (!await LoadAsync(id))
        {
            return NotFound();
        }
        FillDates(onlyMissing: true);
        if (!Confirm)
        {
            ModelState.AddModelError(ConfirmId(form), texts["ConfirmRequired"]);
            return Page();
        }
        ConsultationModification modification;
        IReadOnlyList<DceFile>? added;
        try
        {
            (modification, added) = await change(Consultation);
        }
        catch (DomainException e)
        {
            ModelState.AddModelError(InputFor(form, e.Field), DomainMessages.For(e));
            return Page();
        }
        int notified;
        try
        {
            notified = await notices.PublishAsync(Consultation, modification, User, added, CancellationToken.None);
        }
        catch
        {
            if (added is not null)
            {
                await uploader.DeleteAsync(added.Select(f => f.StorageKey));
            }
            throw;
        }
        TempData["Notice"] = texts["Published", NoticesTexts.Kind(modification.Kind), notified].Value;
        return Redirect($"/acheteur/consultations/{Consultation.Id}");
    }

    private static string InputFor(string form, string? field) => field switch
    {
        "Deadline" or "DeadlineDate" => nameof(DeadlineDate),
        "DeadlineTime" => nameof(DeadlineTime),
        "QuestionDeadline" or "QuestionDeadlineDate" => nameof(QuestionDeadlineDate),
        "QuestionDeadlineTime" => nameof(QuestionDeadlineTime),
        "Rectificatif" => nameof(Rectificatif),
        "Reason" => nameof(Reason),
        "FileId" or nameof(ReplacedFileId) => nameof(ReplacedFileId),
        "File" or "Files" or nameof(Replacement) => form == "replace" ? nameof(Replacement) : nameof(Files),
        _ => string.Empty,
    };

    private DateTime ReadParisTime(string? date, string? time, string dateField, string timeField)
    {
        if (!DateOnly.TryParseExact(date?.Trim(), "yyyy-MM-dd", CultureInfo.InvariantCulture, DateTimeStyles.None, out var day))
        {
            throw new DomainException("date.invalid", texts["DateInvalid"], dateField);
        }
        if (!TimeOnly.TryParseExact(time?.Trim(), TimeFormats, CultureInfo.InvariantCulture, DateTimeStyles.None, out var hour))
        {
            throw new DomainException("time.invalid", texts["TimeInvalid"], timeField);
        }
        return ParisTime.ToUtc(day.ToDateTime(hour), timeField);
    }

    /// <summary>The date inputs show the dates in force, except what the agent just typed in the form being posted.</summary>
    private void FillDates(bool onlyMissing)
    {
        var deadline = ParisTime.ToParis(Consultation.DeadlineUtc);
        var questions = ParisTime.ToParis(Consultation.QuestionDeadlineUtc);
        if (!onlyMissing || (DeadlineDate is null && DeadlineTime is null))
        {
            DeadlineDate = deadline.ToString("yyyy-MM-dd", CultureInfo.InvariantCulture);
            DeadlineTime = deadline.ToString("HH:mm:ss", CultureInfo.InvariantCulture);
        }
        if (!onlyMissing || (QuestionDeadlineDate is null && QuestionDeadlineTime is null))
        {
            QuestionDeadlineDate = questions.ToString("yyyy-MM-dd", CultureInfo.InvariantCulture);
            QuestionDeadlineTime = questions.ToString("HH:mm:ss", CultureInfo.InvariantCulture);
        }
    }

    private async Task<bool> LoadAsync(Guid id)
    {
        var consultation = await db.FindOwnAsync(User, id);
        if (consultation is null)
        {
            return false;
        }
        Consultation = consultation;
        AudienceCount = (await audience.CompaniesAsync(id)).Count;
        return true;
    }
}

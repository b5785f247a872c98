using Microsoft.AspNetCore.Authorization;
using Microsoft.AspNetCore.Mvc;
using Microsoft.AspNetCore.Mvc.RazorPages;
using Microsoft.Extensions.Localization;
using Pli.Domain.Common;
using Pli.Domain.Consultations;
using Pli.Web.Infrastructure.Data;
using Pli.Web.Infrastructure.Security;
using Pli.Web.Infrastructure.Storage;
using Pli.Web.Infrastructure.Errors;

namespace Pli.Web.Features.Backoffice.Consultations;

/// <summary>
/// The DCE of a draft: upload (files, or zip archives kept as their tree) and removal. A page of
/// its own because request size limits apply to a whole page, not to one handler.
/// </summary>
[Authorize(Policy = Policies.ConsultationManager)]
[RequestSizeLimit(MaxUploadBytes)]
[RequestFormLimits(MultipartBodyLengthLimit = MaxUploadBytes)]
public sealed class DceModel(PliDbContext db, DceUploader uploader, IFileStore store, IStringLocalizer<BackofficeTexts> texts) : PageModel
{
    /// <summary>2 GB of DCE in one go, plus room for the form around it.</summary>
    public const long MaxUploadBytes = (2L * 1024 * 1024 * 1024) + (1024 * 1024);

    [BindProperty]
    public List<IFormFile> Files { get; set; } = [];

    /// <summary>Unpack .zip files into the DCE (their folders kept); unchecked, a zip is one file of the DCE.</summary>
    [BindProperty]
    public bool Unzip { get; set; } = true;

    public Consultation Consultation { get; private set; } = null!;

    public async Task<IActionResult> OnGetAsync(Guid id)
    {
        if (!await LoadAsync(id))
        {
            return NotFound();
        }
        return Page();
    }

    public async Task<IActionResult> OnPostUploadAsync(Guid id, CancellationToken cancellationToken)
    {
        if (!await LoadAsync(id))
        {
            return NotFound();
        }
        IReadOnlyList<DceFile> added;
        try
        {
            added = await uploader.AddAsync(Consultation, Files, Unzip, cancellationToken);
        }
        catch (DomainException e)
        {
            ModelState.AddModelError(nameof(Files), DomainMessages.For(e));
            return Page();
        }
        try
        {
            db.DceFiles.AddRange(added);
            await db.SaveChangesAsync(CancellationToken.None);
        }
        catch
        {
            await uploader.DiscardAsync(Consultation, added);
            throw;
        }
        TempData["Notice"] = texts["DceAdded", added.Count].Value;
        return Redirect($"/acheteur/consultations/{Consultation.Id}/dce");
    }

    public async Task<IActionResult> OnPostRemoveAsync(Guid id, Guid fileId)
    {
        if (!await LoadAsync(id))
        {
            return NotFound();
        }
        DceFile? removed;
        try
        {
            removed = Consultation.RemoveDceFile(fileId);
        }
        catch (DomainException e)
        {
            ModelState.AddModelError(string.Empty, DomainMessages.For(e));
            return Page();
        }
        if (removed is null)
        {
            return NotFound();
        }
        await db.SaveChangesAsync();
        // The row goes first: a blob without a row is only wasted space, a row without its blob is a broken DCE.
        await store.DeleteAsync(removed.StorageKey);
        TempData["Notice"] = texts["DceRemoved", removed.RelativePath].Value;
        return Redirect($"/acheteur/consultations/{Consultation.Id}/dce");
    }

    private async Task<bool> LoadAsync(Guid id)
    {
        var consultation = await db.FindOwnAsync(User, id);
        if (consultation is null)
        {
            return false;
        }
        Consultation = consultation;
        ViewData["DceRemovable"] = consultation.Status == ConsultationStatus.Draft;
        return true;
    }
}

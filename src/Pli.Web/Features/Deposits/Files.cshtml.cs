using Microsoft.AspNetCore.Mvc;
using Microsoft.AspNetCore.Mvc.RazorPages;
using Pli.Domain.Common;
using Pli.Domain.Consultations;
using Pli.Domain.Deposits;
using Pli.Web.Infrastructure.Data;
using Pli.Web.Infrastructure.Errors;
using Pli.Web.Infrastructure.Security;

namespace Pli.Web.Features.Deposits;

/// <summary>
/// Steps 3 to 5: the files of each envelope (sent with tus, resumable; those received are listed from the
/// database, so closing the browser loses nothing), the terms of use, and "Valider", which seals.
/// </summary>
public sealed class FilesModel(PliDbContext db, DepositService deposits, TimeProvider time) : PageModel
{
    public Deposit Deposit { get; private set; } = default!;
    public Consultation Consultation { get; private set; } = default!;
    public UploadPanelModel Panel { get; private set; } = default!;

    [BindProperty]
    public bool AcceptTerms { get; set; }

    [BindProperty]
    public bool BackupCopyDeclared { get; set; }

    public bool DeadlinePassed { get; private set; }

    private string _userEmail = "";

    public async Task<IActionResult> OnGetAsync(Guid id, CancellationToken cancellationToken)
    {
        if (await LoadAsync(id, cancellationToken) is { } other)
        {
            return other;
        }
        return Page();
    }

    public async Task<IActionResult> OnPostRemoveFileAsync(Guid id, Guid fileId, CancellationToken cancellationToken)
    {
        if (await LoadAsync(id, cancellationToken) is { } other)
        {
            return other;
        }
        try
        {
            await deposits.RemoveFileAsync(Deposit, Consultation, fileId, cancellationToken);
            return Redirect(DepositPaths.Files(id));
        }
        catch (DomainException e)
        {
            ModelState.AddModelError(e.Field ?? "", DomainMessages.For(e));
            BuildPanel();
            return Page();
        }
    }

    public async Task<IActionResult> OnPostSealAsync(Guid id, CancellationToken cancellationToken)
    {
        if (await LoadAsync(id, cancellationToken) is { } other)
        {
            return other;
        }
        try
        {
            await deposits.SealAsync(Deposit, Consultation, AcceptTerms, BackupCopyDeclared, _userEmail, cancellationToken);
            return Redirect(DepositPaths.Confirmation(id));
        }
        catch (DomainException e)
        {
            ModelState.AddModelError(e.Field ?? "", DomainMessages.For(e));
            BuildPanel();
            return Page();
        }
    }

    private async Task<IActionResult?> LoadAsync(Guid id, CancellationToken cancellationToken)
    {
        if (await DepositAccess.LoadOwnAsync(db, id, User.UserId(), cancellationToken) is not { } own)
        {
            return NotFound();
        }
        if (!own.Deposit.IsDraft)
        {
            return Redirect(DepositPaths.Confirmation(id));
        }
        (Deposit, Consultation, _userEmail) = own;
        DeadlinePassed = time.GetUtcNow().UtcDateTime > Consultation.DeadlineUtc;
        BuildPanel();
        return null;
    }

    private void BuildPanel()
    {
        var envelopes = Deposit.Envelopes.Select(e => new UploadEnvelopeModel(DepositUploadMetadata.EnvelopeName(e.Kind), e.Lot,
            DepositLabels.Envelope(e.Kind, e.Lot, Consultation.Lots.FirstOrDefault(l => l.Number == e.Lot)?.Title),
            [.. Deposit.FilesIn(e).Select(f => new ReceivedFileModel(f.Id, f.Name, f.Size, f.Sha256, Utc(f.ReceivedUtc)))])).ToList();
        // The page pre-checks formats for all envelopes at once; the server tells the DUME's .xml apart per envelope.
        IReadOnlyList<string> formats = Deposit.CandidatureType == CandidatureType.Dume
            ? [.. Consultation.AcceptedFormatList.Append(Deposit.DumeFormat).Distinct()]
            : Consultation.AcceptedFormatList;
        Panel = new UploadPanelModel(Deposit.Id, Utc(Consultation.DeadlineUtc), time.GetUtcNow(), deposits.Limits.MaxFileSize, formats, envelopes);
    }

    private static DateTimeOffset Utc(DateTime utc) => new(DateTime.SpecifyKind(utc, DateTimeKind.Utc));
}

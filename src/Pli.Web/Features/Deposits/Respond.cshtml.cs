using System.Globalization;
using Microsoft.AspNetCore.Mvc;
using Microsoft.AspNetCore.Mvc.RazorPages;
using Pli.Domain.Common;
using Pli.Domain.Companies;
using Pli.Domain.Consultations;
using Pli.Domain.Deposits;
using Pli.Web.Infrastructure.Errors;
using Pli.Web.Infrastructure.Security;

namespace Pli.Web.Features.Deposits;

/// <summary>
/// Steps 1 and 2 of the answer: alone or in a group (with the co-traitants), which lots, which kind of
/// candidature. It starts the company's draft, or changes the one it has: coming back finds it as left.
/// </summary>
public sealed class RespondModel(DepositService deposits, TimeProvider time) : PageModel
{
    public const int MemberRows = 5;

    public Consultation Consultation { get; private set; } = default!;

    [BindProperty]
    public DepositMode Mode { get; set; } = DepositMode.Solo;

    [BindProperty]
    public CandidatureType CandidatureType { get; set; } = CandidatureType.Standard;

    [BindProperty]
    public List<int> Lots { get; set; } = [];

    [BindProperty]
    public List<MemberInput> Members { get; set; } = [];

    public bool HasDraft { get; private set; }

    public async Task<IActionResult> OnGetAsync(Guid consultationId, CancellationToken cancellationToken)
    {
        if (await LoadAsync(consultationId, cancellationToken) is { } refusal)
        {
            return refusal;
        }
        if (await deposits.FindDraftAsync(consultationId, User.CompanyId()!.Value, cancellationToken) is { } draft)
        {
            HasDraft = true;
            Mode = draft.Mode;
            CandidatureType = draft.CandidatureType;
            Lots = [.. draft.Lots];
            Members = [.. draft.Members.Select(m => new MemberInput { Name = m.Name, Siret = m.Siret })];
        }
        else if (Consultation.Lots.Count == 1)
        {
            Lots = [Consultation.Lots[0].Number];
        }
        PadMembers();
        return Page();
    }

    public async Task<IActionResult> OnPostAsync(Guid consultationId, CancellationToken cancellationToken)
    {
        if (await LoadAsync(consultationId, cancellationToken) is { } refusal)
        {
            return refusal;
        }
        if (Mode != DepositMode.Solo && !MembersAreValid())
        {
            PadMembers();
            return Page();
        }
        var choices = new DepositChoices(Mode, CandidatureType, Lots,
            [.. Members.Where(m => !string.IsNullOrWhiteSpace(m.Name) || !string.IsNullOrWhiteSpace(m.Siret)).Select(m => new CoContractor(m.Name ?? "", m.Siret ?? ""))]);
        try
        {
            var companyId = User.CompanyId()!.Value;
            var draft = await deposits.FindDraftAsync(consultationId, companyId, cancellationToken);
            if (draft is null)
            {
                draft = await deposits.StartDraftAsync(Consultation, companyId, User.UserId()!.Value, choices, cancellationToken);
            }
            else
            {
                await deposits.ChangeChoicesAsync(draft, Consultation, choices, cancellationToken);
            }
            return Redirect(DepositPaths.Files(draft.Id));
        }
        catch (DomainException e)
        {
            ModelState.AddModelError(e.Field ?? "", DomainMessages.For(e));
        }
        PadMembers();
        return Page();
    }

    private async Task<IActionResult?> LoadAsync(Guid consultationId, CancellationToken cancellationToken)
    {
        if (User.CompanyId() is null)
        {
            return Forbid();
        }
        var consultation = await deposits.FindOpenConsultationAsync(consultationId, cancellationToken);
        if (consultation is null)
        {
            return NotFound();
        }
        Consultation = consultation;
        if (!consultation.IsInProgress(time.GetUtcNow().UtcDateTime))
        {
            return Redirect($"/consultations/{consultationId}");
        }
        return null;
    }

    /// <summary>
    /// Each co-traitant row checked before the domain sees the list, so that a mistake is told beside its own
    /// field (the domain only knows "the members"), and every row typed is shown again as it was.
    /// </summary>
    private bool MembersAreValid()
    {
        for (var i = 0; i < Members.Count; i++)
        {
            var (name, siret) = (Members[i].Name?.Trim() ?? "", Members[i].Siret?.Trim() ?? "");
            if (name.Length == 0 && siret.Length == 0)
            {
                continue;
            }
            if (name.Length is 0 or > 200)
            {
                ModelState.AddModelError($"Members[{i}].Name", string.Format(CultureInfo.CurrentCulture, DepositLabels.Get("Respond_MemberNameInvalid"), i + 1));
            }
            if (!Siret.TryParse(siret, out _))
            {
                ModelState.AddModelError($"Members[{i}].Siret", string.Format(CultureInfo.CurrentCulture, DepositLabels.Get("Respond_MemberSiretInvalid"), i + 1));
            }
        }
        return ModelState.IsValid;
    }

    private void PadMembers()
    {
        while (Members.Count < MemberRows)
        {
            Members.Add(new MemberInput());
        }
    }

    public sealed class MemberInput
    {
        public string? Name { get; set; }
        public string? Siret { get; set; }
    }
}

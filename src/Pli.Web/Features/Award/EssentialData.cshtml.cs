using Microsoft.AspNetCore.Authorization;
using Microsoft.AspNetCore.Mvc;
using Microsoft.AspNetCore.Mvc.RazorPages;
using Microsoft.Extensions.Localization;
using Pli.Domain.Awards;
using Pli.Domain.Common;
using Pli.Web.Features.OpenData.Decp;
using Pli.Web.Infrastructure.Errors;
using Pli.Web.Infrastructure.Security;

namespace Pli.Web.Features.Award;

/// <summary>
/// The essential data (DECP) of an awarded lot: the agent completes what Pli cannot know, prefilled where
/// Pli can guess (procedure, CCAG, offers received), and publishes them once to the buyer's open data.
/// </summary>
[Authorize(Policy = Policies.ConsultationManager)]
public sealed class EssentialDataModel(AwardService award, DecpService decp, IStringLocalizer<AwardTexts> texts) : PageModel
{
    [BindProperty] public string? MarcheId { get; set; }
    [BindProperty] public string? Nature { get; set; }
    [BindProperty] public List<string> Techniques { get; set; } = [];
    [BindProperty] public List<string> ModalitesExecution { get; set; } = [];
    [BindProperty] public bool? MarcheInnovant { get; set; }
    [BindProperty] public string? Ccag { get; set; }
    [BindProperty] public int? OffresRecues { get; set; }
    [BindProperty] public bool? AttributionAvance { get; set; }
    [BindProperty] public decimal? TauxAvance { get; set; }
    [BindProperty] public string? TypeGroupement { get; set; }
    [BindProperty] public string? Procedure { get; set; }
    [BindProperty] public string? LieuCode { get; set; }
    [BindProperty] public string? LieuTypeCode { get; set; }
    [BindProperty] public int? DureeMois { get; set; }
    [BindProperty] public DateOnly? DateNotification { get; set; }
    [BindProperty] public List<string> TypesPrix { get; set; } = [];
    [BindProperty] public string? FormePrix { get; set; }
    [BindProperty] public bool? SousTraitanceDeclaree { get; set; }
    [BindProperty] public List<string> ConsiderationsSociales { get; set; } = [];
    [BindProperty] public List<string> ConsiderationsEnvironnementales { get; set; } = [];

    public AwardState State { get; private set; } = null!;
    public AwardDecision Decision { get; private set; } = null!;
    public int Lot { get; private set; }
    public bool Published => State.PublishedDecp.Contains(Decision.Id);

    public async Task<IActionResult> OnGetAsync(Guid id, int lot, CancellationToken cancellationToken)
    {
        if (!await LoadAsync(id, lot, cancellationToken))
        {
            return NotFound();
        }
        Fill(DecpService.Prefill(State, Decision));
        return Page();
    }

    public async Task<IActionResult> OnPostAsync(Guid id, int lot, CancellationToken cancellationToken)
    {
        if (!await LoadAsync(id, lot, cancellationToken))
        {
            return NotFound();
        }
        // A number or date the browser let through unreadable is left empty: the rule below names the field.
        ModelState.Clear();
        try
        {
            await decp.PublishAsync(State, User, Decision, Input(), cancellationToken);
        }
        catch (DomainException e)
        {
            var message = e.Code == "decp.required" && e.Field is not null
                ? texts["Required", texts["Field_" + e.Field]].Value
                : DomainMessages.For(e);
            ModelState.AddModelError(e.Field ?? string.Empty, message);
            return Page();
        }
        TempData["Notice"] = texts["DecpPublishedNotice"].Value;
        return Redirect(AwardPaths.Page(id) + $"#lot-{lot}");
    }

    private EssentialDataInput Input() => new(MarcheId, Nature, Techniques, ModalitesExecution, MarcheInnovant, Ccag, OffresRecues, AttributionAvance,
        TauxAvance, TypeGroupement, Procedure, LieuCode, LieuTypeCode, DureeMois, DateNotification, TypesPrix, FormePrix, SousTraitanceDeclaree,
        ConsiderationsSociales, ConsiderationsEnvironnementales);

    private void Fill(EssentialDataInput input)
    {
        (MarcheId, Nature, Techniques, ModalitesExecution, MarcheInnovant, Ccag, OffresRecues) =
            (input.MarcheId, input.Nature, [.. input.Techniques], [.. input.ModalitesExecution], input.MarcheInnovant, input.Ccag, input.OffresRecues);
        (AttributionAvance, TauxAvance, TypeGroupement, Procedure, LieuCode, LieuTypeCode, DureeMois, DateNotification) =
            (input.AttributionAvance, input.TauxAvance, input.TypeGroupement, input.Procedure, input.LieuCode, input.LieuTypeCode, input.DureeMois, input.DateNotification);
        (TypesPrix, FormePrix, SousTraitanceDeclaree, ConsiderationsSociales, ConsiderationsEnvironnementales) =
            ([.. input.TypesPrix], input.FormePrix, input.SousTraitanceDeclaree, [.. input.ConsiderationsSociales], [.. input.ConsiderationsEnvironnementales]);
    }

    private async Task<bool> LoadAsync(Guid id, int lot, CancellationToken cancellationToken)
    {
        var state = await award.LoadAsync(User, id, cancellationToken);
        if (state?.DecisionFor(lot) is not { } decision)
        {
            return false;
        }
        (State, Decision, Lot) = (state, decision, lot);
        return true;
    }
}

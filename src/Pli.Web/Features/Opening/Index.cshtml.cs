using Microsoft.AspNetCore.Authorization;
using Microsoft.AspNetCore.Mvc;
using Microsoft.AspNetCore.Mvc.RazorPages;
using Microsoft.Extensions.Localization;
using Pli.Domain.Common;
using Pli.Domain.Deposits;
using Pli.Web.Infrastructure.Errors;
using Pli.Web.Infrastructure.Security;

namespace Pli.Web.Features.Opening;

/// <summary>
/// The opening of a consultation's plis: the plis of each company with what the opening makes of them, the
/// buttons of each phase (the candidatures, then the offers of each lot), the opening of a replaced pli with
/// its reason, and, for each opened envelope, its files with their verification and scan. Openers of the
/// consultation's organisation only: anyone else gets 404.
/// </summary>
[Authorize(Policy = Policies.Opener)]
public sealed class IndexModel(OpeningService opening, IStringLocalizer<OpeningTexts> texts) : PageModel
{
    public OpeningBoard Board { get; private set; } = null!;

    /// <summary>The replaced pli whose form was refused, so that its form shows the reason typed again.</summary>
    [BindProperty]
    public Guid DepositId { get; set; }

    /// <summary>"candidature", "offre" or "offre-{lot}".</summary>
    [BindProperty]
    public string? Envelope { get; set; }

    [BindProperty]
    public string? Reason { get; set; }

    public async Task<IActionResult> OnGetAsync(Guid id, CancellationToken cancellationToken) =>
        await LoadAsync(id, cancellationToken) ? Page() : NotFound();

    public Task<IActionResult> OnPostCandidaturesAsync(Guid id, CancellationToken cancellationToken) =>
        ActAsync(id, "", () => opening.OpenCandidaturesAsync(User, Board, cancellationToken), "CandidaturesOpened", cancellationToken);

    public Task<IActionResult> OnPostOffersAsync(Guid id, int? lot, CancellationToken cancellationToken) =>
        ActAsync(id, "", () => opening.OpenOffersAsync(User, Board, lot, cancellationToken), "OffersOpened", cancellationToken);

    public Task<IActionResult> OnPostReplacedAsync(Guid id, CancellationToken cancellationToken) =>
        ActAsync(id, ReasonField(DepositId), () => opening.OpenReplacedAsync(User, Board, DepositId, ParseEnvelope(Envelope), Reason, cancellationToken), "ReplacedOpened", cancellationToken);

    public static string ReasonField(Guid depositId) => $"Reason-{depositId:N}";

    public static string EnvelopeValue(Envelope envelope) =>
        envelope.Kind == EnvelopeKind.Candidature ? "candidature" : envelope.Lot is { } lot ? $"offre-{lot}" : "offre";

    private static Envelope ParseEnvelope(string? value) => value switch
    {
        "offre" => new Envelope(EnvelopeKind.Offre, null),
        { } v when v.StartsWith("offre-", StringComparison.Ordinal) && int.TryParse(v.AsSpan(6), System.Globalization.CultureInfo.InvariantCulture, out var lot) => new Envelope(EnvelopeKind.Offre, lot),
        _ => new Envelope(EnvelopeKind.Candidature, null),
    };

    private async Task<IActionResult> ActAsync(Guid id, string field, Func<Task<IReadOnlyList<Pli.Domain.Opening.OpeningAct>>> act, string notice, CancellationToken cancellationToken)
    {
        if (!await LoadAsync(id, cancellationToken))
        {
            return NotFound();
        }
        try
        {
            var acts = await act();
            TempData["Notice"] = texts[notice, acts.Count].Value;
        }
        catch (DomainException e)
        {
            ModelState.AddModelError(e.Field == "Reason" ? field : "", DomainMessages.For(e));
            // What was refused must show on the page as it stands: nothing was recorded.
            await LoadAsync(id, cancellationToken);
            return Page();
        }
        return Redirect(OpeningPaths.Page(id));
    }

    private async Task<bool> LoadAsync(Guid id, CancellationToken cancellationToken)
    {
        var board = await opening.LoadAsync(User, id, cancellationToken);
        if (board is null)
        {
            return false;
        }
        Board = board;
        return true;
    }
}

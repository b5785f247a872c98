using System.Globalization;
using Microsoft.AspNetCore.Authorization;
using Microsoft.AspNetCore.Mvc;
using Microsoft.AspNetCore.Mvc.RazorPages;
using Microsoft.Extensions.Localization;
using Pli.Domain.Common;
using Pli.Web.Infrastructure.Errors;
using Pli.Web.Infrastructure.Security;

namespace Pli.Web.Features.Award;

/// <summary>
/// The award of a consultation, after its deadline: per lot (or for the single contract, lot 0) the agent
/// chooses the awarded companies among those that answered on time, the amount and the date of the
/// decision, then sends the award and rejection letters; or declares the whole consultation "sans suite".
/// </summary>
[Authorize(Policy = Policies.ConsultationManager)]
public sealed class AttributionModel(AwardService award, TimeProvider time, IStringLocalizer<AwardTexts> texts) : PageModel
{
    [BindProperty]
    public int Lot { get; set; }

    [BindProperty]
    public List<Guid> CompanyIds { get; set; } = [];

    [BindProperty]
    public string? AmountHt { get; set; }

    [BindProperty]
    public string? DecisionDate { get; set; }

    [BindProperty]
    public string? Reason { get; set; }

    public AwardState State { get; private set; } = null!;

    public DateTime NowUtc => time.GetUtcNow().UtcDateTime;

    public bool DeadlinePassed => NowUtc > State.Consultation.DeadlineUtc;

    public string Today => DateOnly.FromDateTime(ParisTime.ToParis(NowUtc).DateTime).ToString("yyyy-MM-dd", CultureInfo.InvariantCulture);

    public async Task<IActionResult> OnGetAsync(Guid id, CancellationToken cancellationToken) =>
        await LoadAsync(id, cancellationToken) ? Page() : NotFound();

    public async Task<IActionResult> OnPostDecideAsync(Guid id, CancellationToken cancellationToken)
    {
        if (!await LoadAsync(id, cancellationToken))
        {
            return NotFound();
        }
        try
        {
            await award.DecideAsync(State, User, Lot, CompanyIds, ReadAmount(), ReadDate(), cancellationToken);
        }
        catch (DomainException e)
        {
            ModelState.AddModelError(e.Field is null ? string.Empty : $"{e.Field}_{Lot}", DomainMessages.For(e));
            return Page();
        }
        TempData["Notice"] = Lot == 0 ? texts["DecidedNoticeSingle"].Value : texts["DecidedNotice", Lot].Value;
        return Redirect(AwardPaths.Page(id) + $"#lot-{Lot}");
    }

    public async Task<IActionResult> OnPostLettersAsync(Guid id, CancellationToken cancellationToken)
    {
        if (!await LoadAsync(id, cancellationToken))
        {
            return NotFound();
        }
        int sent;
        try
        {
            sent = await award.SendLettersAsync(State, User, Lot, cancellationToken);
        }
        catch (DomainException e)
        {
            ModelState.AddModelError(string.Empty, DomainMessages.For(e));
            return Page();
        }
        TempData["Notice"] = texts["LettersSentNotice", sent].Value;
        return Redirect(AwardPaths.Page(id) + $"#lot-{Lot}");
    }

    public async Task<IActionResult> OnPostSansSuiteAsync(Guid id, CancellationToken cancellationToken)
    {
        if (!await LoadAsync(id, cancellationToken))
        {
            return NotFound();
        }
        int told;
        try
        {
            told = await award.DeclareSansSuiteAsync(State, User, Reason, cancellationToken);
        }
        catch (DomainException e)
        {
            ModelState.AddModelError(e.Field ?? string.Empty, DomainMessages.For(e));
            return Page();
        }
        TempData["Notice"] = texts["SansSuiteNotice", told].Value;
        return Redirect(AwardPaths.Page(id));
    }

    /// <summary>"12 345,67", "12345.67" or "12345": spaces (also non-breaking) ignored, comma or point as decimal separator.</summary>
    private decimal ReadAmount()
    {
        var text = new string([.. (AmountHt ?? "").Where(c => !char.IsWhiteSpace(c) && c is not '\u202f' and not '\u00a0' and not '€')]).Replace(',', '.');
        return decimal.TryParse(text, NumberStyles.AllowDecimalPoint, CultureInfo.InvariantCulture, out var amount)
            ? amount
            : throw new DomainException("award.amount", "Indiquez le montant du marché hors taxes, en euros (supérieur à zéro).", "AmountHt");
    }

    private DateOnly ReadDate() =>
        DateOnly.TryParseExact(DecisionDate?.Trim(), "yyyy-MM-dd", CultureInfo.InvariantCulture, DateTimeStyles.None, out var date)
            ? date
            : throw new DomainException("award.decision-date", "Indiquez la date de la décision.", "DecisionDate");

    private async Task<bool> LoadAsync(Guid id, CancellationToken cancellationToken)
    {
        var state = await award.LoadAsync(User, id, cancellationToken);
        if (state is null)
        {
            return false;
        }
        State = state;
        return true;
    }
}

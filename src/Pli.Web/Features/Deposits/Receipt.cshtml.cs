using Microsoft.AspNetCore.Mvc;
using Microsoft.AspNetCore.Mvc.RazorPages;
using Microsoft.EntityFrameworkCore;
using Pli.Domain.Common;
using Pli.Domain.Consultations;
using Pli.Domain.Deposits;
using Pli.Web.Infrastructure.Data;
using Pli.Web.Infrastructure.Errors;
using Pli.Web.Infrastructure.Security;

namespace Pli.Web.Features.Deposits;

/// <summary>Step 6, the confirmation: what was received and when, to the second, with the receipt to download; and the withdrawal.</summary>
public sealed class ReceiptModel(PliDbContext db, DepositService deposits, TimeProvider time) : PageModel
{
    public Deposit Deposit { get; private set; } = default!;
    public Consultation Consultation { get; private set; } = default!;
    public DepositReceipt? DepositReceipt { get; private set; }
    public DepositReceipt? WithdrawalReceipt { get; private set; }
    public bool MayWithdraw { get; private set; }

    /// <summary>Before the deadline only: after it, the wizard would only send the company back to the consultation.</summary>
    public bool MayDepositAgain { get; private set; }

    private string _userEmail = "";

    public async Task<IActionResult> OnGetAsync(Guid id, CancellationToken cancellationToken) =>
        await LoadAsync(id, cancellationToken) ?? Page();

    public async Task<IActionResult> OnPostWithdrawAsync(Guid id, CancellationToken cancellationToken)
    {
        if (await LoadAsync(id, cancellationToken) is { } other)
        {
            return other;
        }
        try
        {
            await deposits.WithdrawAsync(Deposit, Consultation, _userEmail, cancellationToken);
            return Redirect(DepositPaths.Confirmation(id));
        }
        catch (DomainException e)
        {
            ModelState.AddModelError("", DomainMessages.For(e));
            return Page();
        }
    }

    private async Task<IActionResult?> LoadAsync(Guid id, CancellationToken cancellationToken)
    {
        if (await DepositAccess.LoadOwnAsync(db, id, User.UserId(), cancellationToken) is not { } own)
        {
            return NotFound();
        }
        if (own.Deposit.IsDraft)
        {
            return Redirect(DepositPaths.Files(id));
        }
        (Deposit, Consultation, _userEmail) = own;
        var receipts = await db.DepositReceipts.AsNoTracking().Where(r => r.DepositId == id).ToListAsync(cancellationToken);
        DepositReceipt = receipts.FirstOrDefault(r => r.Kind == ReceiptKind.Deposit);
        WithdrawalReceipt = receipts.FirstOrDefault(r => r.Kind == ReceiptKind.Withdrawal);
        MayDepositAgain = time.GetUtcNow().UtcDateTime <= Consultation.DeadlineUtc;
        MayWithdraw = Deposit.Status == DepositStatus.Sealed && !Deposit.IsLate && MayDepositAgain;
        return null;
    }
}

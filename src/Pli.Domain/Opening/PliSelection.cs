using Pli.Domain.Deposits;

namespace Pli.Domain.Opening;

/// <summary>What the opening makes of one deposit.</summary>
public enum PliStatus
{
    /// <summary>The company's last pli sealed on time: the one opened ("retenu").</summary>
    Retained,

    /// <summary>An earlier pli of the same company, sealed on time, superseded by a later one ("remplacé"): opened only with a written reason.</summary>
    Replaced,

    /// <summary>Withdrawn by the company before the deadline ("retiré"): never opened.</summary>
    Withdrawn,

    /// <summary>Sealed after the deadline ("hors délai"): never opened.</summary>
    Late,
}

/// <param name="Deposit">The deposit, sealed or withdrawn (drafts are never selected).</param>
/// <param name="Status">Retained, replaced, withdrawn or late.</param>
/// <param name="BackupCopyRule">
/// A late pli whose transmission began at or before the deadline: the company may have sent a backup copy
/// (copie de sauvegarde) in time, which the buyer then has to open instead, outside the platform.
/// </param>
public sealed record SelectedPli(Deposit Deposit, PliStatus Status, bool BackupCopyRule)
{
    public bool MayBeOpened => Status is PliStatus.Retained or PliStatus.Replaced;
}

/// <summary>
/// Which pli of each company is opened (article R2151-6 of the code de la commande publique: only the last
/// offer received in time is opened). For each company: the last deposit sealed at or before the deadline and
/// not withdrawn is retained; earlier ones sealed on time are replaced; withdrawn ones are withdrawn; late ones
/// are late, whatever came before. Drafts were never deposited and are ignored.
/// </summary>
public static class PliSelection
{
    public static IReadOnlyList<SelectedPli> Select(DateTime deadlineUtc, IEnumerable<Deposit> deposits)
    {
        var selected = new List<SelectedPli>();
        foreach (var company in deposits.Where(d => !d.IsDraft && d.SealedUtc is not null).GroupBy(d => d.CompanyId))
        {
            var ordered = company.OrderBy(d => d.SealedUtc).ThenBy(d => d.Number, StringComparer.Ordinal).ToList();
            var onTime = ordered.Where(d => d.Status == DepositStatus.Sealed && !IsLate(d, deadlineUtc)).ToList();
            var retained = onTime.LastOrDefault();
            foreach (var deposit in ordered)
            {
                if (IsLate(deposit, deadlineUtc))
                {
                    var backup = deposit.TransmissionStartedUtc is { } started && started <= deadlineUtc;
                    selected.Add(new SelectedPli(deposit, PliStatus.Late, backup));
                }
                else if (deposit.Status == DepositStatus.Withdrawn)
                {
                    selected.Add(new SelectedPli(deposit, PliStatus.Withdrawn, false));
                }
                else
                {
                    selected.Add(new SelectedPli(deposit, deposit == retained ? PliStatus.Retained : PliStatus.Replaced, false));
                }
            }
        }
        return selected;
    }

    /// <summary>Late as recorded when sealed, or sealed after the deadline as it stands now (both are never opened).</summary>
    private static bool IsLate(Deposit deposit, DateTime deadlineUtc) => deposit.IsLate || deposit.SealedUtc > deadlineUtc;
}

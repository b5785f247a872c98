using Microsoft.EntityFrameworkCore;
using Pli.Domain.Consultations;
using Pli.Domain.Deposits;
using Pli.Web.Infrastructure.Data;

namespace Pli.Web.Features.Registers;

/// <summary>One deposit of the register, with its company: metadata only, never a byte of a file.</summary>
public sealed record DepositLine(Deposit Deposit, string CompanyName, string? CompanyIdentifier)
{
    public RegisterTimeliness Timeliness => Deposit.Status == DepositStatus.Withdrawn
        ? RegisterTimeliness.Withdrawn
        : Deposit.IsLate ? RegisterTimeliness.Late : RegisterTimeliness.OnTime;
}

public enum RegisterTimeliness
{
    OnTime,
    Late,
    Withdrawn,
}

/// <summary>
/// Reads the register of deposits: every pli sealed (on time or late) or withdrawn, in the order of their
/// horodatage. Drafts are not deposits and do not appear. Readable before the deadline: it names what was
/// received, when, and the files' digests, which say nothing of their content.
/// </summary>
public static class DepositRegister
{
    public static async Task<IReadOnlyList<DepositLine>> ReadAsync(PliDbContext db, Guid consultationId, CancellationToken cancellationToken = default)
    {
        var deposits = await db.Deposits.AsNoTracking().Include(d => d.Files)
            .Where(d => d.ConsultationId == consultationId && d.Status != DepositStatus.Draft)
            .AsSplitQuery().ToListAsync(cancellationToken);
        var companyIds = deposits.Select(d => d.CompanyId).Distinct().ToList();
        var companies = await db.Companies.AsNoTracking().Where(c => companyIds.Contains(c.Id))
            .Select(c => new { c.Id, c.Name, c.Siret, c.Country, c.NationalIdentifier }).ToDictionaryAsync(c => c.Id, cancellationToken);
        return [.. deposits.OrderBy(d => d.SealedUtc).ThenBy(d => d.Number, StringComparer.Ordinal).Select(d =>
        {
            var company = companies.GetValueOrDefault(d.CompanyId);
            return new DepositLine(d, company?.Name ?? "—", company is null ? null : company.Siret ?? $"{company.Country} {company.NationalIdentifier}");
        })];
    }

    /// <summary>The files of a deposit envelope by envelope (the candidature, then each offer), as on the receipt.</summary>
    public static IEnumerable<(Envelope Envelope, DepositFile File)> Files(Deposit deposit) =>
        deposit.Envelopes.SelectMany(e => deposit.FilesIn(e).Select(f => (e, f)));

    public static string EnvelopeLabel(Consultation consultation, Envelope envelope, System.Globalization.CultureInfo culture) =>
        Deposits.DepositLabels.Envelope(envelope.Kind, envelope.Lot, consultation.Lots.FirstOrDefault(l => l.Number == envelope.Lot)?.Title, culture);
}

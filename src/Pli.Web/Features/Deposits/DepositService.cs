using System.Globalization;
using Microsoft.EntityFrameworkCore;
using Microsoft.Extensions.Options;
using Pli.Domain.Common;
using Pli.Domain.Consultations;
using Pli.Domain.Deposits;
using Pli.Web.Features.Deposits.Receipts;
using Pli.Web.Infrastructure.Audit;
using Pli.Web.Infrastructure.Data;
using Pli.Web.Infrastructure.Storage;

namespace Pli.Web.Features.Deposits;

/// <summary>
/// The coordinator of a company's deposits: drafts, files, sealing and withdrawal, with their receipts.
/// The rules are the domain's (<see cref="Deposit"/>); this class loads, saves, stamps and mails.
/// </summary>
public sealed class DepositService(
    PliDbContext db,
    ConsultationKeyStore keys,
    IFileStore files,
    ReceiptFinisher finisher,
    TimeProvider time,
    IOptions<DepositOptions> options,
    AuditTrail audit,
    ILogger<DepositService> logger)
{
    public DepositLimits Limits => options.Value.Limits;

    /// <summary>The company's draft for the consultation, if it has one (at most one at a time).</summary>
    public Task<Deposit?> FindDraftAsync(Guid consultationId, Guid companyId, CancellationToken cancellationToken) =>
        db.Deposits.Include(d => d.Files).Include(d => d.Members)
            .FirstOrDefaultAsync(d => d.ConsultationId == consultationId && d.CompanyId == companyId && d.Status == DepositStatus.Draft, cancellationToken);

    public Task<Consultation?> FindOpenConsultationAsync(Guid consultationId, CancellationToken cancellationToken) =>
        db.Consultations.AsNoTracking().Include(c => c.Lots)
            .FirstOrDefaultAsync(c => c.Id == consultationId && c.Status == ConsultationStatus.Published, cancellationToken);

    /// <summary>Starts a draft; a company with a draft already gets that one refused with its number, so no work is split between two drafts.</summary>
    public async Task<Deposit> StartDraftAsync(Consultation consultation, Guid companyId, Guid userId, DepositChoices choices, CancellationToken cancellationToken)
    {
        if (await FindDraftAsync(consultation.Id, companyId, cancellationToken) is { } existing)
        {
            throw new DepositDraftExistsException(existing);
        }
        var deposit = Deposit.StartDraft(consultation, companyId, userId, choices, Now);
        // Normally made at publication; for one published otherwise, now, so that the first file does not wait for it.
        await keys.EnsureAsync(consultation.Id, cancellationToken);
        db.Deposits.Add(deposit);
        await db.SaveChangesAsync(cancellationToken);
        return deposit;
    }

    public async Task ChangeChoicesAsync(Deposit deposit, Consultation consultation, DepositChoices choices, CancellationToken cancellationToken)
    {
        deposit.ChangeChoices(consultation, choices, Now);
        // Members are replaced whole: the old rows go.
        db.RemoveRange(await db.Set<GroupMember>().Where(m => m.DepositId == deposit.Id && !deposit.Members.Select(x => x.Id).Contains(m.Id)).ToListAsync(cancellationToken));
        await db.SaveChangesAsync(cancellationToken);
    }

    public async Task RemoveFileAsync(Deposit deposit, Consultation consultation, Guid fileId, CancellationToken cancellationToken)
    {
        var file = deposit.RemoveFile(fileId, consultation.DeadlineUtc, Now);
        db.Remove(file);
        await db.SaveChangesAsync(cancellationToken);
        await files.DeleteAsync(file.StorageKey, cancellationToken);
    }

    /// <summary>
    /// Seals the pli at the server's time (to the millisecond) and issues its receipt: the canonical JSON
    /// is saved with the deposit in one transaction, then time-stamped and mailed. A time-stamping
    /// authority that does not answer never costs a deposit: the pli is sealed and its horodatage
    /// stands; the receipt then has no token (nothing stamps it again yet).
    /// </summary>
    public Task<DepositReceipt> SealAsync(Deposit deposit, Consultation consultation, bool acceptTerms, bool backupCopy, string mailTo, CancellationToken cancellationToken) =>
        CloseAsync(deposit, consultation, ReceiptKind.Deposit, now => deposit.Seal(consultation.DeadlineUtc, acceptTerms, backupCopy, now), mailTo, cancellationToken);

    public Task<DepositReceipt> WithdrawAsync(Deposit deposit, Consultation consultation, string mailTo, CancellationToken cancellationToken) =>
        CloseAsync(deposit, consultation, ReceiptKind.Withdrawal, now => deposit.Withdraw(consultation.DeadlineUtc, now), mailTo, cancellationToken);

    /// <summary>The receipt as the PDF renderer takes it, in the reader's language.</summary>
    public static ReceiptDocument ToDocument(DepositReceipt receipt, CultureInfo culture)
    {
        var content = ReceiptContent.FromJson(receipt.Json);
        var lotTitles = content.Lots.ToDictionary(l => l.Number, l => l.Title);
        var members = new List<ReceiptMember>();
        if (content.CoContractors.Count > 0)
        {
            members.Add(new ReceiptMember(content.Company.Name, content.Company.Siret, DepositLabels.Get("Member_Mandataire", culture)));
            members.AddRange(content.CoContractors.Select(m => new ReceiptMember(m.Name, m.Siret, DepositLabels.Get("Member_CoTraitant", culture))));
        }
        return new ReceiptDocument(
            receipt.Kind,
            content.Number,
            content.Consultation.Id,
            content.Consultation.Name,
            content.Buyer.Name,
            content.Company.Name,
            content.Company.Siret,
            DepositLabels.Mode(Enum.Parse<DepositMode>(content.Mode), culture),
            members,
            [.. content.Lots.Select(l => DepositLabels.Lot(l.Number, l.Title, culture))],
            DepositLabels.CandidatureType(Enum.Parse<CandidatureType>(content.CandidatureType), culture),
            [.. content.Envelopes.Select(e => new ReceiptEnvelope(
                DepositLabels.Envelope(e.Envelope == "candidature" ? EnvelopeKind.Candidature : EnvelopeKind.Offre, e.Lot, e.Lot is { } n ? lotTitles.GetValueOrDefault(n) : null, culture),
                [.. e.Files.Select(f => new ReceiptFile(f.Name, f.Size, f.Sha256))]))],
            content.ReceivedAt,
            content.TransmissionStartedAt,
            content.Deadline,
            content.Late,
            receipt.Sha256,
            receipt.TimestampGenTimeUtc is { } gen ? new DateTimeOffset(gen, TimeSpan.Zero) : null,
            receipt.TimestampSerial,
            receipt.TimestampAuthority,
            content.BackupCopyDeclared);
    }

    private DateTime Now => time.GetUtcNow().UtcDateTime;

    /// <summary>Seal or withdrawal: the domain's change at the server's time, its receipt saved with it, then stamped and mailed.</summary>
    private async Task<DepositReceipt> CloseAsync(Deposit deposit, Consultation consultation, ReceiptKind kind, Action<DateTime> change, string mailTo, CancellationToken cancellationToken)
    {
        var now = Now;
        change(now);
        db.Entry(deposit).Property("Version").CurrentValue = Guid.NewGuid();
        var receipt = await NewReceiptAsync(deposit, consultation, kind, now, cancellationToken);
        receipt.MailTo = mailTo;
        db.DepositReceipts.Add(receipt);
        audit.Record(kind == ReceiptKind.Deposit ? "deposit.sealed" : "deposit.withdrawn", null, deposit.CompanyId, null, consultation.Id, $"deposit:{deposit.Id}",
            string.Create(CultureInfo.InvariantCulture, $"n° {deposit.Number}; {deposit.Files.Count} files, {deposit.TotalSize} bytes{(deposit.IsLate ? "; late" : "")}"));
        await SaveOnceAsync(deposit, cancellationToken);
        await StampAndMailAsync(receipt, deposit, consultation, cancellationToken);
        return receipt;
    }

    private async Task SaveOnceAsync(Deposit deposit, CancellationToken cancellationToken)
    {
        try
        {
            await db.SaveChangesAsync(cancellationToken);
        }
        catch (DbUpdateException e) when (e is DbUpdateConcurrencyException || e.InnerException is not null)
        {
            // Another request sealed or withdrew it a moment before: its receipt is the one.
            logger.LogInformation(e, "Deposit {Deposit} changed concurrently.", deposit.Id);
            throw new DomainException("deposit.already-sealed", $"Ce pli est déjà déposé (n° {deposit.Number}) : pour le compléter, faites un nouveau dépôt.", null, deposit.Number);
        }
    }

    private async Task StampAndMailAsync(DepositReceipt receipt, Deposit deposit, Consultation consultation, CancellationToken cancellationToken)
    {
        await finisher.FinishAsync(receipt, deposit, consultation, cancellationToken);
        // The token and the receipt mail are saved together; the mail then leaves through the outbox. A crash
        // before this save leaves the receipt incomplete: ReceiptCompletion finishes it.
        await db.SaveChangesAsync(CancellationToken.None);
    }

    private async Task<DepositReceipt> NewReceiptAsync(Deposit deposit, Consultation consultation, ReceiptKind kind, DateTime now, CancellationToken cancellationToken)
    {
        var organisation = await db.Organisations.AsNoTracking().FirstAsync(o => o.Id == consultation.OrganisationId, cancellationToken);
        var company = await db.Companies.AsNoTracking().FirstAsync(c => c.Id == deposit.CompanyId, cancellationToken);
        var lots = consultation.Lots.Where(l => deposit.Lots.Contains(l.Number)).OrderBy(l => l.Number).ToList();
        var content = new ReceiptContent(
            ReceiptContent.TypeName,
            1,
            kind == ReceiptKind.Deposit ? "deposit" : "withdrawal",
            deposit.Number,
            deposit.Id,
            new ReceiptParty(consultation.Reference, consultation.Title, null),
            new ReceiptParty(organisation.Id.ToString(), organisation.Name, organisation.Siret),
            new ReceiptParty(company.Id.ToString(), company.Name, company.Siret ?? $"{company.Country} {company.NationalIdentifier}"),
            deposit.Mode.ToString(),
            [.. deposit.Members.Select(m => new ReceiptParty(m.Id.ToString(), m.Name, m.Siret))],
            [.. lots.Select(l => new ReceiptLot(l.Number, l.Title))],
            deposit.CandidatureType.ToString(),
            [.. deposit.Envelopes.Select(e => ContentOf(deposit, e))],
            Utc(deposit.SealedUtc!.Value),
            Utc(deposit.TransmissionStartedUtc!.Value),
            Utc(consultation.DeadlineUtc),
            deposit.IsLate,
            deposit.BackupCopyDeclaredUtc is not null,
            deposit.WithdrawnUtc is { } withdrawn ? Utc(withdrawn) : null);
        var json = content.ToJson();
        return new DepositReceipt
        {
            Id = Guid.NewGuid(),
            DepositId = deposit.Id,
            Kind = kind,
            IssuedUtc = now,
            Json = json,
            Sha256 = ReceiptContent.Sha256Of(json),
        };
    }

    private static ReceiptContentEnvelope ContentOf(Deposit deposit, Envelope envelope) =>
        new(DepositUploadMetadata.EnvelopeName(envelope.Kind), envelope.Lot, [.. deposit.FilesIn(envelope)
            .Select(f => new ReceiptContentFile(f.Name, f.Size, f.Sha256, Utc(f.TransmissionStartedUtc), Utc(f.ReceivedUtc)))]);

    private static DateTimeOffset Utc(DateTime utc) => new(DateTime.SpecifyKind(utc, DateTimeKind.Utc));
}

/// <summary>A company asked for a second draft of the same consultation: it is told which one it has.</summary>
public sealed class DepositDraftExistsException(Deposit existing) : Exception($"Deposit {existing.Id} is already a draft.")
{
    public Deposit Existing { get; } = existing;
}

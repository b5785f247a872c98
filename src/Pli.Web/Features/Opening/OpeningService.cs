using System.Globalization;
using System.Security.Claims;
using Microsoft.EntityFrameworkCore;
using Pli.Domain.Common;
using Pli.Domain.Consultations;
using Pli.Domain.Deposits;
using Pli.Domain.Opening;
using Pli.Web.Features.Backoffice.Consultations;
using Pli.Web.Infrastructure.Audit;
using Pli.Web.Infrastructure.Data;
using Pli.Web.Infrastructure.Security;

namespace Pli.Web.Features.Opening;

/// <summary>
/// The opening of a consultation's plis by its organisation's openers: which pli of each company is opened
/// (<see cref="PliSelection"/>), the acts (<see cref="OpeningSession"/>), and at each act the check of every
/// file of the envelope opened (<see cref="SealedFileVerifier"/>), the key opened once for all of them.
/// Every act and every altered file goes into the audit trail, saved with the act.
/// </summary>
public sealed class OpeningService(PliDbContext db, IOpeningKeySource keys, SealedFileVerifier verifier, AuditTrail audit, TimeProvider time)
{
    /// <summary>The board of a consultation of the user's own organisation, null otherwise (404). A draft has nothing to open.</summary>
    public async Task<OpeningBoard?> LoadAsync(ClaimsPrincipal user, Guid consultationId, CancellationToken cancellationToken)
    {
        var consultation = await db.FindOwnReadOnlyAsync(user, consultationId, cancellationToken);
        if (consultation is null || consultation.Status == ConsultationStatus.Draft)
        {
            return null;
        }
        var lots = await db.Lots.AsNoTracking().Where(l => l.ConsultationId == consultationId).OrderBy(l => l.Number).ToListAsync(cancellationToken);
        var deposits = await db.Deposits.AsNoTracking().Include(d => d.Files)
            .Where(d => d.ConsultationId == consultationId && d.Status != DepositStatus.Draft).ToListAsync(cancellationToken);
        var companyIds = deposits.Select(d => d.CompanyId).Distinct().ToList();
        var companies = await db.Companies.AsNoTracking().Where(c => companyIds.Contains(c.Id)).ToDictionaryAsync(c => c.Id, c => c.Name, cancellationToken);
        var session = await db.OpeningSessions.Include(s => s.Acts).FirstOrDefaultAsync(s => s.ConsultationId == consultationId, cancellationToken);
        var actIds = session?.Acts.Select(a => a.Id).ToList() ?? [];
        var checks = await db.OpenedFileChecks.AsNoTracking().Where(c => actIds.Contains(c.ActId)).ToListAsync(cancellationToken);
        var userIds = session?.Acts.Select(a => a.UserId).Distinct().ToList() ?? [];
        var users = await db.Users.AsNoTracking().Where(u => userIds.Contains(u.Id)).ToDictionaryAsync(u => u.Id, u => u.FullName, cancellationToken);
        var selection = PliSelection.Select(consultation.DeadlineUtc, deposits)
            .OrderBy(p => companies.GetValueOrDefault(p.Deposit.CompanyId), StringComparer.CurrentCulture)
            .ThenBy(p => p.Deposit.SealedUtc)
            .ToList();
        return new OpeningBoard(consultation, lots, selection, companies, session, checks.ToDictionary(c => c.DepositFileId), users, time.GetUtcNow().UtcDateTime);
    }

    /// <summary>Opens the candidature of every retained pli not opened yet: one act per pli.</summary>
    public Task<IReadOnlyList<OpeningAct>> OpenCandidaturesAsync(ClaimsPrincipal user, OpeningBoard board, CancellationToken cancellationToken)
    {
        var candidature = new Envelope(EnvelopeKind.Candidature, null);
        var targets = board.Selection.Where(p => p.Status == PliStatus.Retained && !board.IsOpened(p.Deposit.Id, candidature))
            .Select(p => (p, candidature)).ToList();
        return OpenAsync(user, board, targets, null, "opening.candidatures", cancellationToken);
    }

    /// <summary>Opens the offer for <paramref name="lot"/> (null without lots) of every retained pli that answered it and whose offer is not opened yet.</summary>
    public Task<IReadOnlyList<OpeningAct>> OpenOffersAsync(ClaimsPrincipal user, OpeningBoard board, int? lot, CancellationToken cancellationToken)
    {
        var offer = new Envelope(EnvelopeKind.Offre, lot);
        var targets = board.Selection.Where(p => p.Status == PliStatus.Retained && p.Deposit.Envelopes.Contains(offer) && !board.IsOpened(p.Deposit.Id, offer))
            .Select(p => (p, offer)).ToList();
        return OpenAsync(user, board, targets, null, "opening.offers", cancellationToken);
    }

    /// <summary>Opens one envelope of a replaced pli, with the written reason that the rule requires (recorded with the act and in the audit trail).</summary>
    public Task<IReadOnlyList<OpeningAct>> OpenReplacedAsync(ClaimsPrincipal user, OpeningBoard board, Guid depositId, Envelope envelope, string? reason, CancellationToken cancellationToken)
    {
        var pli = board.Selection.FirstOrDefault(p => p.Deposit.Id == depositId)
            ?? throw new DomainException("opening.deposit-unknown", "Ce pli n'appartient pas à cette consultation.");
        if (pli.Status == PliStatus.Retained)
        {
            // The retained pli opens with the buttons of its phase, never through this form.
            throw new DomainException("opening.deposit-unknown", "Ce pli n'appartient pas à cette consultation.");
        }
        return OpenAsync(user, board, [(pli, envelope)], reason, "opening.replaced", cancellationToken);
    }

    private async Task<IReadOnlyList<OpeningAct>> OpenAsync(ClaimsPrincipal user, OpeningBoard board, IReadOnlyList<(SelectedPli Pli, Envelope Envelope)> targets,
        string? reason, string action, CancellationToken cancellationToken)
    {
        try
        {
            return await TryOpenAsync(user, board, targets, reason, action, cancellationToken);
        }
        catch
        {
            // Nothing of a refused opening stays tracked: the page reloads what is recorded, not what was tried.
            db.ChangeTracker.Clear();
            throw;
        }
    }

    private async Task<IReadOnlyList<OpeningAct>> TryOpenAsync(ClaimsPrincipal user, OpeningBoard board, IReadOnlyList<(SelectedPli Pli, Envelope Envelope)> targets,
        string? reason, string action, CancellationToken cancellationToken)
    {
        var consultation = board.Consultation;
        var now = time.GetUtcNow().UtcDateTime;
        OpeningSession.RequireAfterDeadline(consultation.DeadlineUtc, now);
        if (targets.Count == 0)
        {
            throw new DomainException("opening.nothing-to-open", "Il n'y a aucune enveloppe à ouvrir.");
        }
        var userId = user.UserId() ?? throw new InvalidOperationException("An opener is signed in.");
        var session = board.Session;
        if (session is null)
        {
            session = OpeningSession.Start(consultation.Id, consultation.DeadlineUtc, now);
            db.OpeningSessions.Add(session);
        }
        // Every rule is checked for every envelope before the key is opened or a byte decrypted.
        var acts = targets.Select(t => (t.Pli, Act: session.Open(t.Pli, t.Envelope, userId, reason, consultation.DeadlineUtc, now))).ToList();
        using (var key = await keys.OpenAsync(consultation, cancellationToken))
        {
            foreach (var (pli, act) in acts)
            {
                var files = pli.Deposit.FilesIn(act.OpenedEnvelope).ToList();
                var altered = 0;
                foreach (var file in files)
                {
                    var check = await verifier.VerifyAsync(act.Id, file, key, cancellationToken);
                    db.OpenedFileChecks.Add(check);
                    if (check.IsAltered)
                    {
                        altered++;
                        audit.Record("opening.file-altered", user, consultation.Id, $"file:{file.Id}",
                            $"pli {pli.Deposit.Number}, {EnvelopeCode(act.OpenedEnvelope)}, « {file.Name} » : {check.AlterationCode}");
                    }
                    if (check.IsInfected)
                    {
                        audit.Record("opening.file-infected", user, consultation.Id, $"file:{file.Id}",
                            $"pli {pli.Deposit.Number}, {EnvelopeCode(act.OpenedEnvelope)}, « {file.Name} » : {check.ScanSignature}");
                    }
                }
                var detail = string.Create(CultureInfo.InvariantCulture, $"pli {pli.Deposit.Number}, {EnvelopeCode(act.OpenedEnvelope)}, {files.Count} fichier(s), {altered} altéré(s)");
                if (act.Reason is { } written)
                {
                    detail += " ; motif : " + written;
                }
                audit.Record(action, user, consultation.Id, $"deposit:{pli.Deposit.Id}", detail);
            }
        }
        try
        {
            await db.SaveChangesAsync(cancellationToken);
        }
        catch (DbUpdateException e) when (OwnConsultations.IsUniqueViolation(e))
        {
            // Another opener opened the same envelope at the same moment: their act stands, this one is not made.
            throw new DomainException("opening.already-opened", "Cette enveloppe est déjà ouverte.", null, acts[0].Pli.Deposit.Number);
        }
        return [.. acts.Select(a => a.Act)];
    }

    /// <summary>"candidature", "offre", "offre lot 2": how the audit trail names an envelope.</summary>
    public static string EnvelopeCode(Envelope envelope) =>
        envelope.Kind == EnvelopeKind.Candidature ? "candidature" : envelope.Lot is { } lot ? string.Create(CultureInfo.InvariantCulture, $"offre lot {lot}") : "offre";
}

/// <summary>Everything the opening page shows of one consultation, at one instant.</summary>
public sealed record OpeningBoard(
    Consultation Consultation,
    IReadOnlyList<Lot> Lots,
    IReadOnlyList<SelectedPli> Selection,
    IReadOnlyDictionary<Guid, string> CompanyNames,
    OpeningSession? Session,
    IReadOnlyDictionary<Guid, OpenedFileCheck> Checks,
    IReadOnlyDictionary<Guid, string> UserNames,
    DateTime NowUtc)
{
    public bool IsAfterDeadline => NowUtc > Consultation.DeadlineUtc;

    public bool IsOpened(Guid depositId, Envelope envelope) => Session?.IsOpened(depositId, envelope) == true;

    public OpeningAct? ActOf(Guid depositId, Envelope envelope) => Session?.FindAct(depositId, envelope);

    public SelectedPli? Find(Guid depositId) => Selection.FirstOrDefault(p => p.Deposit.Id == depositId);

    public string CompanyOf(SelectedPli pli) => CompanyNames.GetValueOrDefault(pli.Deposit.CompanyId) ?? "—";

    public OpenedFileCheck? CheckOf(DepositFile file) => Checks.GetValueOrDefault(file.Id);

    /// <summary>The offers that may be opened in bulk: one per lot (or the single offer), while a retained pli still holds one unopened.</summary>
    public IReadOnlyList<int?> OfferPhases =>
        [.. (Lots.Count == 0 ? [null] : Lots.Select(l => (int?)l.Number))
            .Where(lot => Selection.Any(p => p.Status == PliStatus.Retained && p.Deposit.Envelopes.Contains(new Envelope(EnvelopeKind.Offre, lot)) && !IsOpened(p.Deposit.Id, new Envelope(EnvelopeKind.Offre, lot))))];

    public bool CandidaturesToOpen => Selection.Any(p => p.Status == PliStatus.Retained && !IsOpened(p.Deposit.Id, new Envelope(EnvelopeKind.Candidature, null)));

    /// <summary>The files found altered, to be named at the top of the page.</summary>
    public IEnumerable<(SelectedPli Pli, DepositFile File, OpenedFileCheck Check)> AlteredFiles =>
        Selection.SelectMany(p => p.Deposit.Files.Select(f => (Pli: p, File: f, Check: CheckOf(f)))).Where(x => x.Check?.IsAltered == true || x.Check?.IsInfected == true)
            .Select(x => (x.Pli, x.File, x.Check!));
}

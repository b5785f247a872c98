using System.Globalization;
using System.Security.Claims;
using Microsoft.EntityFrameworkCore;
using Pli.Domain.Awards;
using Pli.Domain.Common;
using Pli.Domain.Consultations;
using Pli.Domain.Deposits;
using Pli.Domain.Messaging;
using Pli.Web.Features.Backoffice.Consultations;
using Pli.Web.Features.Messaging;
using Pli.Web.Features.Notices;
using Pli.Web.Features.Shared;
using Pli.Web.Infrastructure.Audit;
using Pli.Web.Infrastructure.Data;
using Pli.Web.Infrastructure.Security;

namespace Pli.Web.Features.Award;

/// <summary>A company that deposited a pli, as the award page lists it.</summary>
public sealed record AwardCompany(Guid Id, string Name, string? Siret, string Country, string? NationalIdentifier);

/// <summary>Everything the award page reads of one consultation: its tenderers, per lot, and the decisions.</summary>
public sealed record AwardState(
    Consultation Consultation,
    IReadOnlyList<Tenderer> Deposits,
    IReadOnlyDictionary<Guid, AwardCompany> Companies,
    IReadOnlyList<AwardDecision> Decisions,
    IReadOnlySet<Guid> PublishedDecp)
{
    public AwardDecision? DecisionFor(int lot) => Decisions.FirstOrDefault(d => d.LotNumber == lot);

    /// <summary>The companies that answered the lot on time, by name.</summary>
    public IReadOnlyList<AwardCompany> TenderersFor(int lot) =>
        [.. Tenderers.OnTimeFor(Deposits, lot).Select(id => Companies[id]).OrderBy(c => c.Name, StringComparer.CurrentCulture)];

    /// <summary>Every company with a sealed pli, on time or late: the ones a "sans suite" is told to.</summary>
    public IReadOnlyList<Guid> Depositors => [.. Deposits.Select(d => d.CompanyId).Distinct()];

    public string LotTitle(int lot) => lot == 0 ? Consultation.Title : Consultation.Lots.First(l => l.Number == lot).Title;
}

/// <summary>
/// The coordinator of the award: the rules are the domain's (<see cref="AwardDecision"/>, <see cref="Consultation"/>);
/// this class loads the consultation of the agent's own buyer and its plis, stores, audits, and sends the
/// letters through secure messaging (<see cref="MessagingService"/>), whose mails carry no content.
/// </summary>
public sealed class AwardService(PliDbContext db, MessagingService messaging, ConsultationNotices notices, AuditTrail audit, TimeProvider time)
{
    // The letters stay French whoever reads them: they are the buyer's decisions in a procedure it runs in French,
    // the words the standstill period and any appeal are counted from, and the same text is read by every user of
    // the company, by the buyer's agents in the register and, should it come to that, by a judge. Only the mail
    // that says a letter waits (MessagingService's) follows each recipient's language.
    private static readonly CultureInfo LetterCulture = ConsultationLabels.French;

    private DateTime Now => time.GetUtcNow().UtcDateTime;

    /// <summary>The state of a consultation of the agent's own organisation, tracked; null for another's (404).</summary>
    public async Task<AwardState?> LoadAsync(ClaimsPrincipal agent, Guid consultationId, CancellationToken cancellationToken)
    {
        var consultation = await db.FindOwnAsync(agent, consultationId);
        if (consultation is null)
        {
            return null;
        }
        var deposits = await db.Deposits.AsNoTracking()
            .Where(d => d.ConsultationId == consultationId && d.Status != DepositStatus.Draft)
            .Select(d => new { d.CompanyId, d.LotNumbers, d.SealedUtc, d.Status, d.IsLate })
            .ToListAsync(cancellationToken);
        var tenderers = deposits.Select(d => new Tenderer(d.CompanyId, d.LotNumbers.Length == 0 ? [] : [.. d.LotNumbers.Split(',').Select(n => int.Parse(n, CultureInfo.InvariantCulture))],
            d.SealedUtc, d.Status == DepositStatus.Sealed, d.IsLate)).ToList();
        var ids = tenderers.Select(t => t.CompanyId).Distinct().ToList();
        var companies = await db.Companies.AsNoTracking().Where(c => ids.Contains(c.Id))
            .Select(c => new AwardCompany(c.Id, c.Name, c.Siret, c.Country, c.NationalIdentifier))
            .ToDictionaryAsync(c => c.Id, cancellationToken);
        var decisions = await db.AwardDecisions.Where(a => a.ConsultationId == consultationId).OrderBy(a => a.LotNumber).ToListAsync(cancellationToken);
        var published = (await db.EssentialData.AsNoTracking().Where(e => e.ConsultationId == consultationId).Select(e => e.AwardId).ToListAsync(cancellationToken)).ToHashSet();
        return new AwardState(consultation, tenderers, companies, decisions, published);
    }

    /// <summary>Decides one lot; once every lot is decided the consultation is awarded. Saved with its audit entry.</summary>
    public async Task<AwardDecision> DecideAsync(AwardState state, ClaimsPrincipal agent, int lot, IReadOnlyCollection<Guid> companyIds, decimal amountHt, DateOnly decisionDate, CancellationToken cancellationToken)
    {
        var agentId = agent.UserId() ?? throw new InvalidOperationException("An agent awards.");
        var decision = AwardDecision.Decide(state.Consultation, lot, companyIds, amountHt, decisionDate, state.Deposits, state.Decisions, agentId, Now);
        db.AwardDecisions.Add(decision);
        state.Consultation.CompleteAward(state.Decisions.Select(d => d.LotNumber).Append(lot));
        audit.Record("award.decided", agent, state.Consultation.Id, $"award:{decision.Id}",
            string.Create(CultureInfo.InvariantCulture, $"lot={lot}; companies={decision.CompanyIdList}; amountHt={decision.AmountHt}; decisionDate={decision.DecisionDate:yyyy-MM-dd}; status={state.Consultation.Status}"));
        try
        {
            await db.SaveChangesAsync(cancellationToken);
        }
        catch (DbUpdateException e) when (OwnConsultations.IsUniqueViolation(e))
        {
            throw lot == 0
                ? new DomainException("award.already-decided-single", "Cette consultation est déjà attribuée.")
                : new DomainException("award.already-decided", $"Le lot n° {lot} est déjà attribué.", null, lot);
        }
        return decision;
    }

    /// <summary>
    /// Sends the award letter to each awarded company and the rejection letter to every other company that
    /// answered the lot on time, through secure messaging; records the sending once (a second is refused).
    /// </summary>
    public async Task<int> SendLettersAsync(AwardState state, ClaimsPrincipal agent, int lot, CancellationToken cancellationToken)
    {
        var decision = state.DecisionFor(lot) ?? throw new DomainException("award.lot-unknown", $"La consultation n'a pas de lot n° {lot}.", "Lot", lot);
        var now = Now;
        decision.MarkLettersSent(now);
        var consultation = state.Consultation;
        var standstill = Standstill.EndOf(now).ToString("dd/MM/yyyy", LetterCulture);
        var awarded = decision.CompanyIds.Select(id => state.Companies[id]).ToList();
        var rejected = state.TenderersFor(lot).Where(c => !decision.Awards(c.Id)).ToList();
        var lotLabel = lot == 0
            ? AwardTexts.Get("Letter_Contract", LetterCulture)
            : string.Format(LetterCulture, AwardTexts.Get("Letter_Lot", LetterCulture), lot, state.LotTitle(lot));
        var names = string.Join(", ", awarded.Select(c => c.Name));
        var amount = decision.AmountHt.ToString("N2", LetterCulture);
        string Text(string key, params object[] args) => string.Format(LetterCulture, AwardTexts.Get(key, LetterCulture), args);
        audit.Record("award.letters-sent", agent, consultation.Id, $"award:{decision.Id}",
            string.Create(CultureInfo.InvariantCulture, $"lot={lot}; awarded={awarded.Count}; rejected={rejected.Count}; standstillEnds={Standstill.EndOf(now):yyyy-MM-dd}"));
        int sent;
        try
        {
            // The first sending saves the decision's sending date and the audit entry with its threads.
            sent = (await messaging.SendAsync(consultation, agent,
                new MessageDraft([.. awarded.Select(c => c.Id)], MessageType.AwardInformation,
                    Text("Letter_AwardSubject", consultation.Reference),
                    Text("Letter_AwardText", consultation.Reference, consultation.Title, lotLabel, amount, standstill),
                    null), [], [], cancellationToken)).Count;
        }
        catch (DbUpdateConcurrencyException)
        {
            // Another agent sent them at the same moment: theirs are the letters.
            db.ChangeTracker.Clear();
            throw new DomainException("award.letters-already-sent", "Les courriers d'attribution et de rejet ont déjà été envoyés.", null, ParisTime.ToParis(now));
        }
        if (rejected.Count > 0)
        {
            sent += (await messaging.SendAsync(consultation, agent,
                new MessageDraft([.. rejected.Select(c => c.Id)], MessageType.Rejection,
                    Text("Letter_RejectionSubject", consultation.Reference),
                    Text("Letter_RejectionText", consultation.Reference, consultation.Title, lotLabel, names, amount, standstill),
                    null), [], [], CancellationToken.None)).Count;
        }
        return sent;
    }

    /// <summary>
    /// Declares the consultation "sans suite": it is cancelled (public history and notice mails, as any
    /// cancellation), and every company that deposited a pli gets a Cancellation message with the reason.
    /// </summary>
    public async Task<int> DeclareSansSuiteAsync(AwardState state, ClaimsPrincipal agent, string? reason, CancellationToken cancellationToken)
    {
        var consultation = state.Consultation;
        var modification = consultation.DeclareSansSuite(reason ?? "", state.Decisions.Count > 0, Now);
        audit.Record("consultation.sans-suite", agent, consultation.Id, $"modification:{modification.Id}",
            string.Create(CultureInfo.InvariantCulture, $"depositors={state.Depositors.Count}"));
        await notices.PublishAsync(consultation, modification, agent, cancellationToken: cancellationToken);
        if (state.Depositors.Count == 0)
        {
            return 0;
        }
        var threads = await messaging.SendAsync(consultation, agent,
            new MessageDraft(state.Depositors, MessageType.Cancellation,
                string.Format(LetterCulture, AwardTexts.Get("Letter_SansSuiteSubject", LetterCulture), consultation.Reference),
                string.Format(LetterCulture, AwardTexts.Get("Letter_SansSuiteText", LetterCulture), consultation.Reference, consultation.Title, modification.Description),
                null), [], [], CancellationToken.None);
        return threads.Count;
    }
}

using Pli.Domain.Consultations;
using Pli.Domain.Deposits;
using Pli.Domain.Tests.Deposits;

namespace Pli.Domain.Tests.Opening;

/// <summary>A consultation (with or without lots) and deposits of several companies, sealed at chosen instants.</summary>
internal static class OpeningTestData
{
    public static DateTime Deadline => DepositTestData.Deadline;

    public static readonly Guid AgentId = Guid.NewGuid();

    public static Consultation Consultation(params int[] lots) => DepositTestData.Published(lots: lots);

    /// <summary>A complete deposit of <paramref name="companyId"/>, sealed at <paramref name="sealedUtc"/> (late when after the deadline).</summary>
    public static Deposit SealedAt(Consultation consultation, Guid companyId, DateTime sealedUtc, DateTime? transmissionStartedUtc = null)
    {
        var lots = consultation.Lots.Select(l => l.Number).ToArray();
        var deposit = Deposit.StartDraft(consultation, companyId, Guid.NewGuid(), DepositChoices.Solo(lots), Deadline.AddDays(-2));
        var started = transmissionStartedUtc ?? sealedUtc.AddMinutes(-5);
        // A late pli is sealed only when a file started in time was received after the deadline.
        var received = sealedUtc > Deadline ? Deadline.AddSeconds(1) : sealedUtc.AddMinutes(-1);
        deposit.Receive(EnvelopeKind.Candidature, name: "DC1.pdf", startedUtc: started, receivedUtc: received);
        if (lots.Length == 0)
        {
            deposit.Receive(EnvelopeKind.Offre, name: "Offre.pdf", startedUtc: started, receivedUtc: received);
        }
        foreach (var lot in lots)
        {
            deposit.Receive(EnvelopeKind.Offre, lot, $"Offre lot {lot}.pdf", startedUtc: started, receivedUtc: received);
        }
        deposit.Seal(Deadline, termsAccepted: true, backupCopyDeclared: false, sealedUtc);
        return deposit;
    }

    public static Envelope Candidature => new(EnvelopeKind.Candidature, null);

    public static Envelope Offer(int? lot = null) => new(EnvelopeKind.Offre, lot);
}

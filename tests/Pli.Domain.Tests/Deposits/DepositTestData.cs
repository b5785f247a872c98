using Pli.Domain.Consultations;
using Pli.Domain.Deposits;

namespace Pli.Domain.Tests.Deposits;

/// <summary>Published consultations and deposits in the states the deposit tests start from.</summary>
internal static class DepositTestData
{
    public static readonly DateTime Deadline = new(2026, 7, 1, 10, 0, 0, DateTimeKind.Utc);

    /// <summary>A day before the deadline: the consultation is in progress.</summary>
    public static readonly DateTime Before = Deadline.AddDays(-1);

    public static readonly Guid CompanyId = Guid.NewGuid();
    public static readonly Guid UserId = Guid.NewGuid();

    /// <summary>Two SIRETs with a valid Luhn key, of two different companies.</summary>
    public const string Siret1 = "44321010900015";
    public const string Siret2 = "73282932000074";

    private static readonly CpvEntry Roads = new("45233120-6", "Travaux de construction de routes", "Road construction works");

    private static ConsultationDetails Details(DateTime deadline, IReadOnlyList<string>? formats) =>
        new("2026-042", "Réfection de l'échangeur", "Travaux", ProcedureType.AppelOffresOuvert, Nature.Travaux, Roads, "Marseille",
            deadline, deadline.AddDays(-5), formats ?? FilePolicy.DefaultAcceptedFormats);

    /// <summary>A consultation still a draft (never published), with its DCE and the given lots.</summary>
    public static Consultation DraftConsultation(DateTime? deadline = null, IReadOnlyList<int>? lots = null, IReadOnlyList<string>? formats = null)
    {
        var limit = deadline ?? Deadline;
        var created = limit.AddDays(-30);
        var consultation = Consultation.CreateDraft(Guid.NewGuid(), Details(limit, formats), created);
        foreach (var number in lots ?? [])
        {
            consultation.AddLot(number, $"Lot {number}");
        }
        consultation.AddDceFile("RC.pdf", 1234, new string('a', 64), "dce/x/y", created);
        return consultation;
    }

    /// <summary>A consultation published a month before its deadline, alloti when <paramref name="lots"/> are given.</summary>
    public static Consultation Published(DateTime? deadline = null, IReadOnlyList<int>? lots = null, IReadOnlyList<string>? formats = null)
    {
        var consultation = DraftConsultation(deadline, lots, formats);
        consultation.Publish(consultation.CreatedUtc);
        return consultation;
    }

    public static Deposit Draft(Consultation consultation, DepositChoices? choices = null, DateTime? nowUtc = null) =>
        Deposit.StartDraft(consultation, CompanyId, UserId, choices ?? DepositChoices.Solo([.. consultation.Lots.Select(l => l.Number)]), nowUtc ?? Before);

    public static DepositChoices Groupement(params CoContractor[] coContractors) =>
        new(DepositMode.GroupementConjoint, CandidatureType.Standard, [], coContractors);

    /// <summary>Records a received file, started an hour before the deadline and received a minute after it started unless told.</summary>
    public static DepositFile Receive(this Deposit deposit, EnvelopeKind envelope, int? lot = null, string name = "fichier.pdf", long size = 1000, DateTime? startedUtc = null, DateTime? receivedUtc = null)
    {
        var started = startedUtc ?? Deadline.AddHours(-1);
        return deposit.AddReceivedFile(envelope, lot, name, size, new string('b', 64), $"deposits/{Guid.NewGuid()}", Guid.NewGuid(), started, receivedUtc ?? started.AddMinutes(1));
    }

    /// <summary>A draft with a candidature and an offer for each lot answered: everything sealing needs but the seal.</summary>
    public static Deposit Complete(Consultation consultation, DepositChoices? choices = null)
    {
        var deposit = Draft(consultation, choices);
        deposit.Receive(EnvelopeKind.Candidature, name: "DC1.pdf");
        if (deposit.Lots.Count == 0)
        {
            deposit.Receive(EnvelopeKind.Offre, name: "Offre.pdf");
        }
        foreach (var lot in deposit.Lots)
        {
            deposit.Receive(EnvelopeKind.Offre, lot, $"Offre lot {lot}.pdf");
        }
        return deposit;
    }

    public static Deposit Sealed(Consultation consultation, DateTime? nowUtc = null)
    {
        var deposit = Complete(consultation);
        deposit.Seal(consultation.DeadlineUtc, termsAccepted: true, backupCopyDeclared: false, nowUtc ?? Before);
        return deposit;
    }
}

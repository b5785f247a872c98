using Pli.Web.Infrastructure.Data;
using System.Security.Cryptography;
using System.Text;
using Pli.Web.Features.Deposits.Receipts;

namespace Pli.Web.Tests.Features.Deposits;

/// <summary>Receipts to render: a groupement's deposit with two envelopes, received one second before a winter deadline.</summary>
internal static class ReceiptSamples
{
    // Tuesday 1 December 2026, 11:59:59.123 in Paris (UTC+01:00); the deadline is noon.
    public static readonly DateTimeOffset WinterReceivedUtc = new(2026, 12, 1, 10, 59, 59, 123, TimeSpan.Zero);
    public static readonly DateTimeOffset WinterDeadlineUtc = new(2026, 12, 1, 11, 0, 0, TimeSpan.Zero);

    public static ReceiptDocument Deposit() => new(
        Kind: ReceiptKind.Deposit,
        Number: "D-2026-000042",
        ConsultationReference: "2026-MDEMO-0017",
        ConsultationTitle: "Travaux de rénovation du groupe scolaire Jean-Jaurès",
        BuyerName: "Métropole Démo",
        CompanyName: "BTP Démo SARL",
        CompanySiret: "44321010900015",
        Mode: "Groupement conjoint",
        Members:
        [
            new("BTP Démo SARL", "44321010900015", "Mandataire"),
            new("Plomberie Exemple SAS", null, "Co-traitant"),
        ],
        Lots: ["Lot 1 : Voirie", "Lot 2 : Plomberie"],
        CandidatureType: "DUME",
        Envelopes:
        [
            new("Candidature", [File("DUME.pdf", 183_412), File("Kbis-2026.pdf", 96_000)]),
            new("Offre — lot 2 : Plomberie", [File("Acte d'engagement.pdf", 1_572_864), File("Mémoire technique.docx", 4_200_000)]),
        ],
        ReceivedAtUtc: WinterReceivedUtc,
        TransmissionStartedUtc: WinterReceivedUtc.AddMinutes(-7).AddSeconds(-12),
        DeadlineUtc: WinterDeadlineUtc,
        IsLate: false,
        ReceiptSha256: Sha256("recepisse D-2026-000042"),
        TimestampGenTime: WinterReceivedUtc.AddSeconds(1),
        TimestampSerial: "0x5F3A91C2",
        TimestampAuthority: "CN=Pli Demo TSA, O=Pli, C=FR",
        BackupCopyDeclared: true);

    public static ReceiptDocument Late() => Deposit() with
    {
        ReceivedAtUtc = WinterDeadlineUtc.AddSeconds(4),
        TransmissionStartedUtc = WinterDeadlineUtc.AddMinutes(-2),
        IsLate = true,
    };

    /// <summary>200 files whose names are far wider than their column, some without a single space.</summary>
    public static ReceiptDocument ManyFiles()
    {
        var files = Enumerable.Range(1, 200)
            .Select(i => File(i % 2 == 0
                ? $"Annexe_{i:000}_bordereau-des-prix-unitaires_détail-quantitatif-estimatif_version-définitive-signée_{new string('x', 40)}.pdf"
                : $"Pièce {i:000} — mémoire justificatif des moyens humains et matériels affectés au chantier, avec plannings détaillés.pdf",
                1_000L * i))
            .ToList();
        return Deposit() with { Envelopes = [new("Offre — lot 1 : Voirie", files)] };
    }

    public static ReceiptFile File(string name, long size) => new(name, size, Sha256(name));

    private static string Sha256(string seed) => Convert.ToHexStringLower(SHA256.HashData(Encoding.UTF8.GetBytes(seed)));
}

using Pli.Web.Infrastructure.Data;
namespace Pli.Web.Features.Deposits.Receipts;

public sealed record ReceiptFile(string Name, long Size, string Sha256);

/// <summary>One envelope of the pli, e.g. "Candidature" or "Offre — lot 2 : Plomberie", with its files.</summary>
public sealed record ReceiptEnvelope(string Label, IReadOnlyList<ReceiptFile> Files);

/// <summary>A member of a groupement; <see cref="Role"/> is already localised (mandataire, co-traitant).</summary>
public sealed record ReceiptMember(string Name, string? Siret, string Role);

/// <summary>
/// What an acknowledgement of receipt states, every label already in the reader's language: the
/// renderer only lays it out, so that the PDF, the mail and the page say the same thing.
/// </summary>
public sealed record ReceiptDocument(
    ReceiptKind Kind,
    string Number,                  // e.g. "D-2026-000042"
    string ConsultationReference,
    string ConsultationTitle,
    string BuyerName,
    string CompanyName,
    string? CompanySiret,
    string Mode,                    // "Candidat seul", "Groupement conjoint"…
    IReadOnlyList<ReceiptMember> Members,
    IReadOnlyList<string> Lots,     // "Lot 1 : Voirie"…; empty when the consultation has no lots
    string CandidatureType,
    IReadOnlyList<ReceiptEnvelope> Envelopes,
    DateTimeOffset ReceivedAtUtc,   // the horodatage: the server's time when the pli was sealed
    DateTimeOffset TransmissionStartedUtc,
    DateTimeOffset DeadlineUtc,
    bool IsLate,
    string ReceiptSha256,           // hex SHA-256 of the canonical receipt JSON that was time-stamped
    DateTimeOffset? TimestampGenTime,
    string? TimestampSerial,
    string? TimestampAuthority,
    bool BackupCopyDeclared);

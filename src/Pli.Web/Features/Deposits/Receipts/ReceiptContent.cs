using System.Security.Cryptography;
using System.Text;
using System.Text.Json;
using System.Text.Json.Serialization;

namespace Pli.Web.Features.Deposits.Receipts;

/// <summary>
/// What a receipt states, as the JSON that is time-stamped. The bytes are made once, stored as they are
/// and served as <c>recepisse.json</c>: anyone can check them against the RFC 3161 token with openssl,
/// without Pli. Instants are UTC to the millisecond; sizes in bytes; digests lower-case hex.
/// </summary>
public sealed record ReceiptContent(
    string Type,
    int Version,
    string Kind,
    string Number,
    Guid Deposit,
    ReceiptParty Consultation,
    ReceiptParty Buyer,
    ReceiptParty Company,
    string Mode,
    IReadOnlyList<ReceiptParty> CoContractors,
    IReadOnlyList<ReceiptLot> Lots,
    string CandidatureType,
    IReadOnlyList<ReceiptContentEnvelope> Envelopes,
    DateTimeOffset ReceivedAt,
    DateTimeOffset TransmissionStartedAt,
    DateTimeOffset Deadline,
    bool Late,
    bool BackupCopyDeclared,
    DateTimeOffset? WithdrawnAt)
{
    public const string TypeName = "pli-receipt";

    private static readonly JsonSerializerOptions Json = new(JsonSerializerDefaults.Web)
    {
        WriteIndented = false,
        DefaultIgnoreCondition = JsonIgnoreCondition.Never,
        Encoder = System.Text.Encodings.Web.JavaScriptEncoder.UnsafeRelaxedJsonEscaping,
    };

    public string ToJson() => JsonSerializer.Serialize(this, Json);

    public static ReceiptContent FromJson(string json) =>
        JsonSerializer.Deserialize<ReceiptContent>(json, Json) ?? throw new InvalidOperationException("Empty receipt.");

    public static string Sha256Of(string json) => Convert.ToHexStringLower(SHA256.HashData(Encoding.UTF8.GetBytes(json)));
}

/// <summary>A consultation, a buyer or a company: its id or reference, its name, its SIRET.</summary>
public sealed record ReceiptParty(string Id, string Name, string? Siret);

public sealed record ReceiptLot(int Number, string Title);

public sealed record ReceiptContentEnvelope(string Envelope, int? Lot, IReadOnlyList<ReceiptContentFile> Files);

public sealed record ReceiptContentFile(string Name, long Size, string Sha256, DateTimeOffset TransmissionStartedAt, DateTimeOffset ReceivedAt);

using System.Text.Encodings.Web;
using System.Text.Json;
using System.Text.Json.Serialization;
using System.Text.Unicode;

namespace Pli.Web.Features.OpenData.Ocds;

// The shapes of OCDS 1.1.5 that Pli publishes (release package, release and the parts it fills), with the lots
// extension's tender.lots, items[].relatedLot and awards[].relatedLots.

public sealed record OcdsReleasePackage(
    string Uri,
    string Version,
    IReadOnlyList<string> Extensions,
    string PublishedDate,
    OcdsPublisher Publisher,
    string License,
    string? PublicationPolicy,
    IReadOnlyList<OcdsRelease> Releases,
    OcdsLinks? Links)
{
    /// <summary>Names in camelCase, nulls left out, accents written as they are (HTML-sensitive characters stay escaped).</summary>
    public static readonly JsonSerializerOptions Json = new()
    {
        PropertyNamingPolicy = JsonNamingPolicy.CamelCase,
        DefaultIgnoreCondition = JsonIgnoreCondition.WhenWritingNull,
        Encoder = JavaScriptEncoder.Create(UnicodeRanges.All),
    };
}

public sealed record OcdsPublisher(string Name, string? Scheme = null, string? Uid = null);

/// <summary>Pagination, as OCDS 1.1 packaging guidance puts it: the next (older) and previous (newer) pages.</summary>
public sealed record OcdsLinks(string? Next, string? Prev);

public sealed record OcdsRelease(
    string Ocid,
    string Id,
    string Date,
    IReadOnlyList<string> Tag,
    string InitiationType,
    string Language,
    IReadOnlyList<OcdsParty> Parties,
    OcdsOrganizationReference Buyer,
    OcdsTender? Tender,
    IReadOnlyList<OcdsAward>? Awards);

public sealed record OcdsParty(string Id, string Name, OcdsIdentifier? Identifier, IReadOnlyList<string> Roles);

public sealed record OcdsIdentifier(string Scheme, string Id, string LegalName);

public sealed record OcdsOrganizationReference(string Id, string Name);

public sealed record OcdsTender(
    string Id,
    string Title,
    string? Description,
    string Status,
    OcdsOrganizationReference ProcuringEntity,
    IReadOnlyList<OcdsItem> Items,
    IReadOnlyList<OcdsLot>? Lots,
    string ProcurementMethod,
    string ProcurementMethodDetails,
    string MainProcurementCategory,
    IReadOnlyList<string> SubmissionMethod,
    OcdsPeriod TenderPeriod,
    OcdsPeriod EnquiryPeriod,
    IReadOnlyList<OcdsDocument> Documents,
    IReadOnlyList<OcdsAmendment>? Amendments);

public sealed record OcdsItem(string Id, string Description, OcdsClassification Classification, string? RelatedLot);

public sealed record OcdsClassification(string Scheme, string Id, string? Description);

public sealed record OcdsLot(string Id, string Title, string Status);

public sealed record OcdsPeriod(string? StartDate, string? EndDate);

public sealed record OcdsDocument(string Id, string DocumentType, string Title, string Url, string Format, string Language);

public sealed record OcdsAmendment(
    string Id,
    string Date,
    string Rationale,
    string Description,
    [property: JsonPropertyName("amendsReleaseID")] string AmendsReleaseId,
    [property: JsonPropertyName("releaseID")] string ReleaseId);

public sealed record OcdsAward(
    string Id,
    string Status,
    string Date,
    OcdsValue Value,
    IReadOnlyList<OcdsOrganizationReference> Suppliers,
    IReadOnlyList<string>? RelatedLots);

public sealed record OcdsValue(decimal Amount, string Currency);

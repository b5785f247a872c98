using Pli.Domain.Common;
using Pli.Domain.Consultations;
using Pli.Web.Features.Shared;

namespace Pli.Web.Features.Portal;

/// <summary>
/// One page of consultations, nearest deadline first. <c>Total</c> is exact unless <c>TotalIsCapped</c>: then more
/// than <c>Total</c> (the count's cap, 1,000) match, and <c>HasNextPage</c> says whether to ask for the next page.
/// </summary>
public sealed record ConsultationListResponse(IReadOnlyList<ConsultationResponse> Items, int Page, int PageSize, int Total, bool TotalIsCapped, bool HasNextPage);

/// <summary>A published consultation. Instants are ISO 8601 with the Paris offset of that day.</summary>
public sealed record ConsultationResponse(
    Guid Id,
    string Reference,
    string Title,
    string Object,
    BuyerResponse Buyer,
    string? Service,
    ProcedureType Procedure,
    string ProcedureLabel,
    Nature Nature,
    string NatureLabel,
    CpvResponse Cpv,
    string PlaceOfExecution,
    IReadOnlyList<LotResponse> Lots,
    DateTimeOffset Deadline,
    DateTimeOffset QuestionDeadline,
    DateTimeOffset? PublishedAt,
    bool InProgress,
    bool Cancelled,
    IReadOnlyList<string> AcceptedFormats,
    IReadOnlyList<DceFileResponse> DceFiles,
    IReadOnlyList<ModificationResponse> Modifications,
    string Url,
    string DceUrl)
{
    internal static ConsultationResponse From(Consultation c, string buyerName, string? serviceName, CpvCatalog cpv, DateTime nowUtc, string baseUrl)
    {
        var url = $"{baseUrl}/consultations/{c.Id}";
        return new ConsultationResponse(
            c.Id,
            c.Reference,
            c.Title,
            c.Object,
            new BuyerResponse(c.OrganisationId, buyerName),
            serviceName,
            c.Procedure,
            ConsultationLabels.Procedure(c.Procedure, ConsultationLabels.French),
            c.Nature,
            ConsultationLabels.Nature(c.Nature, ConsultationLabels.French),
            new CpvResponse(c.MainCpv, cpv.TryGet(c.MainCpv, out var entry) ? entry.LabelFr : null),
            c.PlaceOfExecution,
            [.. c.Lots.OrderBy(l => l.Number).Select(l => new LotResponse(l.Number, l.Title))],
            ParisTime.ToParis(c.DeadlineUtc),
            ParisTime.ToParis(c.QuestionDeadlineUtc),
            c.PublishedUtc is { } published ? ParisTime.ToParis(published) : null,
            c.IsInProgress(nowUtc),
            c.IsCancelled,
            c.AcceptedFormatList,
            [.. c.DceFiles.OrderBy(f => f.RelativePath, StringComparer.Ordinal)
                .Select(f => new DceFileResponse(f.Id, f.RelativePath, f.Size, f.Format, f.Sha256, $"{url}/dce/fichiers/{f.Id}"))],
            [.. c.Modifications.OrderByDescending(m => m.AtUtc).Select(m => new ModificationResponse(ParisTime.ToParis(m.AtUtc), m.Kind, m.Description, m.OldValue, m.NewValue))],
            url,
            $"{url}/dce");
    }
}

public sealed record BuyerResponse(Guid Id, string Name);

/// <summary>The main CPV code and its French label (null if the code left the catalogue).</summary>
public sealed record CpvResponse(string Code, string? Label);

public sealed record LotResponse(int Number, string Title);

/// <summary>A DCE file: path inside the DCE ("Pièces techniques/CCTP.pdf"), size in bytes, extension, SHA-256 in hex.</summary>
public sealed record DceFileResponse(Guid Id, string Path, long Size, string Format, string Sha256, string Url);

/// <summary>A published modification; for dates, <c>OldValue</c> and <c>NewValue</c> are UTC instants in ISO 8601.</summary>
public sealed record ModificationResponse(DateTimeOffset At, string Kind, string Description, string? OldValue, string? NewValue);

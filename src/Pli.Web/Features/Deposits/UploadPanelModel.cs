using Pli.Domain.Consultations;

namespace Pli.Web.Features.Deposits;

/// <summary>What the upload panel of the deposit wizard (_UploadPanel.cshtml) shows: one section per envelope.</summary>
public sealed record UploadPanelModel(Guid DepositId, DateTimeOffset DeadlineUtc, DateTimeOffset ServerNowUtc, long MaxFileSize, IReadOnlyList<string> AcceptedFormats, IReadOnlyList<UploadEnvelopeModel> Envelopes)
{
    /// <summary>The tus endpoint the script sends to.</summary>
    public const string Endpoint = "/api/uploads/";
}

/// <summary>One envelope: <see cref="Envelope"/> is "candidature" or "offre"; <see cref="Lot"/> only for an offer of a consultation in lots.</summary>
public sealed record UploadEnvelopeModel(string Envelope /* "candidature" | "offre" */, int? Lot, string Title, IReadOnlyList<ReceivedFileModel> Received)
{
    /// <summary>"candidature", "offre" or "offre-lot-2": unique in the page, used in element ids and by the script.</summary>
    public string Key => Lot is { } lot ? $"{Envelope}-lot-{lot.ToString(System.Globalization.CultureInfo.InvariantCulture)}" : Envelope;
}

public sealed record ReceivedFileModel(Guid Id, string Name, long Size, string Sha256, DateTimeOffset ReceivedUtc)
{
    /// <summary>"PDF", or "" when the name has no extension.</summary>
    public string Format => FilePolicy.ExtensionOf(Name).TrimStart('.').ToUpperInvariant();
}

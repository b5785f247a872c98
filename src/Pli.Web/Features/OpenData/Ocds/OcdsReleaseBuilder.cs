using System.Globalization;
using Microsoft.Extensions.Options;
using Pli.Domain.Consultations;
using Pli.Domain.Organisations;
using Pli.Web.Features.Notices;
using Pli.Web.Features.Shared;
using Pli.Web.Infrastructure.Web;

namespace Pli.Web.Features.OpenData.Ocds;

/// <summary>
/// The OCDS releases of one published consultation, one per event: its publication (<c>tender</c>), each published
/// modification (<c>tenderAmendment</c>), its cancellation (<c>tenderCancellation</c>) and each award (<c>award</c>).
/// Each release describes the tender as it stood just after its event (deadlines replayed from the history), and
/// keeps the same id whenever the feed is read: consumers merge them into a record.
/// </summary>
public sealed class OcdsReleaseBuilder(IOptions<OcdsOptions> options, PublicLinks links, CpvCatalog cpv)
{
    /// <summary>
    /// The org-id.guide scheme under which a SIRET is published: FR-RCS, as data.gouv.fr does in its own OCDS
    /// publication of the DECP; org-id.guide has no SIRET list of its own (see docs/open-data.md).
    /// </summary>
    public const string SiretScheme = "FR-RCS";

    /// <summary>The lots extension: tender.lots, items[].relatedLot, awards[].relatedLots.</summary>
    public const string LotsExtension = "https://raw.githubusercontent.com/open-contracting-extensions/ocds_lots_extension/v1.1.5/extension.json";

    public string OcidOf(Guid consultationId) => $"{options.Value.OcidPrefix}-{consultationId}";

    /// <summary>The releases of a published or cancelled consultation, oldest first; none for a draft.</summary>
    public IReadOnlyList<OcdsRelease> ReleasesOf(Consultation consultation, Organisation buyer, IEnumerable<OcdsAwardInput> awards)
    {
        if (consultation.Status == ConsultationStatus.Draft || consultation.PublishedUtc is not { } publishedUtc)
        {
            return [];
        }
        var ocid = OcidOf(consultation.Id);
        var buyerParty = BuyerParty(buyer);
        var buyerReference = new OcdsOrganizationReference(buyerParty.Id, buyerParty.Name);
        var releases = new List<OcdsRelease>();

        // Replay the deadlines from the history: the first change of each names the one first published.
        var modifications = consultation.Modifications.OrderBy(m => m.AtUtc).ToList();
        var deadline = Consultation.ParseRecordedInstant(modifications.FirstOrDefault(m => m.Kind == ModificationKind.Deadline)?.OldValue) ?? consultation.DeadlineUtc;
        var questions = Consultation.ParseRecordedInstant(modifications.FirstOrDefault(m => m.Kind == ModificationKind.QuestionDeadline)?.OldValue) ?? consultation.QuestionDeadlineUtc;

        var tenderId = $"{ocid}-tender";
        releases.Add(Release(ocid, tenderId, publishedUtc, "tender", [buyerParty], buyerReference,
            Tender(consultation, buyerReference, "active", deadline, questions, null), null));
        var previous = tenderId;
        foreach (var modification in modifications)
        {
            deadline = modification.Kind == ModificationKind.Deadline ? Consultation.ParseRecordedInstant(modification.NewValue) ?? deadline : deadline;
            questions = modification.Kind == ModificationKind.QuestionDeadline ? Consultation.ParseRecordedInstant(modification.NewValue) ?? questions : questions;
            var cancelled = modification.Kind == ModificationKind.Cancellation;
            var id = cancelled ? $"{ocid}-cancellation" : $"{ocid}-amendment-{modification.Id:N}";
            var amendment = new OcdsAmendment(modification.Id.ToString("N"), Instant(modification.AtUtc),
                NoticesTexts.Kind(modification.Kind, ConsultationLabels.French), modification.Description, previous, id);
            releases.Add(Release(ocid, id, modification.AtUtc, cancelled ? "tenderCancellation" : "tenderAmendment", [buyerParty], buyerReference,
                Tender(consultation, buyerReference, cancelled ? "cancelled" : "active", deadline, questions, [amendment]), null));
            previous = id;
        }

        foreach (var award in awards.Where(a => a.ConsultationId == consultation.Id).OrderBy(a => a.DateUtc).ThenBy(a => a.Id))
        {
            var suppliers = award.Suppliers.Select(SupplierParty).DistinctBy(p => p.Id).ToList();
            var lot = award.LotNumber is { } number && consultation.Lots.Any(l => l.Number == number) ? LotId(number) : null;
            var entry = new OcdsAward($"{ocid}-award-{award.Id:N}", "active", Instant(award.DateUtc),
                new OcdsValue(award.AmountEur, "EUR"),
                [.. suppliers.Select(s => new OcdsOrganizationReference(s.Id, s.Name))],
                lot is null ? null : [lot]);
            releases.Add(Release(ocid, $"{ocid}-award-{award.Id:N}", award.DateUtc, "award", [buyerParty, .. suppliers], buyerReference, null, [entry]));
        }
        return releases;
    }

    /// <summary>RFC 3339 in UTC, to the second.</summary>
    public static string Instant(DateTime utc) =>
        DateTime.SpecifyKind(utc, DateTimeKind.Utc).ToString("yyyy-MM-dd'T'HH:mm:ss'Z'", CultureInfo.InvariantCulture);

    public static string ProcurementMethod(ProcedureType procedure) => procedure switch
    {
        // Anyone may answer: the MAPA published on a profil d'acheteur, the open call for tenders.
        ProcedureType.ProcedureAdaptee or ProcedureType.AppelOffresOuvert => "open",
        // Candidates are selected first, then invited to tender (or to negotiate, or to a dialogue).
        ProcedureType.AppelOffresRestreint or ProcedureType.ProcedureConcurrentielleAvecNegociation or ProcedureType.ProcedureAvecNegociation
            or ProcedureType.DialogueCompetitif or ProcedureType.Concours or ProcedureType.PartenariatInnovation => "selective",
        // The buyer consults the companies of its choice.
        ProcedureType.MarcheSansPubliciteNiMiseEnConcurrence => "limited",
        _ => throw new ArgumentOutOfRangeException(nameof(procedure), procedure, null),
    };

    public static string MainProcurementCategory(Nature nature) => nature switch
    {
        Nature.Travaux => "works",
        Nature.Fournitures => "goods",
        Nature.Services => "services",
        _ => throw new ArgumentOutOfRangeException(nameof(nature), nature, null),
    };

    private static OcdsRelease Release(string ocid, string id, DateTime dateUtc, string tag, IReadOnlyList<OcdsParty> parties,
        OcdsOrganizationReference buyer, OcdsTender? tender, IReadOnlyList<OcdsAward>? awards) =>
        new(ocid, id, Instant(dateUtc), [tag], "tender", "fr", parties, buyer, tender, awards);

    private OcdsTender Tender(Consultation c, OcdsOrganizationReference buyer, string status, DateTime deadlineUtc, DateTime questionsUtc, IReadOnlyList<OcdsAmendment>? amendments)
    {
        var classification = new OcdsClassification("CPV", c.MainCpv.Split('-')[0], cpv.TryGet(c.MainCpv, out var entry) ? entry.LabelFr : null);
        var lots = c.Lots.OrderBy(l => l.Number).ToList();
        IReadOnlyList<OcdsItem> items = lots.Count == 0
            ? [new OcdsItem("1", c.Title, classification, null)]
            : [.. lots.Select(l => new OcdsItem(l.Number.ToString(CultureInfo.InvariantCulture), l.Title, classification, LotId(l.Number)))];
        return new OcdsTender(
            c.Reference,
            c.Title,
            string.IsNullOrWhiteSpace(c.Object) ? null : c.Object,
            status,
            buyer,
            items,
            lots.Count == 0 ? null : [.. lots.Select(l => new OcdsLot(LotId(l.Number), l.Title, status))],
            ProcurementMethod(c.Procedure),
            ConsultationLabels.Procedure(c.Procedure, ConsultationLabels.French),
            MainProcurementCategory(c.Nature),
            ["electronicSubmission"],
            new OcdsPeriod(Instant(c.PublishedUtc!.Value), Instant(deadlineUtc)),
            new OcdsPeriod(Instant(c.PublishedUtc!.Value), Instant(questionsUtc)),
            [new OcdsDocument("avis", "tenderNotice", $"Consultation {c.Reference} : {c.Title}", links.To($"/consultations/{c.Id}"), "text/html", "fr")],
            amendments);
    }

    private static string LotId(int number) => number.ToString(CultureInfo.InvariantCulture);

    private static OcdsParty BuyerParty(Organisation buyer) => buyer.Siret is { } siret
        ? new OcdsParty($"{SiretScheme}-{siret}", buyer.Name, new OcdsIdentifier(SiretScheme, siret, buyer.Name), ["buyer", "procuringEntity"])
        : new OcdsParty($"pli-organisation-{buyer.Id:N}", buyer.Name, null, ["buyer", "procuringEntity"]);

    private static OcdsParty SupplierParty(OcdsSupplierInput supplier) =>
        new($"{SiretScheme}-{supplier.Siret}", supplier.Name, new OcdsIdentifier(SiretScheme, supplier.Siret, supplier.Name), ["supplier"]);
}

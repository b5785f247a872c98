using System.Globalization;
using System.Security.Claims;
using System.Text.Encodings.Web;
using System.Text.Json;
using System.Text.Json.Nodes;
using System.Text.Unicode;
using Microsoft.EntityFrameworkCore;
using Pli.Domain.Awards;
using Pli.Domain.Common;
using Pli.Web.Features.Award;
using Pli.Web.Infrastructure.Audit;
using Pli.Web.Infrastructure.Data;

namespace Pli.Web.Features.OpenData.Decp;

/// <summary>
/// The essential data of the contracts (DECP, format v2.0.3 of the arrêtés du 22 décembre 2022): the buyer
/// completes what Pli cannot know of an awarded lot, Pli adds what it knows (buyer, object, CPV, holders,
/// amount) and serves every contract of a buyer per year or month as the format's JSON.
/// </summary>
public sealed class DecpService(PliDbContext db, AuditTrail audit, TimeProvider time)
{
    /// <summary>The official schema, kept beside this class (public domain, 139bercy/format-commande-publique).</summary>
    public const string SchemaResource = "Pli.Web.OpenData.Decp.schema_decp_v2.0.3.json";

    private static readonly string[] Eu = ["AT", "BE", "BG", "CY", "CZ", "DE", "DK", "EE", "ES", "FI", "GR", "HR", "HU", "IE", "IT", "LT", "LU", "LV", "MT", "NL", "PL", "PT", "RO", "SE", "SI", "SK"];

    public static readonly JsonSerializerOptions Json = new()
    {
        Encoder = JavaScriptEncoder.Create(UnicodeRanges.All),
        WriteIndented = true,
    };

    public static Stream OpenSchema() =>
        typeof(DecpService).Assembly.GetManifestResourceStream(SchemaResource) ?? throw new InvalidOperationException("The DECP schema is not embedded.");

    /// <summary>What Pli knows, prefilled in the form: the procedure and CCAG mapped, the offers received counted, no groupement unless several holders.</summary>
    public static EssentialDataInput Prefill(AwardState state, AwardDecision decision)
    {
        var c = state.Consultation;
        var reference = new string([.. c.Reference.Where(ch => !char.IsControl(ch) && ch is not ('&' or '"' or '\\' or '<' or ' ' or ',' or ';'))]);
        var id = decision.LotNumber == 0 ? reference : $"{reference}-L{decision.LotNumber}";
        return new EssentialDataInput(
            id.Length > 16 ? id[..16] : id,
            "Marché", ["Sans objet"], ["Sans objet"], false, DecpVocabulary.CcagOf(c.Nature),
            Math.Max(1, state.TenderersFor(decision.LotNumber).Count), false, null,
            decision.CompanyIds.Count > 1 ? null : "Pas de groupement",
            DecpVocabulary.ProcedureOf(c.Procedure), null, null, null, null, [], null, null, [], []);
    }

    /// <summary>Publishes the essential data of a decided lot, once; saved with its audit entry.</summary>
    public async Task<EssentialData> PublishAsync(AwardState state, ClaimsPrincipal agent, AwardDecision decision, EssentialDataInput input, CancellationToken cancellationToken)
    {
        if (state.PublishedDecp.Contains(decision.Id))
        {
            throw new DomainException("decp.already-published", "Les données essentielles de ce marché sont déjà publiées.");
        }
        var siret = await db.Organisations.AsNoTracking().Where(o => o.Id == state.Consultation.OrganisationId).Select(o => o.Siret).SingleAsync(cancellationToken);
        var data = EssentialData.Publish(decision, state.Consultation, siret, input, time.GetUtcNow().UtcDateTime);
        db.EssentialData.Add(data);
        audit.Record("decp.published", agent, state.Consultation.Id, $"award:{decision.Id}",
            string.Create(CultureInfo.InvariantCulture, $"marche={data.MarcheId}; acheteur={data.AcheteurSiret}; notification={data.DateNotification:yyyy-MM-dd}"));
        await db.SaveChangesAsync(cancellationToken);
        return data;
    }

    /// <summary>The contracts of a buyer notified in the year (or the month of it), as {"marches": {"marche": [...]}}.</summary>
    public async Task<JsonObject> MarchesAsync(string acheteurSiret, int year, int? month, CancellationToken cancellationToken)
    {
        var from = new DateOnly(year, month ?? 1, 1);
        var to = month is null ? from.AddYears(1) : from.AddMonths(1);
        var records = await db.EssentialData.AsNoTracking()
            .Where(e => e.AcheteurSiret == acheteurSiret && e.DateNotification >= from && e.DateNotification < to)
            .OrderBy(e => e.DateNotification).ThenBy(e => e.MarcheId)
            .ToListAsync(cancellationToken);
        var awards = await new AwardReadModel(db).ForConsultationsAsync([.. records.Select(r => r.ConsultationId).Distinct()], cancellationToken);
        var consultationIds = records.Select(r => r.ConsultationId).Distinct().ToList();
        var consultations = await db.Consultations.AsNoTracking().Where(c => consultationIds.Contains(c.Id))
            .Select(c => new { c.Id, c.Title, c.MainCpv }).ToDictionaryAsync(c => c.Id, cancellationToken);
        var marches = new JsonArray();
        foreach (var record in records)
        {
            var lot = awards[record.ConsultationId].Single(a => a.AwardId == record.AwardId);
            var consultation = consultations[record.ConsultationId];
            marches.Add(Marche(record, lot, consultation.Title, consultation.MainCpv));
        }
        return new JsonObject { ["marches"] = new JsonObject { ["marche"] = marches } };
    }

    private static JsonObject Marche(EssentialData e, AwardedLot lot, string title, string cpv)
    {
        var objet = lot.LotNumber == 0 ? title : $"{title} — lot {lot.LotNumber} : {lot.LotTitle}";
        var marche = new JsonObject
        {
            ["id"] = e.MarcheId,
            ["acheteur"] = new JsonObject { ["id"] = e.AcheteurSiret },
            ["nature"] = e.Nature,
            ["objet"] = objet.Length > 1000 ? objet[..999] + "…" : objet,
            ["codeCPV"] = cpv,
            ["techniques"] = new JsonObject { ["technique"] = List(e.Techniques) },
            ["modalitesExecution"] = new JsonObject { ["modaliteExecution"] = List(e.ModalitesExecution) },
            ["marcheInnovant"] = e.MarcheInnovant,
            ["ccag"] = e.Ccag,
            ["offresRecues"] = e.OffresRecues,
            ["attributionAvance"] = e.AttributionAvance,
            ["typeGroupementOperateurs"] = e.TypeGroupement,
            ["sousTraitanceDeclaree"] = e.SousTraitanceDeclaree,
            ["procedure"] = e.Procedure,
            ["lieuExecution"] = new JsonObject { ["code"] = e.LieuCode, ["typeCode"] = e.LieuTypeCode },
            ["dureeMois"] = e.DureeMois,
            ["dateNotification"] = e.DateNotification.ToString("yyyy-MM-dd", CultureInfo.InvariantCulture),
            ["datePublicationDonnees"] = e.DatePublication.ToString("yyyy-MM-dd", CultureInfo.InvariantCulture),
            ["montant"] = lot.AmountHt,
            ["typesPrix"] = new JsonObject { ["typePrix"] = List(e.TypesPrix) },
            ["formePrix"] = e.FormePrix,
            ["titulaires"] = new JsonArray([.. lot.Suppliers.Select(s => (JsonNode)new JsonObject { ["titulaire"] = Titulaire(s) })]),
            ["considerationsSociales"] = new JsonObject { ["considerationSociale"] = List(e.ConsiderationsSociales) },
            ["considerationsEnvironnementales"] = new JsonObject { ["considerationEnvironnementale"] = List(e.ConsiderationsEnvironnementales) },
        };
        if (e.TauxAvance is { } taux)
        {
            marche["tauxAvance"] = taux;
        }
        return marche;
    }

    private static JsonObject Titulaire(AwardedSupplier supplier) => supplier.Siret is { } siret
        ? new JsonObject { ["typeIdentifiant"] = "SIRET", ["id"] = siret }
        : new JsonObject { ["typeIdentifiant"] = Eu.Contains(supplier.Country) ? "TVA" : "HORS-UE", ["id"] = supplier.NationalIdentifier ?? supplier.Name };

    private static JsonArray List(string joined) => new([.. EssentialData.Split(joined).Select(v => (JsonNode)JsonValue.Create(v))]);
}

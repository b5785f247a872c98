using Pli.Domain.Common;
using Pli.Domain.Consultations;

namespace Pli.Domain.Awards;

/// <summary>
/// The words of the DECP format (données essentielles de la commande publique, v2.0.3, arrêtés du 22
/// décembre 2022): every value Pli publishes is one of these, spelled as the schema spells it.
/// </summary>
public static class DecpVocabulary
{
    public static readonly string[] Natures = ["Marché", "Marché de partenariat", "Marché de défense ou de sécurité"];
    public static readonly string[] Techniques = ["Accord-cadre", "Concours", "Système de qualification", "Système d'acquisition dynamique", "Catalogue électronique", "Enchère électronique", "Sans objet"];
    public static readonly string[] ModalitesExecution = ["Tranches", "Bons de commande", "Marchés subséquents", "Sans objet"];
    public static readonly string[] Ccags = ["Travaux", "Maitrise d'œuvre", "Fournitures courantes et services", "Marchés industriels", "Prestations intellectuelles", "Techniques de l'information et de la communication", "Pas de CCAG"];
    public static readonly string[] Groupements = ["Conjoint", "Solidaire", "Pas de groupement"];
    public static readonly string[] Procedures = ["Procédure adaptée", "Appel d'offres ouvert", "Appel d'offres restreint", "Procédure avec négociation", "Marché passé sans publicité ni mise en concurrence préalable", "Dialogue compétitif"];
    public static readonly string[] LieuTypes = ["Code postal", "Code commune", "Code arrondissement", "Code canton", "Code département", "Code région", "Code pays"];
    public static readonly string[] TypesPrix = ["Définitif ferme", "Définitif actualisable", "Définitif révisable", "Provisoire"];
    public static readonly string[] FormesPrix = ["Unitaire", "Forfaitaire", "Mixte"];
    public static readonly string[] ConsiderationsSociales = ["Clause sociale", "Critère social", "Marché réservé", "Pas de considération sociale"];
    public static readonly string[] ConsiderationsEnvironnementales = ["Clause environnementale", "Critère environnemental", "Pas de considération environnementale"];

    /// <summary>
    /// The DECP procedure of a Pli procedure, or null where the format has none to match (a concours is a
    /// technique d'achat there, its procedure the buyer's choice).
    /// </summary>
    public static string? ProcedureOf(ProcedureType procedure) => procedure switch
    {
        ProcedureType.ProcedureAdaptee => "Procédure adaptée",
        ProcedureType.AppelOffresOuvert => "Appel d'offres ouvert",
        ProcedureType.AppelOffresRestreint => "Appel d'offres restreint",
        ProcedureType.ProcedureConcurrentielleAvecNegociation or ProcedureType.ProcedureAvecNegociation or ProcedureType.PartenariatInnovation => "Procédure avec négociation",
        ProcedureType.DialogueCompetitif => "Dialogue compétitif",
        ProcedureType.MarcheSansPubliciteNiMiseEnConcurrence => "Marché passé sans publicité ni mise en concurrence préalable",
        _ => null,
    };

    /// <summary>The CCAG a nature usually takes: a prefill the buyer may change.</summary>
    public static string CcagOf(Nature nature) => nature == Nature.Travaux ? "Travaux" : "Fournitures courantes et services";
}

/// <summary>What the buyer tells of an awarded contract that Pli cannot know, as the DECP format names it.</summary>
public sealed record EssentialDataInput(
    string? MarcheId,
    string? Nature,
    IReadOnlyList<string> Techniques,
    IReadOnlyList<string> ModalitesExecution,
    bool? MarcheInnovant,
    string? Ccag,
    int? OffresRecues,
    bool? AttributionAvance,
    decimal? TauxAvance,
    string? TypeGroupement,
    string? Procedure,
    string? LieuCode,
    string? LieuTypeCode,
    int? DureeMois,
    DateOnly? DateNotification,
    IReadOnlyList<string> TypesPrix,
    string? FormePrix,
    bool? SousTraitanceDeclaree,
    IReadOnlyList<string> ConsiderationsSociales,
    IReadOnlyList<string> ConsiderationsEnvironnementales);

/// <summary>
/// The essential data (DECP) of one awarded contract, published once: the platform's facts (buyer,
/// object, CPV, holders, amount) are read from the consultation and its award; the rest is the buyer's.
/// A required field left empty is refused naming it (<c>decp.required</c>, its field); a value outside
/// the format's vocabulary is refused too.
/// </summary>
public sealed class EssentialData
{
    public Guid Id { get; private set; }
    public Guid AwardId { get; private set; }
    public Guid ConsultationId { get; private set; }
    public Guid OrganisationId { get; private set; }
    public string AcheteurSiret { get; private set; } = "";
    public string MarcheId { get; private set; } = "";
    public string Nature { get; private set; } = "";
    public string Techniques { get; private set; } = "";
    public string ModalitesExecution { get; private set; } = "";
    public bool MarcheInnovant { get; private set; }
    public string Ccag { get; private set; } = "";
    public int OffresRecues { get; private set; }
    public bool AttributionAvance { get; private set; }
    public decimal? TauxAvance { get; private set; }
    public string TypeGroupement { get; private set; } = "";
    public string Procedure { get; private set; } = "";
    public string LieuCode { get; private set; } = "";
    public string LieuTypeCode { get; private set; } = "";
    public int DureeMois { get; private set; }
    public DateOnly DateNotification { get; private set; }
    public DateOnly DatePublication { get; private set; }
    public string TypesPrix { get; private set; } = "";
    public string FormePrix { get; private set; } = "";
    public bool SousTraitanceDeclaree { get; private set; }
    public string ConsiderationsSociales { get; private set; } = "";
    public string ConsiderationsEnvironnementales { get; private set; } = "";
    public DateTime PublishedUtc { get; private set; }

    private EssentialData() { }

    /// <summary>Lists are kept as their values joined by this character, which no DECP value holds.</summary>
    public const char Separator = '|';

    public static IReadOnlyList<string> Split(string joined) => joined.Split(Separator, StringSplitOptions.RemoveEmptyEntries);

    public static EssentialData Publish(AwardDecision award, Consultation consultation, string? acheteurSiret, EssentialDataInput input, DateTime nowUtc)
    {
        if (award.ConsultationId != consultation.Id)
        {
            throw new InvalidOperationException("The award is not of this consultation.");
        }
        if (acheteurSiret is null || acheteurSiret.Length != 14 || !acheteurSiret.All(char.IsAsciiDigit))
        {
            throw new DomainException("decp.buyer-siret", "Le SIRET de l'acheteur n'est pas renseigné : l'administrateur de l'organisation doit l'indiquer avant toute publication.");
        }
        var marcheId = Required(input.MarcheId, nameof(input.MarcheId));
        if (marcheId.Length > 16 || marcheId.Any(c => char.IsControl(c) || c is '&' or '"' or '\\' or '<' or ' ' or ',' or ';'))
        {
            throw new DomainException("decp.marche-id", "L'identifiant du marché compte 1 à 16 caractères, sans espace ni & \" \\ < , ;.", nameof(input.MarcheId));
        }
        var lieuCode = Required(input.LieuCode, nameof(input.LieuCode));
        if (lieuCode.Length > 20)
        {
            throw new DomainException("decp.invalid", "Une valeur indiquée n'est pas reconnue.", nameof(input.LieuCode));
        }
        var duree = input.DureeMois ?? throw Missing(nameof(input.DureeMois));
        if (duree is < 1 or > 1200)
        {
            throw new DomainException("decp.duree", "La durée du marché se compte en mois, au moins un.", nameof(input.DureeMois));
        }
        var offres = input.OffresRecues ?? throw Missing(nameof(input.OffresRecues));
        if (offres < 1)
        {
            throw new DomainException("decp.offres", "Le nombre d'offres reçues est d'au moins une.", nameof(input.OffresRecues));
        }
        var avance = input.AttributionAvance ?? throw Missing(nameof(input.AttributionAvance));
        if (input.TauxAvance is { } taux && (taux < 0 || taux > 1 || !avance))
        {
            throw new DomainException("decp.taux-avance", "Le taux de l'avance est compris entre 0 et 1 (0,1 pour 10 %), et seulement si une avance est attribuée.", nameof(input.TauxAvance));
        }
        var notification = input.DateNotification ?? throw Missing(nameof(input.DateNotification));
        var today = DateOnly.FromDateTime(ParisTime.ToParis(nowUtc).DateTime);
        if (notification > today || notification < award.DecisionDate)
        {
            throw new DomainException("decp.notification-date", "La date de notification du marché suit la décision d'attribution et n'est pas dans le futur.", nameof(input.DateNotification));
        }
        return new EssentialData
        {
            Id = Guid.NewGuid(),
            AwardId = award.Id,
            ConsultationId = consultation.Id,
            OrganisationId = consultation.OrganisationId,
            AcheteurSiret = acheteurSiret,
            MarcheId = marcheId,
            Nature = OneOf(input.Nature, DecpVocabulary.Natures, nameof(input.Nature)),
            Techniques = ManyOf(input.Techniques, DecpVocabulary.Techniques, nameof(input.Techniques)),
            ModalitesExecution = ManyOf(input.ModalitesExecution, DecpVocabulary.ModalitesExecution, nameof(input.ModalitesExecution)),
            MarcheInnovant = input.MarcheInnovant ?? throw Missing(nameof(input.MarcheInnovant)),
            Ccag = OneOf(input.Ccag, DecpVocabulary.Ccags, nameof(input.Ccag)),
            OffresRecues = offres,
            AttributionAvance = avance,
            TauxAvance = input.TauxAvance,
            TypeGroupement = OneOf(input.TypeGroupement, DecpVocabulary.Groupements, nameof(input.TypeGroupement)),
            Procedure = OneOf(input.Procedure, DecpVocabulary.Procedures, nameof(input.Procedure)),
            LieuCode = lieuCode,
            LieuTypeCode = OneOf(input.LieuTypeCode, DecpVocabulary.LieuTypes, nameof(input.LieuTypeCode)),
            DureeMois = duree,
            DateNotification = notification,
            DatePublication = today,
            TypesPrix = ManyOf(input.TypesPrix, DecpVocabulary.TypesPrix, nameof(input.TypesPrix)),
            FormePrix = OneOf(input.FormePrix, DecpVocabulary.FormesPrix, nameof(input.FormePrix)),
            SousTraitanceDeclaree = input.SousTraitanceDeclaree ?? throw Missing(nameof(input.SousTraitanceDeclaree)),
            ConsiderationsSociales = ManyOf(input.ConsiderationsSociales, DecpVocabulary.ConsiderationsSociales, nameof(input.ConsiderationsSociales)),
            ConsiderationsEnvironnementales = ManyOf(input.ConsiderationsEnvironnementales, DecpVocabulary.ConsiderationsEnvironnementales, nameof(input.ConsiderationsEnvironnementales)),
            PublishedUtc = nowUtc,
        };
    }

    private static DomainException Missing(string field) =>
        new("decp.required", $"Le champ « {field} » est obligatoire pour les données essentielles.", field, field);

    private static string Required(string? value, string field)
    {
        var trimmed = (value ?? "").Trim();
        return trimmed.Length == 0 ? throw Missing(field) : trimmed;
    }

    private static string OneOf(string? value, string[] allowed, string field)
    {
        var trimmed = Required(value, field);
        return allowed.Contains(trimmed, StringComparer.Ordinal)
            ? trimmed
            : throw new DomainException("decp.invalid", "Une valeur indiquée n'est pas reconnue.", field);
    }

    private static string ManyOf(IReadOnlyList<string> values, string[] allowed, string field)
    {
        var chosen = values.Select(v => (v ?? "").Trim()).Where(v => v.Length > 0).Distinct(StringComparer.Ordinal).ToList();
        if (chosen.Count == 0)
        {
            throw Missing(field);
        }
        if (chosen.Any(v => !allowed.Contains(v, StringComparer.Ordinal)))
        {
            throw new DomainException("decp.invalid", "Une valeur indiquée n'est pas reconnue.", field);
        }
        return string.Join(Separator, chosen);
    }
}

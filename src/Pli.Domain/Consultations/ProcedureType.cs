namespace Pli.Domain.Consultations;

/// <summary>The procedures of the French Code de la commande publique.</summary>
public enum ProcedureType
{
    ProcedureAdaptee = 1,
    AppelOffresOuvert = 2,
    AppelOffresRestreint = 3,
    ProcedureConcurrentielleAvecNegociation = 4,
    ProcedureAvecNegociation = 5,
    DialogueCompetitif = 6,
    Concours = 7,
    PartenariatInnovation = 8,
    MarcheSansPubliciteNiMiseEnConcurrence = 9,
}

/// <summary>The nature of the purchase, as the portal filters it.</summary>
public enum Nature
{
    Travaux = 1,
    Fournitures = 2,
    Services = 3,
}

public enum ConsultationStatus
{
    Draft = 0,
    Published = 1,
    Cancelled = 2,

    /// <summary>Every lot (or the single contract) has its award decision.</summary>
    Awarded = 3,
}

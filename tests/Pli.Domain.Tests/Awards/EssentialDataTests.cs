using Pli.Domain.Awards;
using Pli.Domain.Common;
using Pli.Domain.Consultations;
using static Pli.Domain.Tests.Deposits.DepositTestData;

namespace Pli.Domain.Tests.Awards;

/// <summary>The essential data (DECP) of an awarded contract: every required field named when missing, values from the format only.</summary>
public sealed class EssentialDataTests
{
    private const string BuyerSiret = "20005480700017";
    private static readonly Guid A = Guid.NewGuid();
    private static readonly DateTime Now = Deadline.AddDays(20);

    public static EssentialDataInput Valid() => new("2026-042", "Marché", ["Sans objet"], ["Sans objet"], false, "Travaux", 3, false, null,
        "Pas de groupement", "Appel d'offres ouvert", "13055", "Code commune", 24, new DateOnly(2026, 7, 15), ["Définitif ferme"], "Forfaitaire", false,
        ["Pas de considération sociale"], ["Clause environnementale"]);

    private static (AwardDecision, Consultation) Awarded()
    {
        var consultation = Published();
        var decision = AwardDecision.Decide(consultation, 0, [A], 99_000m, new DateOnly(2026, 7, 2),
            [new Tenderer(A, [], Deadline.AddHours(-1), true, false)], [], Guid.NewGuid(), Deadline.AddDays(1));
        return (decision, consultation);
    }

    [Fact]
    public void Publish_WithEveryField_KeepsThemAndTheBuyer()
    {
        var (decision, consultation) = Awarded();

        var data = EssentialData.Publish(decision, consultation, BuyerSiret, Valid(), Now);

        Assert.Equal(BuyerSiret, data.AcheteurSiret);
        Assert.Equal(["Clause environnementale"], EssentialData.Split(data.ConsiderationsEnvironnementales));
        Assert.Equal(new DateOnly(2026, 7, 21), data.DatePublication);
    }

    [Theory]
    [InlineData("DureeMois")]
    [InlineData("Ccag")]
    [InlineData("TypesPrix")]
    [InlineData("LieuCode")]
    [InlineData("MarcheInnovant")]
    [InlineData("DateNotification")]
    public void Publish_WithARequiredFieldMissing_IsRefusedNamingIt(string field)
    {
        var (decision, consultation) = Awarded();
        var input = field switch
        {
            "DureeMois" => Valid() with { DureeMois = null },
            "Ccag" => Valid() with { Ccag = "" },
            "TypesPrix" => Valid() with { TypesPrix = [] },
            "LieuCode" => Valid() with { LieuCode = "  " },
            "MarcheInnovant" => Valid() with { MarcheInnovant = null },
            _ => Valid() with { DateNotification = null },
        };

        var error = Assert.Throws<DomainException>(() => EssentialData.Publish(decision, consultation, BuyerSiret, input, Now));

        Assert.Equal("decp.required", error.Code);
        Assert.Equal(field, error.Field);
    }

    [Fact]
    public void Publish_WithAValueOutsideTheFormat_IsRefused()
    {
        var (decision, consultation) = Awarded();

        var error = Assert.Throws<DomainException>(() => EssentialData.Publish(decision, consultation, BuyerSiret, Valid() with { FormePrix = "Au doigt mouillé" }, Now));

        Assert.Equal("decp.invalid", error.Code);
        Assert.Equal("FormePrix", error.Field);
    }

    [Fact]
    public void Publish_WithoutTheBuyersSiret_IsRefused()
    {
        var (decision, consultation) = Awarded();

        var error = Assert.Throws<DomainException>(() => EssentialData.Publish(decision, consultation, null, Valid(), Now));

        Assert.Equal("decp.buyer-siret", error.Code);
    }

    [Fact]
    public void Publish_NotifiedBeforeTheDecision_IsRefused()
    {
        var (decision, consultation) = Awarded();

        var error = Assert.Throws<DomainException>(() => EssentialData.Publish(decision, consultation, BuyerSiret, Valid() with { DateNotification = new DateOnly(2026, 7, 1) }, Now));

        Assert.Equal("decp.notification-date", error.Code);
    }

    [Theory]
    [InlineData(ProcedureType.ProcedureAdaptee, "Procédure adaptée")]
    [InlineData(ProcedureType.AppelOffresOuvert, "Appel d'offres ouvert")]
    [InlineData(ProcedureType.ProcedureConcurrentielleAvecNegociation, "Procédure avec négociation")]
    [InlineData(ProcedureType.MarcheSansPubliciteNiMiseEnConcurrence, "Marché passé sans publicité ni mise en concurrence préalable")]
    [InlineData(ProcedureType.Concours, null)]
    public void ProcedureOf_MapsToTheFormatsWords(ProcedureType procedure, string? expected)
    {
        Assert.Equal(expected, DecpVocabulary.ProcedureOf(procedure));
    }
}

using Pli.Domain.Common;
using Pli.Domain.Consultations;

namespace Pli.Domain.Tests.Consultations;

public sealed class ConsultationTests
{
    private static readonly DateTime Now = new(2026, 6, 1, 8, 0, 0, DateTimeKind.Utc);
    private static readonly DateTime Deadline = new(2026, 7, 1, 10, 0, 0, DateTimeKind.Utc);
    private static readonly CpvEntry Roads = new("45233120-6", "Travaux de construction de routes", "Road construction works");

    private static ConsultationDetails Details(string reference = "2026-001", DateTime? deadline = null, DateTime? questions = null) =>
        new(reference, "Réfection de l'échangeur", "Travaux", ProcedureType.AppelOffresOuvert, Nature.Travaux, Roads, "Marseille",
            deadline ?? Deadline, questions ?? (deadline ?? Deadline).AddDays(-5), FilePolicy.DefaultAcceptedFormats);

    private static Consultation DraftWithDce(DateTime? deadline = null)
    {
        var consultation = Consultation.CreateDraft(Guid.NewGuid(), Details(deadline: deadline), Now);
        consultation.AddDceFile("RC.pdf", 1234, new string('a', 64), "dce/x/y", Now);
        return consultation;
    }

    [Fact]
    public void Publish_WithFutureDeadlineAndDce_OpensTheConsultation()
    {
        var consultation = DraftWithDce();

        consultation.Publish(Now);

        Assert.Equal(ConsultationStatus.Published, consultation.Status);
        Assert.Equal(Now, consultation.PublishedUtc);
    }

    [Fact]
    public void Publish_WithDeadlineInThePast_IsRefused()
    {
        var consultation = DraftWithDce(deadline: Now.AddSeconds(-1));

        var error = Assert.Throws<DomainException>(() => consultation.Publish(Now));

        Assert.Equal("publish.deadline-past", error.Code);
        Assert.Equal(ConsultationStatus.Draft, consultation.Status);
    }

    [Fact]
    public void Publish_WithDeadlineNow_IsRefused() =>
        Assert.Throws<DomainException>(() => DraftWithDce(deadline: Now).Publish(Now));

    [Fact]
    public void Publish_WithEmptyDce_IsRefused()
    {
        var consultation = Consultation.CreateDraft(Guid.NewGuid(), Details(), Now);

        var error = Assert.Throws<DomainException>(() => consultation.Publish(Now));

        Assert.Equal("publish.empty-dce", error.Code);
        Assert.Equal(ConsultationStatus.Draft, consultation.Status);
    }

    [Fact]
    public void CreateDraft_WithQuestionDeadlineAfterPlisDeadline_IsRefused()
    {
        var error = Assert.Throws<DomainException>(() =>
            Consultation.CreateDraft(Guid.NewGuid(), Details(questions: Deadline.AddSeconds(1)), Now));

        Assert.Equal("consultation.questions-after-deadline", error.Code);
    }

    [Fact]
    public void IsInProgress_UntilTheDeadlineInstantInclusive()
    {
        var consultation = DraftWithDce();
        consultation.Publish(Now);

        Assert.True(consultation.IsInProgress(Deadline.AddSeconds(-1)));
        Assert.True(consultation.IsInProgress(Deadline));
        Assert.False(consultation.IsInProgress(Deadline.AddMilliseconds(1)));
    }

    [Fact]
    public void AddDceFile_Empty_IsRefused()
    {
        var consultation = Consultation.CreateDraft(Guid.NewGuid(), Details(), Now);

        var error = Assert.Throws<DomainException>(() => consultation.AddDceFile("RC.pdf", 0, "", "k", Now));

        Assert.Equal("file.empty", error.Code);
        Assert.Empty(consultation.DceFiles);
    }

    [Fact]
    public void AddDceFile_PathTraversal_IsRefused()
    {
        var consultation = Consultation.CreateDraft(Guid.NewGuid(), Details(), Now);

        Assert.Throws<DomainException>(() => consultation.AddDceFile("../RC.pdf", 10, "", "k", Now));
        Assert.Empty(consultation.DceFiles);
    }

    [Fact]
    public void AddDceFile_SamePathTwice_IsRefused()
    {
        var consultation = DraftWithDce();

        var error = Assert.Throws<DomainException>(() => consultation.AddDceFile("rc.PDF", 10, "", "k2", Now));

        Assert.Equal("dce.duplicate", error.Code);
    }

    [Fact]
    public void RequireDcePathAvailable_NormalisesTheSeparator() =>
        Assert.Equal("Plans/plan.dwg", Consultation.CreateDraft(Guid.NewGuid(), Details(), Now).RequireDcePathAvailable("Plans\\plan.dwg"));

    [Fact]
    public void RequireDcePathAvailable_PathTakenInAnotherCase_IsRefused() =>
        Assert.Equal("dce.duplicate", Assert.Throws<DomainException>(() => DraftWithDce().RequireDcePathAvailable("rc.pdf")).Code);

    [Fact]
    public void RequireDcePathAvailable_AfterPublication_IsRefused()
    {
        var consultation = DraftWithDce();
        consultation.Publish(Now);

        Assert.Equal("consultation.not-draft", Assert.Throws<DomainException>(() => consultation.RequireDcePathAvailable("CCAP.pdf")).Code);
    }

    [Fact]
    public void AddLot_DuplicateNumber_IsRefused()
    {
        var consultation = Consultation.CreateDraft(Guid.NewGuid(), Details(), Now);
        consultation.AddLot(1, "Terrassement");

        var error = Assert.Throws<DomainException>(() => consultation.AddLot(1, "Chaussées"));

        Assert.Equal("lot.duplicate", error.Code);
    }

    [Fact]
    public void Published_CannotBeEditedAsADraft()
    {
        var consultation = DraftWithDce();
        consultation.Publish(Now);

        Assert.Throws<DomainException>(() => consultation.UpdateDraft(Details()));
        Assert.Throws<DomainException>(() => consultation.AddLot(2, "Lot"));
    }

    [Fact]
    public void SearchText_IsFoldedForAccentInsensitiveSearch()
    {
        var consultation = Consultation.CreateDraft(Guid.NewGuid(), Details(), Now);
        consultation.AddLot(1, "Ouvrages d'Art");

        Assert.Contains("echangeur", consultation.SearchText, StringComparison.Ordinal);
        Assert.Contains("ouvrages d'art", consultation.SearchText, StringComparison.Ordinal);
    }

    [Fact]
    public void PlaceKey_IsThePlaceFoldedWithHyphensAsSpaces()
    {
        var details = Details() with { PlaceOfExecution = "  Saint-Étienne,  Loire – L’Horme " };

        var consultation = Consultation.CreateDraft(Guid.NewGuid(), details, Now);

        Assert.Equal("Saint-Étienne,  Loire – L’Horme", consultation.PlaceOfExecution);
        Assert.Equal("saint etienne, loire l horme", consultation.PlaceKey);
        Assert.Equal("bouches du rhone", Consultation.PlaceKeyOf("Bouches-du-RHÔNE"));
    }

    [Fact]
    public void PlaceKey_FollowsTheDraftsNewPlace()
    {
        var consultation = Consultation.CreateDraft(Guid.NewGuid(), Details(), Now);

        consultation.UpdateDraft(Details() with { PlaceOfExecution = "Aix-en-Provence" });

        Assert.Equal("aix en provence", consultation.PlaceKey);
    }

    [Fact]
    public void ReferenceKey_IgnoresCaseAndSpacesBeyondAscii()
    {
        var consultation = Consultation.CreateDraft(Guid.NewGuid(), Details(" 2026-éco-été "), Now);

        Assert.Equal("2026-éco-été", consultation.Reference);
        Assert.Equal("2026-ÉCO-ÉTÉ", consultation.ReferenceKey);
        Assert.Equal(consultation.ReferenceKey, Consultation.KeyOf("2026-ÉCO-ÉTÉ  "));
    }

    [Theory]
    [InlineData("")]
    [InlineData("   ")]
    public void CreateDraft_WithoutReference_IsRefused(string reference) =>
        Assert.Equal("consultation.reference", Assert.Throws<DomainException>(() => Consultation.CreateDraft(Guid.NewGuid(), Details(reference), Now)).Code);
}

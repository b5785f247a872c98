using Microsoft.Extensions.Time.Testing;
using Pli.Domain.Common;
using Pli.Domain.Consultations;

namespace Pli.Domain.Tests.Consultations;

public sealed class ConsultationModificationTests
{
    private static readonly DateTime Published = new(2026, 6, 1, 8, 0, 0, DateTimeKind.Utc);

    /// <summary>Wednesday 1 July 2026, 12:00 in Paris.</summary>
    private static readonly DateTime Deadline = new(2026, 7, 1, 10, 0, 0, DateTimeKind.Utc);
    private static readonly DateTime Questions = Deadline.AddDays(-5);
    private static readonly CpvEntry Roads = new("45233120-6", "Travaux de construction de routes", "Road construction works");

    private readonly FakeTimeProvider _time = new(new DateTimeOffset(Published.AddDays(2)));

    private DateTime Now => _time.GetUtcNow().UtcDateTime;

    private static Consultation PublishedConsultation()
    {
        var consultation = Consultation.CreateDraft(Guid.NewGuid(), new ConsultationDetails("2026-001", "Réfection de l'échangeur", "Travaux",
            ProcedureType.AppelOffresOuvert, Nature.Travaux, Roads, "Marseille", Deadline, Questions, FilePolicy.DefaultAcceptedFormats), Published);
        consultation.AddDceFile("RC.pdf", 1234, new string('a', 64), "dce/x/rc", Published);
        consultation.AddDceFile("Pièces/CCTP.pdf", 5678, new string('b', 64), "dce/x/cctp", Published);
        consultation.Publish(Published);
        return consultation;
    }

    private static DceUpload Upload(string path, long size = 100, char hash = 'c') => new(path, size, new string(hash, 64), "dce/x/" + Guid.NewGuid().ToString("N"));

    private static void AssertRefused(string code, Action act, Consultation consultation, DateTime deadline)
    {
        var error = Assert.Throws<DomainException>(act);
        Assert.Equal(code, error.Code);
        Assert.Empty(consultation.Modifications);
        Assert.Equal(deadline, consultation.DeadlineUtc);
    }

    [Fact]
    public void ChangeDeadline_Later_MovesItAndRecordsOldAndNew()
    {
        var consultation = PublishedConsultation();
        var later = Deadline.AddDays(7);

        var modification = consultation.ChangeDeadline(later, null, Now);

        Assert.Equal(later, consultation.DeadlineUtc);
        Assert.Same(modification, Assert.Single(consultation.Modifications));
        Assert.Equal(ModificationKind.Deadline, modification.Kind);
        Assert.Equal(Now, modification.AtUtc);
        Assert.Equal(Deadline, Consultation.ParseRecordedInstant(modification.OldValue));
        Assert.Equal(later, Consultation.ParseRecordedInstant(modification.NewValue));
        Assert.Equal("Date limite de remise des plis : 01/07/2026 12:00 (heure de Paris, UTC+02:00) → 08/07/2026 12:00 (heure de Paris, UTC+02:00)", modification.Description);
    }

    [Fact]
    public void ChangeDeadline_OneSecondAhead_IsAccepted()
    {
        var consultation = PublishedConsultation();
        consultation.ChangeQuestionDeadline(Now.AddMilliseconds(500), Now);

        consultation.ChangeDeadline(Now.AddSeconds(1), null, Now);

        Assert.Equal(Now.AddSeconds(1), consultation.DeadlineUtc);
    }

    [Fact]
    public void ChangeDeadline_ToNow_IsRefused()
    {
        var consultation = PublishedConsultation();

        AssertRefused("modification.deadline-past", () => consultation.ChangeDeadline(Now, null, Now), consultation, Deadline);
    }

    [Fact]
    public void ChangeDeadline_OneSecondInThePast_IsRefused()
    {
        var consultation = PublishedConsultation();

        AssertRefused("modification.deadline-past", () => consultation.ChangeDeadline(Now.AddSeconds(-1), null, Now), consultation, Deadline);
    }

    [Fact]
    public void ChangeDeadline_OneSecondBeforeTheLatestDeposit_IsRefused()
    {
        var consultation = PublishedConsultation();
        var deposit = Now.AddDays(3);

        AssertRefused("modification.deadline-before-deposit", () => consultation.ChangeDeadline(deposit.AddSeconds(-1), deposit, Now), consultation, Deadline);
    }

    [Fact]
    public void ChangeDeadline_AtTheLatestDeposit_IsAccepted()
    {
        var consultation = PublishedConsultation();
        var deposit = Questions.AddDays(1);

        consultation.ChangeDeadline(deposit, deposit, Now);

        Assert.Equal(deposit, consultation.DeadlineUtc);
    }

    [Fact]
    public void ChangeDeadline_BeforeTheQuestionDeadline_IsRefused()
    {
        var consultation = PublishedConsultation();

        AssertRefused("modification.deadline-before-questions", () => consultation.ChangeDeadline(Questions.AddSeconds(-1), null, Now), consultation, Deadline);
    }

    [Fact]
    public void ChangeDeadline_ToTheSameInstant_IsRefused()
    {
        var consultation = PublishedConsultation();

        AssertRefused("modification.unchanged", () => consultation.ChangeDeadline(Deadline, null, Now), consultation, Deadline);
    }

    [Fact]
    public void ChangeDeadline_AtTheDeadlineInstant_IsStillAccepted()
    {
        var consultation = PublishedConsultation();

        consultation.ChangeDeadline(Deadline.AddDays(1), null, Deadline);

        Assert.Equal(Deadline.AddDays(1), consultation.DeadlineUtc);
    }

    [Fact]
    public void ChangeDeadline_OneSecondAfterTheDeadline_IsRefused()
    {
        var consultation = PublishedConsultation();

        AssertRefused("modification.closed", () => consultation.ChangeDeadline(Deadline.AddDays(1), null, Deadline.AddSeconds(1)), consultation, Deadline);
    }

    [Fact]
    public void ChangeDeadline_OfADraft_IsRefused()
    {
        var draft = Consultation.CreateDraft(Guid.NewGuid(), new ConsultationDetails("2026-002", "Brouillon", "", ProcedureType.ProcedureAdaptee,
            Nature.Services, Roads, null, Deadline, Questions, FilePolicy.DefaultAcceptedFormats), Published);

        AssertRefused("modification.draft", () => draft.ChangeDeadline(Deadline.AddDays(1), null, Now), draft, Deadline);
    }

    [Fact]
    public void ChangeQuestionDeadline_Earlier_MovesItAndRecordsOldAndNew()
    {
        var consultation = PublishedConsultation();
        var earlier = Questions.AddDays(-2);

        var modification = consultation.ChangeQuestionDeadline(earlier, Now);

        Assert.Equal(earlier, consultation.QuestionDeadlineUtc);
        Assert.Equal(ModificationKind.QuestionDeadline, modification.Kind);
        Assert.Equal(Questions, Consultation.ParseRecordedInstant(modification.OldValue));
        Assert.Equal(earlier, Consultation.ParseRecordedInstant(modification.NewValue));
    }

    [Fact]
    public void ChangeQuestionDeadline_AtThePlisDeadline_IsAccepted()
    {
        var consultation = PublishedConsultation();

        consultation.ChangeQuestionDeadline(Deadline, Now);

        Assert.Equal(Deadline, consultation.QuestionDeadlineUtc);
    }

    [Fact]
    public void ChangeQuestionDeadline_OneSecondAfterThePlisDeadline_IsRefused()
    {
        var consultation = PublishedConsultation();

        var error = Assert.Throws<DomainException>(() => consultation.ChangeQuestionDeadline(Deadline.AddSeconds(1), Now));

        Assert.Equal("modification.questions-after-deadline", error.Code);
        Assert.Equal(Questions, consultation.QuestionDeadlineUtc);
        Assert.Empty(consultation.Modifications);
    }

    [Fact]
    public void ChangeQuestionDeadline_IntoThePast_IsRefused()
    {
        var consultation = PublishedConsultation();

        var error = Assert.Throws<DomainException>(() => consultation.ChangeQuestionDeadline(Now.AddSeconds(-1), Now));

        Assert.Equal("modification.questions-past", error.Code);
        Assert.Equal(Questions, consultation.QuestionDeadlineUtc);
    }

    [Fact]
    public void PublishRectificatif_KeepsTheTrimmedText()
    {
        var consultation = PublishedConsultation();

        var modification = consultation.PublishRectificatif("  L'article 3 du CCAP est rectifié.\nLire : 60 jours.  ", Now);

        Assert.Equal(ModificationKind.Rectificatif, modification.Kind);
        Assert.Equal("L'article 3 du CCAP est rectifié.\nLire : 60 jours.", modification.Description);
    }

    [Theory]
    [InlineData("")]
    [InlineData("   ")]
    [InlineData("texte\u0000caché")]
    public void PublishRectificatif_WithoutText_IsRefused(string text)
    {
        var consultation = PublishedConsultation();

        AssertRefused("modification.rectificatif", () => consultation.PublishRectificatif(text, Now), consultation, Deadline);
    }

    [Fact]
    public void PublishRectificatif_LongerThan4000Characters_IsRefused()
    {
        var consultation = PublishedConsultation();

        consultation.PublishRectificatif(new string('a', 4000), Now);
        Assert.Throws<DomainException>(() => consultation.PublishRectificatif(new string('a', 4001), Now));
        Assert.Single(consultation.Modifications);
    }

    [Fact]
    public void ComplementDce_AddsTheFilesAsOneModification()
    {
        var consultation = PublishedConsultation();

        var (modification, added) = consultation.ComplementDce([Upload("Plans/Plan de situation.pdf"), Upload("Annexe.pdf")], Now);

        Assert.Equal(2, added.Count);
        Assert.Equal(4, consultation.DceFiles.Count);
        Assert.Equal(ModificationKind.DceComplement, modification.Kind);
        Assert.Equal("2", modification.NewValue);
        Assert.Contains("Plans/Plan de situation.pdf", modification.Description, StringComparison.Ordinal);
    }

    [Fact]
    public void ComplementDce_WithAPathAlreadyInTheDce_IsRefusedWhole()
    {
        var consultation = PublishedConsultation();

        AssertRefused("dce.duplicate", () => consultation.ComplementDce([Upload("Annexe.pdf"), Upload("rc.PDF")], Now), consultation, Deadline);
        Assert.Equal(2, consultation.DceFiles.Count);
    }

    [Fact]
    public void ComplementDce_WithNoFile_IsRefused()
    {
        var consultation = PublishedConsultation();

        AssertRefused("modification.dce-no-file", () => consultation.ComplementDce([], Now), consultation, Deadline);
    }

    [Fact]
    public void ComplementDce_AfterTheDeadline_IsRefused()
    {
        var consultation = PublishedConsultation();

        AssertRefused("modification.closed", () => consultation.ComplementDce([Upload("Annexe.pdf")], Deadline.AddSeconds(1)), consultation, Deadline);
    }

    [Fact]
    public void ReplaceDceFile_KeepsTheFolderAndRecordsOldAndNewPaths()
    {
        var consultation = PublishedConsultation();
        var cctp = consultation.DceFiles.Single(f => f.FileName == "CCTP.pdf");

        var (modification, removed, added) = consultation.ReplaceDceFile(cctp.Id, Upload("CCTP v2.pdf"), Now);

        Assert.Same(cctp, removed);
        Assert.Equal("Pièces/CCTP v2.pdf", added.RelativePath);
        Assert.DoesNotContain(cctp, consultation.DceFiles);
        Assert.Equal(2, consultation.DceFiles.Count);
        Assert.Equal(ModificationKind.DceReplacement, modification.Kind);
        Assert.Equal(("Pièces/CCTP.pdf", "Pièces/CCTP v2.pdf"), (modification.OldValue, modification.NewValue));
    }

    [Fact]
    public void ReplaceDceFile_UnderTheSameNameWithNewContent_IsAccepted()
    {
        var consultation = PublishedConsultation();
        var rc = consultation.DceFiles.Single(f => f.RelativePath == "RC.pdf");

        var (_, _, added) = consultation.ReplaceDceFile(rc.Id, Upload("RC.pdf"), Now);

        Assert.Equal("RC.pdf", added.RelativePath);
    }

    [Fact]
    public void ReplaceDceFile_WithTheSameContent_IsRefused()
    {
        var consultation = PublishedConsultation();
        var rc = consultation.DceFiles.Single(f => f.RelativePath == "RC.pdf");

        AssertRefused("modification.dce-same-file", () => consultation.ReplaceDceFile(rc.Id, Upload("RC.pdf", hash: 'a'), Now), consultation, Deadline);
    }

    [Fact]
    public void ReplaceDceFile_UnknownFile_IsRefused()
    {
        var consultation = PublishedConsultation();

        AssertRefused("modification.dce-file-unknown", () => consultation.ReplaceDceFile(Guid.NewGuid(), Upload("RC.pdf"), Now), consultation, Deadline);
    }

    [Fact]
    public void Cancel_WithALotAlreadyAwarded_IsRefused()
    {
        var consultation = PublishedConsultation();

        var refused = Assert.Throws<DomainException>(() => consultation.Cancel("Trop tard.", consultation.DeadlineUtc.AddSeconds(1), anyLotAwarded: true));

        Assert.Equal("modification.awarded", refused.Code);
        Assert.Equal(ConsultationStatus.Published, consultation.Status);
    }

    [Fact]
    public void Cancel_OfAnAwardedConsultation_IsRefused()
    {
        var consultation = PublishedConsultation();
        var afterDeadline = consultation.DeadlineUtc.AddSeconds(1);
        consultation.CompleteAward(consultation.AwardableLots);

        var refused = Assert.Throws<DomainException>(() => consultation.Cancel("Trop tard.", afterDeadline));

        Assert.Equal("modification.awarded", refused.Code);
        Assert.Equal(ConsultationStatus.Awarded, consultation.Status);
    }

    [Fact]
    public void Cancel_ClosesTheConsultationToDeposits()
    {
        var consultation = PublishedConsultation();

        var modification = consultation.Cancel("Besoin abandonné.", Now);

        Assert.Equal(ConsultationStatus.Cancelled, consultation.Status);
        Assert.True(consultation.IsCancelled);
        Assert.False(consultation.IsInProgress(Now));
        Assert.Equal(ModificationKind.Cancellation, modification.Kind);
        Assert.Equal("Besoin abandonné.", modification.Description);
    }

    [Fact]
    public void Cancel_AfterTheDeadline_IsAccepted()
    {
        var consultation = PublishedConsultation();

        consultation.Cancel("Déclarée sans suite : offres inacceptables.", Deadline.AddDays(10));

        Assert.Equal(ConsultationStatus.Cancelled, consultation.Status);
    }

    [Fact]
    public void Cancel_WithoutReason_IsRefused()
    {
        var consultation = PublishedConsultation();

        AssertRefused("modification.cancel-reason", () => consultation.Cancel(" ", Now), consultation, Deadline);
        Assert.Equal(ConsultationStatus.Published, consultation.Status);
    }

    [Fact]
    public void AnyModification_OfACancelledConsultation_IsRefused()
    {
        var consultation = PublishedConsultation();
        consultation.Cancel("Besoin abandonné.", Now);

        Assert.Equal("modification.cancelled", Assert.Throws<DomainException>(() => consultation.ChangeDeadline(Deadline.AddDays(1), null, Now)).Code);
        Assert.Equal("modification.cancelled", Assert.Throws<DomainException>(() => consultation.PublishRectificatif("Texte", Now)).Code);
        Assert.Equal("modification.cancelled", Assert.Throws<DomainException>(() => consultation.Cancel("Encore", Now)).Code);
        Assert.Single(consultation.Modifications);
    }

    [Fact]
    public void Deposit_OnACancelledConsultation_IsRefused()
    {
        var consultation = PublishedConsultation();
        consultation.Cancel("Besoin abandonné.", Now);

        var error = Assert.Throws<DomainException>(() => Pli.Domain.Deposits.Deposit.StartDraft(consultation, Guid.NewGuid(), Guid.NewGuid(),
            Pli.Domain.Deposits.DepositChoices.Solo(), Now));

        Assert.Equal("deposit.consultation-closed", error.Code);
    }
}

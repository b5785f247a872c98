using Pli.Domain.Common;
using Pli.Domain.Deposits;
using static Pli.Domain.Tests.Deposits.DepositTestData;

namespace Pli.Domain.Tests.Deposits;

/// <summary>Sealing a pli, on time or late, and withdrawing it.</summary>
public sealed class DepositSealTests
{
    // Seal: what the pli needs.

    [Fact]
    public void Seal_BeforeDeadline_WithCompletePli_SealsItOnTime()
    {
        var deposit = Complete(Published(lots: [1, 2]));

        deposit.Seal(Deadline, termsAccepted: true, backupCopyDeclared: false, Before);

        Assert.Equal(DepositStatus.Sealed, deposit.Status);
        Assert.False(deposit.IsDraft);
        Assert.False(deposit.IsLate);
        Assert.Equal(Before, deposit.SealedUtc);
        Assert.Equal(Before, deposit.TermsAcceptedUtc);
        Assert.Null(deposit.WithdrawnUtc);
    }

    [Fact]
    public void Seal_WithoutAcceptedTerms_IsRefused()
    {
        var deposit = Complete(Published());

        var error = Assert.Throws<DomainException>(() => deposit.Seal(Deadline, termsAccepted: false, backupCopyDeclared: false, Before));

        Assert.Equal("deposit.terms-not-accepted", error.Code);
        Assert.Equal("AcceptTerms", error.Field);
        Assert.True(deposit.IsDraft);
        Assert.Null(deposit.SealedUtc);
        Assert.Null(deposit.TermsAcceptedUtc);
    }

    [Fact]
    public void Seal_WithoutCandidature_IsRefused()
    {
        var deposit = Draft(Published());
        deposit.Receive(EnvelopeKind.Offre, name: "Offre.pdf");

        var error = Assert.Throws<DomainException>(() => deposit.Seal(Deadline, termsAccepted: true, backupCopyDeclared: false, Before));

        Assert.Equal("deposit.no-candidature", error.Code);
        Assert.Equal("Candidature", error.Field);
        Assert.True(deposit.IsDraft);
        Assert.Null(deposit.SealedUtc);
    }

    [Fact]
    public void Seal_WithAChosenLotWithoutOffer_IsRefused()
    {
        var deposit = Draft(Published(lots: [1, 2, 3]), DepositChoices.Solo(1, 3));
        deposit.Receive(EnvelopeKind.Candidature, name: "DC1.pdf");
        deposit.Receive(EnvelopeKind.Offre, 1, "Offre lot 1.pdf");

        var error = Assert.Throws<DomainException>(() => deposit.Seal(Deadline, termsAccepted: true, backupCopyDeclared: false, Before));

        Assert.Equal("deposit.no-offer", error.Code);
        Assert.Equal("Offre", error.Field);
        Assert.Equal(3, Assert.Single(error.Arguments));
        Assert.True(deposit.IsDraft);
        Assert.Null(deposit.SealedUtc);
    }

    [Fact]
    public void Seal_OnConsultationWithoutLots_WithoutOffer_IsRefused()
    {
        var deposit = Draft(Published());
        deposit.Receive(EnvelopeKind.Candidature, name: "DC1.pdf");

        var error = Assert.Throws<DomainException>(() => deposit.Seal(Deadline, termsAccepted: true, backupCopyDeclared: false, Before));

        Assert.Equal("deposit.no-offer-single", error.Code);
        Assert.Equal("Offre", error.Field);
        Assert.True(deposit.IsDraft);
        Assert.Null(deposit.SealedUtc);
    }

    [Fact]
    public void Seal_WithBackupCopyDeclared_RecordsTheDeclaration()
    {
        var deposit = Complete(Published());

        deposit.Seal(Deadline, termsAccepted: true, backupCopyDeclared: true, Before);

        Assert.Equal(Before, deposit.BackupCopyDeclaredUtc);
    }

    [Fact]
    public void Seal_WithoutBackupCopyDeclared_RecordsNoDeclaration()
    {
        var deposit = Complete(Published());

        deposit.Seal(Deadline, termsAccepted: true, backupCopyDeclared: false, Before);

        Assert.Null(deposit.BackupCopyDeclaredUtc);
    }

    [Fact]
    public void Seal_Twice_IsRefused()
    {
        var deposit = Complete(Published());
        deposit.Seal(Deadline, termsAccepted: true, backupCopyDeclared: false, Before);

        var error = Assert.Throws<DomainException>(() => deposit.Seal(Deadline, termsAccepted: true, backupCopyDeclared: true, Before.AddMinutes(1)));

        Assert.Equal("deposit.already-sealed", error.Code);
        Assert.Null(error.Field);
        Assert.Equal(deposit.Number, Assert.Single(error.Arguments));
        Assert.Equal(Before, deposit.SealedUtc);
        Assert.Null(deposit.BackupCopyDeclaredUtc);
    }

    [Fact]
    public void Seal_AWithdrawnDeposit_IsRefused()
    {
        var deposit = Sealed(Published());
        deposit.Withdraw(Deadline, Before.AddMinutes(1));

        var error = Assert.Throws<DomainException>(() => deposit.Seal(Deadline, termsAccepted: true, backupCopyDeclared: false, Before.AddMinutes(2)));

        Assert.Equal("deposit.already-sealed", error.Code);
        Assert.Equal(DepositStatus.Withdrawn, deposit.Status);
        Assert.Equal(Before, deposit.SealedUtc);
    }

    // Seal: the horodatage.

    [Fact]
    public void Seal_AtTheDeadlineInstant_IsOnTime()
    {
        var deposit = Complete(Published());

        deposit.Seal(Deadline, termsAccepted: true, backupCopyDeclared: false, Deadline);

        Assert.Equal(DepositStatus.Sealed, deposit.Status);
        Assert.False(deposit.IsLate);
        Assert.Equal(Deadline, deposit.SealedUtc);
    }

    [Fact]
    public void Seal_KeepsTheHorodatageToTheMillisecond()
    {
        var deposit = Complete(Published());
        var now = Deadline.AddMilliseconds(-1);

        deposit.Seal(Deadline, termsAccepted: true, backupCopyDeclared: false, now);

        Assert.Equal(now, deposit.SealedUtc);
        Assert.Equal(999, deposit.SealedUtc!.Value.Millisecond);
        Assert.False(deposit.IsLate);
    }

    [Fact]
    public void Seal_RecordsWhenTheEarliestFileStartedToBeTransmitted()
    {
        var deposit = Draft(Published());
        deposit.Receive(EnvelopeKind.Candidature, name: "DC1.pdf", startedUtc: Deadline.AddHours(-1));
        deposit.Receive(EnvelopeKind.Offre, name: "Offre.pdf", startedUtc: Deadline.AddHours(-3), receivedUtc: Deadline.AddMinutes(-1));
        deposit.Receive(EnvelopeKind.Offre, name: "Annexe.pdf", startedUtc: Deadline.AddHours(-2));

        deposit.Seal(Deadline, termsAccepted: true, backupCopyDeclared: false, Deadline);

        Assert.Equal(Deadline.AddHours(-3), deposit.TransmissionStartedUtc);
    }

    [Fact]
    public void Seal_OneMillisecondAfterDeadline_WithAFileStartedBeforeAndReceivedAfter_IsLate()
    {
        var deposit = Draft(Published());
        deposit.Receive(EnvelopeKind.Candidature, name: "DC1.pdf");
        deposit.Receive(EnvelopeKind.Offre, name: "Offre.zip", startedUtc: Deadline.AddMinutes(-10), receivedUtc: Deadline.AddMinutes(5));
        var now = Deadline.AddMilliseconds(1);

        deposit.Seal(Deadline, termsAccepted: true, backupCopyDeclared: false, now);

        Assert.Equal(DepositStatus.Sealed, deposit.Status);
        Assert.True(deposit.IsLate);
        Assert.Equal(now, deposit.SealedUtc);
    }

    [Fact]
    public void Seal_OneMillisecondAfterDeadline_WithNoTransmissionUnderWay_IsRefused()
    {
        var deposit = Complete(Published());

        var error = Assert.Throws<DomainException>(() => deposit.Seal(Deadline, termsAccepted: true, backupCopyDeclared: false, Deadline.AddMilliseconds(1)));

        Assert.Equal("deposit.deadline-passed", error.Code);
        Assert.Null(error.Field);
        Assert.True(deposit.IsDraft);
        Assert.Null(deposit.SealedUtc);
        Assert.False(deposit.IsLate);
    }

    [Fact]
    public void Seal_AfterDeadline_WithAFileReceivedExactlyAtTheDeadline_IsRefused()
    {
        var deposit = Draft(Published());
        deposit.Receive(EnvelopeKind.Candidature, name: "DC1.pdf");
        deposit.Receive(EnvelopeKind.Offre, name: "Offre.zip", startedUtc: Deadline.AddMinutes(-10), receivedUtc: Deadline);

        var error = Assert.Throws<DomainException>(() => deposit.Seal(Deadline, termsAccepted: true, backupCopyDeclared: false, Deadline.AddSeconds(1)));

        Assert.Equal("deposit.deadline-passed", error.Code);
        Assert.True(deposit.IsDraft);
    }

    [Fact]
    public void Seal_AfterDeadline_WithAFileStartedExactlyAtTheDeadlineAndReceivedAfter_IsLate()
    {
        var deposit = Draft(Published());
        deposit.Receive(EnvelopeKind.Candidature, name: "DC1.pdf");
        deposit.Receive(EnvelopeKind.Offre, name: "Offre.zip", startedUtc: Deadline, receivedUtc: Deadline.AddMilliseconds(1));

        deposit.Seal(Deadline, termsAccepted: true, backupCopyDeclared: false, Deadline.AddSeconds(1));

        Assert.Equal(DepositStatus.Sealed, deposit.Status);
        Assert.True(deposit.IsLate);
    }

    [Fact]
    public void Seal_Late_StillNeedsACandidature()
    {
        var deposit = Draft(Published());
        deposit.Receive(EnvelopeKind.Offre, name: "Offre.zip", startedUtc: Deadline.AddMinutes(-10), receivedUtc: Deadline.AddMinutes(5));

        var error = Assert.Throws<DomainException>(() => deposit.Seal(Deadline, termsAccepted: true, backupCopyDeclared: false, Deadline.AddMinutes(6)));

        Assert.Equal("deposit.no-candidature", error.Code);
        Assert.True(deposit.IsDraft);
        Assert.False(deposit.IsLate);
    }

    // Withdraw.

    [Fact]
    public void Withdraw_BeforeDeadline_WithdrawsThePli()
    {
        var deposit = Sealed(Published());
        var now = Before.AddHours(1);

        deposit.Withdraw(Deadline, now);

        Assert.Equal(DepositStatus.Withdrawn, deposit.Status);
        Assert.Equal(now, deposit.WithdrawnUtc);
        Assert.Equal(Before, deposit.SealedUtc);
        Assert.Equal(2, deposit.Files.Count);
    }

    [Fact]
    public void Withdraw_AtTheDeadlineInstant_IsAllowed()
    {
        var deposit = Sealed(Published());

        deposit.Withdraw(Deadline, Deadline);

        Assert.Equal(DepositStatus.Withdrawn, deposit.Status);
        Assert.Equal(Deadline, deposit.WithdrawnUtc);
    }

    [Fact]
    public void Withdraw_OneMillisecondAfterDeadline_IsRefused()
    {
        var deposit = Sealed(Published());

        var error = Assert.Throws<DomainException>(() => deposit.Withdraw(Deadline, Deadline.AddMilliseconds(1)));

        Assert.Equal("deposit.deadline-passed", error.Code);
        Assert.Equal(DepositStatus.Sealed, deposit.Status);
        Assert.Null(deposit.WithdrawnUtc);
    }

    [Fact]
    public void Withdraw_ALateDeposit_IsRefused()
    {
        var deposit = Draft(Published());
        deposit.Receive(EnvelopeKind.Candidature, name: "DC1.pdf");
        deposit.Receive(EnvelopeKind.Offre, name: "Offre.zip", startedUtc: Deadline.AddMinutes(-10), receivedUtc: Deadline.AddMinutes(5));
        deposit.Seal(Deadline, termsAccepted: true, backupCopyDeclared: false, Deadline.AddMinutes(6));

        var error = Assert.Throws<DomainException>(() => deposit.Withdraw(Deadline, Deadline.AddMinutes(7)));

        Assert.Equal("deposit.not-withdrawable", error.Code);
        Assert.Equal(DepositStatus.Sealed, deposit.Status);
        Assert.True(deposit.IsLate);
        Assert.Null(deposit.WithdrawnUtc);
    }

    [Fact]
    public void Withdraw_ADraft_IsRefused()
    {
        var deposit = Complete(Published());

        var error = Assert.Throws<DomainException>(() => deposit.Withdraw(Deadline, Before));

        Assert.Equal("deposit.not-withdrawable", error.Code);
        Assert.Null(error.Field);
        Assert.True(deposit.IsDraft);
        Assert.Null(deposit.WithdrawnUtc);
    }

    [Fact]
    public void Withdraw_Twice_IsRefused()
    {
        var deposit = Sealed(Published());
        deposit.Withdraw(Deadline, Before.AddHours(1));

        var error = Assert.Throws<DomainException>(() => deposit.Withdraw(Deadline, Before.AddHours(2)));

        Assert.Equal("deposit.not-withdrawable", error.Code);
        Assert.Equal(DepositStatus.Withdrawn, deposit.Status);
        Assert.Equal(Before.AddHours(1), deposit.WithdrawnUtc);
    }
}

using System.Globalization;
using Pli.Domain.Common;
using Pli.Domain.Deposits;
using static Pli.Domain.Tests.Deposits.DepositTestData;

namespace Pli.Domain.Tests.Deposits;

/// <summary>Starting a draft, the choices of how to answer, and the deposit number.</summary>
public sealed class DepositTests
{
    [Fact]
    public void StartDraft_WhileInProgress_CreatesADraftOfTheCompany()
    {
        var consultation = Published();

        var deposit = Deposit.StartDraft(consultation, CompanyId, UserId, DepositChoices.Solo(), Before);

        Assert.Equal(DepositStatus.Draft, deposit.Status);
        Assert.True(deposit.IsDraft);
        Assert.NotEqual(Guid.Empty, deposit.Id);
        Assert.Equal(consultation.Id, deposit.ConsultationId);
        Assert.Equal(CompanyId, deposit.CompanyId);
        Assert.Equal(UserId, deposit.CreatedByUserId);
        Assert.Equal(Before, deposit.CreatedUtc);
        Assert.Equal(DepositMode.Solo, deposit.Mode);
        Assert.Empty(deposit.Files);
        Assert.Empty(deposit.Members);
        Assert.Null(deposit.SealedUtc);
        Assert.False(deposit.IsLate);
    }

    [Fact]
    public void StartDraft_AtTheDeadlineInstant_IsAllowed()
    {
        var deposit = Deposit.StartDraft(Published(), CompanyId, UserId, DepositChoices.Solo(), Deadline);

        Assert.True(deposit.IsDraft);
        Assert.Equal(Deadline, deposit.CreatedUtc);
    }

    [Fact]
    public void StartDraft_OneMillisecondAfterDeadline_IsRefused()
    {
        var consultation = Published();

        var error = Assert.Throws<DomainException>(() =>
            Deposit.StartDraft(consultation, CompanyId, UserId, DepositChoices.Solo(), Deadline.AddMilliseconds(1)));

        Assert.Equal("deposit.deadline-passed", error.Code);
        Assert.Null(error.Field);
    }

    [Fact]
    public void StartDraft_OnAConsultationNotPublished_IsRefused()
    {
        var consultation = DraftConsultation();

        var error = Assert.Throws<DomainException>(() =>
            Deposit.StartDraft(consultation, CompanyId, UserId, DepositChoices.Solo(), Before));

        Assert.Equal("deposit.consultation-closed", error.Code);
        Assert.Null(error.Field);
    }

    [Fact]
    public void StartDraft_WithUndefinedMode_IsRefused()
    {
        var choices = new DepositChoices((DepositMode)42, CandidatureType.Standard, [], []);

        var error = Assert.Throws<DomainException>(() => Draft(Published(), choices));

        Assert.Equal("deposit.mode", error.Code);
        Assert.Equal("Mode", error.Field);
    }

    [Fact]
    public void StartDraft_WithUndefinedCandidatureType_IsRefused()
    {
        var choices = new DepositChoices(DepositMode.Solo, (CandidatureType)42, [], []);

        var error = Assert.Throws<DomainException>(() => Draft(Published(), choices));

        Assert.Equal("deposit.candidature-type", error.Code);
        Assert.Equal("CandidatureType", error.Field);
    }

    [Fact]
    public void StartDraft_WithDume_RecordsTheCandidatureType()
    {
        var deposit = Draft(Published(), new DepositChoices(DepositMode.Solo, CandidatureType.Dume, [], []));

        Assert.Equal(CandidatureType.Dume, deposit.CandidatureType);
    }

    // Lots.

    [Fact]
    public void StartDraft_OnAllotiConsultation_WithoutLot_IsRefused()
    {
        var error = Assert.Throws<DomainException>(() => Draft(Published(lots: [1, 2]), DepositChoices.Solo()));

        Assert.Equal("deposit.lots-required", error.Code);
        Assert.Equal("Lots", error.Field);
    }

    [Theory]
    [InlineData(3)]
    [InlineData(0)]
    [InlineData(1000)]
    public void StartDraft_WithALotTheConsultationDoesNotHave_IsRefused(int lot)
    {
        var error = Assert.Throws<DomainException>(() => Draft(Published(lots: [1, 2]), DepositChoices.Solo(1, lot)));

        Assert.Equal("deposit.lot-unknown", error.Code);
        Assert.Equal("Lots", error.Field);
        Assert.Equal(lot, Assert.Single(error.Arguments));
    }

    [Fact]
    public void StartDraft_WithLotMinusOne_IsRefused()
    {
        var error = Assert.Throws<DomainException>(() => Draft(Published(lots: [1, 2]), DepositChoices.Solo(1, -1)));

        Assert.Equal("deposit.lot-unknown", error.Code);
        Assert.Equal("Lots", error.Field);
    }

    [Fact]
    public void StartDraft_OnConsultationWithoutLots_WithALot_IsRefused()
    {
        var error = Assert.Throws<DomainException>(() => Draft(Published(), DepositChoices.Solo(1)));

        Assert.Equal("deposit.no-lots", error.Code);
        Assert.Equal("Lots", error.Field);
    }

    [Fact]
    public void StartDraft_OnConsultationWithoutLots_HasNoLots()
    {
        var deposit = Draft(Published(), DepositChoices.Solo());

        Assert.Empty(deposit.Lots);
        Assert.Equal("", deposit.LotNumbers);
    }

    [Fact]
    public void StartDraft_WithDuplicateLotsInDisorder_KeepsEachOnceInOrder()
    {
        var deposit = Draft(Published(lots: [1, 2, 3, 10]), DepositChoices.Solo(10, 3, 1, 3, 10));

        Assert.Equal([1, 3, 10], deposit.Lots);
        Assert.Equal("1,3,10", deposit.LotNumbers);
    }

    // Groupement.

    [Theory]
    [InlineData(DepositMode.GroupementConjoint)]
    [InlineData(DepositMode.GroupementSolidaire)]
    public void StartDraft_Groupement_WithoutCoContractor_IsRefused(DepositMode mode)
    {
        var choices = new DepositChoices(mode, CandidatureType.Standard, [], []);

        var error = Assert.Throws<DomainException>(() => Draft(Published(), choices));

        Assert.Equal("deposit.no-member", error.Code);
        Assert.Equal("Members", error.Field);
    }

    [Fact]
    public void StartDraft_Groupement_RecordsTheCoContractorsTrimmedWithTheirSiretDigits()
    {
        var choices = new DepositChoices(DepositMode.GroupementSolidaire, CandidatureType.Standard, [],
            [new("  Routes du Sud  ", "443 210 109 00015"), new("Béton Provence", Siret2)]);

        var deposit = Draft(Published(), choices);

        Assert.Equal(DepositMode.GroupementSolidaire, deposit.Mode);
        Assert.Collection(deposit.Members,
            m =>
            {
                Assert.Equal("Routes du Sud", m.Name);
                Assert.Equal(Siret1, m.Siret);
                Assert.Equal(deposit.Id, m.DepositId);
            },
            m =>
            {
                Assert.Equal("Béton Provence", m.Name);
                Assert.Equal(Siret2, m.Siret);
                Assert.Equal(deposit.Id, m.DepositId);
            });
    }

    [Fact]
    public void StartDraft_Groupement_WithInvalidSiret_IsRefusedByTheSiretRule()
    {
        var error = Assert.Throws<DomainException>(() => Draft(Published(), Groupement(new CoContractor("Routes du Sud", "44321010900016"))));

        Assert.Equal("siret.invalid", error.Code);
        Assert.Equal("Siret", error.Field);
    }

    [Fact]
    public void StartDraft_Groupement_WithTheSameSiretTwice_IsRefused()
    {
        var choices = Groupement(new CoContractor("Routes du Sud", Siret1), new CoContractor("Routes du Sud (agence)", "443 210 109 00015"));

        var error = Assert.Throws<DomainException>(() => Draft(Published(), choices));

        Assert.Equal("deposit.member-duplicate", error.Code);
        Assert.Equal("Members", error.Field);
        Assert.Equal(Siret1, Assert.Single(error.Arguments));
    }

    [Theory]
    [InlineData("")]
    [InlineData("   ")]
    [InlineData(null)]
    public void StartDraft_Groupement_WithCoContractorWithoutName_IsRefused(string? name)
    {
        var error = Assert.Throws<DomainException>(() => Draft(Published(), Groupement(new CoContractor(name!, Siret1))));

        Assert.Equal("deposit.member-name", error.Code);
        Assert.Equal("Members", error.Field);
    }

    [Fact]
    public void StartDraft_Groupement_WithCoContractorNameOver200Characters_IsRefused()
    {
        var error = Assert.Throws<DomainException>(() => Draft(Published(), Groupement(new CoContractor(new string('A', 201), Siret1))));

        Assert.Equal("deposit.member-name", error.Code);
    }

    [Fact]
    public void StartDraft_Groupement_WithCoContractorNameOf200Characters_IsAllowed()
    {
        var deposit = Draft(Published(), Groupement(new CoContractor(new string('A', 200), Siret1)));

        Assert.Equal(200, Assert.Single(deposit.Members).Name.Length);
    }

    [Fact]
    public void StartDraft_Solo_IgnoresCoContractors()
    {
        var choices = new DepositChoices(DepositMode.Solo, CandidatureType.Standard, [], [new("", "not a siret"), new("X", "not a siret")]);

        var deposit = Draft(Published(), choices);

        Assert.Equal(DepositMode.Solo, deposit.Mode);
        Assert.Empty(deposit.Members);
    }

    // Changing the choices.

    [Fact]
    public void ChangeChoices_DroppingALotThatHoldsOfferFiles_IsRefused()
    {
        var consultation = Published(lots: [1, 2]);
        var deposit = Draft(consultation, DepositChoices.Solo(1, 2));
        deposit.Receive(EnvelopeKind.Offre, 1, "Offre lot 1.pdf");

        var error = Assert.Throws<DomainException>(() => deposit.ChangeChoices(consultation, DepositChoices.Solo(2), Before));

        Assert.Equal("deposit.lot-has-files", error.Code);
        Assert.Equal("Lots", error.Field);
        Assert.Equal(1, Assert.Single(error.Arguments));
        Assert.Equal([1, 2], deposit.Lots);
        Assert.Single(deposit.Files);
    }

    [Fact]
    public void ChangeChoices_DroppingALotWithoutFiles_IsAllowed()
    {
        var consultation = Published(lots: [1, 2]);
        var deposit = Draft(consultation, DepositChoices.Solo(1, 2));
        deposit.Receive(EnvelopeKind.Offre, 1, "Offre lot 1.pdf");

        deposit.ChangeChoices(consultation, DepositChoices.Solo(1), Before);

        Assert.Equal([1], deposit.Lots);
        Assert.Single(deposit.Files);
    }

    [Fact]
    public void ChangeChoices_AddingALot_KeepsTheFiles()
    {
        var consultation = Published(lots: [1, 2]);
        var deposit = Draft(consultation, DepositChoices.Solo(2));
        var offer = deposit.Receive(EnvelopeKind.Offre, 2, "Offre lot 2.pdf");

        deposit.ChangeChoices(consultation, DepositChoices.Solo(1, 2), Before);

        Assert.Equal([1, 2], deposit.Lots);
        Assert.Same(offer, Assert.Single(deposit.Files));
    }

    [Fact]
    public void ChangeChoices_FromGroupementToSolo_ForgetsTheCoContractors()
    {
        var consultation = Published();
        var deposit = Draft(consultation, Groupement(new CoContractor("Routes du Sud", Siret1)));

        deposit.ChangeChoices(consultation, DepositChoices.Solo(), Before);

        Assert.Equal(DepositMode.Solo, deposit.Mode);
        Assert.Empty(deposit.Members);
    }

    [Fact]
    public void ChangeChoices_FromSoloToGroupement_RecordsTheCoContractors()
    {
        var consultation = Published();
        var deposit = Draft(consultation, DepositChoices.Solo());

        deposit.ChangeChoices(consultation, Groupement(new CoContractor("Routes du Sud", Siret1)), Before);

        Assert.Equal(DepositMode.GroupementConjoint, deposit.Mode);
        Assert.Equal(Siret1, Assert.Single(deposit.Members).Siret);
    }

    [Fact]
    public void ChangeChoices_ToAnInvalidGroupement_LeavesTheChoicesUnchanged()
    {
        var consultation = Published(lots: [1, 2]);
        var deposit = Draft(consultation, DepositChoices.Solo(1));
        var choices = new DepositChoices(DepositMode.GroupementConjoint, CandidatureType.Dume, [1, 2], [new("Routes du Sud", "44321010900016")]);

        var error = Assert.Throws<DomainException>(() => deposit.ChangeChoices(consultation, choices, Before));

        Assert.Equal("siret.invalid", error.Code);
        Assert.Equal(DepositMode.Solo, deposit.Mode);
        Assert.Equal(CandidatureType.Standard, deposit.CandidatureType);
        Assert.Equal([1], deposit.Lots);
        Assert.Empty(deposit.Members);
    }

    [Fact]
    public void ChangeChoices_AtTheDeadlineInstant_IsAllowed()
    {
        var consultation = Published(lots: [1, 2]);
        var deposit = Draft(consultation, DepositChoices.Solo(1));

        deposit.ChangeChoices(consultation, DepositChoices.Solo(1, 2), Deadline);

        Assert.Equal([1, 2], deposit.Lots);
    }

    [Fact]
    public void ChangeChoices_OneMillisecondAfterDeadline_IsRefused()
    {
        var consultation = Published(lots: [1, 2]);
        var deposit = Draft(consultation, DepositChoices.Solo(1));

        var error = Assert.Throws<DomainException>(() => deposit.ChangeChoices(consultation, DepositChoices.Solo(1, 2), Deadline.AddMilliseconds(1)));

        Assert.Equal("deposit.deadline-passed", error.Code);
        Assert.Equal([1], deposit.Lots);
    }

    [Fact]
    public void ChangeChoices_OfASealedDeposit_IsRefused()
    {
        var consultation = Published(lots: [1, 2]);
        var deposit = Sealed(consultation);

        var error = Assert.Throws<DomainException>(() => deposit.ChangeChoices(consultation, DepositChoices.Solo(1), Before));

        Assert.Equal("deposit.already-sealed", error.Code);
        Assert.Equal(deposit.Number, Assert.Single(error.Arguments));
        Assert.Equal([1, 2], deposit.Lots);
    }

    // Number.

    [Fact]
    public void Number_IsDPrefixDateOfCreationAndSixCharactersOfTheUnambiguousAlphabet()
    {
        var deposit = Draft(Published(), nowUtc: new DateTime(2026, 6, 3, 12, 0, 0, DateTimeKind.Utc));

        Assert.Matches("^D-20260603-[0-9A-HJKMNP-TV-Z]{6}$", deposit.Number);
    }

    [Fact]
    public void Number_IsUniqueAcrossManyDrafts()
    {
        // 500 drafts on the same day: with 32^6 suffixes, a collision by chance has odds of about 1 in 8,600.
        var consultation = Published();

        var numbers = Enumerable.Range(0, 500).Select(_ => Draft(consultation).Number).ToList();

        Assert.Equal(numbers.Count, numbers.Distinct(StringComparer.Ordinal).Count());
    }

    [Fact]
    public void Number_DoesNotDependOnTheCurrentCulture()
    {
        var consultation = Published();
        var culture = CultureInfo.CurrentCulture;
        CultureInfo.CurrentCulture = new CultureInfo("th-TH");
        try
        {
            var deposit = Draft(consultation, nowUtc: new DateTime(2026, 6, 3, 12, 0, 0, DateTimeKind.Utc));

            Assert.StartsWith("D-20260603-", deposit.Number, StringComparison.Ordinal);
        }
        finally
        {
            CultureInfo.CurrentCulture = culture;
        }
    }
}

using Pli.Domain.Opening;
using Pli.Domain.Tests.Deposits;
using static Pli.Domain.Tests.Opening.OpeningTestData;

namespace Pli.Domain.Tests.Opening;

/// <summary>Which pli of each company is opened.</summary>
public sealed class PliSelectionTests
{
    [Fact]
    public void Select_TwoPlisOnTime_RetainsTheLastAndMarksTheFirstReplaced()
    {
        var consultation = Consultation();
        var company = Guid.NewGuid();
        var first = SealedAt(consultation, company, Deadline.AddHours(-5));
        var last = SealedAt(consultation, company, Deadline.AddHours(-1));

        var selection = PliSelection.Select(Deadline, [last, first]);

        Assert.Equal(PliStatus.Replaced, selection.Single(s => s.Deposit == first).Status);
        Assert.Equal(PliStatus.Retained, selection.Single(s => s.Deposit == last).Status);
    }

    [Fact]
    public void Select_SealedAtTheDeadlineInstant_IsRetained()
    {
        var consultation = Consultation();
        var deposit = SealedAt(consultation, Guid.NewGuid(), Deadline);

        var pli = Assert.Single(PliSelection.Select(Deadline, [deposit]));

        Assert.Equal(PliStatus.Retained, pli.Status);
        Assert.True(pli.MayBeOpened);
    }

    [Fact]
    public void Select_LateAfterAnOnTimePli_KeepsTheOnTimeOneRetained_AndFlagsTheBackupCopyRule()
    {
        var consultation = Consultation();
        var company = Guid.NewGuid();
        var onTime = SealedAt(consultation, company, Deadline.AddHours(-3));
        var late = SealedAt(consultation, company, Deadline.AddSeconds(1), transmissionStartedUtc: Deadline.AddMinutes(-2));

        var selection = PliSelection.Select(Deadline, [onTime, late]);

        Assert.Equal(PliStatus.Retained, selection.Single(s => s.Deposit == onTime).Status);
        var latePli = selection.Single(s => s.Deposit == late);
        Assert.Equal(PliStatus.Late, latePli.Status);
        Assert.True(latePli.BackupCopyRule);
        Assert.False(latePli.MayBeOpened);
    }

    [Fact]
    public void Select_Withdrawn_IsWithdrawn_AndTheEarlierPliOnTimeIsRetained()
    {
        var consultation = Consultation();
        var company = Guid.NewGuid();
        var first = SealedAt(consultation, company, Deadline.AddHours(-5));
        var withdrawn = SealedAt(consultation, company, Deadline.AddHours(-2));
        withdrawn.Withdraw(Deadline, Deadline.AddHours(-1));

        var selection = PliSelection.Select(Deadline, [first, withdrawn]);

        Assert.Equal(PliStatus.Retained, selection.Single(s => s.Deposit == first).Status);
        Assert.Equal(PliStatus.Withdrawn, selection.Single(s => s.Deposit == withdrawn).Status);
    }

    [Fact]
    public void Select_IgnoresDrafts_AndKeepsCompaniesApart()
    {
        var consultation = Consultation();
        var a = SealedAt(consultation, Guid.NewGuid(), Deadline.AddHours(-2));
        var b = SealedAt(consultation, Guid.NewGuid(), Deadline.AddHours(-1));
        var draft = DepositTestData.Draft(consultation);

        var selection = PliSelection.Select(Deadline, [a, b, draft]);

        Assert.Equal(2, selection.Count);
        Assert.All(selection, s => Assert.Equal(PliStatus.Retained, s.Status));
        Assert.DoesNotContain(selection, s => s.Deposit == draft);
    }
}

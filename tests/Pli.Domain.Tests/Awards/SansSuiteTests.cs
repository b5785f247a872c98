using Pli.Domain.Common;
using Pli.Domain.Consultations;
using static Pli.Domain.Tests.Deposits.DepositTestData;

namespace Pli.Domain.Tests.Awards;

/// <summary>The declaration "sans suite": after the deadline, with a reason, never once a lot is awarded.</summary>
public sealed class SansSuiteTests
{
    [Fact]
    public void DeclareSansSuite_AfterTheDeadline_CancelsWithTheReasonInTheHistory()
    {
        var consultation = Published();

        var modification = consultation.DeclareSansSuite("Offres inappropriées", anyLotAwarded: false, Deadline.AddMilliseconds(1));

        Assert.Equal(ConsultationStatus.Cancelled, consultation.Status);
        Assert.Equal(ModificationKind.Cancellation, modification.Kind);
        Assert.Equal("Offres inappropriées", modification.Description);
    }

    [Fact]
    public void DeclareSansSuite_AtTheDeadlineInstant_IsRefused()
    {
        var consultation = Published();

        var error = Assert.Throws<DomainException>(() => consultation.DeclareSansSuite("Motif", false, Deadline));

        Assert.Equal("sans-suite.before-deadline", error.Code);
        Assert.Equal(ConsultationStatus.Published, consultation.Status);
    }

    [Fact]
    public void DeclareSansSuite_WithoutReason_IsRefused()
    {
        var consultation = Published();

        var error = Assert.Throws<DomainException>(() => consultation.DeclareSansSuite("  ", false, Deadline.AddDays(1)));

        Assert.Equal("sans-suite.reason", error.Code);
        Assert.Equal("Reason", error.Field);
    }

    [Fact]
    public void DeclareSansSuite_OnceALotIsAwarded_IsRefused()
    {
        var consultation = Published(lots: [1, 2]);

        var error = Assert.Throws<DomainException>(() => consultation.DeclareSansSuite("Motif", anyLotAwarded: true, Deadline.AddDays(1)));

        Assert.Equal("sans-suite.awarded", error.Code);
        Assert.Equal(ConsultationStatus.Published, consultation.Status);
    }
}

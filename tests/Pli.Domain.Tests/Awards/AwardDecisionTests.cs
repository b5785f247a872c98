using Pli.Domain.Awards;
using Pli.Domain.Common;
using Pli.Domain.Consultations;
using static Pli.Domain.Tests.Deposits.DepositTestData;

namespace Pli.Domain.Tests.Awards;

/// <summary>The award of a lot: after the deadline only, to a company that answered that lot on time, once.</summary>
public sealed class AwardDecisionTests
{
    private static readonly Guid A = Guid.NewGuid();
    private static readonly Guid B = Guid.NewGuid();
    private static readonly Guid Agent = Guid.NewGuid();
    private static readonly DateTime After = Deadline.AddMilliseconds(1);
    private static readonly DateOnly Today = new(2026, 7, 1);

    private static Tenderer OnTime(Guid company, params int[] lots) => new(company, lots, Deadline.AddHours(-2), Sealed: true, IsLate: false);

    private static AwardDecision Decide(Consultation consultation, int lot, IReadOnlyCollection<Guid> companies, IReadOnlyCollection<Tenderer> tenderers,
        DateTime? now = null, decimal amount = 125_000m, DateOnly? date = null, IEnumerable<AwardDecision>? existing = null) =>
        AwardDecision.Decide(consultation, lot, companies, amount, date ?? Today, tenderers, existing ?? [], Agent, now ?? After);

    [Fact]
    public void Decide_OneMillisecondAfterTheDeadline_AwardsTheLot()
    {
        var consultation = Published(lots: [1, 2]);

        var decision = Decide(consultation, 1, [A], [OnTime(A, 1), OnTime(B, 1, 2)]);

        Assert.Equal(1, decision.Lot);
        Assert.Equal([A], decision.CompanyIds);
        Assert.Equal(125_000m, decision.AmountHt);
        Assert.Null(decision.LettersSentUtc);
    }

    [Fact]
    public void Decide_AtTheDeadlineInstant_IsRefused()
    {
        var consultation = Published(lots: [1]);

        var error = Assert.Throws<DomainException>(() => Decide(consultation, 1, [A], [OnTime(A, 1)], now: Deadline));

        Assert.Equal("award.before-deadline", error.Code);
    }

    [Fact]
    public void Decide_ForACompanyThatAnsweredAnotherLot_IsRefused()
    {
        var consultation = Published(lots: [1, 2]);

        var error = Assert.Throws<DomainException>(() => Decide(consultation, 1, [B], [OnTime(A, 1), OnTime(B, 2)]));

        Assert.Equal("award.not-a-tenderer", error.Code);
        Assert.Equal("CompanyIds", error.Field);
    }

    [Fact]
    public void Decide_ForALateDeposit_IsRefused()
    {
        var consultation = Published(lots: [1]);
        var late = new Tenderer(B, [1], Deadline.AddMinutes(3), Sealed: true, IsLate: true);

        var error = Assert.Throws<DomainException>(() => Decide(consultation, 1, [B], [OnTime(A, 1), late]));

        Assert.Equal("award.not-a-tenderer", error.Code);
    }

    [Fact]
    public void Decide_ForAWithdrawnDeposit_IsRefused()
    {
        var consultation = Published(lots: [1]);
        var withdrawn = new Tenderer(B, [1], Deadline.AddHours(-3), Sealed: false, IsLate: false);

        var error = Assert.Throws<DomainException>(() => Decide(consultation, 1, [B], [withdrawn]));

        Assert.Equal("award.not-a-tenderer", error.Code);
    }

    [Fact]
    public void Decide_ReadsTheLastPliOnTime_OfEachCompany()
    {
        var consultation = Published(lots: [1, 2]);
        var first = new Tenderer(A, [1], Deadline.AddHours(-5), true, false);
        var last = new Tenderer(A, [2], Deadline.AddHours(-1), true, false);

        var error = Assert.Throws<DomainException>(() => Decide(consultation, 1, [A], [first, last]));

        Assert.Equal("award.not-a-tenderer", error.Code);
    }

    [Fact]
    public void Decide_ALotTwice_IsRefused()
    {
        var consultation = Published(lots: [1]);
        var first = Decide(consultation, 1, [A], [OnTime(A, 1)]);

        var error = Assert.Throws<DomainException>(() => Decide(consultation, 1, [A], [OnTime(A, 1)], existing: [first]));

        Assert.Equal("award.already-decided", error.Code);
    }

    [Fact]
    public void Decide_OnACancelledConsultation_IsRefused()
    {
        var consultation = Published(lots: [1]);
        consultation.Cancel("Besoin disparu", After);

        var error = Assert.Throws<DomainException>(() => Decide(consultation, 1, [A], [OnTime(A, 1)], now: After.AddMinutes(1)));

        Assert.Equal("award.cancelled", error.Code);
    }

    [Theory]
    [InlineData(0)]
    [InlineData(-1)]
    public void Decide_WithAnAmountNotAboveZero_IsRefused(int amount)
    {
        var consultation = Published();

        var error = Assert.Throws<DomainException>(() => Decide(consultation, 0, [A], [OnTime(A)], amount: amount));

        Assert.Equal("award.amount", error.Code);
    }

    [Fact]
    public void Decide_DatedTomorrowInParis_IsRefused_AndTodayIsAllowed()
    {
        var consultation = Published();

        var error = Assert.Throws<DomainException>(() => Decide(consultation, 0, [A], [OnTime(A)], date: Today.AddDays(1)));
        var decision = Decide(consultation, 0, [A], [OnTime(A)], date: Today);

        Assert.Equal("award.decision-date-future", error.Code);
        Assert.Equal(Today, decision.DecisionDate);
    }

    [Fact]
    public void Decide_AnUnknownLot_IsRefused()
    {
        var consultation = Published(lots: [1]);

        var error = Assert.Throws<DomainException>(() => Decide(consultation, 3, [A], [OnTime(A, 1)]));

        Assert.Equal("award.lot-unknown", error.Code);
    }

    [Fact]
    public void Decide_ToSeveralCompanies_KeepsThemAll()
    {
        var consultation = Published();

        var decision = Decide(consultation, 0, [A, B], [OnTime(A), OnTime(B)]);

        Assert.Equal([A, B], decision.CompanyIds);
        Assert.Null(decision.Lot);
    }

    [Fact]
    public void CompleteAward_WhenEveryLotIsDecided_MakesTheConsultationAwarded()
    {
        var consultation = Published(lots: [1, 2]);

        consultation.CompleteAward([1]);
        var afterOne = consultation.Status;
        consultation.CompleteAward([1, 2]);

        Assert.Equal(ConsultationStatus.Published, afterOne);
        Assert.Equal(ConsultationStatus.Awarded, consultation.Status);
    }

    [Fact]
    public void MarkLettersSent_Twice_IsRefused_AndTheStandstillEndsElevenDaysAfter()
    {
        var consultation = Published();
        var decision = Decide(consultation, 0, [A], [OnTime(A)]);
        decision.MarkLettersSent(After);

        var error = Assert.Throws<DomainException>(() => decision.MarkLettersSent(After.AddMinutes(1)));

        Assert.Equal("award.letters-already-sent", error.Code);
        Assert.Equal(After, decision.LettersSentUtc);
        Assert.Equal(new DateOnly(2026, 7, 12), decision.StandstillEnds);
    }

    [Fact]
    public void Standstill_CountsFromTheParisDay_OfTheNotification()
    {
        // 23:30 UTC on 30 June is already 1 July in Paris (UTC+2).
        Assert.Equal(new DateOnly(2026, 7, 12), Standstill.EndOf(new DateTime(2026, 6, 30, 23, 30, 0, DateTimeKind.Utc)));
    }
}

using Pli.Domain.Common;
using Pli.Domain.Deposits;
using Pli.Domain.Opening;
using static Pli.Domain.Tests.Opening.OpeningTestData;

namespace Pli.Domain.Tests.Opening;

/// <summary>The rules of the opening session: time, order, once, never late nor withdrawn, the reason of a replaced pli.</summary>
public sealed class OpeningSessionTests
{
    private static readonly DateTime After = Deadline.AddSeconds(1);

    [Fact]
    public void Start_TheSecondBefore_AndAtTheDeadlineInstant_IsRefused_TheSecondAfter_Starts()
    {
        var consultation = Consultation();

        var before = Assert.Throws<DomainException>(() => OpeningSession.Start(consultation.Id, Deadline, Deadline.AddSeconds(-1)));
        var at = Assert.Throws<DomainException>(() => OpeningSession.Start(consultation.Id, Deadline, Deadline));
        var session = OpeningSession.Start(consultation.Id, Deadline, After);

        Assert.Equal("opening.too-early", before.Code);
        Assert.Equal("opening.too-early", at.Code);
        Assert.Equal(After, session.StartedUtc);
    }

    [Fact]
    public void Open_AtTheDeadlineInstant_IsRefused_AndNothingIsRecorded()
    {
        var consultation = Consultation();
        var pli = Retained(consultation);
        var session = OpeningSession.Start(consultation.Id, Deadline, After);

        var error = Assert.Throws<DomainException>(() => session.Open(pli, Candidature, AgentId, null, After.AddDays(1), After.AddDays(1)));

        Assert.Equal("opening.too-early", error.Code);
        Assert.Empty(session.Acts);
    }

    [Fact]
    public void Open_Candidature_RecordsWhoWhenWhat()
    {
        var consultation = Consultation();
        var pli = Retained(consultation);
        var session = OpeningSession.Start(consultation.Id, Deadline, After);

        var act = session.Open(pli, Candidature, AgentId, "ignoré", Deadline, After);

        Assert.Equal(AgentId, act.UserId);
        Assert.Equal(After, act.AtUtc);
        Assert.Equal(pli.Deposit.Id, act.DepositId);
        Assert.Equal(EnvelopeKind.Candidature, act.Envelope);
        Assert.Null(act.LotNumber);
        Assert.Null(act.Reason);
        Assert.True(session.IsOpened(pli.Deposit.Id, Candidature));
    }

    [Fact]
    public void Open_OfferBeforeItsCandidature_IsRefused()
    {
        var consultation = Consultation(1, 2);
        var pli = Retained(consultation);
        var session = OpeningSession.Start(consultation.Id, Deadline, After);

        var error = Assert.Throws<DomainException>(() => session.Open(pli, Offer(1), AgentId, null, Deadline, After));

        Assert.Equal("opening.candidature-first", error.Code);
        Assert.Empty(session.Acts);
    }

    [Fact]
    public void Open_OfferOfALot_AfterTheCandidature_Opens_ThatLotOnly()
    {
        var consultation = Consultation(1, 2);
        var pli = Retained(consultation);
        var session = OpeningSession.Start(consultation.Id, Deadline, After);
        session.Open(pli, Candidature, AgentId, null, Deadline, After);

        var act = session.Open(pli, Offer(2), AgentId, null, Deadline, After.AddMinutes(1));

        Assert.Equal(2, act.LotNumber);
        Assert.True(session.IsOpened(pli.Deposit.Id, Offer(2)));
        Assert.False(session.IsOpened(pli.Deposit.Id, Offer(1)));
    }

    [Fact]
    public void Open_Twice_IsRefused()
    {
        var consultation = Consultation();
        var pli = Retained(consultation);
        var session = OpeningSession.Start(consultation.Id, Deadline, After);
        session.Open(pli, Candidature, AgentId, null, Deadline, After);

        var error = Assert.Throws<DomainException>(() => session.Open(pli, Candidature, AgentId, null, Deadline, After));

        Assert.Equal("opening.already-opened", error.Code);
        Assert.Single(session.Acts);
    }

    [Fact]
    public void Open_ALotThePliDidNotAnswer_IsRefused()
    {
        var consultation = Consultation(1);
        var pli = Retained(consultation);
        var session = OpeningSession.Start(consultation.Id, Deadline, After);
        session.Open(pli, Candidature, AgentId, null, Deadline, After);

        var error = Assert.Throws<DomainException>(() => session.Open(pli, Offer(7), AgentId, null, Deadline, After));

        Assert.Equal("opening.envelope-unknown", error.Code);
    }

    [Fact]
    public void Open_LatePli_IsNeverOpened()
    {
        var consultation = Consultation();
        var late = SealedAt(consultation, Guid.NewGuid(), Deadline.AddSeconds(1), Deadline.AddMinutes(-1));
        var pli = Assert.Single(PliSelection.Select(Deadline, [late]));
        var session = OpeningSession.Start(consultation.Id, Deadline, After);

        var error = Assert.Throws<DomainException>(() => session.Open(pli, Candidature, AgentId, "motif", Deadline, After));

        Assert.Equal("opening.late", error.Code);
        Assert.Empty(session.Acts);
    }

    [Fact]
    public void Open_WithdrawnPli_IsNeverOpened()
    {
        var consultation = Consultation();
        var deposit = SealedAt(consultation, Guid.NewGuid(), Deadline.AddHours(-2));
        deposit.Withdraw(Deadline, Deadline.AddHours(-1));
        var pli = Assert.Single(PliSelection.Select(Deadline, [deposit]));
        var session = OpeningSession.Start(consultation.Id, Deadline, After);

        var error = Assert.Throws<DomainException>(() => session.Open(pli, Candidature, AgentId, "motif", Deadline, After));

        Assert.Equal("opening.withdrawn", error.Code);
    }

    [Theory]
    [InlineData(null)]
    [InlineData("")]
    [InlineData("   ")]
    public void Open_ReplacedPli_WithoutAReason_IsRefused(string? reason)
    {
        var consultation = Consultation();
        var replaced = Replaced(consultation);
        var session = OpeningSession.Start(consultation.Id, Deadline, After);

        var error = Assert.Throws<DomainException>(() => session.Open(replaced, Candidature, AgentId, reason, Deadline, After));

        Assert.Equal("opening.reason-required", error.Code);
        Assert.Equal("Reason", error.Field);
        Assert.Empty(session.Acts);
    }

    [Fact]
    public void Open_ReplacedPli_WithAReasonTooLong_IsRefused_AndAtTheLimit_IsRecorded()
    {
        var consultation = Consultation();
        var replaced = Replaced(consultation);
        var session = OpeningSession.Start(consultation.Id, Deadline, After);

        var error = Assert.Throws<DomainException>(() => session.Open(replaced, Candidature, AgentId, new string('m', OpeningSession.MaxReasonLength + 1), Deadline, After));
        var act = session.Open(replaced, Candidature, AgentId, "  " + new string('m', OpeningSession.MaxReasonLength) + " ", Deadline, After);

        Assert.Equal("opening.reason-too-long", error.Code);
        Assert.Equal(new string('m', OpeningSession.MaxReasonLength), act.Reason);
        Assert.True(act.OfReplacedPli);
    }

    [Fact]
    public void Open_PliOfAnotherConsultation_IsRefused()
    {
        var pli = Retained(Consultation());
        var session = OpeningSession.Start(Guid.NewGuid(), Deadline, After);

        var error = Assert.Throws<DomainException>(() => session.Open(pli, Candidature, AgentId, null, Deadline, After));

        Assert.Equal("opening.deposit-unknown", error.Code);
    }

    private static SelectedPli Retained(Pli.Domain.Consultations.Consultation consultation) =>
        Assert.Single(PliSelection.Select(Deadline, [SealedAt(consultation, Guid.NewGuid(), Deadline.AddHours(-1))]));

    private static SelectedPli Replaced(Pli.Domain.Consultations.Consultation consultation)
    {
        var company = Guid.NewGuid();
        var first = SealedAt(consultation, company, Deadline.AddHours(-3));
        var second = SealedAt(consultation, company, Deadline.AddHours(-1));
        return PliSelection.Select(Deadline, [first, second]).Single(s => s.Deposit == first);
    }
}

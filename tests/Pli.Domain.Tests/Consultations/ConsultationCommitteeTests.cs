using Pli.Domain.Common;
using Pli.Domain.Consultations;

namespace Pli.Domain.Tests.Consultations;

public sealed class ConsultationCommitteeTests
{
    private static readonly DateTime Now = new(2026, 6, 1, 8, 0, 0, DateTimeKind.Utc);
    private static readonly CpvEntry Roads = new("45233120-6", "Travaux de construction de routes", "Road construction works");

    private static Consultation Draft()
    {
        var consultation = Consultation.CreateDraft(Guid.NewGuid(), new ConsultationDetails("2026-001", "Réfection", "Travaux",
            ProcedureType.AppelOffresOuvert, Nature.Travaux, Roads, "Marseille", Now.AddDays(30), Now.AddDays(20), FilePolicy.DefaultAcceptedFormats), Now);
        consultation.AddDceFile("RC.pdf", 1234, new string('a', 64), "dce/x/rc", Now);
        return consultation;
    }

    private static Guid[] Openers(int count) => [.. Enumerable.Range(0, count).Select(_ => Guid.NewGuid())];

    [Fact]
    public void RequireCommittee_TwoOfThree_NamesTheOpeners()
    {
        var consultation = Draft();
        var openers = Openers(3);

        consultation.RequireCommittee(2, openers);

        Assert.True(consultation.HasCommittee);
        Assert.Equal(2, consultation.CommitteeThreshold);
        Assert.Equal(openers, consultation.Committee.Select(o => o.UserId));
        Assert.True(consultation.IsCommitteeOpener(openers[1]));
    }

    [Fact]
    public void RequireCommittee_Again_ReplacesTheCommittee()
    {
        var consultation = Draft();
        consultation.RequireCommittee(2, Openers(3));
        var openers = Openers(2);

        consultation.RequireCommittee(2, openers);

        Assert.Equal(openers, consultation.Committee.Select(o => o.UserId));
    }

    [Theory]
    [InlineData(1, 3, "committee.threshold")]
    [InlineData(4, 3, "committee.threshold")]
    [InlineData(2, 1, "committee.size")]
    [InlineData(2, 11, "committee.size")]
    public void RequireCommittee_OutOfBounds_IsRefused(int threshold, int size, string code)
    {
        var consultation = Draft();

        var error = Assert.Throws<DomainException>(() => consultation.RequireCommittee(threshold, Openers(size)));

        Assert.Equal(code, error.Code);
        Assert.False(consultation.HasCommittee);
        Assert.Empty(consultation.Committee);
    }

    [Fact]
    public void RequireCommittee_TenOfTen_IsAllowed()
    {
        var consultation = Draft();

        consultation.RequireCommittee(10, Openers(10));

        Assert.Equal(10, consultation.Committee.Count);
    }

    [Fact]
    public void RequireCommittee_TheSameOpenerTwice_IsRefused()
    {
        var consultation = Draft();
        var opener = Guid.NewGuid();

        var error = Assert.Throws<DomainException>(() => consultation.RequireCommittee(2, [opener, opener, Guid.NewGuid()]));

        Assert.Equal("committee.duplicate-opener", error.Code);
        Assert.False(consultation.HasCommittee);
    }

    [Fact]
    public void RequireCommittee_OnAPublishedConsultation_IsRefused()
    {
        var consultation = Draft();
        consultation.Publish(Now);

        var error = Assert.Throws<DomainException>(() => consultation.RequireCommittee(2, Openers(3)));

        Assert.Equal("consultation.not-draft", error.Code);
        Assert.False(consultation.HasCommittee);
    }

    [Fact]
    public void ClearCommittee_OnADraft_RemovesIt_ButNotOncePublished()
    {
        var consultation = Draft();
        consultation.RequireCommittee(2, Openers(2));

        consultation.ClearCommittee();
        Assert.False(consultation.HasCommittee);
        Assert.Empty(consultation.Committee);

        consultation.RequireCommittee(2, Openers(2));
        consultation.Publish(Now);
        Assert.Equal("consultation.not-draft", Assert.Throws<DomainException>(consultation.ClearCommittee).Code);
        Assert.True(consultation.HasCommittee);
    }
}

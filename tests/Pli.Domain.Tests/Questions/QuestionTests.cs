using Pli.Domain.Common;
using Pli.Domain.Consultations;
using Pli.Domain.Questions;

namespace Pli.Domain.Tests.Questions;

public sealed class QuestionTests
{
    private static readonly DateTime Now = new(2026, 6, 1, 8, 0, 0, DateTimeKind.Utc);
    private static readonly DateTime QuestionDeadline = new(2026, 6, 20, 10, 0, 0, DateTimeKind.Utc);
    private static readonly CpvEntry Roads = new("45233120-6", "Travaux de construction de routes", "Road construction works");

    private static Consultation Published(bool publish = true)
    {
        var consultation = Consultation.CreateDraft(Guid.NewGuid(), new ConsultationDetails("2026-001", "Échangeur", "Travaux",
            ProcedureType.AppelOffresOuvert, Nature.Travaux, Roads, "Marseille", QuestionDeadline.AddDays(7), QuestionDeadline, [".pdf", ".docx"]), Now);
        consultation.AddDceFile("RC.pdf", 1234, new string('a', 64), "dce/x/y", Now);
        if (publish)
        {
            consultation.Publish(Now);
        }
        return consultation;
    }

    private static Question Ask(string text = "Le lot 2 comprend-il la signalisation ?", DateTime? at = null) =>
        Question.Ask(Published(), Guid.NewGuid(), Guid.NewGuid(), text, null, at ?? Now);

    [Fact]
    public void Ask_AtTheDeadlineSecond_IsAccepted()
    {
        var question = Ask(at: QuestionDeadline);

        Assert.Equal(QuestionDeadline, question.AskedUtc);
        Assert.False(question.IsPublished);
    }

    [Fact]
    public void Ask_OneSecondAfterTheDeadline_IsRefused()
    {
        var error = Assert.Throws<DomainException>(() => Ask(at: QuestionDeadline.AddSeconds(1)));

        Assert.Equal("question.deadline-passed", error.Code);
        Assert.Contains("20/06/2026 12:00:00", error.Message, StringComparison.Ordinal);
    }

    [Fact]
    public void Ask_OnADraft_IsRefused()
    {
        var error = Assert.Throws<DomainException>(() => Question.Ask(Published(publish: false), Guid.NewGuid(), Guid.NewGuid(), "Question ?", null, Now));

        Assert.Equal("question.not-published", error.Code);
    }

    [Theory]
    [InlineData("")]
    [InlineData("   \n ")]
    public void Ask_WithoutText_IsRefused(string text) =>
        Assert.Equal("question.text-empty", Assert.Throws<DomainException>(() => Ask(text)).Code);

    [Fact]
    public void Ask_LongerThanTheLimit_IsRefused_AndAtTheLimit_IsAccepted()
    {
        Assert.Equal(Question.MaxTextLength, Ask(new string('x', Question.MaxTextLength)).Text.Length);

        Assert.Equal("question.text-too-long", Assert.Throws<DomainException>(() => Ask(new string('x', Question.MaxTextLength + 1))).Code);
    }

    [Fact]
    public void Ask_TrimsTheText() => Assert.Equal("Question ?", Ask("  Question ?\n").Text);

    [Fact]
    public void Reply_PublishesTheAnswer()
    {
        var question = Ask();
        var agent = Guid.NewGuid();

        question.Reply(agent, " Oui. ", Now.AddDays(1));

        Assert.True(question.IsPublished);
        Assert.Equal("Oui.", question.Answer);
        Assert.Equal(agent, question.AnsweredByUserId);
        Assert.Equal(Now.AddDays(1), question.AnsweredUtc);
    }

    [Fact]
    public void Reply_Twice_IsRefused()
    {
        var question = Ask();
        question.Reply(Guid.NewGuid(), "Oui.", Now);

        var error = Assert.Throws<DomainException>(() => question.Reply(Guid.NewGuid(), "Non.", Now));

        Assert.Equal("question.already-answered", error.Code);
        Assert.Equal("Oui.", question.Answer);
    }

    [Theory]
    [InlineData("", "answer.text-empty")]
    [InlineData(" ", "answer.text-empty")]
    public void Reply_WithoutText_IsRefused(string answer, string code)
    {
        var question = Ask();

        Assert.Equal(code, Assert.Throws<DomainException>(() => question.Reply(Guid.NewGuid(), answer, Now)).Code);
        Assert.False(question.IsPublished);
    }

    [Fact]
    public void Reply_LongerThanTheLimit_IsRefused() =>
        Assert.Equal("answer.text-too-long", Assert.Throws<DomainException>(() => Ask().Reply(Guid.NewGuid(), new string('x', Question.MaxAnswerLength + 1), Now)).Code);

    [Fact]
    public void Attachment_OfAFormatTheConsultationRefuses_IsRefused()
    {
        var error = Assert.Throws<DomainException>(() => QuestionAttachment.RequireAcceptable(Published(), "plan.dwg", 10));

        Assert.Equal("question.attachment-format", error.Code);
        Assert.Equal("Attachment", error.Field);
    }

    [Fact]
    public void Attachment_Empty_IsRefused() =>
        Assert.Equal("file.empty", Assert.Throws<DomainException>(() => QuestionAttachment.RequireAcceptable(Published(), "note.pdf", 0)).Code);

    [Fact]
    public void Attachment_WithAPathInItsName_IsRefused() =>
        Assert.Equal("file.name.forbidden", Assert.Throws<DomainException>(() => QuestionAttachment.RequireAcceptable(Published(), "../note.pdf", 10)).Code);

    [Fact]
    public void Attachment_OfAnAcceptedFormat_KeepsItsName() =>
        Assert.Equal("Note.PDF", QuestionAttachment.RequireAcceptable(Published(), "Note.PDF", 10));
}

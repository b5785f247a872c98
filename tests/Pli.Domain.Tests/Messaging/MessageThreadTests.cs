using Pli.Domain.Common;
using Pli.Domain.Messaging;
using Pli.Domain.Tests.Deposits;

namespace Pli.Domain.Tests.Messaging;

public sealed class MessageThreadTests
{
    private static readonly DateTime Now = new(2026, 6, 1, 8, 0, 0, DateTimeKind.Utc);
    private static readonly DateTime ReplyBy = new(2026, 6, 5, 10, 0, 0, DateTimeKind.Utc);
    private static readonly Guid Agent = Guid.NewGuid();
    private static readonly Guid CompanyUser = Guid.NewGuid();

    private static MessageThread Thread(DateTime? replyBy = null, string text = "Merci de compléter votre candidature.") =>
        MessageThread.Start(Guid.NewGuid(), Guid.NewGuid(), MessageType.CandidatureComplements, "Compléments", text, replyBy, Agent, [], Now);

    [Fact]
    public void Start_KeepsTheAgentsMessageFirst()
    {
        var thread = Thread(ReplyBy);

        var message = Assert.Single(thread.Messages);
        Assert.Equal(MessageSide.Agent, message.Side);
        Assert.Equal(Agent, message.AuthorUserId);
        Assert.False(thread.IsRead);
    }

    [Theory]
    [InlineData("")]
    [InlineData("  \r\n ")]
    [InlineData(null)]
    public void Start_WithAnEmptyText_IsRefused(string? text)
    {
        var error = Assert.Throws<DomainException>(() => Thread(text: text!));

        Assert.Equal("message.text-empty", error.Code);
    }

    [Fact]
    public void Start_WithATextOverTheLimit_IsRefused_AndAtTheLimit_IsKept()
    {
        Assert.Equal("message.text-long", Assert.Throws<DomainException>(() => Thread(text: new string('a', MessageThread.MaxTextLength + 1))).Code);
        Assert.Equal(MessageThread.MaxTextLength, Thread(text: new string('a', MessageThread.MaxTextLength)).Messages[0].Text.Length);
    }

    [Fact]
    public void Start_WithAReplyDeadlineNotInTheFuture_IsRefused()
    {
        var error = Assert.Throws<DomainException>(() => Thread(Now));

        Assert.Equal("message.reply-deadline-past", error.Code);
    }

    [Fact]
    public void Start_WithAnUnknownType_IsRefused()
    {
        var error = Assert.Throws<DomainException>(() => MessageThread.Start(Guid.NewGuid(), Guid.NewGuid(), (MessageType)99, "Objet", "Texte", null, Agent, [], Now));

        Assert.Equal("message.type-unknown", error.Code);
    }

    [Fact]
    public void MarkRead_RecordsTheFirstReadOnly()
    {
        var thread = Thread();
        var later = Guid.NewGuid();

        Assert.True(thread.MarkRead(CompanyUser, Now.AddHours(1)));
        Assert.False(thread.MarkRead(later, Now.AddHours(2)));

        Assert.Equal(Now.AddHours(1), thread.FirstReadUtc);
        Assert.Equal(CompanyUser, thread.FirstReadByUserId);
    }

    [Fact]
    public void Reply_WithinTheDeadlineSecond_IsAccepted()
    {
        var thread = Thread(ReplyBy);

        thread.Reply(CompanyUser, "Voici.", [], ReplyBy.AddMilliseconds(999));

        var reply = Assert.Single(thread.Replies);
        Assert.Equal(MessageSide.Company, reply.Side);
        Assert.Equal(1, thread.UnreadReplies);
    }

    [Fact]
    public void Reply_OneSecondAfterTheDeadline_IsRefused()
    {
        var thread = Thread(ReplyBy);

        var error = Assert.Throws<DomainException>(() => thread.Reply(CompanyUser, "Trop tard.", [], ReplyBy.AddSeconds(1)));

        Assert.Equal("message.reply-deadline-passed", error.Code);
        Assert.Empty(thread.Replies);
    }

    [Fact]
    public void Reply_WithoutADeadline_IsAcceptedAnyTime()
    {
        var thread = Thread();

        thread.Reply(CompanyUser, "Bien reçu.", [], Now.AddYears(1));

        Assert.Single(thread.Replies);
    }

    [Fact]
    public void MarkRepliesReadByAgent_LeavesNoUnreadReply()
    {
        var thread = Thread();
        thread.Reply(CompanyUser, "Un.", [], Now.AddMinutes(1));
        thread.Reply(CompanyUser, "Deux.", [], Now.AddMinutes(2));

        thread.MarkRepliesReadByAgent(Now.AddMinutes(3));

        Assert.Equal(0, thread.UnreadReplies);
    }

    [Fact]
    public void Attachments_AreCopiedToEachThread()
    {
        var file = new MessageAttachment("Note.pdf", 10, new string('0', 64), "messages/x/y");

        var one = MessageThread.Start(Guid.NewGuid(), Guid.NewGuid(), MessageType.Free, "Objet", "Texte", null, Agent, [file], Now);
        var two = MessageThread.Start(Guid.NewGuid(), Guid.NewGuid(), MessageType.Free, "Objet", "Texte", null, Agent, [file], Now);

        Assert.NotEqual(one.Messages[0].Attachments[0].Id, two.Messages[0].Attachments[0].Id);
        Assert.Equal(one.Messages[0].Id, one.Messages[0].Attachments[0].MessageId);
        Assert.Equal("messages/x/y", two.Messages[0].Attachments[0].StorageKey);
    }

    [Theory]
    [InlineData("macro.exe", "message.format-refused")]
    [InlineData("vide.pdf", "file.empty")]
    [InlineData("gros.pdf", "message.file-too-large")]
    [InlineData("a/b.pdf", "file.name.forbidden")]
    public void RequireAttachment_RefusesWhatTheConsultationDoesNotTake(string name, string code)
    {
        var consultation = DepositTestData.Published();
        var size = name switch { "vide.pdf" => 0, "gros.pdf" => 1001, _ => 10 };

        var error = Assert.Throws<DomainException>(() => MessageThread.RequireAttachment(consultation, name, size, 1000));

        Assert.Equal(code, error.Code);
    }

    [Fact]
    public void RequireAttachment_AcceptsAnAcceptedFormatAtTheSizeLimit()
    {
        Assert.Equal("Offre.pdf", MessageThread.RequireAttachment(DepositTestData.Published(), "Offre.pdf", 1000, 1000));
    }
}

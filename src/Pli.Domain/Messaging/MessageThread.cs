using Pli.Domain.Common;
using Pli.Domain.Consultations;

namespace Pli.Domain.Messaging;

/// <summary>What a message is about: it tells the company what is expected of it.</summary>
public enum MessageType
{
    Free,
    CandidatureComplements,
    OfferDetails,
    ConsultationModification,
    QuestionAnswer,
    AwardInformation,
    Rejection,
    Cancellation,
}

public enum MessageSide
{
    Agent,
    Company,
}

/// <summary>
/// One message of the buyer to one company of a consultation, and the company's replies: a message sent
/// to three companies is three threads, so that each company sees only its own. The first read by a user
/// of the company is the acknowledgement of receipt (date and user), recorded once. The company may reply
/// until the reply deadline, inclusive to the second; a message without deadline may be replied to at any time.
/// </summary>
public sealed class MessageThread
{
    public const int MaxSubjectLength = 200;
    public const int MaxTextLength = 10_000;

    private readonly List<ThreadMessage> _messages = [];

    public Guid Id { get; private set; }
    public Guid ConsultationId { get; private set; }
    public Guid CompanyId { get; private set; }
    public MessageType Type { get; private set; }
    public string Subject { get; private set; } = "";
    public DateTime? ReplyDeadlineUtc { get; private set; }
    public DateTime CreatedUtc { get; private set; }
    public Guid CreatedByUserId { get; private set; }
    public DateTime? FirstReadUtc { get; private set; }
    public Guid? FirstReadByUserId { get; private set; }

    /// <summary>The agent's message first, then the replies, in the order sent.</summary>
    public IReadOnlyList<ThreadMessage> Messages => _messages;

    private MessageThread() { }

    public bool IsRead => FirstReadUtc is not null;

    public IEnumerable<ThreadMessage> Replies => _messages.Where(m => m.Side == MessageSide.Company);

    /// <summary>Replies the buyer's agents have not opened yet.</summary>
    public int UnreadReplies => Replies.Count(r => r.ReadByAgentUtc is null);

    /// <summary>
    /// Starts the thread of a message to one company. The subject and text are required and bounded; a reply
    /// deadline, when given, must be in the future.
    /// </summary>
    public static MessageThread Start(Guid consultationId, Guid companyId, MessageType type, string? subject, string? text,
        DateTime? replyDeadlineUtc, Guid agentUserId, IEnumerable<MessageAttachment> attachments, DateTime nowUtc)
    {
        var (cleanSubject, cleanText) = RequireMessage(type, subject, text, replyDeadlineUtc, nowUtc);
        var thread = new MessageThread
        {
            Id = Guid.NewGuid(),
            ConsultationId = consultationId,
            CompanyId = companyId,
            Type = type,
            Subject = cleanSubject,
            ReplyDeadlineUtc = replyDeadlineUtc,
            CreatedUtc = nowUtc,
            CreatedByUserId = agentUserId,
        };
        thread._messages.Add(new ThreadMessage(thread.Id, MessageSide.Agent, agentUserId, cleanText, nowUtc, attachments));
        return thread;
    }

    /// <summary>The rules of a new message, checked before its attachments are stored: returns the subject and text as kept.</summary>
    public static (string Subject, string Text) RequireMessage(MessageType type, string? subject, string? text, DateTime? replyDeadlineUtc, DateTime nowUtc)
    {
        if (!Enum.IsDefined(type))
        {
            throw new DomainException("message.type-unknown", "Choisissez le type du message.", "Type");
        }
        var cleanSubject = RequireSubject(subject);
        var cleanText = RequireText(text);
        if (replyDeadlineUtc is { } deadline && deadline <= nowUtc)
        {
            throw new DomainException("message.reply-deadline-past", $"La date limite de réponse ({ParisTime.Format(deadline, ParisTime.French, seconds: true)}) doit être dans le futur.", "ReplyDeadlineDate", ParisTime.ToParis(deadline));
        }
        return (cleanSubject, cleanText);
    }

    /// <summary>Records the acknowledgement of receipt: true the first time only; later reads change nothing.</summary>
    public bool MarkRead(Guid companyUserId, DateTime nowUtc)
    {
        if (FirstReadUtc is not null)
        {
            return false;
        }
        FirstReadUtc = nowUtc;
        FirstReadByUserId = companyUserId;
        return true;
    }

    /// <summary>Whether a reply sent at <paramref name="nowUtc"/> is on time: up to the deadline's second, inclusive.</summary>
    public bool AcceptsRepliesAt(DateTime nowUtc) =>
        ReplyDeadlineUtc is not { } deadline || TruncateToSecond(nowUtc) <= deadline;

    /// <summary>The company's reply. After the reply deadline it is refused, with the deadline.</summary>
    public ThreadMessage Reply(Guid companyUserId, string? text, IEnumerable<MessageAttachment> attachments, DateTime nowUtc)
    {
        RequireAcceptsReplies(nowUtc);
        var reply = new ThreadMessage(Id, MessageSide.Company, companyUserId, RequireText(text), nowUtc, attachments);
        _messages.Add(reply);
        return reply;
    }

    public void RequireAcceptsReplies(DateTime nowUtc)
    {
        if (!AcceptsRepliesAt(nowUtc))
        {
            throw new DomainException("message.reply-deadline-passed",
                $"La date limite de réponse à ce message est passée ({ParisTime.Format(ReplyDeadlineUtc!.Value, ParisTime.French, seconds: true)}) : votre réponse n'a pas été envoyée.",
                "Text", ParisTime.ToParis(ReplyDeadlineUtc!.Value));
        }
    }

    /// <summary>The buyer's agents opened the thread: its replies are read.</summary>
    public void MarkRepliesReadByAgent(DateTime nowUtc)
    {
        foreach (var reply in Replies.Where(r => r.ReadByAgentUtc is null))
        {
            reply.MarkReadByAgent(nowUtc);
        }
    }

    public static string RequireSubject(string? subject)
    {
        var clean = (subject ?? "").Trim();
        if (clean.Length == 0)
        {
            throw new DomainException("message.subject-empty", "Indiquez l'objet du message.", "Subject");
        }
        if (clean.Length > MaxSubjectLength)
        {
            throw new DomainException("message.subject-long", $"L'objet du message dépasse {MaxSubjectLength} caractères.", "Subject", MaxSubjectLength);
        }
        return clean;
    }

    public static string RequireText(string? text)
    {
        var clean = (text ?? "").Replace("\r\n", "\n", StringComparison.Ordinal).Trim();
        if (clean.Length == 0)
        {
            throw new DomainException("message.text-empty", "Le message ne peut pas être vide.", "Text");
        }
        if (clean.Length > MaxTextLength)
        {
            throw new DomainException("message.text-long", $"Le message dépasse {MaxTextLength} caractères.", "Text", MaxTextLength);
        }
        return clean;
    }

    /// <summary>
    /// Checks an attachment before a byte of it is stored: a safe name, a format the consultation accepts,
    /// not empty, not over the size limit. Returns the name as stored. (Its content is checked against its
    /// format by <see cref="FileSignatures"/> as it arrives.)
    /// </summary>
    public static string RequireAttachment(Consultation consultation, string? fileName, long size, long maxFileSize, string field = "Files")
    {
        var name = FilePolicy.RequireSafeName((fileName ?? "").Trim().Normalize(System.Text.NormalizationForm.FormC), field);
        var extension = FilePolicy.ExtensionOf(name);
        if (!consultation.AcceptedFormatList.Contains(extension, StringComparer.OrdinalIgnoreCase))
        {
            throw new DomainException("message.format-refused",
                $"Le format « {extension} » n'est pas accepté pour cette consultation. Formats acceptés : {string.Join(" ", consultation.AcceptedFormatList)}.",
                field, extension.Length == 0 ? "—" : extension, string.Join(" ", consultation.AcceptedFormatList));
        }
        if (size <= 0)
        {
            throw new DomainException("file.empty", $"Le fichier « {name} » est vide.", field, name);
        }
        if (size > maxFileSize)
        {
            throw new DomainException("message.file-too-large", $"Le fichier « {name} » dépasse la taille maximale de {maxFileSize} octets.", field, name, maxFileSize);
        }
        return name;
    }

    private static DateTime TruncateToSecond(DateTime utc) => new(utc.Ticks - (utc.Ticks % TimeSpan.TicksPerSecond), utc.Kind);
}

/// <summary>One message of a thread: the agent's, or a reply of the company.</summary>
public sealed class ThreadMessage
{
    private readonly List<MessageAttachment> _attachments = [];

    public Guid Id { get; private set; }
    public Guid ThreadId { get; private set; }
    public MessageSide Side { get; private set; }
    public Guid AuthorUserId { get; private set; }
    public string Text { get; private set; } = "";
    public DateTime SentUtc { get; private set; }

    /// <summary>For a company's reply: when an agent of the buyer first opened it.</summary>
    public DateTime? ReadByAgentUtc { get; private set; }

    public IReadOnlyList<MessageAttachment> Attachments => _attachments;

    private ThreadMessage() { }

    internal ThreadMessage(Guid threadId, MessageSide side, Guid authorUserId, string text, DateTime sentUtc, IEnumerable<MessageAttachment> attachments)
    {
        Id = Guid.NewGuid();
        ThreadId = threadId;
        Side = side;
        AuthorUserId = authorUserId;
        Text = text;
        SentUtc = sentUtc;
        _attachments.AddRange(attachments.Select(a => a.For(Id)));
    }

    internal void MarkReadByAgent(DateTime nowUtc) => ReadByAgentUtc = nowUtc;
}

/// <summary>
/// A file joined to a message, stored plain (the addressee reads it at once). A message sent to several
/// companies keeps one stored copy, named by each thread's attachment.
/// </summary>
public sealed class MessageAttachment
{
    public Guid Id { get; private set; }
    public Guid MessageId { get; private set; }
    public string Name { get; private set; } = "";
    public long Size { get; private set; }
    public string Sha256 { get; private set; } = "";
    public string StorageKey { get; private set; } = "";

    private MessageAttachment() { }

    public MessageAttachment(string name, long size, string sha256, string storageKey)
    {
        Id = Guid.NewGuid();
        Name = name;
        Size = size;
        Sha256 = sha256;
        StorageKey = storageKey;
    }

    internal MessageAttachment For(Guid messageId) => new(Name, Size, Sha256, StorageKey) { MessageId = messageId };
}

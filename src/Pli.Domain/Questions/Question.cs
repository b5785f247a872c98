using Pli.Domain.Common;
using Pli.Domain.Consultations;

namespace Pli.Domain.Questions;

/// <summary>
/// A company's question about a consultation, and the buyer's answer. Questions are asked until the
/// question deadline, inclusive to the second like the deadline for plis; an answer is published when
/// it is given, with the question and without its author, so that every candidate reads the same thing.
/// The attachment of a question stays between the company and the buyer: it might name its author.
/// </summary>
public sealed class Question
{
    public const int MaxTextLength = 4000;
    public const int MaxAnswerLength = 8000;

    public Guid Id { get; private set; }
    public Guid ConsultationId { get; private set; }
    public Guid CompanyId { get; private set; }
    public Guid AskedByUserId { get; private set; }
    public string Text { get; private set; } = "";
    public DateTime AskedUtc { get; private set; }
    public QuestionAttachment? Attachment { get; private set; }
    public string? Answer { get; private set; }
    public DateTime? AnsweredUtc { get; private set; }
    public Guid? AnsweredByUserId { get; private set; }

    /// <summary>An answer is public as soon as it is given: there is no draft answer.</summary>
    public bool IsPublished => AnsweredUtc is not null;

    private Question() { }

    /// <summary>
    /// Refuses a question the consultation no longer takes (or never took, as a draft). Called before
    /// an attachment is stored, so that a late question leaves nothing behind.
    /// </summary>
    public static void RequireOpenForQuestions(Consultation consultation, DateTime nowUtc)
    {
        if (!consultation.IsPublished)
        {
            throw new DomainException("question.not-published", "Cette consultation n'est pas publiée : elle ne reçoit pas de questions.");
        }
        if (nowUtc > consultation.QuestionDeadlineUtc)
        {
            var deadline = ParisTime.Format(consultation.QuestionDeadlineUtc, ParisTime.French, seconds: true);
            throw new DomainException("question.deadline-passed",
                $"La date limite des questions ({deadline}) est passée : votre question n'a pas été enregistrée.",
                "Text", deadline);
        }
    }

    /// <summary>The question's text, trimmed, or the reason it is refused (empty, too long).</summary>
    public static string RequireText(string? text)
    {
        var trimmed = (text ?? "").Trim();
        if (trimmed.Length == 0)
        {
            throw new DomainException("question.text-empty", "Écrivez votre question.", "Text");
        }
        if (trimmed.Length > MaxTextLength)
        {
            throw new DomainException("question.text-too-long", $"La question dépasse {MaxTextLength} caractères.", "Text", MaxTextLength);
        }
        return trimmed;
    }

    public static Question Ask(Consultation consultation, Guid companyId, Guid userId, string? text, QuestionAttachment? attachment, DateTime nowUtc)
    {
        RequireOpenForQuestions(consultation, nowUtc);
        var checkedText = RequireText(text);
        return new Question
        {
            Id = Guid.NewGuid(),
            ConsultationId = consultation.Id,
            CompanyId = companyId,
            AskedByUserId = userId,
            Text = checkedText,
            AskedUtc = nowUtc,
            Attachment = attachment,
        };
    }

    /// <summary>Answers the question, which publishes it. An answer is given once: a correction is a new notice.</summary>
    public void Reply(Guid agentUserId, string? answer, DateTime nowUtc)
    {
        if (IsPublished)
        {
            throw new DomainException("question.already-answered", "Cette question a déjà reçu une réponse.", "Answer");
        }
        var trimmed = (answer ?? "").Trim();
        if (trimmed.Length == 0)
        {
            throw new DomainException("answer.text-empty", "Écrivez la réponse.", "Answer");
        }
        if (trimmed.Length > MaxAnswerLength)
        {
            throw new DomainException("answer.text-too-long", $"La réponse dépasse {MaxAnswerLength} caractères.", "Answer", MaxAnswerLength);
        }
        Answer = trimmed;
        AnsweredUtc = nowUtc;
        AnsweredByUserId = agentUserId;
    }
}

/// <summary>A file joined to a question, stored under a key Pli chose; its name was checked, never used as a path.</summary>
public sealed record QuestionAttachment(string Name, long Size, string Sha256, string StorageKey)
{
    /// <summary>
    /// Checks, before a byte is stored, that the file may be joined: a safe name, a format the
    /// consultation accepts, not empty. Its size limit is the platform's setting, and its content is
    /// checked against its format (<see cref="FileSignatures"/>) by whoever reads it.
    /// </summary>
    public static string RequireAcceptable(Consultation consultation, string? name, long size, string field = "Attachment")
    {
        var safe = FilePolicy.RequireSafeName(name, field);
        var extension = FilePolicy.ExtensionOf(safe);
        if (!consultation.AcceptedFormatList.Contains(extension, StringComparer.OrdinalIgnoreCase))
        {
            throw new DomainException("question.attachment-format",
                $"Le format « {extension} » n'est pas accepté pour cette consultation. Formats acceptés : {string.Join(", ", consultation.AcceptedFormatList)}.",
                field, extension, string.Join(", ", consultation.AcceptedFormatList));
        }
        if (size <= 0)
        {
            throw new DomainException("file.empty", $"Le fichier « {safe} » est vide.", field, safe);
        }
        return safe;
    }
}

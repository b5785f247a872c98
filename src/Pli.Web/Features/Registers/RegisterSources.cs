using System.Globalization;
using System.Security.Claims;
using Pli.Domain.Consultations;
using Pli.Web.Features.Backoffice.Consultations;
using Pli.Web.Features.Dce;
using Pli.Web.Features.Messaging;
using Pli.Web.Features.Questions;
using Pli.Web.Infrastructure.Data;

namespace Pli.Web.Features.Registers;

/// <summary>Makes one register of a consultation of the agent's own organisation, for its exports.</summary>
public interface IRegisterSource
{
    RegisterKind Kind { get; }

    /// <summary>The register, or null when the consultation is not one of <paramref name="agent"/>'s organisation (404).</summary>
    Task<RegisterDocument?> BuildAsync(ClaimsPrincipal agent, Guid consultationId, CultureInfo culture, CancellationToken cancellationToken);
}

internal static class RegisterColumns
{
    public static RegisterColumn Of(string key, CultureInfo culture, double width = 1, bool monospace = false) =>
        new(RegistersTexts.Get(key, culture), width, monospace);

    public static RegisterDocument Document(RegisterKind kind, Consultation consultation, TimeProvider time, CultureInfo culture, params RegisterTable[] tables) =>
        new(kind, RegistersTexts.Title(kind, culture), consultation.Reference, consultation.Title, time.GetUtcNow().UtcDateTime, tables);
}

/// <summary>The register of downloads (retraits): who took which files of the DCE, when; anonymous downloads without identity.</summary>
public sealed class DownloadsRegisterSource(PliDbContext db, TimeProvider time) : IRegisterSource
{
    public RegisterKind Kind => RegisterKind.Downloads;

    public async Task<RegisterDocument?> BuildAsync(ClaimsPrincipal agent, Guid consultationId, CultureInfo culture, CancellationToken cancellationToken)
    {
        var consultation = await db.FindOwnReadOnlyAsync(agent, consultationId, cancellationToken);
        if (consultation is null)
        {
            return null;
        }
        var lines = await DceRegisterLines.ReadAsync(db, consultationId, cancellationToken);
        var anonymous = RegistersTexts.Get("Anonymous", culture);
        RegisterColumn[] columns =
        [
            RegisterColumns.Of("Col_DownloadedAt", culture, 1.3),
            RegisterColumns.Of("Col_Company", culture, 1.5),
            RegisterColumns.Of("Col_CompanyIdentifier", culture),
            RegisterColumns.Of("Col_User", culture),
            RegisterColumns.Of("Col_Email", culture, 1.3),
            RegisterColumns.Of("Col_Files", culture, 2.5),
        ];
        var rows = lines.Select(l => (IReadOnlyList<RegisterCell>)
        [
            RegisterCell.At(l.AtUtc),
            l.Anonymous ? anonymous : l.CompanyName,
            l.CompanyIdentifier,
            l.UserName,
            l.UserEmail,
            l.WholeDce ? RegistersTexts.Get("WholeDce", culture) : string.Join('\n', l.Files),
        ]).ToList();
        return RegisterColumns.Document(Kind, consultation, time, culture, new RegisterTable(RegistersTexts.Get("Table_Downloads", culture), columns, rows));
    }
}

/// <summary>The register of questions: every question in the order received, who asked, the answer, when and by whom.</summary>
public sealed class QuestionsRegisterSource(PliDbContext db, QuestionService questions, TimeProvider time) : IRegisterSource
{
    public RegisterKind Kind => RegisterKind.Questions;

    public async Task<RegisterDocument?> BuildAsync(ClaimsPrincipal agent, Guid consultationId, CultureInfo culture, CancellationToken cancellationToken)
    {
        var consultation = await db.FindOwnReadOnlyAsync(agent, consultationId, cancellationToken);
        if (consultation is null)
        {
            return null;
        }
        var register = await questions.RegisterAsync(consultationId, cancellationToken);
        RegisterColumn[] columns =
        [
            RegisterColumns.Of("Col_QuestionNumber", culture, 0.4),
            RegisterColumns.Of("Col_AskedAt", culture, 1.2),
            RegisterColumns.Of("Col_Company", culture),
            RegisterColumns.Of("Col_Asker", culture),
            RegisterColumns.Of("Col_Question", culture, 3),
            RegisterColumns.Of("Col_Attachment", culture),
            RegisterColumns.Of("Col_AttachmentSize", culture, 0.7),
            RegisterColumns.Of("Col_Answer", culture, 3),
            RegisterColumns.Of("Col_AnsweredAt", culture, 1.2),
            RegisterColumns.Of("Col_AnsweredBy", culture, 0.8),
        ];
        var rows = register.Select(r => (IReadOnlyList<RegisterCell>)
        [
            RegisterCell.Count(r.Number),
            RegisterCell.At(r.Question.AskedUtc),
            r.CompanyName,
            $"{r.AskerName} <{r.AskerEmail}>",
            r.Question.Text,
            r.Question.Attachment is { } a ? $"{a.Name} (SHA-256 {a.Sha256})" : "",
            r.Question.Attachment is { } sized ? RegisterCell.Bytes(sized.Size) : RegisterCell.Empty,
            r.Question.Answer,
            RegisterCell.At(r.Question.AnsweredUtc),
            r.AnsweredByName,
        ]).ToList();
        return RegisterColumns.Document(Kind, consultation, time, culture, new RegisterTable(RegistersTexts.Get("Table_Questions", culture), columns, rows));
    }
}

/// <summary>
/// The register of deposits: one table of the plis (company, number, horodatage, on time or late or withdrawn,
/// backup copy, files and size), one of their files (name, size, SHA-256). Never a file's content.
/// </summary>
public sealed class DepositsRegisterSource(PliDbContext db, TimeProvider time) : IRegisterSource
{
    public RegisterKind Kind => RegisterKind.Deposits;

    public async Task<RegisterDocument?> BuildAsync(ClaimsPrincipal agent, Guid consultationId, CultureInfo culture, CancellationToken cancellationToken)
    {
        var consultation = await db.FindOwnAsync(agent, consultationId);
        if (consultation is null)
        {
            return null;
        }
        var lines = await DepositRegister.ReadAsync(db, consultationId, cancellationToken);
        return Build(consultation, lines, time.GetUtcNow().UtcDateTime, culture);
    }

    public static RegisterDocument Build(Consultation consultation, IReadOnlyList<DepositLine> lines, DateTime generatedUtc, CultureInfo culture)
    {
        var yes = RegistersTexts.Get("Yes", culture);
        var no = RegistersTexts.Get("No", culture);
        RegisterColumn[] deposits =
        [
            RegisterColumns.Of("Col_DepositNumber", culture, 1.1),
            RegisterColumns.Of("Col_Company", culture, 1.6),
            RegisterColumns.Of("Col_Siret", culture, 1.1),
            RegisterColumns.Of("Col_SealedAt", culture, 1.4),
            RegisterColumns.Of("Col_TransmissionStarted", culture, 1.4),
            RegisterColumns.Of("Col_Timeliness", culture, 0.8),
            RegisterColumns.Of("Col_WithdrawnAt", culture, 1.4),
            RegisterColumns.Of("Col_BackupCopy", culture, 0.8),
            RegisterColumns.Of("Col_FileCount", culture, 0.6),
            RegisterColumns.Of("Col_TotalSize", culture, 0.8),
        ];
        var depositRows = lines.Select(l => (IReadOnlyList<RegisterCell>)
        [
            l.Deposit.Number,
            l.CompanyName,
            l.CompanyIdentifier,
            RegisterCell.At(l.Deposit.SealedUtc),
            RegisterCell.At(l.Deposit.TransmissionStartedUtc),
            RegistersTexts.Get("Timeliness_" + l.Timeliness, culture),
            RegisterCell.At(l.Deposit.WithdrawnUtc),
            l.Deposit.BackupCopyDeclaredUtc is null ? no : yes,
            RegisterCell.Count(l.Deposit.Files.Count),
            RegisterCell.Bytes(l.Deposit.TotalSize),
        ]).ToList();
        RegisterColumn[] files =
        [
            RegisterColumns.Of("Col_DepositNumber", culture, 1.1),
            RegisterColumns.Of("Col_Company", culture, 1.4),
            RegisterColumns.Of("Col_Envelope", culture, 1.3),
            RegisterColumns.Of("Col_FileName", culture, 2.5),
            RegisterColumns.Of("Col_FileSize", culture, 0.8),
            RegisterColumns.Of("Col_Sha256", culture, monospace: true),
        ];
        var fileRows = lines.SelectMany(l => DepositRegister.Files(l.Deposit).Select(x => (IReadOnlyList<RegisterCell>)
        [
            l.Deposit.Number,
            l.CompanyName,
            DepositRegister.EnvelopeLabel(consultation, x.Envelope, culture),
            x.File.Name,
            RegisterCell.Bytes(x.File.Size),
            x.File.Sha256.ToLowerInvariant(),
        ])).ToList();
        return new RegisterDocument(RegisterKind.Deposits, RegistersTexts.Title(RegisterKind.Deposits, culture), consultation.Reference, consultation.Title, generatedUtc,
        [
            new RegisterTable(RegistersTexts.Get("Table_Deposits", culture), deposits, depositRows),
            new RegisterTable(RegistersTexts.Get("Table_DepositFiles", culture), files, fileRows),
        ]);
    }
}

/// <summary>The register of exchanges: each message to a company, its type, when and by whom, its read receipt, the replies' dates and the attachments. Never the text.</summary>
public sealed class ExchangesRegisterSource(PliDbContext db, TimeProvider time) : IRegisterSource
{
    public RegisterKind Kind => RegisterKind.Exchanges;

    public async Task<RegisterDocument?> BuildAsync(ClaimsPrincipal agent, Guid consultationId, CultureInfo culture, CancellationToken cancellationToken)
    {
        var consultation = await db.FindOwnReadOnlyAsync(agent, consultationId, cancellationToken);
        if (consultation is null)
        {
            return null;
        }
        var threads = await RegisterModel.ReadAsync(db, consultationId, cancellationToken);
        RegisterColumn[] columns =
        [
            RegisterColumns.Of("Col_MessageType", culture, 1.2),
            RegisterColumns.Of("Col_SentAt", culture, 1.3),
            RegisterColumns.Of("Col_SentBy", culture),
            RegisterColumns.Of("Col_ToCompany", culture, 1.3),
            RegisterColumns.Of("Col_ReplyDeadline", culture, 1.3),
            RegisterColumns.Of("Col_ReadAt", culture, 1.3),
            RegisterColumns.Of("Col_ReadBy", culture),
            RegisterColumns.Of("Col_Replies", culture, 0.6),
            RegisterColumns.Of("Col_LastReplyAt", culture, 1.3),
            RegisterColumns.Of("Col_Attachments", culture, 2),
        ];
        var rows = threads.Select(r => (IReadOnlyList<RegisterCell>)
        [
            MessagingTexts.Type(r.Thread.Type, culture),
            RegisterCell.At(r.Thread.CreatedUtc),
            r.AuthorName,
            r.CompanyName,
            RegisterCell.At(r.Thread.ReplyDeadlineUtc),
            RegisterCell.At(r.Thread.FirstReadUtc),
            r.ReaderName,
            RegisterCell.Count(r.Replies),
            RegisterCell.At(r.Thread.Replies.Select(m => (DateTime?)m.SentUtc).Max()),
            string.Join('\n', r.Thread.Messages.SelectMany(m => m.Attachments.Select(a => RegistersTexts.Format(culture,
                m.Side == Pli.Domain.Messaging.MessageSide.Company ? "ReplyAttachment" : "MessageAttachment", a.Name, a.Size)))),
        ]).ToList();
        return RegisterColumns.Document(Kind, consultation, time, culture, new RegisterTable(RegistersTexts.Get("Table_Exchanges", culture), columns, rows));
    }
}

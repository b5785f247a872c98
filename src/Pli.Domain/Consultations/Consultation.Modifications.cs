using System.Globalization;
using Pli.Domain.Common;

namespace Pli.Domain.Consultations;

/// <summary>The codes of <see cref="ConsultationModification.Kind"/>: stable, shown through the host's labels.</summary>
public static class ModificationKind
{
    public const string Deadline = "deadline";
    public const string QuestionDeadline = "question-deadline";
    public const string Rectificatif = "rectificatif";
    public const string DceComplement = "dce-complement";
    public const string DceReplacement = "dce-replacement";
    public const string Cancellation = "cancellation";
}

/// <summary>A file stored for the DCE of a published consultation, not yet part of it.</summary>
public sealed record DceUpload(string RelativePath, long Size, string Sha256, string StorageKey);

/// <summary>
/// Published modifications. Once published, a consultation changes only through these: each one is
/// recorded in its public history (what, when, old → new), so that every company reads the same
/// consultation. Until the deadline the buyer may move either deadline, publish a rectificatif,
/// complete the DCE or replace one of its files; after the deadline the plis received are judged
/// against the consultation as it stood, so only a cancellation (déclaration sans suite) remains.
/// A cancelled consultation changes no more.
/// </summary>
public sealed partial class Consultation
{
    public const int MaxModificationText = 4000;

    public bool IsCancelled => Status == ConsultationStatus.Cancelled;

    /// <summary>
    /// Moves the deadline for plis, later (report) or earlier. The new deadline must be ahead of
    /// <paramref name="nowUtc"/>, no earlier than the latest pli already received (it would become
    /// late) and no earlier than the question deadline.
    /// </summary>
    public ConsultationModification ChangeDeadline(DateTime newDeadlineUtc, DateTime? latestDepositUtc, DateTime nowUtc)
    {
        RequireModifiable(nowUtc);
        var wanted = DateTime.SpecifyKind(newDeadlineUtc, DateTimeKind.Utc);
        if (wanted == DeadlineUtc)
        {
            throw new DomainException("modification.unchanged", "La date indiquée est celle déjà en vigueur : rien n'a changé.", "Deadline");
        }
        if (latestDepositUtc is { } latest && wanted < latest)
        {
            throw new DomainException("modification.deadline-before-deposit", "Un pli a déjà été reçu après cette date : la date limite ne peut pas être avancée avant un dépôt reçu.", "Deadline");
        }
        if (wanted <= nowUtc)
        {
            throw new DomainException("modification.deadline-past", "La nouvelle date limite de remise des plis doit être à venir.", "Deadline");
        }
        if (wanted < QuestionDeadlineUtc)
        {
            throw new DomainException("modification.deadline-before-questions", "La nouvelle date limite de remise des plis précède la date limite des questions : avancez d'abord celle-ci.", "Deadline");
        }
        var old = DeadlineUtc;
        DeadlineUtc = wanted;
        return Record(ModificationKind.Deadline, $"Date limite de remise des plis : {ParisTime.Format(old, ParisTime.French)} → {ParisTime.Format(wanted, ParisTime.French)}", nowUtc, Iso(old), Iso(wanted));
    }

    /// <summary>Moves the deadline for questions: ahead of now, and no later than the deadline for plis.</summary>
    public ConsultationModification ChangeQuestionDeadline(DateTime newQuestionDeadlineUtc, DateTime nowUtc)
    {
        RequireModifiable(nowUtc);
        var wanted = DateTime.SpecifyKind(newQuestionDeadlineUtc, DateTimeKind.Utc);
        if (wanted == QuestionDeadlineUtc)
        {
            throw new DomainException("modification.unchanged", "La date indiquée est celle déjà en vigueur : rien n'a changé.", "QuestionDeadline");
        }
        if (wanted > DeadlineUtc)
        {
            throw new DomainException("modification.questions-after-deadline", "La date limite des questions ne peut pas suivre la date limite de remise des plis.", "QuestionDeadline");
        }
        if (wanted <= nowUtc)
        {
            throw new DomainException("modification.questions-past", "La nouvelle date limite des questions doit être à venir.", "QuestionDeadline");
        }
        var old = QuestionDeadlineUtc;
        QuestionDeadlineUtc = wanted;
        return Record(ModificationKind.QuestionDeadline, $"Date limite des questions : {ParisTime.Format(old, ParisTime.French)} → {ParisTime.Format(wanted, ParisTime.French)}", nowUtc, Iso(old), Iso(wanted));
    }

    /// <summary>A rectificatif: the buyer's public text correcting or clarifying the consultation.</summary>
    public ConsultationModification PublishRectificatif(string text, DateTime nowUtc)
    {
        RequireModifiable(nowUtc);
        var trimmed = CleanText(text)
            ?? throw new DomainException("modification.rectificatif", "Indiquez le texte du rectificatif (4 000 caractères au plus).", "Rectificatif");
        return Record(ModificationKind.Rectificatif, trimmed, nowUtc);
    }

    /// <summary>Checks, before anything is stored, that a file may be added to the published DCE under this path.</summary>
    public string RequireDceComplementPath(string relativePath, DateTime nowUtc)
    {
        RequireModifiable(nowUtc);
        return RequireNewDcePath(relativePath);
    }

    /// <summary>Adds stored files to the DCE of a published consultation, as one modification.</summary>
    public (ConsultationModification Modification, IReadOnlyList<DceFile> Added) ComplementDce(IReadOnlyList<DceUpload> files, DateTime nowUtc)
    {
        RequireModifiable(nowUtc);
        if (files.Count == 0)
        {
            throw new DomainException("modification.dce-no-file", "Choisissez au moins un fichier à ajouter au DCE.", "File");
        }
        var paths = new HashSet<string>(StringComparer.OrdinalIgnoreCase);
        var checkedFiles = new List<DceUpload>();
        foreach (var file in files)
        {
            var path = RequireNewDcePath(file.RelativePath);
            if (!paths.Add(path))
            {
                throw new DomainException("dce.duplicate", $"Le DCE contient déjà un fichier « {path} ».", "File", path);
            }
            if (file.Size <= 0)
            {
                throw new DomainException("file.empty", $"Le fichier « {path} » est vide.", "File", path);
            }
            checkedFiles.Add(file with { RelativePath = path });
        }
        var added = checkedFiles.Select(f => new DceFile(Guid.NewGuid(), Id, f.RelativePath, f.Size, f.Sha256, f.StorageKey, nowUtc)).ToList();
        _dceFiles.AddRange(added);
        var list = Truncate(string.Join(", ", added.Select(f => f.RelativePath)));
        var modification = Record(ModificationKind.DceComplement, $"DCE complété : {added.Count} fichier(s) ajouté(s) : {list}", nowUtc,
            null, added.Count.ToString(CultureInfo.InvariantCulture));
        return (modification, added);
    }

    /// <summary>
    /// Checks, before anything is stored, that the file <paramref name="fileId"/> may be replaced by one
    /// named <paramref name="fileName"/>; returns the path it will have (in the replaced file's folder).
    /// </summary>
    public string RequireDceReplacementPath(Guid fileId, string fileName, DateTime nowUtc)
    {
        RequireModifiable(nowUtc);
        var old = RequireDceFile(fileId);
        var name = FilePolicy.RequireSafeName(fileName);
        var folder = old.RelativePath[..(old.RelativePath.LastIndexOf('/') + 1)];
        return RequireNewDcePath(folder + name, except: fileId);
    }

    /// <summary>Replaces one file of the published DCE by a stored one; the replaced file leaves the DCE.</summary>
    public (ConsultationModification Modification, DceFile Removed, DceFile Added) ReplaceDceFile(Guid fileId, DceUpload replacement, DateTime nowUtc)
    {
        var path = RequireDceReplacementPath(fileId, replacement.RelativePath[(replacement.RelativePath.LastIndexOf('/') + 1)..], nowUtc);
        var old = RequireDceFile(fileId);
        if (replacement.Size <= 0)
        {
            throw new DomainException("file.empty", $"Le fichier « {path} » est vide.", "File", path);
        }
        if (string.Equals(replacement.Sha256, old.Sha256, StringComparison.OrdinalIgnoreCase) && path == old.RelativePath)
        {
            throw new DomainException("modification.dce-same-file", "Le fichier envoyé est identique à celui du DCE : rien n'a changé.", "File");
        }
        var added = new DceFile(Guid.NewGuid(), Id, path, replacement.Size, replacement.Sha256, replacement.StorageKey, nowUtc);
        _dceFiles.Remove(old);
        _dceFiles.Add(added);
        var modification = Record(ModificationKind.DceReplacement, $"Fichier du DCE remplacé : « {old.RelativePath} » → « {path} »", nowUtc, old.RelativePath, path);
        return (modification, old, added);
    }

    /// <summary>
    /// Cancels the consultation (or declares it "sans suite" after the deadline): it stays public with its
    /// history, and no pli is received any more.
    /// </summary>
    public ConsultationModification Cancel(string reason, DateTime nowUtc, bool anyLotAwarded = false)
    {
        RequireModifiable(nowUtc, afterDeadline: true);
        if (anyLotAwarded)
        {
            throw new DomainException("modification.awarded", "Cette consultation est attribuée : elle ne peut plus être modifiée ni annulée.");
        }
        var trimmed = CleanText(reason)
            ?? throw new DomainException("modification.cancel-reason", "Indiquez le motif de l'annulation (4 000 caractères au plus).", "Reason");
        Status = ConsultationStatus.Cancelled;
        return Record(ModificationKind.Cancellation, trimmed, nowUtc);
    }

    private void RequireModifiable(DateTime nowUtc, bool afterDeadline = false)
    {
        if (Status == ConsultationStatus.Draft)
        {
            throw new DomainException("modification.draft", "Cette consultation est un brouillon : modifiez-la directement, aucune modification n'est à publier.");
        }
        if (Status == ConsultationStatus.Cancelled)
        {
            throw new DomainException("modification.cancelled", "Cette consultation est annulée : elle ne peut plus être modifiée.");
        }
        if (Status == ConsultationStatus.Awarded)
        {
            throw new DomainException("modification.awarded", "Cette consultation est attribuée : elle ne peut plus être modifiée ni annulée.");
        }
        if (!afterDeadline && nowUtc > DeadlineUtc)
        {
            throw new DomainException("modification.closed", "La date limite de remise des plis est passée : seule l'annulation de la consultation reste possible.");
        }
    }

    private DceFile RequireDceFile(Guid fileId) =>
        _dceFiles.FirstOrDefault(f => f.Id == fileId)
        ?? throw new DomainException("modification.dce-file-unknown", "Choisissez le fichier du DCE à remplacer.", "FileId");

    /// <summary>The text trimmed, or null when it is empty, too long or holds control characters other than line breaks and tabs.</summary>
    private static string? CleanText(string? text)
    {
        var trimmed = (text ?? "").Trim();
        return trimmed.Length is 0 or > MaxModificationText || trimmed.Any(c => char.IsControl(c) && c is not '\n' and not '\r' and not '\t')
            ? null
            : trimmed;
    }

    private ConsultationModification Record(string kind, string description, DateTime nowUtc, string? oldValue = null, string? newValue = null)
    {
        var modification = new ConsultationModification(Guid.NewGuid(), Id, nowUtc, kind, Truncate(description), oldValue, newValue);
        _modifications.Add(modification);
        return modification;
    }

    private static string Truncate(string text) => text.Length > MaxModificationText ? text[..(MaxModificationText - 1)] + "…" : text;

    private static string Iso(DateTime utc) => DateTime.SpecifyKind(utc, DateTimeKind.Utc).ToString("yyyy-MM-ddTHH:mm:ss.fffZ", CultureInfo.InvariantCulture);

    /// <summary>Reads back an instant that <see cref="ChangeDeadline"/> or <see cref="ChangeQuestionDeadline"/> recorded.</summary>
    public static DateTime? ParseRecordedInstant(string? value) =>
        DateTime.TryParseExact(value, "yyyy-MM-ddTHH:mm:ss.fffZ", CultureInfo.InvariantCulture, DateTimeStyles.AdjustToUniversal | DateTimeStyles.AssumeUniversal, out var utc)
            ? DateTime.SpecifyKind(utc, DateTimeKind.Utc)
            : null;
}

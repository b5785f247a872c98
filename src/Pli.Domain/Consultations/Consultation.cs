using Pli.Domain.Common;

namespace Pli.Domain.Consultations;

/// <summary>
/// A call for tenders published by a buyer. It is prepared as a draft, then published with its
/// DCE; it is "in progress" from publication until its deadline for plis, inclusive: a pli sealed at
/// the deadline instant is on time, one millisecond later it is late.
/// </summary>
public sealed partial class Consultation
{
    private readonly List<Lot> _lots = [];
    private readonly List<DceFile> _dceFiles = [];
    private readonly List<ConsultationModification> _modifications = [];

    public Guid Id { get; private set; }
    public Guid OrganisationId { get; private set; }
    public Guid? ServiceId { get; private set; }
    public string Reference { get; private set; } = "";

    /// <summary>The reference in upper case: what "same reference" means, whatever the database's collation.</summary>
    public string ReferenceKey { get; private set; } = "";
    public string Title { get; private set; } = "";
    public string Object { get; private set; } = "";
    public ProcedureType Procedure { get; private set; }
    public Nature Nature { get; private set; }
    public string MainCpv { get; private set; } = "";
    public string PlaceOfExecution { get; private set; } = "";

    /// <summary>The place of execution as <see cref="PlaceKeyOf"/> folds it: what the place criterion reads.</summary>
    public string PlaceKey { get; private set; } = "";
    public DateTime DeadlineUtc { get; private set; }
    public DateTime QuestionDeadlineUtc { get; private set; }

    /// <summary>Extensions such as ".pdf", comma-separated.</summary>
    public string AcceptedFormats { get; private set; } = string.Join(',', FilePolicy.DefaultAcceptedFormats);
    public ConsultationStatus Status { get; private set; }
    public DateTime CreatedUtc { get; private set; }
    public DateTime? PublishedUtc { get; private set; }

    /// <summary>Folded reference, title, object and lot titles: what keyword search reads.</summary>
    public string SearchText { get; private set; } = "";

    public IReadOnlyList<Lot> Lots => _lots;
    public IReadOnlyList<DceFile> DceFiles => _dceFiles;
    public IReadOnlyList<ConsultationModification> Modifications => _modifications;

    private Consultation() { }

    public static Consultation CreateDraft(Guid organisationId, ConsultationDetails details, DateTime nowUtc)
    {
        var consultation = new Consultation
        {
            Id = Guid.NewGuid(),
            OrganisationId = organisationId,
            Status = ConsultationStatus.Draft,
            CreatedUtc = nowUtc,
        };
        consultation.Apply(details);
        return consultation;
    }

    public void UpdateDraft(ConsultationDetails details)
    {
        RequireDraft();
        Apply(details);
    }

    public bool IsPublished => Status == ConsultationStatus.Published;

    /// <summary>Two references are the same when their keys are: case and surrounding spaces do not count.</summary>
    public static string KeyOf(string reference) => (reference ?? "").Trim().ToUpperInvariant();

    /// <summary>Published and the deadline not passed: a deposit sealed now would be on time.</summary>
    public bool IsInProgress(DateTime nowUtc) => InProgress(Status, DeadlineUtc, nowUtc);

    /// <summary>The rule of <see cref="IsInProgress"/> for a consultation read as a few columns (a list's card).</summary>
    public static bool InProgress(ConsultationStatus status, DateTime deadlineUtc, DateTime nowUtc) =>
        status == ConsultationStatus.Published && nowUtc <= deadlineUtc;

    public IReadOnlyList<string> AcceptedFormatList => AcceptedFormats.Split(',', StringSplitOptions.RemoveEmptyEntries);

    public Lot AddLot(int number, string title)
    {
        RequireDraft();
        var trimmed = (title ?? "").Trim();
        if (number < 1 || number > 999)
        {
            throw new DomainException("lot.number", "Le numéro de lot doit être compris entre 1 et 999.", "LotNumber");
        }
        if (trimmed.Length is 0 or > 500)
        {
            throw new DomainException("lot.title", "Indiquez l'intitulé du lot (500 caractères au plus).", "LotTitle");
        }
        if (_lots.Any(l => l.Number == number))
        {
            throw new DomainException("lot.duplicate", $"Le lot n° {number} existe déjà.", "LotNumber", number);
        }
        var lot = new Lot(Guid.NewGuid(), Id, number, trimmed);
        _lots.Add(lot);
        RefreshSearchText();
        return lot;
    }

    public void RemoveLot(Guid lotId)
    {
        RequireDraft();
        _lots.RemoveAll(l => l.Id == lotId);
        RefreshSearchText();
    }

    /// <summary>Adds a stored DCE file. A path already present is refused: replacing is explicit.</summary>
    public DceFile AddDceFile(string relativePath, long size, string sha256, string storageKey, DateTime nowUtc)
    {
        var path = RequireDcePathAvailable(relativePath);
        if (size <= 0)
        {
            throw new DomainException("file.empty", $"Le fichier « {path} » est vide.", "File", path);
        }
        var file = new DceFile(Guid.NewGuid(), Id, path, size, sha256, storageKey, nowUtc);
        _dceFiles.Add(file);
        return file;
    }

    /// <summary>
    /// Checks, before anything is stored, that a file may be added under <paramref name="relativePath"/>:
    /// the consultation is a draft, the path is safe, and no file of the DCE has it already (case
    /// ignored, since a download unpacked on Windows would merge the two). Returns the normalised path.
    /// </summary>
    public string RequireDcePathAvailable(string relativePath)
    {
        RequireDraft();
        return RequireNewDcePath(relativePath);
    }

    private string RequireNewDcePath(string relativePath, Guid? except = null)
    {
        var path = FilePolicy.RequireSafeRelativePath(relativePath);
        if (_dceFiles.Any(f => f.Id != except && string.Equals(f.RelativePath, path, StringComparison.OrdinalIgnoreCase)))
        {
            throw new DomainException("dce.duplicate", $"Le DCE contient déjà un fichier « {path} ».", "File", path);
        }
        return path;
    }

    public DceFile? RemoveDceFile(Guid fileId)
    {
        RequireDraft();
        var file = _dceFiles.FirstOrDefault(f => f.Id == fileId);
        if (file is not null)
        {
            _dceFiles.Remove(file);
        }
        return file;
    }

    /// <summary>
    /// Publishing opens the consultation to companies: it needs a deadline still ahead, a question
    /// deadline no later than it, and a DCE to download.
    /// </summary>
    public void Publish(DateTime nowUtc)
    {
        RequireDraft();
        if (DeadlineUtc <= nowUtc)
        {
            throw new DomainException("publish.deadline-past", "La date limite de remise des plis est déjà passée : choisissez une date à venir.", "Deadline");
        }
        if (QuestionDeadlineUtc > DeadlineUtc)
        {
            throw new DomainException("publish.questions-after-deadline", "La date limite des questions doit précéder la date limite de remise des plis.", "QuestionDeadline");
        }
        if (_dceFiles.Count == 0)
        {
            throw new DomainException("publish.empty-dce", "Le DCE est vide : ajoutez au moins un fichier (le règlement de consultation) avant de publier.", "File");
        }
        Status = ConsultationStatus.Published;
        PublishedUtc = nowUtc;
    }

    private void Apply(ConsultationDetails details)
    {
        var reference = (details.Reference ?? "").Trim();
        if (reference.Length is 0 or > 50 || reference.Any(char.IsControl))
        {
            throw new DomainException("consultation.reference", "Indiquez la référence de la consultation (50 caractères au plus).", "Reference");
        }
        var title = (details.Title ?? "").Trim();
        if (title.Length is 0 or > 300)
        {
            throw new DomainException("consultation.title", "Indiquez l'intitulé de la consultation (300 caractères au plus).", "Title");
        }
        var obj = (details.Object ?? "").Trim();
        if (obj.Length > 4000)
        {
            throw new DomainException("consultation.object", "L'objet de la consultation dépasse 4 000 caractères.", "Object");
        }
        if (!Enum.IsDefined(details.Procedure))
        {
            throw new DomainException("consultation.procedure", "Choisissez le type de procédure.", "Procedure");
        }
        if (!Enum.IsDefined(details.Nature))
        {
            throw new DomainException("consultation.nature", "Choisissez la nature du marché (travaux, fournitures ou services).", "Nature");
        }
        if (details.QuestionDeadlineUtc > details.DeadlineUtc)
        {
            throw new DomainException("consultation.questions-after-deadline", "La date limite des questions doit précéder la date limite de remise des plis.", "QuestionDeadline");
        }
        Reference = reference;
        ReferenceKey = KeyOf(reference);
        Title = title;
        Object = obj;
        Procedure = details.Procedure;
        Nature = details.Nature;
        MainCpv = details.MainCpv.Code;
        PlaceOfExecution = (details.PlaceOfExecution ?? "").Trim();
        PlaceKey = PlaceKeyOf(PlaceOfExecution);
        DeadlineUtc = DateTime.SpecifyKind(details.DeadlineUtc, DateTimeKind.Utc);
        QuestionDeadlineUtc = DateTime.SpecifyKind(details.QuestionDeadlineUtc, DateTimeKind.Utc);
        ServiceId = details.ServiceId;
        AcceptedFormats = string.Join(',', details.AcceptedFormats.Count == 0 ? FilePolicy.DefaultAcceptedFormats : details.AcceptedFormats);
        RefreshSearchText();
    }

    /// <summary>
    /// A place folded (case and accents ignored) with its hyphens and apostrophes read as spaces, so that
    /// "bouches du rhone" finds "Bouches-du-Rhône" and "saint etienne" finds "Saint-Étienne".
    /// </summary>
    public static string PlaceKeyOf(string? place) =>
        string.Join(' ', Text.Fold(place).Split([' ', '-', '\'', '\u2010', '\u2011', '\u2013', '\t', '\u00a0', '\u202f'], StringSplitOptions.RemoveEmptyEntries));

    private void RefreshSearchText() =>
        SearchText = Text.Fold(string.Join(' ', [Reference, Title, Object, PlaceOfExecution, .. _lots.Select(l => l.Title)]));

    private void RequireDraft()
    {
        if (Status != ConsultationStatus.Draft)
        {
            throw new DomainException("consultation.not-draft", "Une consultation publiée ne se modifie plus ainsi : publiez une modification.");
        }
    }
}

/// <summary>What an agent fills in for a consultation. The CPV has been looked up already.</summary>
public sealed record ConsultationDetails(
    string Reference,
    string Title,
    string Object,
    ProcedureType Procedure,
    Nature Nature,
    CpvEntry MainCpv,
    string? PlaceOfExecution,
    DateTime DeadlineUtc,
    DateTime QuestionDeadlineUtc,
    IReadOnlyList<string> AcceptedFormats,
    Guid? ServiceId = null);

public sealed class Lot(Guid id, Guid consultationId, int number, string title)
{
    public Guid Id { get; private set; } = id;
    public Guid ConsultationId { get; private set; } = consultationId;
    public int Number { get; private set; } = number;
    public string Title { get; private set; } = title;
}

/// <summary>A file of the DCE. A zip uploaded by the buyer is unpacked and kept as its tree of paths.</summary>
public sealed class DceFile(Guid id, Guid consultationId, string relativePath, long size, string sha256, string storageKey, DateTime uploadedUtc)
{
    public Guid Id { get; private set; } = id;
    public Guid ConsultationId { get; private set; } = consultationId;
    public string RelativePath { get; private set; } = relativePath;
    public long Size { get; private set; } = size;
    public string Sha256 { get; private set; } = sha256;
    public string StorageKey { get; private set; } = storageKey;
    public DateTime UploadedUtc { get; private set; } = uploadedUtc;

    public string FileName => RelativePath[(RelativePath.LastIndexOf('/') + 1)..];
    public string Format => FilePolicy.ExtensionOf(FileName);
}

/// <summary>
/// One published change of a consultation, shown in its public history. <see cref="Kind"/> is one of
/// <see cref="ModificationKind"/>; <see cref="OldValue"/> and <see cref="NewValue"/> hold what changed
/// (UTC instants in ISO 8601 for dates, paths for a replaced file), <see cref="Description"/> the
/// buyer's text (rectificatif, reason of a cancellation) or the files added.
/// </summary>
public sealed class ConsultationModification(Guid id, Guid consultationId, DateTime atUtc, string kind, string description, string? oldValue = null, string? newValue = null)
{
    public Guid Id { get; private set; } = id;
    public Guid ConsultationId { get; private set; } = consultationId;
    public DateTime AtUtc { get; private set; } = atUtc;
    public string Kind { get; private set; } = kind;
    public string Description { get; private set; } = description;
    public string? OldValue { get; private set; } = oldValue;
    public string? NewValue { get; private set; } = newValue;
}

using System.Text;
using Pli.Domain.Common;
using Pli.Domain.Companies;
using Pli.Domain.Consultations;

namespace Pli.Domain.Deposits;

/// <summary>
/// A company's pli for a consultation: prepared as a draft (how it answers, which lots, the files of its
/// envelopes), then sealed once and for all. The horodatage is the server time when it is sealed; it is
/// on time iff sealed at or before the deadline instant. A company may deposit again: each deposit is
/// kept sealed, and the opening takes the last one on time.
/// </summary>
public sealed class Deposit
{
    /// <summary>The format of a DUME (document unique de marché européen) besides PDF.</summary>
    public const string DumeFormat = ".xml";

    private readonly List<DepositFile> _files = [];
    private readonly List<GroupMember> _members = [];

    public Guid Id { get; private set; }
    public Guid ConsultationId { get; private set; }
    public Guid CompanyId { get; private set; }
    public Guid CreatedByUserId { get; private set; }

    /// <summary>Shown to the company and on the receipt, e.g. "D-20261201-7F3A9C".</summary>
    public string Number { get; private set; } = "";
    public DepositMode Mode { get; private set; }
    public CandidatureType CandidatureType { get; private set; }

    /// <summary>Numbers of the lots answered, comma-separated ("" when the consultation has no lots).</summary>
    public string LotNumbers { get; private set; } = "";
    public DepositStatus Status { get; private set; }
    public DateTime CreatedUtc { get; private set; }

    /// <summary>The horodatage, to the millisecond.</summary>
    public DateTime? SealedUtc { get; private set; }

    /// <summary>When the first file of the pli began to be transmitted: the buyer may have to prove its platform worked.</summary>
    public DateTime? TransmissionStartedUtc { get; private set; }
    public bool IsLate { get; private set; }
    public DateTime? TermsAcceptedUtc { get; private set; }
    public DateTime? BackupCopyDeclaredUtc { get; private set; }
    public DateTime? WithdrawnUtc { get; private set; }

    public IReadOnlyList<DepositFile> Files => _files;
    public IReadOnlyList<GroupMember> Members => _members;

    private Deposit() { }

    public IReadOnlyList<int> Lots => LotNumbers.Length == 0 ? [] : [.. LotNumbers.Split(',').Select(int.Parse)];

    public bool IsDraft => Status == DepositStatus.Draft;

    public long TotalSize => _files.Sum(f => f.Size);

    /// <summary>The envelopes of this pli: the candidature, then one offer per lot answered (a single offer when the consultation has no lots).</summary>
    public IReadOnlyList<Envelope> Envelopes =>
        [new(EnvelopeKind.Candidature, null), .. Lots.Count == 0 ? [new Envelope(EnvelopeKind.Offre, null)] : Lots.Select(l => new Envelope(EnvelopeKind.Offre, l))];

    /// <summary>The files received into <paramref name="envelope"/>, oldest first (then by name, so that the order is always the same).</summary>
    public IEnumerable<DepositFile> FilesIn(Envelope envelope) =>
        _files.Where(f => f.Envelope == envelope.Kind && f.LotNumber == envelope.Lot).OrderBy(f => f.ReceivedUtc).ThenBy(f => f.Name, StringComparer.Ordinal);

    /// <summary>Starts a draft. Only while the consultation is in progress: after the deadline nothing new begins.</summary>
    public static Deposit StartDraft(Consultation consultation, Guid companyId, Guid userId, DepositChoices choices, DateTime nowUtc)
    {
        RequireInProgress(consultation, nowUtc);
        var deposit = new Deposit
        {
            Id = Guid.NewGuid(),
            ConsultationId = consultation.Id,
            CompanyId = companyId,
            CreatedByUserId = userId,
            Number = NewNumber(nowUtc),
            Status = DepositStatus.Draft,
            CreatedUtc = nowUtc,
        };
        deposit.Apply(consultation, choices);
        return deposit;
    }

    /// <summary>Changes how the company answers. A lot that already holds offer files cannot be dropped: the files would be lost silently.</summary>
    public void ChangeChoices(Consultation consultation, DepositChoices choices, DateTime nowUtc)
    {
        RequireDraft();
        RequireInProgress(consultation, nowUtc);
        var kept = Normalise(consultation, choices.Lots);
        var orphan = _files.FirstOrDefault(f => f.Envelope == EnvelopeKind.Offre && f.LotNumber is { } lot && !kept.Contains(lot));
        if (orphan is not null)
        {
            throw new DomainException("deposit.lot-has-files", $"L'offre du lot {orphan.LotNumber} contient des fichiers : retirez-les avant de renoncer à ce lot.", "Lots", orphan.LotNumber!.Value);
        }
        Apply(consultation, choices);
    }

    /// <summary>
    /// Checks, before a single byte is received, that a file may start into an envelope of this draft: the
    /// deadline is not passed, the envelope exists, the name is safe, the format accepted, the size within
    /// the limits. Returns the name as it will be stored (NFC).
    /// </summary>
    public string RequireCanStartFile(Consultation consultation, EnvelopeKind envelope, int? lotNumber, string fileName, long size, DepositLimits limits, DateTime nowUtc)
    {
        RequireDraft();
        if (nowUtc > consultation.DeadlineUtc)
        {
            throw new DomainException("deposit.upload-after-deadline", $"La date limite de remise des plis est passée ({ParisTime.Format(consultation.DeadlineUtc, ParisTime.French, seconds: true)}) : aucun envoi ne peut plus commencer.", "File", ParisTime.ToParis(consultation.DeadlineUtc));
        }
        RequireEnvelope(envelope, lotNumber);
        var name = FilePolicy.RequireSafeName(NormaliseName(fileName));
        var extension = FilePolicy.ExtensionOf(name);
        // The DUME is exchanged as XML (or its PDF): its envelope takes .xml whatever the consultation lists.
        var dume = envelope == EnvelopeKind.Candidature && CandidatureType == CandidatureType.Dume && extension == DumeFormat;
        if (!dume && !consultation.AcceptedFormatList.Contains(extension, StringComparer.OrdinalIgnoreCase))
        {
            throw new DomainException("deposit.format-refused", $"Le format « {extension} » n'est pas accepté pour cette consultation. Formats acceptés : {string.Join(" ", consultation.AcceptedFormatList)}.", "File", extension.Length == 0 ? "—" : extension, string.Join(" ", consultation.AcceptedFormatList));
        }
        if (size <= 0)
        {
            throw new DomainException("file.empty", $"Le fichier « {name} » est vide.", "File", name);
        }
        if (size > limits.MaxFileSize)
        {
            throw new DomainException("deposit.file-too-large", $"Le fichier « {name} » dépasse la taille maximale de {limits.MaxFileSize} octets par fichier.", "File", name, limits.MaxFileSize);
        }
        if (TotalSize + size > limits.MaxDepositSize)
        {
            throw new DomainException("deposit.too-large", $"Le pli dépasserait la taille maximale de {limits.MaxDepositSize} octets.", "File", limits.MaxDepositSize);
        }
        if (_files.Any(f => f.Envelope == envelope && f.LotNumber == lotNumber && string.Equals(f.Name, name, StringComparison.OrdinalIgnoreCase)))
        {
            throw new DomainException("deposit.duplicate-file", $"Cette enveloppe contient déjà un fichier « {name} » : retirez-le d'abord pour le remplacer.", "File", name);
        }
        return name;
    }

    /// <summary>
    /// Records a file once all its bytes are durably received. It may arrive after the deadline if its
    /// transmission started before (finishing a started upload is the one thing still allowed then).
    /// </summary>
    public DepositFile AddReceivedFile(EnvelopeKind envelope, int? lotNumber, string name, long size, string sha256, string storageKey, Guid uploadId, DateTime transmissionStartedUtc, DateTime receivedUtc)
    {
        RequireDraft();
        RequireEnvelope(envelope, lotNumber);
        var file = new DepositFile(Guid.NewGuid(), Id, envelope, lotNumber, name, size, sha256, storageKey, uploadId, transmissionStartedUtc, receivedUtc);
        _files.Add(file);
        return file;
    }

    public DepositFile RemoveFile(Guid fileId, DateTime deadlineUtc, DateTime nowUtc)
    {
        RequireDraft();
        RequireNotPast(deadlineUtc, nowUtc);
        var file = _files.FirstOrDefault(f => f.Id == fileId)
            ?? throw new DomainException("deposit.file-unknown", "Ce fichier ne fait pas partie du pli.", "File");
        _files.Remove(file);
        return file;
    }

    /// <summary>
    /// Seals the pli: from now on nothing in it changes. It needs the terms accepted, a candidature, and an
    /// offer for each lot answered. After the deadline, sealing is allowed only to a pli whose
    /// transmission was under way at the deadline (a file started before it and received after): it is
    /// then recorded late ("hors délai"), kept sealed and never opened.
    /// </summary>
    public void Seal(DateTime deadlineUtc, bool termsAccepted, bool backupCopyDeclared, DateTime nowUtc)
    {
        if (Status == DepositStatus.Sealed)
        {
            throw new DomainException("deposit.already-sealed", $"Ce pli est déjà déposé (n° {Number}) : pour le compléter, faites un nouveau dépôt.", null, Number);
        }
        RequireDraft();
        var late = nowUtc > deadlineUtc;
        if (late && !_files.Any(f => f.TransmissionStartedUtc <= deadlineUtc && f.ReceivedUtc > deadlineUtc))
        {
            throw new DomainException("deposit.deadline-passed", $"La date limite de remise des plis est passée ({ParisTime.Format(deadlineUtc, ParisTime.French, seconds: true)}) : le pli ne peut plus être déposé.", null, ParisTime.ToParis(deadlineUtc));
        }
        if (!termsAccepted)
        {
            throw new DomainException("deposit.terms-not-accepted", "Acceptez les conditions d'utilisation pour déposer le pli.", "AcceptTerms");
        }
        if (!_files.Any(f => f.Envelope == EnvelopeKind.Candidature))
        {
            throw new DomainException("deposit.no-candidature", "L'enveloppe de candidature est vide : ajoutez au moins un fichier.", "Candidature");
        }
        foreach (var offer in Envelopes.Where(e => e.Kind == EnvelopeKind.Offre && !FilesIn(e).Any()))
        {
            throw offer.Lot is { } lot
                ? new DomainException("deposit.no-offer", $"L'offre du lot {lot} est vide : ajoutez au moins un fichier ou renoncez à ce lot.", "Offre", lot)
                : new DomainException("deposit.no-offer-single", "L'enveloppe d'offre est vide : ajoutez au moins un fichier.", "Offre");
        }
        Status = DepositStatus.Sealed;
        SealedUtc = nowUtc;
        IsLate = late;
        TermsAcceptedUtc = nowUtc;
        BackupCopyDeclaredUtc = backupCopyDeclared ? nowUtc : null;
        TransmissionStartedUtc = _files.Min(f => f.TransmissionStartedUtc);
    }

    /// <summary>A sealed pli may be withdrawn until the deadline; it stays kept, sealed, and is never opened.</summary>
    public void Withdraw(DateTime deadlineUtc, DateTime nowUtc)
    {
        if (Status != DepositStatus.Sealed || IsLate)
        {
            throw new DomainException("deposit.not-withdrawable", "Seul un pli déposé dans les délais peut être retiré.");
        }
        RequireNotPast(deadlineUtc, nowUtc);
        Status = DepositStatus.Withdrawn;
        WithdrawnUtc = nowUtc;
    }

    private void Apply(Consultation consultation, DepositChoices choices)
    {
        if (!Enum.IsDefined(choices.Mode))
        {
            throw new DomainException("deposit.mode", "Indiquez si vous répondez seul ou en groupement.", "Mode");
        }
        if (!Enum.IsDefined(choices.CandidatureType))
        {
            throw new DomainException("deposit.candidature-type", "Choisissez le type de candidature (standard ou DUME).", "CandidatureType");
        }
        var lots = Normalise(consultation, choices.Lots);
        var members = new List<GroupMember>();
        if (choices.Mode != DepositMode.Solo)
        {
            foreach (var member in choices.CoContractors)
            {
                var name = (member.Name ?? "").Trim();
                if (name.Length is 0 or > 200)
                {
                    throw new DomainException("deposit.member-name", "Indiquez la raison sociale de chaque co-traitant (200 caractères au plus).", "Members");
                }
                var siret = Siret.Parse(member.Siret).Value;
                if (members.Any(m => m.Siret == siret))
                {
                    throw new DomainException("deposit.member-duplicate", $"Le co-traitant de SIRET {siret} est nommé deux fois.", "Members", siret);
                }
                members.Add(new GroupMember(Guid.NewGuid(), Id, name, siret));
            }
            if (members.Count == 0)
            {
                throw new DomainException("deposit.no-member", "Un groupement compte au moins un co-traitant : nommez-le avec son SIRET.", "Members");
            }
        }
        Mode = choices.Mode;
        CandidatureType = choices.CandidatureType;
        LotNumbers = string.Join(',', lots);
        _members.Clear();
        _members.AddRange(members);
    }

    private static List<int> Normalise(Consultation consultation, IReadOnlyCollection<int> chosen)
    {
        var lots = chosen.Distinct().Order().ToList();
        if (consultation.Lots.Count == 0)
        {
            if (lots.Count > 0)
            {
                throw new DomainException("deposit.no-lots", "Cette consultation n'est pas allotie : ne choisissez pas de lot.", "Lots");
            }
            return lots;
        }
        if (lots.Count == 0)
        {
            throw new DomainException("deposit.lots-required", "Choisissez au moins un lot.", "Lots");
        }
        foreach (var unknown in lots.Where(n => consultation.Lots.All(l => l.Number != n)))
        {
            throw new DomainException("deposit.lot-unknown", $"La consultation n'a pas de lot n° {unknown}.", "Lots", unknown);
        }
        return lots;
    }

    private void RequireEnvelope(EnvelopeKind envelope, int? lotNumber)
    {
        if (!Envelopes.Contains(new Envelope(envelope, lotNumber)))
        {
            throw new DomainException("deposit.envelope-unknown", "Cette enveloppe ne fait pas partie du pli : l'offre d'un lot non choisi ne peut pas recevoir de fichier.", "File");
        }
    }

    private static void RequireInProgress(Consultation consultation, DateTime nowUtc)
    {
        if (!consultation.IsPublished)
        {
            throw new DomainException("deposit.consultation-closed", "Cette consultation n'est pas ouverte aux dépôts.");
        }
        RequireNotPast(consultation.DeadlineUtc, nowUtc);
    }

    private static void RequireNotPast(DateTime deadlineUtc, DateTime nowUtc)
    {
        if (nowUtc > deadlineUtc)
        {
            throw new DomainException("deposit.deadline-passed", $"La date limite de remise des plis est passée ({ParisTime.Format(deadlineUtc, ParisTime.French, seconds: true)}) : le pli ne peut plus être déposé.", null, ParisTime.ToParis(deadlineUtc));
        }
    }

    private void RequireDraft()
    {
        if (Status != DepositStatus.Draft)
        {
            throw new DomainException("deposit.already-sealed", $"Ce pli est déjà déposé (n° {Number}) : pour le compléter, faites un nouveau dépôt.", null, Number);
        }
    }

    /// <summary>The name as stored: trimmed, NFC. A name that is not valid Unicode (a lone surrogate) cannot be normalised and is refused.</summary>
    public static string NormaliseName(string? fileName)
    {
        var trimmed = (fileName ?? "").Trim();
        try
        {
            return trimmed.Normalize(NormalizationForm.FormC);
        }
        catch (ArgumentException)
        {
            var printable = new string([.. trimmed.Select(c => char.IsSurrogate(c) || char.IsControl(c) ? '?' : c)]);
            throw new DomainException("file.name.control", $"Le nom de fichier « {printable} » contient des caractères de contrôle.", "File", printable);
        }
    }

    private static string NewNumber(DateTime nowUtc)
    {
        const string alphabet = "0123456789ABCDEFGHJKMNPQRSTVWXYZ";
        var random = Guid.NewGuid().ToByteArray();
        var suffix = new string([.. random.Take(6).Select(b => alphabet[b % alphabet.Length])]);
        return string.Create(System.Globalization.CultureInfo.InvariantCulture, $"D-{nowUtc:yyyyMMdd}-{suffix}");
    }
}

public enum DepositMode
{
    Solo,
    GroupementConjoint,
    GroupementSolidaire,
}

public enum CandidatureType
{
    Standard,
    Dume,
}

public enum DepositStatus
{
    Draft,
    Sealed,
    Withdrawn,
}

public enum EnvelopeKind
{
    Candidature,
    Offre,
}

/// <summary>One envelope of a pli: the candidature, or the offer (for a lot, when the consultation has lots).</summary>
public sealed record Envelope(EnvelopeKind Kind, int? Lot);

/// <summary>How a company answers: alone or in a group (the mandataire is the depositing company), and for which lots.</summary>
public sealed record DepositChoices(DepositMode Mode, CandidatureType CandidatureType, IReadOnlyCollection<int> Lots, IReadOnlyList<CoContractor> CoContractors)
{
    public static DepositChoices Solo(params int[] lots) => new(DepositMode.Solo, CandidatureType.Standard, lots, []);
}

public sealed record CoContractor(string Name, string Siret);

/// <summary>Size limits of a deposit: per file (default 2 GiB) and for the whole pli.</summary>
public sealed record DepositLimits(long MaxFileSize, long MaxDepositSize)
{
    public static readonly DepositLimits Default = new(2L * 1024 * 1024 * 1024, 8L * 1024 * 1024 * 1024);
}

/// <summary>A co-traitant of a groupement.</summary>
public sealed class GroupMember(Guid id, Guid depositId, string name, string siret)
{
    public Guid Id { get; private set; } = id;
    public Guid DepositId { get; private set; } = depositId;
    public string Name { get; private set; } = name;
    public string Siret { get; private set; } = siret;
}

/// <summary>A file received into an envelope of a deposit, stored sealed under <see cref="StorageKey"/>.</summary>
public sealed class DepositFile(Guid id, Guid depositId, EnvelopeKind envelope, int? lotNumber, string name, long size, string sha256, string storageKey, Guid uploadId, DateTime transmissionStartedUtc, DateTime receivedUtc)
{
    public Guid Id { get; private set; } = id;
    public Guid DepositId { get; private set; } = depositId;
    public EnvelopeKind Envelope { get; private set; } = envelope;
    public int? LotNumber { get; private set; } = lotNumber;
    public string Name { get; private set; } = name;
    public long Size { get; private set; } = size;

    /// <summary>Lower-case hex SHA-256 of the file as sent: the company can check it with any tool.</summary>
    public string Sha256 { get; private set; } = sha256;
    public string StorageKey { get; private set; } = storageKey;

    /// <summary>The tus upload it came from: recording it twice is refused by a unique index.</summary>
    public Guid UploadId { get; private set; } = uploadId;
    public DateTime TransmissionStartedUtc { get; private set; } = transmissionStartedUtc;
    public DateTime ReceivedUtc { get; private set; } = receivedUtc;

    public string Format => FilePolicy.ExtensionOf(Name);
}

namespace Pli.Domain.Dce;

/// <summary>
/// One line of the register of downloads (retraits). An identified download names the user and
/// the company; an anonymous one keeps only the time and what was taken.
/// </summary>
public sealed class DceDownload
{
    public Guid Id { get; private set; }
    public Guid ConsultationId { get; private set; }
    public DateTime AtUtc { get; private set; }
    public Guid? UserId { get; private set; }
    public Guid? CompanyId { get; private set; }

    /// <summary>"*" for the whole DCE, else the relative paths taken, one per line.</summary>
    public string Files { get; private set; } = "";

    public bool IsAnonymous => UserId is null;

    private DceDownload() { }

    public static DceDownload Identified(Guid consultationId, Guid userId, Guid companyId, string files, DateTime nowUtc) => new()
    {
        Id = Guid.NewGuid(), ConsultationId = consultationId, UserId = userId, CompanyId = companyId, Files = files, AtUtc = nowUtc,
    };

    public static DceDownload Anonymous(Guid consultationId, string files, DateTime nowUtc) => new()
    {
        Id = Guid.NewGuid(), ConsultationId = consultationId, Files = files, AtUtc = nowUtc,
    };

    public const string WholeDce = "*";
}

/// <summary>A company that downloaded the DCE identified and is told of every change of the consultation.</summary>
public sealed class ConsultationFollower(Guid consultationId, Guid companyId, DateTime sinceUtc)
{
    public Guid ConsultationId { get; private set; } = consultationId;
    public Guid CompanyId { get; private set; } = companyId;
    public DateTime SinceUtc { get; private set; } = sinceUtc;
}

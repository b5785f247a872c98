using System.Globalization;
using Pli.Domain.Common;
using Pli.Domain.Consultations;
using Pli.Domain.Organisations;

namespace Pli.Web.Features.Backoffice.Consultations;

/// <summary>
/// What the consultation form posts. Deadlines come as a Paris date and a Paris time, read with
/// exact formats (what &lt;input type=date/time&gt; sends) and turned into UTC by <see cref="ParisTime"/>.
/// </summary>
public sealed class ConsultationForm
{
    public const string Prefix = "Form";

    public string? Reference { get; set; }
    public string? Title { get; set; }
    public string? Object { get; set; }
    public ProcedureType? Procedure { get; set; }
    public Nature? Nature { get; set; }
    public Guid? ServiceId { get; set; }
    public string? MainCpv { get; set; }
    public string? PlaceOfExecution { get; set; }
    public string? DeadlineDate { get; set; }
    public string? DeadlineTime { get; set; }
    public string? QuestionDeadlineDate { get; set; }
    public string? QuestionDeadlineTime { get; set; }
    public string? AcceptedFormats { get; set; } = string.Join(", ", FilePolicy.DefaultAcceptedFormats);

    private static readonly string[] TimeFormats = ["HH:mm", "HH:mm:ss"];

    public static ConsultationForm From(Consultation c)
    {
        var deadline = ParisTime.ToParis(c.DeadlineUtc);
        var questions = ParisTime.ToParis(c.QuestionDeadlineUtc);
        return new ConsultationForm
        {
            Reference = c.Reference,
            Title = c.Title,
            Object = c.Object,
            Procedure = c.Procedure,
            Nature = c.Nature,
            ServiceId = c.ServiceId,
            MainCpv = c.MainCpv,
            PlaceOfExecution = c.PlaceOfExecution,
            DeadlineDate = deadline.ToString("yyyy-MM-dd", CultureInfo.InvariantCulture),
            DeadlineTime = deadline.ToString("HH:mm:ss", CultureInfo.InvariantCulture),
            QuestionDeadlineDate = questions.ToString("yyyy-MM-dd", CultureInfo.InvariantCulture),
            QuestionDeadlineTime = questions.ToString("HH:mm:ss", CultureInfo.InvariantCulture),
            AcceptedFormats = string.Join(", ", c.AcceptedFormatList),
        };
    }

    /// <summary>
    /// Reads the form into the domain's details; every problem is a <see cref="DomainException"/>
    /// naming the field, so the page shows it beside the right input.
    /// </summary>
    public ConsultationDetails ToDetails(CpvCatalog cpv, IReadOnlyList<Service> services, Func<string, string> text)
    {
        if (Procedure is not { } procedure || !Enum.IsDefined(procedure))
        {
            throw new DomainException("consultation.procedure", text("ProcedureRequired"), nameof(Procedure));
        }
        if (Nature is not { } nature || !Enum.IsDefined(nature))
        {
            throw new DomainException("consultation.nature", text("NatureRequired"), nameof(Nature));
        }
        if (ServiceId is { } serviceId && services.All(s => s.Id != serviceId))
        {
            throw new DomainException("consultation.service", text("ServiceUnknown"), nameof(ServiceId));
        }
        var mainCpv = cpv.Require(MainCpv, nameof(MainCpv));
        var deadline = ReadParisTime(DeadlineDate, DeadlineTime, nameof(DeadlineDate), nameof(DeadlineTime), text);
        var questions = ReadParisTime(QuestionDeadlineDate, QuestionDeadlineTime, nameof(QuestionDeadlineDate), nameof(QuestionDeadlineTime), text);
        var formats = FilePolicy.ParseFormats(AcceptedFormats);
        return new ConsultationDetails(Reference ?? "", Title ?? "", Object ?? "", procedure, nature, mainCpv, PlaceOfExecution,
            deadline, questions, formats, ServiceId);
    }

    /// <summary>The input a domain field names: the error summary links to it.</summary>
    public static string InputFor(string? domainField) => domainField switch
    {
        null or "" => string.Empty,
        "Deadline" => Prefix + "." + nameof(DeadlineDate),
        "QuestionDeadline" => Prefix + "." + nameof(QuestionDeadlineDate),
        _ => Prefix + "." + domainField,
    };

    private static DateTime ReadParisTime(string? date, string? time, string dateField, string timeField, Func<string, string> text)
    {
        if (!DateOnly.TryParseExact(date?.Trim(), "yyyy-MM-dd", CultureInfo.InvariantCulture, DateTimeStyles.None, out var day))
        {
            throw new DomainException("date.invalid", text(dateField + "Invalid"), dateField);
        }
        if (!TimeOnly.TryParseExact(time?.Trim(), TimeFormats, CultureInfo.InvariantCulture, DateTimeStyles.None, out var hour))
        {
            throw new DomainException("time.invalid", text(timeField + "Invalid"), timeField);
        }
        return ParisTime.ToUtc(day.ToDateTime(hour), timeField);
    }
}

using System.ComponentModel.DataAnnotations;

namespace Pli.Web.Infrastructure.Mail;

public sealed class MailOptions
{
    public const string Section = "Mail";

    /// <summary>Folder where mails are written as .eml files when no SMTP server is configured.</summary>
    [Required]
    public string PickupDirectory { get; set; } = "data/mail";

    [Required]
    public string From { get; set; } = "Pli <no-reply@pli.localhost>";
}

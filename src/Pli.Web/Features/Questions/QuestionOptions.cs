using System.ComponentModel.DataAnnotations;

namespace Pli.Web.Features.Questions;

public sealed class QuestionOptions
{
    public const string Section = "Questions";

    /// <summary>What the ask page's request may weigh at most, whatever the setting: the attachment plus the form around it.</summary>
    public const long MaxRequestBytes = 101L * 1024 * 1024;

    /// <summary>Largest attachment of a question; 20 MiB by default, at most 100 MiB.</summary>
    [Range(1, 100L * 1024 * 1024)]
    public long MaxAttachmentBytes { get; set; } = 20L * 1024 * 1024;
}

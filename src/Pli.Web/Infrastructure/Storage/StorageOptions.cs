using System.ComponentModel.DataAnnotations;

namespace Pli.Web.Infrastructure.Storage;

public sealed class StorageOptions
{
    public const string Section = "Storage";

    /// <summary>Folder of the local-disk store; relative paths are under the content root.</summary>
    [Required]
    public string RootPath { get; set; } = "data/files";
}

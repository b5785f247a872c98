using Pli.Domain.Consultations;

namespace Pli.Web.Infrastructure.Storage;

/// <summary>A file posted in a form, checked by its first bytes before anything of it is stored.</summary>
public static class FormFileContent
{
    /// <summary>Throws the domain's refusal when the file's first bytes are not those its name's format says.</summary>
    public static async Task RequireMatchesAsync(IFormFile file, string name, string field, CancellationToken cancellationToken)
    {
        var head = new byte[FileSignatures.HeadLength];
        int read;
        await using (var content = file.OpenReadStream())
        {
            read = await content.ReadAtLeastAsync(head, head.Length, throwOnEndOfStream: false, cancellationToken);
        }
        FileSignatures.RequireContentMatches(name, head.AsSpan(0, read), field);
    }
}

namespace Pli.Web.Features.Uploads;

/// <summary>
/// Decides at creation whether an upload may start and how it is stored. It throws
/// <see cref="Pli.Domain.Common.DomainException"/> to refuse: the endpoint then answers 400 with the
/// rule's message (problem details), and nothing is created.
/// </summary>
public interface IUploadAdmission
{
    /// <summary>The storage of a new upload of <paramref name="length"/> bytes, or a refusal (by exception).</summary>
    /// <param name="ownerId">The signed-in user creating the upload.</param>
    /// <param name="length">Upload-Length, already checked against the maximum size.</param>
    /// <param name="metadata">Upload-Metadata, decoded.</param>
    /// <param name="cancellationToken">The request's.</param>
    Task<UploadAdmission> AdmitAsync(Guid ownerId, long length, IReadOnlyDictionary<string, string> metadata, CancellationToken cancellationToken);
}

/// <summary>How an admitted upload is stored.</summary>
/// <param name="SealForPublicKeyDer">
/// When set, the upload is stored sealed (docs/sealed-file-format.md) for that RSA-3072 public key
/// (SubjectPublicKeyInfo DER): its plaintext never reaches the disk.
/// </param>
/// <param name="ContentName">
/// When set, the upload's first bytes must match that file name's extension
/// (<see cref="Pli.Domain.Consultations.FileSignatures"/>), or the upload is deleted and refused.
/// </param>
public sealed record UploadAdmission(byte[]? SealForPublicKeyDer, string? ContentName)
{
    public static readonly UploadAdmission Plain = new(null, null);
}

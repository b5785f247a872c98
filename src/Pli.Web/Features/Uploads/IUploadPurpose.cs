using Pli.Domain.Common;

namespace Pli.Web.Features.Uploads;

/// <summary>
/// What one kind of tus upload is for (a deposit file, a message attachment): named by the upload's
/// <c>purpose</c> metadata, it decides at creation how the upload is stored and takes it over when it
/// completes. A feature registers its own (<c>services.AddSingleton&lt;IUploadPurpose, …&gt;()</c>);
/// <see cref="UploadPurposes"/> hands each upload to the one it names.
/// </summary>
public interface IUploadPurpose
{
    /// <summary>The value of the <c>purpose</c> metadata this purpose answers (e.g. <c>deposit</c>, <c>message</c>).</summary>
    string Name { get; }

    /// <inheritdoc cref="IUploadAdmission.AdmitAsync"/>
    Task<UploadAdmission> AdmitAsync(Guid ownerId, long length, IReadOnlyDictionary<string, string> metadata, CancellationToken cancellationToken);

    /// <inheritdoc cref="IUploadCompleted.OnCompletedAsync"/>
    Task OnCompletedAsync(UploadInfo upload, CancellationToken cancellationToken);
}

/// <summary>
/// The tus server's one admission and one completion hook: each upload goes to the purpose its
/// <c>purpose</c> metadata names, <c>deposit</c> when it names none (the deposit clients written before
/// purposes existed send none). A purpose nobody registered is refused at creation; an upload without a
/// purpose, when no deposit purpose is registered either, is admitted plain and kept for nobody.
/// </summary>
public sealed class UploadPurposes(IEnumerable<IUploadPurpose> purposes) : IUploadAdmission, IUploadCompleted
{
    public const string MetadataKey = "purpose";
    public const string Default = "deposit";

    private readonly Dictionary<string, IUploadPurpose> _byName = purposes.ToDictionary(p => p.Name, StringComparer.Ordinal);

    /// <summary>The purpose an upload's metadata names (the default when absent or empty).</summary>
    public static string NameOf(IReadOnlyDictionary<string, string> metadata) =>
        metadata.TryGetValue(MetadataKey, out var name) && name.Length > 0 ? name : Default;

    public Task<UploadAdmission> AdmitAsync(Guid ownerId, long length, IReadOnlyDictionary<string, string> metadata, CancellationToken cancellationToken)
    {
        var name = NameOf(metadata);
        if (_byName.TryGetValue(name, out var purpose))
        {
            return purpose.AdmitAsync(ownerId, length, metadata, cancellationToken);
        }
        if (!metadata.ContainsKey(MetadataKey))
        {
            return Task.FromResult(UploadAdmission.Plain);
        }
        throw new DomainException("upload.purpose-unknown", $"Ce dépôt de fichier ne correspond à aucun usage connu (« {name} ») : il n'a pas été commencé.", "File", name);
    }

    public Task OnCompletedAsync(UploadInfo upload, CancellationToken cancellationToken) =>
        _byName.TryGetValue(NameOf(upload.Metadata), out var purpose) ? purpose.OnCompletedAsync(upload, cancellationToken) : Task.CompletedTask;
}

namespace Pli.Web.Infrastructure.Crypto;

/// <summary>
/// A sealed file is not exactly what Pli wrote: a byte changed, a chunk moved, went missing or was
/// added, data was appended, the header was altered, or the data key is not the file's. Whatever was
/// read from the file before this exception must be discarded. <see cref="Code"/> names the cause; the
/// message is the French text shown to a person.
/// </summary>
public sealed class SealedFileTamperedException : Exception
{
    private SealedFileTamperedException(string code, string message, Exception? inner = null) : base(message, inner) => Code = code;

    public string Code { get; }

    internal static SealedFileTamperedException BadMagic() =>
        new("sealed.bad-magic", "Ce fichier n'est pas un pli scellé par Pli (signature « PLISEAL1 » absente).");

    internal static SealedFileTamperedException UnsupportedVersion(byte version) =>
        new("sealed.unsupported-version", $"Ce pli scellé est au format version {version}, que cette version de Pli ne sait pas lire.");

    internal static SealedFileTamperedException BadHeader() =>
        new("sealed.bad-header", "L'en-tête de ce pli scellé est incomplet ou invalide : le fichier a été altéré.");

    internal static SealedFileTamperedException AuthenticationFailed(uint chunk, Exception inner) =>
        new("sealed.authentication-failed", $"Le bloc {chunk} de ce pli scellé ne s'authentifie pas : le fichier a été altéré ou la clé n'est pas la sienne.", inner);

    internal static SealedFileTamperedException MissingFinalChunk() =>
        new("sealed.missing-final-chunk", "Ce pli scellé s'arrête avant son dernier bloc : le fichier a été tronqué.");

    internal static SealedFileTamperedException Truncated() =>
        new("sealed.truncated", "Ce pli scellé se termine au milieu d'un bloc : le fichier a été tronqué.");

    internal static SealedFileTamperedException TooManyChunks() =>
        new("sealed.too-many-chunks", "Ce pli scellé compte plus de blocs que le format n'en permet : le fichier a été altéré.");
}

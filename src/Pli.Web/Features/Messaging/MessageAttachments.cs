using Microsoft.Extensions.Options;
using Pli.Domain.Common;
using Pli.Domain.Consultations;
using Pli.Domain.Messaging;
using Pli.Web.Features.Uploads;
using Pli.Web.Infrastructure.Storage;

namespace Pli.Web.Features.Messaging;

/// <summary>
/// The files of a message or a reply: sent with its form (multipart, buffered to disk by ASP.NET Core
/// beyond 64 KiB, streamed to the file store: the fallback without JavaScript), or sent before through tus
/// (<see cref="MessageUploadPurpose"/>) and named by their upload ids in the form. Every file is checked
/// (name, format of the consultation, size, content against its format; an upload also: complete, the
/// sender's, admitted for this same message or thread) before the first is stored; they are stored plain,
/// since the addressee reads them at once. Stored whole or not at all.
/// </summary>
public sealed class MessageAttachments(IFileStore store, IUploadStore uploads, IOptions<MessagingOptions> options, TimeProvider time)
{
    public const string Field = "Files";

    public async Task<IReadOnlyList<MessageAttachment>> StoreAsync(Consultation consultation, IReadOnlyList<IFormFile> files, Guid ownerId, MessageUploadContext context, IReadOnlyList<string> uploadIds, CancellationToken cancellationToken)
    {
        var limits = options.Value;
        // A browser sends an empty part when no file is chosen.
        var chosen = files.Where(f => f.Length > 0 || !string.IsNullOrEmpty(f.FileName)).ToList();
        var sent = await SentAsync(consultation, ownerId, context, uploadIds, cancellationToken);
        if (chosen.Count + sent.Count > limits.MaxFiles)
        {
            throw new DomainException("message.too-many-files", $"Un message peut joindre au plus {limits.MaxFiles} fichiers.", Field, limits.MaxFiles);
        }
        var names = new List<string>();
        foreach (var file in chosen)
        {
            var name = MessageThread.RequireAttachment(consultation, file.FileName, file.Length, limits.MaxFileSize, Field);
            await FormFileContent.RequireMatchesAsync(file, name, Field, cancellationToken);
            names.Add(name);
        }
        var stored = new List<MessageAttachment>();
        try
        {
            for (var i = 0; i < chosen.Count; i++)
            {
                var key = $"messages/{consultation.Id:N}/{Guid.NewGuid():N}";
                await using var content = chosen[i].OpenReadStream();
                var saved = await store.SaveAsync(key, content, cancellationToken);
                stored.Add(new MessageAttachment(names[i], saved.Size, saved.Sha256, key));
            }
            foreach (var (upload, name) in sent)
            {
                var key = $"messages/{consultation.Id:N}/{Guid.NewGuid():N}";
                // Moved, not copied: the upload's bytes become the attachment; the upload is then gone.
                await uploads.HandOverAsync(upload.Id, store, key, cancellationToken);
                stored.Add(new MessageAttachment(name, upload.Length, upload.Sha256!, key));
                await uploads.DeleteAsync(upload.Id, CancellationToken.None);
            }
        }
        catch
        {
            await DiscardAsync(stored);
            throw;
        }
        return stored;
    }

    /// <summary>
    /// The uploads the form names, each checked: someone else's, another message's or thread's, an expired or
    /// an unknown id is refused alike (nothing tells which exists); one not finished is refused by its name.
    /// </summary>
    private async Task<List<(UploadInfo Upload, string Name)>> SentAsync(Consultation consultation, Guid ownerId, MessageUploadContext context, IReadOnlyList<string> uploadIds, CancellationToken cancellationToken)
    {
        var sent = new List<(UploadInfo, string)>();
        foreach (var id in uploadIds.Where(i => !string.IsNullOrWhiteSpace(i)).Select(i => i.Trim()).Distinct(StringComparer.Ordinal))
        {
            var upload = await uploads.GetInfoAsync(id, cancellationToken);
            if (upload is null || upload.OwnerId != ownerId || !context.Admitted(upload.Metadata) || upload.IsExpiredAt(time.GetUtcNow()))
            {
                throw new DomainException("message.upload-unknown", "Un fichier joint n'existe pas ou n'est pas le vôtre : joignez-le de nouveau.", Field);
            }
            var name = MessageThread.RequireAttachment(consultation, upload.Metadata.GetValueOrDefault(MessageUploadMetadata.FileName), upload.Length, options.Value.MaxFileSize, Field);
            if (!upload.IsComplete || upload.Sha256 is null)
            {
                throw new DomainException("message.upload-incomplete", $"Le fichier « {name} » n'a pas fini d'être envoyé : attendez la fin de son envoi, puis envoyez de nouveau.", Field, name);
            }
            sent.Add((upload, name));
        }
        return sent;
    }

    /// <summary>The uploads a form shown again still carries (the sender's, for this context, received): kept, not sent again.</summary>
    public async Task<IReadOnlyList<(string Id, string Name)>> KeptAsync(Guid? ownerId, MessageUploadContext context, IReadOnlyList<string> uploadIds, CancellationToken cancellationToken)
    {
        var kept = new List<(string, string)>();
        foreach (var id in uploadIds.Where(i => !string.IsNullOrWhiteSpace(i)).Select(i => i.Trim()).Distinct(StringComparer.Ordinal))
        {
            if (await uploads.GetInfoAsync(id, cancellationToken) is { IsComplete: true } upload && upload.OwnerId == ownerId
                && context.Admitted(upload.Metadata) && !upload.IsExpiredAt(time.GetUtcNow()))
            {
                kept.Add((upload.Id, upload.Metadata.GetValueOrDefault(MessageUploadMetadata.FileName) ?? ""));
            }
        }
        return kept;
    }

    /// <summary>Deletes stored files whose message could not be recorded after all.</summary>
    public async Task DiscardAsync(IEnumerable<MessageAttachment> attachments)
    {
        foreach (var key in attachments.Select(a => a.StorageKey).Distinct())
        {
            // Not the request's token: a cancelled post must still be cleaned up.
            await store.DeleteAsync(key, CancellationToken.None);
        }
    }

    public Task<Stream> OpenAsync(MessageAttachment attachment, CancellationToken cancellationToken) => store.OpenReadAsync(attachment.StorageKey, cancellationToken);
}

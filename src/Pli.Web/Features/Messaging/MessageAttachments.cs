using Microsoft.Extensions.Options;
using Pli.Domain.Common;
using Pli.Domain.Consultations;
using Pli.Domain.Messaging;
using Pli.Web.Infrastructure.Storage;

namespace Pli.Web.Features.Messaging;

/// <summary>
/// The files of a message or a reply, sent with its form (multipart, buffered to disk by ASP.NET Core
/// beyond 64 KiB, streamed to the file store). Every file is checked (name, format of the consultation,
/// size, content against its format) before the first is stored; they are stored plain, since the
/// addressee reads them at once. Stored whole or not at all.
/// </summary>
public sealed class MessageAttachments(IFileStore store, IOptions<MessagingOptions> options)
{
    public const string Field = "Files";

    public async Task<IReadOnlyList<MessageAttachment>> StoreAsync(Consultation consultation, IReadOnlyList<IFormFile> files, CancellationToken cancellationToken)
    {
        var limits = options.Value;
        // A browser sends an empty part when no file is chosen.
        var chosen = files.Where(f => f.Length > 0 || !string.IsNullOrEmpty(f.FileName)).ToList();
        if (chosen.Count > limits.MaxFiles)
        {
            throw new DomainException("message.too-many-files", $"Un message peut joindre au plus {limits.MaxFiles} fichiers.", Field, limits.MaxFiles);
        }
        var names = new List<string>();
        foreach (var file in chosen)
        {
            var name = MessageThread.RequireAttachment(consultation, file.FileName, file.Length, limits.MaxFileSize, Field);
            await using var content = file.OpenReadStream();
            var head = new byte[Math.Min(FileSignatures.HeadLength, file.Length)];
            await content.ReadExactlyAsync(head, cancellationToken);
            FileSignatures.RequireContentMatches(name, head, Field);
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
        }
        catch
        {
            await DiscardAsync(stored);
            throw;
        }
        return stored;
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

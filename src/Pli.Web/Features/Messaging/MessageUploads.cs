using System.Security.Claims;
using Microsoft.AspNetCore.Authorization;
using Pli.Web.Features.Backoffice.Consultations;
using Microsoft.Extensions.Options;
using Pli.Domain.Common;
using Pli.Domain.Consultations;
using Pli.Domain.Messaging;
using Pli.Web.Features.Uploads;
using Pli.Web.Infrastructure.Data;
using Pli.Web.Infrastructure.Security;

namespace Pli.Web.Features.Messaging;

/// <summary>
/// The Upload-Metadata an attachment is sent with through tus: <c>purpose</c> = <c>message</c>,
/// <c>consultationId</c> (an agent writing a message) or <c>threadId</c> (a company replying), and
/// <c>filename</c>.
/// </summary>
public static class MessageUploadMetadata
{
    public const string Purpose = "message";
    public const string ConsultationId = "consultationId";
    public const string ThreadId = "threadId";
    public const string FileName = "filename";
}

/// <summary>Where an attachment sent through tus may go: a new message of a consultation, or a reply in a thread.</summary>
/// <param name="Key">The metadata that names it (<see cref="MessageUploadMetadata.ConsultationId"/> or <see cref="MessageUploadMetadata.ThreadId"/>).</param>
/// <param name="Id">The consultation's or the thread's id.</param>
public sealed record MessageUploadContext(string Key, Guid Id)
{
    public static MessageUploadContext Message(Guid consultationId) => new(MessageUploadMetadata.ConsultationId, consultationId);

    public static MessageUploadContext Reply(Guid threadId) => new(MessageUploadMetadata.ThreadId, threadId);

    public bool Admitted(IReadOnlyDictionary<string, string> metadata) =>
        UploadPurposes.NameOf(metadata) == MessageUploadMetadata.Purpose
        && metadata.TryGetValue(Key, out var value) && Guid.TryParse(value, out var id) && id == Id;
}

/// <summary>
/// Lets an attachment start only for someone who may attach to that message (the agent of the
/// consultation's buyer composing it, as the compose page requires; a user of the thread's company
/// before the reply deadline), with a name, format and size the message would take. It is stored PLAIN
/// (the addressee reads it at once, as the form's files), its first bytes checked against its format.
/// It stays an upload until the form that carries its id takes it over (<see cref="MessageAttachments"/>).
/// </summary>
public sealed class MessageUploadPurpose(IServiceScopeFactory scopes, IHttpContextAccessor http, IOptions<MessagingOptions> options, TimeProvider time) : IUploadPurpose
{
    public string Name => MessageUploadMetadata.Purpose;

    private static DomainException Unknown() =>
        new("message.upload-context-unknown", "Ce message n'existe pas ou ne vous permet pas de joindre de fichier.", MessageAttachments.Field);

    public async Task<UploadAdmission> AdmitAsync(Guid ownerId, long length, IReadOnlyDictionary<string, string> metadata, CancellationToken cancellationToken)
    {
        // The tus endpoint knows the owner only by id; the policies (second factor of agents) need the principal.
        var user = http.HttpContext?.User;
        if (user is null || user.UserId() != ownerId)
        {
            throw Unknown();
        }
        await using var scope = scopes.CreateAsyncScope();
        var consultation = await ConsultationAsync(scope.ServiceProvider, user, metadata, cancellationToken) ?? throw Unknown();
        var name = MessageThread.RequireAttachment(consultation, metadata.GetValueOrDefault(MessageUploadMetadata.FileName), length, options.Value.MaxFileSize, MessageAttachments.Field);
        return new UploadAdmission(null, name);
    }

    private async Task<Consultation?> ConsultationAsync(IServiceProvider services, ClaimsPrincipal user, IReadOnlyDictionary<string, string> metadata, CancellationToken cancellationToken)
    {
        var authorization = services.GetRequiredService<IAuthorizationService>();
        if (metadata.TryGetValue(MessageUploadMetadata.ConsultationId, out var consultationText))
        {
            // As the compose page: an agent (second factor) of the consultation's buyer.
            if (!Guid.TryParse(consultationText, out var consultationId) || !(await authorization.AuthorizeAsync(user, Policies.Agent)).Succeeded)
            {
                return null;
            }
            return await services.GetRequiredService<PliDbContext>().FindOwnReadOnlyAsync(user, consultationId, cancellationToken);
        }
        if (metadata.TryGetValue(MessageUploadMetadata.ThreadId, out var threadText))
        {
            // As the thread page: a user of the thread's company, until the reply deadline's second.
            if (!Guid.TryParse(threadText, out var threadId) || !(await authorization.AuthorizeAsync(user, Policies.Company)).Succeeded
                || await services.GetRequiredService<MessagingService>().FindForCompanyAsync(user, threadId, cancellationToken) is not { } found)
            {
                return null;
            }
            found.Thread.RequireAcceptsReplies(time.GetUtcNow().UtcDateTime);
            return found.Consultation;
        }
        return null;
    }

    /// <summary>Nothing yet: the message or reply whose form carries the upload's id takes it over.</summary>
    public Task OnCompletedAsync(UploadInfo upload, CancellationToken cancellationToken) => Task.CompletedTask;
}

/// <summary>What the attachments field of a form shows: the limits, and the uploads it already carries.</summary>
public sealed record AttachmentsField(IReadOnlyList<string> AcceptedFormats, long MaxFileSize, int MaxFiles, IReadOnlyList<(string Id, string Name)> Kept);

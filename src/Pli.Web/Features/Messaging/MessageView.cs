using Pli.Domain.Messaging;

namespace Pli.Web.Features.Messaging;

/// <summary>One message as a thread page shows it: who wrote it, and where its files are downloaded.</summary>
public sealed record MessageView(ThreadMessage Message, string Author, Func<Guid, string> FileUrl);

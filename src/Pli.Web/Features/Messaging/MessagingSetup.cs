using System.ComponentModel.DataAnnotations;
using Pli.Web.Features.Uploads;

namespace Pli.Web.Features.Messaging;

public sealed class MessagingOptions
{
    public const string Section = "Messaging";

    /// <summary>Largest attachment; 100 MiB by default (a message is not a deposit).</summary>
    [Range(1, MessagePaths.MaxRequestBytes)]
    public long MaxFileSize { get; set; } = 100L * 1024 * 1024;

    /// <summary>Most attachments of one message or reply.</summary>
    [Range(1, 50)]
    public int MaxFiles { get; set; } = 10;
}

public static class MessagingSetup
{
    public static IServiceCollection AddMessaging(this IServiceCollection services, IConfiguration configuration)
    {
        services.AddOptions<MessagingOptions>().Bind(configuration.GetSection(MessagingOptions.Section)).ValidateDataAnnotations().ValidateOnStart();
        services.AddScoped<MessageAttachments>();
        services.AddScoped<MessagingService>();
        // Attachments may come through tus first (purpose "message"): plain, checked at creation.
        services.AddHttpContextAccessor();
        services.AddSingleton<IUploadPurpose, MessageUploadPurpose>();
        return services;
    }
}

public static class MessagePaths
{
    /// <summary>What one form post of a message may weigh: its attachments and the form around them.</summary>
    public const long MaxRequestBytes = 1024L * 1024 * 1024;

    public static string Register(Guid consultationId) => $"/acheteur/consultations/{consultationId}/messages";

    public static string Compose(Guid consultationId) => $"/acheteur/consultations/{consultationId}/messages/nouveau";

    public static string AgentThread(Guid threadId) => $"/acheteur/messages/{threadId}";

    public static string CompanyInbox => "/messages";

    public static string CompanyThread(Guid threadId) => $"/messages/{threadId}";

    public static string AgentFile(Guid threadId, Guid fileId) => $"/acheteur/messages/{threadId}?handler=File&fileId={fileId}";

    public static string CompanyFile(Guid threadId, Guid fileId) => $"/messages/{threadId}?handler=File&fileId={fileId}";
}

namespace Pli.Web.Features.Opening;

public static class OpeningSetup
{
    public static IServiceCollection AddOpening(this IServiceCollection services)
    {
        services.AddScoped<IOpeningKeySource, PlatformOpeningKeySource>();
        services.AddScoped<SealedFileVerifier>();
        services.AddScoped<OpeningService>();
        return services;
    }

    /// <summary>Downloads of opened envelopes: one file, an envelope or a whole pli, decrypted as they stream.</summary>
    public static WebApplication MapOpening(this WebApplication app)
    {
        app.MapOpeningDownloads();
        return app;
    }
}

public static class OpeningPaths
{
    public static string Page(Guid consultationId) => $"/acheteur/consultations/{consultationId}/ouverture";

    public static string File(Guid consultationId, Guid fileId) => $"{Page(consultationId)}/fichiers/{fileId}";

    /// <summary>One envelope as a zip: the candidature, or the offer (of a lot).</summary>
    public static string Envelope(Guid consultationId, Guid depositId, Domain.Deposits.Envelope envelope) =>
        envelope.Kind == Domain.Deposits.EnvelopeKind.Candidature
            ? $"{Page(consultationId)}/plis/{depositId}/candidature.zip"
            : envelope.Lot is { } lot ? $"{Page(consultationId)}/plis/{depositId}/offre.zip?lot={lot}" : $"{Page(consultationId)}/plis/{depositId}/offre.zip";

    /// <summary>Every opened envelope of a pli as one zip, a folder per envelope.</summary>
    public static string Pli(Guid consultationId, Guid depositId) => $"{Page(consultationId)}/plis/{depositId}.zip";
}

namespace Pli.Web.Features.Questions;

public static class QuestionsSetup
{
    public static IServiceCollection AddQuestions(this IServiceCollection services, IConfiguration configuration)
    {
        services.AddOptions<QuestionOptions>().Bind(configuration.GetSection(QuestionOptions.Section)).ValidateDataAnnotations().ValidateOnStart();
        services.AddScoped<QuestionService>();
        return services;
    }
}

public static class QuestionPaths
{
    public static string Ask(Guid consultationId) => $"/consultations/{consultationId}/questions/poser";

    public static string Mine(Guid consultationId) => $"/consultations/{consultationId}/questions/mes-questions";

    /// <summary>The questions section of the public consultation page.</summary>
    public static string Public(Guid consultationId) => $"/consultations/{consultationId}#questions";

    public static string Backoffice(Guid consultationId) => $"/acheteur/consultations/{consultationId}/questions";
}

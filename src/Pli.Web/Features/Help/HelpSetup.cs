namespace Pli.Web.Features.Help;

public static class HelpSetup
{
    public static IServiceCollection AddHelp(this IServiceCollection services, IConfiguration configuration)
    {
        services.AddOptions<AssistanceContact>().Bind(configuration.GetSection(AssistanceContact.Section)).ValidateDataAnnotations().ValidateOnStart();
        services.AddWorkstationTest(configuration);
        return services;
    }
}

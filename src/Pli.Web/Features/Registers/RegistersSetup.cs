namespace Pli.Web.Features.Registers;

public static class RegistersSetup
{
    public static IServiceCollection AddRegisters(this IServiceCollection services)
    {
        services.AddScoped<IRegisterSource, DownloadsRegisterSource>();
        services.AddScoped<IRegisterSource, QuestionsRegisterSource>();
        services.AddScoped<IRegisterSource, DepositsRegisterSource>();
        services.AddScoped<IRegisterSource, ExchangesRegisterSource>();
        return services;
    }

    public static WebApplication MapRegisters(this WebApplication app)
    {
        app.MapRegisterExports();
        return app;
    }
}

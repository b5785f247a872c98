namespace Pli.Web.Features.Companies;

public static class CompaniesSetup
{
    /// <summary>Company registration, colleagues and invitations.</summary>
    public static IServiceCollection AddCompanies(this IServiceCollection services)
    {
        services.AddScoped<CompanyInvitations>();
        services.AddScoped<CompanyMembers>();
        return services;
    }
}

namespace Pli.Web.Features.Companies;

public static class CompaniesSetup
{
    /// <summary>Company registration, colleagues and invitations, the company dashboard.</summary>
    public static IServiceCollection AddCompanies(this IServiceCollection services)
    {
        services.AddScoped<CompanyInvitations>();
        services.AddScoped<CompanyMembers>();
        services.AddScoped<CompanyDashboard>();
        return services;
    }
}

using Pli.Domain.Organisations;

namespace Pli.Web.Infrastructure.Security;

public static class Policies
{
    public const string Company = "company";
    public const string CompanyAdmin = "company-admin";

    /// <summary>An agent of a buyer who signed in with the second factor.</summary>
    public const string Agent = "agent";
    public const string ConsultationManager = "consultation-manager";
    public const string OrganisationAdmin = "organisation-admin";

    /// <summary>An agent who may open plis (after the deadline, for the consultations of the organisation).</summary>
    public const string Opener = "opener";
    public const string PlatformAdmin = "platform-admin";

    public static IServiceCollection AddPliAuthorization(this IServiceCollection services)
    {
        services.AddSingleton<Microsoft.AspNetCore.Authorization.IAuthorizationMiddlewareResultHandler, AuditedAuthorizationResultHandler>();
        services.AddAuthorizationBuilder()
            .AddPolicy(Company, p => p.RequireClaim(PliClaims.Company))
            .AddPolicy(CompanyAdmin, p => p.RequireClaim(PliClaims.Company).RequireClaim(PliClaims.CompanyAdmin, "true"))
            .AddPolicy(Agent, p => p.RequireClaim(PliClaims.Organisation).RequireClaim(PliClaims.AuthenticationMethod, PliClaims.MultiFactor))
            .AddPolicy(ConsultationManager, p => p.RequireClaim(PliClaims.Organisation).RequireClaim(PliClaims.AuthenticationMethod, PliClaims.MultiFactor)
                .RequireAssertion(c => c.User.HasAgentRole(AgentRole.ConsultationManager)))
            .AddPolicy(Opener, p => p.RequireClaim(PliClaims.Organisation).RequireClaim(PliClaims.AuthenticationMethod, PliClaims.MultiFactor)
                .RequireAssertion(c => c.User.HasAgentRole(AgentRole.Opener)))
            .AddPolicy(OrganisationAdmin, p => p.RequireClaim(PliClaims.Organisation).RequireClaim(PliClaims.AuthenticationMethod, PliClaims.MultiFactor)
                .RequireAssertion(c => c.User.HasAgentRole(AgentRole.OrganisationAdmin)))
            .AddPolicy(PlatformAdmin, p => p.RequireClaim(PliClaims.PlatformAdmin, "true").RequireClaim(PliClaims.AuthenticationMethod, PliClaims.MultiFactor));
        return services;
    }
}

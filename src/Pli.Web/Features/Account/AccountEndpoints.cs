namespace Pli.Web.Features.Account;

public static class AccountEndpoints
{
    /// <summary>Bearer-token sign-in for scripts acting as a company or an agent.</summary>
    public static RouteGroupBuilder MapAccountApi(this RouteGroupBuilder api) => api;
}

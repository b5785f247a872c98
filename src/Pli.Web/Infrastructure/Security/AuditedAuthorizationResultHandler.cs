using Microsoft.AspNetCore.Authorization;
using Microsoft.AspNetCore.Authorization.Policy;
using Pli.Web.Infrastructure.Audit;
using Pli.Web.Infrastructure.Data;

namespace Pli.Web.Infrastructure.Security;

/// <summary>
/// Records in the audit trail every request a signed-in user was refused by a policy (an agent without
/// the opener role on an opening page, a company on the back office), then answers as ASP.NET does.
/// Someone else's resource answers 404 from the page itself and is not recorded here: it cannot be told
/// apart from a mistyped address.
/// </summary>
public sealed class AuditedAuthorizationResultHandler : IAuthorizationMiddlewareResultHandler
{
    private readonly AuthorizationMiddlewareResultHandler _default = new();

    public async Task HandleAsync(RequestDelegate next, HttpContext context, AuthorizationPolicy policy, PolicyAuthorizationResult authorizeResult)
    {
        if (authorizeResult.Forbidden && context.User.Identity?.IsAuthenticated == true)
        {
            var audit = context.RequestServices.GetRequiredService<AuditTrail>();
            audit.Record("access.denied", context.User, target: Truncate($"{context.Request.Method} {context.Request.Path}"));
            await context.RequestServices.GetRequiredService<PliDbContext>().SaveChangesAsync(context.RequestAborted);
        }
        await _default.HandleAsync(next, context, policy, authorizeResult);
    }

    private static string Truncate(string value) => value.Length > 200 ? value[..200] : value;
}

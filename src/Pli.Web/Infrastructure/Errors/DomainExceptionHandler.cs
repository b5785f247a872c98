using Microsoft.AspNetCore.Diagnostics;
using Pli.Domain.Common;

namespace Pli.Web.Infrastructure.Errors;

/// <summary>
/// A broken rule that no page caught becomes a 400 problem for the API, and the error page
/// (with the rule's message) for a person.
/// </summary>
internal sealed class DomainExceptionHandler(IProblemDetailsService problemDetails) : IExceptionHandler
{
    public async ValueTask<bool> TryHandleAsync(HttpContext httpContext, Exception exception, CancellationToken cancellationToken)
    {
        if (exception is not DomainException domain)
        {
            return false;
        }
        httpContext.Response.StatusCode = StatusCodes.Status400BadRequest;
        return await problemDetails.TryWriteAsync(new ProblemDetailsContext
        {
            HttpContext = httpContext,
            Exception = exception,
            ProblemDetails =
            {
                Status = StatusCodes.Status400BadRequest,
                Title = DomainMessages.For(domain),
                Type = "https://pli.example/problems/" + domain.Code,
                Extensions = { ["code"] = domain.Code, ["field"] = domain.Field },
            },
        });
    }
}

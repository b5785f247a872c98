using Microsoft.AspNetCore.Diagnostics;
using Microsoft.AspNetCore.Mvc;
using Microsoft.AspNetCore.Mvc.RazorPages;
using Microsoft.Extensions.Localization;
using Pli.Domain.Common;
using Pli.Web.Features.Shared;
using Pli.Web.Infrastructure.Errors;

namespace Pli.Web.Features.Errors;

[IgnoreAntiforgeryToken]
[ResponseCache(Duration = 0, Location = ResponseCacheLocation.None, NoStore = true)]
public sealed class ErrorModel(IStringLocalizer<SharedTexts> texts) : PageModel
{
    public string Title { get; private set; } = "";
    public string Explanation { get; private set; } = "";

    public void OnGet(int? code) => Describe(code);

    public void OnPost(int? code) => Describe(code);

    private void Describe(int? code)
    {
        var exception = HttpContext.Features.Get<IExceptionHandlerFeature>()?.Error;
        if (exception is DomainException domain)
        {
            Response.StatusCode = StatusCodes.Status400BadRequest;
            Title = texts["ErrorBadRequest"];
            Explanation = DomainMessages.For(domain);
            return;
        }
        (Title, Explanation) = code switch
        {
            404 => (texts["Error404Title"].Value, texts["Error404Text"].Value),
            429 => (texts["Error429Title"].Value, texts["Error429Text"].Value),
            403 => (texts["Error404Title"].Value, texts["Error404Text"].Value),
            400 => (texts["ErrorBadRequest"].Value, texts["ErrorBadRequestText"].Value),
            _ => (texts["Error500Title"].Value, texts["Error500Text"].Value),
        };
    }
}

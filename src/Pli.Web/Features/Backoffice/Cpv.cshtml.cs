using Microsoft.AspNetCore.Mvc;
using Microsoft.AspNetCore.Mvc.RazorPages;
using Pli.Domain.Consultations;

namespace Pli.Web.Features.Backoffice;

/// <summary>The CPV search without JavaScript: a plain form and a list of matching codes.</summary>
public sealed class CpvModel(CpvCatalog cpv) : PageModel
{
    [BindProperty(SupportsGet = true, Name = "q")]
    public string? Query { get; set; }

    public IReadOnlyList<CpvEntry> Results { get; private set; } = [];

    public void OnGet() => Results = cpv.Search(Query, 50);
}

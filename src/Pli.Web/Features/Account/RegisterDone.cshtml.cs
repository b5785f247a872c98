using Microsoft.AspNetCore.Mvc.RazorPages;

namespace Pli.Web.Features.Account;

public sealed class RegisterDoneModel : PageModel
{
    public void OnGet()
    {
    }
}

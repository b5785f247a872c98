using Microsoft.AspNetCore.Identity;
using Microsoft.AspNetCore.Mvc;
using Microsoft.AspNetCore.Mvc.RazorPages;
using Microsoft.AspNetCore.RateLimiting;
using Microsoft.Extensions.Localization;
using Pli.Domain.Common;
using Pli.Domain.Companies;
using Pli.Web.Infrastructure.Data;
using Pli.Web.Infrastructure.Security;
using Pli.Web.Infrastructure.Errors;

namespace Pli.Web.Features.Account;

/// <summary>A company registers with its first user, who becomes its administrator.</summary>
[EnableRateLimiting(RateLimits.Authentication)]
public sealed class RegisterModel(CompanyRegistration registration, UserManager<PliUser> users, TimeProvider time, IStringLocalizer<AccountTexts> texts) : PageModel
{
    public const string French = "fr";
    public const string Foreign = "etranger";

    [BindProperty] public string? Name { get; set; }
    [BindProperty] public string? Establishment { get; set; } = French;
    [BindProperty] public string? Siret { get; set; }
    [BindProperty] public string? Country { get; set; }
    [BindProperty] public string? NationalIdentifier { get; set; }
    [BindProperty] public string? Street { get; set; }
    [BindProperty] public string? PostalCode { get; set; }
    [BindProperty] public string? City { get; set; }
    [BindProperty] public string? AddressCountry { get; set; } = "FR";
    [BindProperty] public string? FullName { get; set; }
    [BindProperty] public string? Email { get; set; }
    [BindProperty] public string? Password { get; set; }
    [BindProperty] public string? ConfirmPassword { get; set; }
    [BindProperty] public bool AcceptTerms { get; set; }

    public void OnGet()
    {
    }

    public async Task<IActionResult> OnPostAsync(CancellationToken cancellationToken)
    {
        var street = ModelState.Required(nameof(Street), Street, 300, texts["StreetRequired"]);
        var postalCode = ModelState.Required(nameof(PostalCode), PostalCode, 20, texts["PostalCodeRequired"]);
        var city = ModelState.Required(nameof(City), City, 100, texts["CityRequired"]);
        var addressCountry = (AddressCountry ?? "").Trim().ToUpperInvariant();
        if (addressCountry.Length != 2 || !addressCountry.All(char.IsAsciiLetterUpper))
        {
            ModelState.AddModelError(nameof(AddressCountry), texts["AddressCountryRequired"]);
        }
        var fullName = ModelState.Required(nameof(FullName), FullName, 200, texts["FullNameRequired"]);
        var email = AccountForms.NormaliseEmail(Email);
        if (email is null)
        {
            ModelState.AddModelError(nameof(Email), texts["EmailInvalid"]);
        }
        await ModelState.CheckNewPasswordAsync(users, new PliUser { Email = email, UserName = email }, Password, ConfirmPassword, texts);
        if (!AcceptTerms)
        {
            ModelState.AddModelError(nameof(AcceptTerms), texts["TermsRequired"]);
        }

        Company? company = null;
        try
        {
            var address = new Address(street ?? "", postalCode ?? "", city ?? "", addressCountry);
            var now = time.GetUtcNow().UtcDateTime;
            company = Establishment == Foreign
                ? Company.CreateForeign(Name ?? "", Country ?? "", NationalIdentifier ?? "", address, now)
                : Company.CreateFrench(Name ?? "", Siret ?? "", address, now);
        }
        catch (DomainException e)
        {
            ModelState.AddModelError(e.Field ?? string.Empty, DomainMessages.For(e));
        }

        if (!ModelState.IsValid || company is null)
        {
            return Page();
        }

        var (outcome, errors) = await registration.RegisterAsync(company, fullName!, email!, Password!, cancellationToken);
        switch (outcome)
        {
            case RegistrationOutcome.CompanyTaken:
                ModelState.AddModelError(company.Siret is null ? nameof(NationalIdentifier) : nameof(Siret), texts["CompanyAlreadyRegistered"]);
                return Page();
            case RegistrationOutcome.Refused:
                ModelState.AddIdentityErrors(nameof(Password), errors, texts);
                return Page();
            default:
                // The same page whether the address was new or already had an account: no enumeration.
                return RedirectToPage("RegisterDone");
        }
    }
}

using System.ComponentModel.DataAnnotations;
using System.Security.Claims;
using Microsoft.AspNetCore.Authorization;
using Microsoft.AspNetCore.Identity;
using Microsoft.AspNetCore.Mvc;
using Microsoft.AspNetCore.Mvc.RazorPages;
using Microsoft.AspNetCore.RateLimiting;
using Microsoft.Extensions.Localization;
using Pli.Web.Infrastructure.Data;
using Pli.Web.Infrastructure.Security;
using QRCoder;

namespace Pli.Web.Features.Account;

/// <summary>
/// First sign-in of an agent: Identity's authenticator (TOTP) is enrolled before the back office opens.
/// </summary>
[Authorize]
[EnableRateLimiting(RateLimits.Authentication)]
public sealed class EnrollAuthenticatorModel(UserManager<PliUser> users, SignInManager<PliUser> signIn, IStringLocalizer<AccountTexts> texts) : PageModel
{
    [BindProperty, Required]
    public string Code { get; set; } = "";

    [BindProperty(SupportsGet = true)]
    public string? ReturnUrl { get; set; }

    public string SharedKey { get; private set; } = "";
    public string QrCodeDataUri { get; private set; } = "";
    public IReadOnlyList<string>? RecoveryCodes { get; private set; }
    public string ContinueUrl { get; private set; } = "/";

    public async Task<IActionResult> OnGetAsync()
    {
        var user = await users.GetUserAsync(User);
        if (user is null)
        {
            return RedirectToPage("Login");
        }
        if (user.TwoFactorEnabled)
        {
            // Enrolled already: the secret is never shown again, nor new recovery codes made by whoever holds the session.
            return NotFound();
        }
        await LoadKeyAsync(user);
        return Page();
    }

    public async Task<IActionResult> OnPostAsync()
    {
        var user = await users.GetUserAsync(User);
        if (user is null)
        {
            return RedirectToPage("Login");
        }
        if (user.TwoFactorEnabled)
        {
            return NotFound();
        }
        var code = (Code ?? "").Replace(" ", "", StringComparison.Ordinal).Replace("-", "", StringComparison.Ordinal);
        if (!ModelState.IsValid || !await users.VerifyTwoFactorTokenAsync(user, users.Options.Tokens.AuthenticatorTokenProvider, code))
        {
            ModelState.AddModelError(nameof(Code), texts["InvalidCode"]);
            await LoadKeyAsync(user);
            return Page();
        }
        await users.SetTwoFactorEnabledAsync(user, true);
        RecoveryCodes = [.. await users.GenerateNewTwoFactorRecoveryCodesAsync(user, 8) ?? []];
        await signIn.SignInWithClaimsAsync(user, isPersistent: false, [new Claim(PliClaims.AuthenticationMethod, PliClaims.MultiFactor)]);
        ContinueUrl = SignInRedirect.For(user, ReturnUrl);
        return Page();
    }

    private async Task LoadKeyAsync(PliUser user)
    {
        var key = await users.GetAuthenticatorKeyAsync(user);
        if (string.IsNullOrEmpty(key))
        {
            await users.ResetAuthenticatorKeyAsync(user);
            key = await users.GetAuthenticatorKeyAsync(user);
        }
        SharedKey = string.Join(' ', key!.Chunk(4).Select(c => new string(c))).ToLowerInvariant();
        var uri = $"otpauth://totp/{Uri.EscapeDataString("Pli:" + user.Email)}?secret={key}&issuer=Pli&digits=6";
        using var generator = new QRCodeGenerator();
        using var data = generator.CreateQrCode(uri, QRCodeGenerator.ECCLevel.Q);
        var svg = new SvgQRCode(data).GetGraphic(4);
        QrCodeDataUri = "data:image/svg+xml;base64," + Convert.ToBase64String(System.Text.Encoding.UTF8.GetBytes(svg));
    }
}

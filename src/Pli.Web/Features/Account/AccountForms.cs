using System.Net.Mail;
using Microsoft.AspNetCore.Identity;
using Microsoft.AspNetCore.Mvc.ModelBinding;
using Microsoft.Extensions.Localization;
using Pli.Web.Infrastructure.Data;

namespace Pli.Web.Features.Account;

/// <summary>Checks shared by the account forms, with messages from the feature's resources.</summary>
internal static class AccountForms
{
    /// <summary>The trimmed address when it is a plain e-mail address, else null.</summary>
    public static string? NormaliseEmail(string? input)
    {
        var email = (input ?? "").Trim();
        return email.Length is > 0 and <= 256 && MailAddress.TryCreate(email, out var parsed) && parsed.Address == email && email.Contains('.', StringComparison.Ordinal)
            ? email
            : null;
    }

    public static void AddIdentityErrors(this ModelStateDictionary modelState, string field, IEnumerable<IdentityError> errors, IStringLocalizer texts)
    {
        foreach (var error in errors)
        {
            var text = texts["Identity." + error.Code];
            modelState.AddModelError(field, text.ResourceNotFound ? error.Description : text.Value);
        }
    }

    /// <summary>Password rules and confirmation, checked before anything is stored.</summary>
    public static async Task CheckNewPasswordAsync(this ModelStateDictionary modelState, UserManager<PliUser> users, PliUser candidate,
        string? password, string? confirmation, IStringLocalizer texts)
    {
        if (string.IsNullOrEmpty(password))
        {
            modelState.AddModelError("Password", texts["PasswordRequired"]);
            return;
        }
        foreach (var validator in users.PasswordValidators)
        {
            var result = await validator.ValidateAsync(users, candidate, password);
            if (!result.Succeeded)
            {
                modelState.AddIdentityErrors("Password", result.Errors, texts);
            }
        }
        if (!string.Equals(password, confirmation, StringComparison.Ordinal))
        {
            modelState.AddModelError("ConfirmPassword", texts["PasswordMismatch"]);
        }
    }

    public static string? Required(this ModelStateDictionary modelState, string field, string? value, int maxLength, string message)
    {
        var trimmed = (value ?? "").Trim();
        if (trimmed.Length == 0 || trimmed.Length > maxLength)
        {
            modelState.AddModelError(field, message);
            return null;
        }
        return trimmed;
    }
}

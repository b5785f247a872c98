using System.ComponentModel.DataAnnotations;

namespace Pli.Web.Features.Help;

/// <summary>Help:Assistance — who answers companies, shown on the assistance page and in the help centre.</summary>
public sealed class AssistanceContact : IValidatableObject
{
    public const string Section = "Help:Assistance";

    [Required, MaxLength(200)]
    public string Name { get; set; } = "Assistance Pli";

    /// <summary>Empty to give none; checked in <see cref="Validate"/>, since [EmailAddress] refuses an empty value.</summary>
    [MaxLength(254)]
    public string? Email { get; set; } = "assistance@pli.example";

    /// <summary>None by default. Never a premium-rate number: see <see cref="IsPremiumRate"/>.</summary>
    [MaxLength(40)]
    public string? Phone { get; set; }

    /// <summary>Free text, in the platform's language; the resources' default hours when empty.</summary>
    [MaxLength(200)]
    public string? Hours { get; set; }

    [MaxLength(500)]
    public string? Url { get; set; }

    public IEnumerable<ValidationResult> Validate(ValidationContext validationContext)
    {
        if (!string.IsNullOrWhiteSpace(Email) && !new EmailAddressAttribute().IsValid(Email))
        {
            yield return new ValidationResult($"Help:Assistance:Email '{Email}' is not an e-mail address.", [nameof(Email)]);
        }
        if (!string.IsNullOrWhiteSpace(Url) && !(Uri.TryCreate(Url, UriKind.Absolute, out var url) && url.Scheme is "https" or "http"))
        {
            yield return new ValidationResult($"Help:Assistance:Url '{Url}' is not an http(s) address.", [nameof(Url)]);
        }
        if (Phone is { Length: > 0 } phone && IsPremiumRate(phone))
        {
            // Loi n° 2018-727 (ESSOC), art. 28: an administration may not make its users pay a surcharge to reach it.
            yield return new ValidationResult(
                $"Help:Assistance:Phone '{phone}' is a French premium-rate number (081x, 082x, 089x): public services may not use one. Give a geographic, 09 or free 080 number.",
                [nameof(Phone)]);
        }
        if (string.IsNullOrWhiteSpace(Email) && string.IsNullOrWhiteSpace(Phone) && string.IsNullOrWhiteSpace(Url))
        {
            yield return new ValidationResult("Help:Assistance needs at least one of Email, Phone or Url: companies must be able to reach someone.", [nameof(Email)]);
        }
    }

    /// <summary>08 1x, 08 2x and 08 9x (and +33 8 1x… from abroad) are surcharged; 080 is free.</summary>
    public static bool IsPremiumRate(string phone)
    {
        var digits = new string([.. phone.Where(char.IsAsciiDigit)]);
        var national = phone.TrimStart().StartsWith('+') && digits.StartsWith("33", StringComparison.Ordinal) ? "0" + digits[2..]
            : digits.StartsWith("0033", StringComparison.Ordinal) ? "0" + digits[4..]
            : digits;
        return national.Length >= 3 && national[0] == '0' && national[1] == '8' && national[2] is '1' or '2' or '9';
    }
}

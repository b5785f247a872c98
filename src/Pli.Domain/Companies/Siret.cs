using Pli.Domain.Common;

namespace Pli.Domain.Companies;

/// <summary>
/// A French establishment number: 14 digits, the 9 of the SIREN then the 5 of the NIC, checked
/// with the Luhn key. La Poste (SIREN 356 000 000) numbers its many establishments beyond what
/// the Luhn key allows, so INSEE checks them by another rule: the sum of the 14 digits is a
/// multiple of 5.
/// </summary>
public readonly record struct Siret
{
    public const string LaPosteSiren = "356000000";

    public string Value { get; }

    public string Siren => Value[..9];

    private Siret(string value) => Value = value;

    public static Siret Parse(string? input)
    {
        if (TryParse(input, out var siret))
        {
            return siret;
        }
        throw new DomainException("siret.invalid",
            "Le numéro SIRET doit comporter 14 chiffres et sa clé de contrôle doit être valide.", "Siret");
    }

    public static bool TryParse(string? input, out Siret siret)
    {
        siret = default;
        if (input is null)
        {
            return false;
        }
        var digits = input.Replace(" ", "", StringComparison.Ordinal).Replace("\u00A0", "", StringComparison.Ordinal);
        if (digits.Length != 14 || !digits.All(char.IsAsciiDigit))
        {
            return false;
        }
        if (!HasValidLuhnKey(digits) && !IsValidLaPosteEstablishment(digits))
        {
            return false;
        }
        siret = new Siret(digits);
        return true;
    }

    public static bool HasValidLuhnKey(string digits)
    {
        var sum = 0;
        for (var i = 0; i < digits.Length; i++)
        {
            var d = digits[digits.Length - 1 - i] - '0';
            if (i % 2 == 1)
            {
                d *= 2;
                if (d > 9)
                {
                    d -= 9;
                }
            }
            sum += d;
        }
        return sum % 10 == 0;
    }

    private static bool IsValidLaPosteEstablishment(string digits) =>
        digits.StartsWith(LaPosteSiren, StringComparison.Ordinal) && digits.Sum(c => c - '0') % 5 == 0;

    public override string ToString() => $"{Value[..3]} {Value[3..6]} {Value[6..9]} {Value[9..]}";
}

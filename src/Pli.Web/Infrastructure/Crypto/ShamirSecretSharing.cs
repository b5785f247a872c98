using System.Security.Cryptography;

namespace Pli.Web.Infrastructure.Crypto;

/// <summary>
/// Shamir's secret sharing over GF(2⁸) (the AES field, polynomial x⁸ + x⁴ + x³ + x + 1), byte by byte:
/// each byte of the secret is the constant term of its own random polynomial of degree k − 1, and share
/// <i>i</i> holds the values of these polynomials at x = <i>i</i> (1…n). Any k shares give the polynomials
/// back (Lagrange interpolation at 0); k − 1 shares are consistent with every possible secret, so they
/// tell nothing about it. A share is encoded as its x (one byte) followed by one y per secret byte.
/// <para>
/// The field arithmetic has no table look-up nor branch on secret data (constant time). Nothing here
/// authenticates a share: a wrong share silently gives a wrong secret, so the caller checks the result
/// (the committee checks the rebuilt key against the key id).
/// </para>
/// </summary>
public static class ShamirSecretSharing
{
    public const int MaxShares = 255;

    /// <summary>Splits <paramref name="secret"/> into <paramref name="shares"/> shares, any <paramref name="threshold"/> of which rebuild it.</summary>
    public static byte[][] Split(ReadOnlySpan<byte> secret, int shares, int threshold)
    {
        if (secret.IsEmpty)
        {
            throw new ArgumentException("The secret is empty.", nameof(secret));
        }
        ArgumentOutOfRangeException.ThrowIfLessThan(threshold, 1);
        ArgumentOutOfRangeException.ThrowIfGreaterThan(threshold, shares);
        ArgumentOutOfRangeException.ThrowIfGreaterThan(shares, MaxShares);
        var result = new byte[shares][];
        for (var i = 0; i < shares; i++)
        {
            result[i] = new byte[secret.Length + 1];
            result[i][0] = (byte)(i + 1);
        }
        var coefficients = new byte[threshold];
        try
        {
            for (var j = 0; j < secret.Length; j++)
            {
                coefficients[0] = secret[j];
                RandomNumberGenerator.Fill(coefficients.AsSpan(1));
                for (var i = 0; i < shares; i++)
                {
                    result[i][j + 1] = Evaluate(coefficients, result[i][0]);
                }
            }
        }
        finally
        {
            CryptographicOperations.ZeroMemory(coefficients);
        }
        return result;
    }

    /// <summary>
    /// The secret the given shares interpolate to. With at least the threshold of right shares, it is the
    /// secret; with fewer, or a wrong one, it is another value (no error: check it).
    /// </summary>
    public static byte[] Combine(IReadOnlyList<byte[]> shares)
    {
        ArgumentNullException.ThrowIfNull(shares);
        if (shares.Count == 0)
        {
            throw new ArgumentException("No share.", nameof(shares));
        }
        var length = shares[0].Length;
        if (length < 2 || shares.Any(s => s.Length != length))
        {
            throw new ArgumentException("The shares are not of the same secret (their lengths differ).", nameof(shares));
        }
        if (shares.Any(s => s[0] == 0) || shares.Select(s => s[0]).Distinct().Count() != shares.Count)
        {
            throw new ArgumentException("Each share needs its own non-zero x.", nameof(shares));
        }
        // Lagrange basis at 0: L_i = Π_{m≠i} x_m / (x_m − x_i); in GF(2⁸) subtraction is XOR.
        var basis = new byte[shares.Count];
        for (var i = 0; i < shares.Count; i++)
        {
            byte numerator = 1;
            byte denominator = 1;
            for (var m = 0; m < shares.Count; m++)
            {
                if (m != i)
                {
                    numerator = Multiply(numerator, shares[m][0]);
                    denominator = Multiply(denominator, (byte)(shares[m][0] ^ shares[i][0]));
                }
            }
            basis[i] = Multiply(numerator, Inverse(denominator));
        }
        var secret = new byte[length - 1];
        for (var j = 0; j < secret.Length; j++)
        {
            byte value = 0;
            for (var i = 0; i < shares.Count; i++)
            {
                value ^= Multiply(shares[i][j + 1], basis[i]);
            }
            secret[j] = value;
        }
        return secret;
    }

    /// <summary>Horner's rule: a₀ + x(a₁ + x(a₂ + …)).</summary>
    private static byte Evaluate(ReadOnlySpan<byte> coefficients, byte x)
    {
        byte value = 0;
        for (var c = coefficients.Length - 1; c >= 0; c--)
        {
            value = (byte)(Multiply(value, x) ^ coefficients[c]);
        }
        return value;
    }

    /// <summary>Product in GF(2⁸), shift-and-add with masks instead of branches.</summary>
    internal static byte Multiply(byte a, byte b)
    {
        int x = a, y = b, product = 0;
        for (var bit = 0; bit < 8; bit++)
        {
            product ^= x & -(y & 1);
            // x·2 mod x⁸ + x⁴ + x³ + x + 1: reduce by 0x1B when the top bit falls out.
            x = ((x << 1) ^ (0x1B & -((x >> 7) & 1))) & 0xFF;
            y >>= 1;
        }
        return (byte)product;
    }

    /// <summary>a⁻¹ = a²⁵⁴ (a ≠ 0), by square and multiply over a fixed number of steps.</summary>
    internal static byte Inverse(byte a)
    {
        if (a == 0)
        {
            throw new DivideByZeroException("0 has no inverse in GF(256).");
        }
        byte result = 1;
        var power = a;
        // 254 = 0b11111110.
        for (var bit = 1; bit < 8; bit++)
        {
            power = Multiply(power, power);
            result = Multiply(result, power);
        }
        return result;
    }
}

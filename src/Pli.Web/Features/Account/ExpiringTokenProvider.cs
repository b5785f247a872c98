using System.Buffers.Text;
using System.Globalization;
using System.Security.Cryptography;
using System.Text;
using Microsoft.AspNetCore.DataProtection;
using Microsoft.AspNetCore.Identity;
using Microsoft.Extensions.Options;
using Pli.Web.Infrastructure.Data;

namespace Pli.Web.Features.Account;

/// <summary>
/// Tokens of the confirmation and password-reset links. Like Identity's DataProtectorTokenProvider
/// (protected payload: creation time, user, purpose, security stamp), but the age is measured with
/// the injected <see cref="TimeProvider"/> instead of the system clock, and the token is already
/// URL-safe. A token dies when it expires or when the security stamp changes (confirmation, reset).
/// </summary>
internal sealed class ExpiringTokenProvider(IDataProtectionProvider protection, IOptions<DataProtectionTokenProviderOptions> options, TimeProvider time)
    : IUserTwoFactorTokenProvider<PliUser>
{
    private readonly IDataProtector _protector = protection.CreateProtector("Pli.Account.LinkTokens");

    public async Task<string> GenerateAsync(string purpose, UserManager<PliUser> manager, PliUser user)
    {
        var stamp = await manager.GetSecurityStampAsync(user) ?? "";
        var payload = string.Join('\n', time.GetUtcNow().UtcTicks.ToString(CultureInfo.InvariantCulture), user.Id.ToString("N"), purpose, stamp);
        return Base64Url.EncodeToString(_protector.Protect(Encoding.UTF8.GetBytes(payload)));
    }

    public async Task<bool> ValidateAsync(string purpose, string token, UserManager<PliUser> manager, PliUser user)
    {
        string[] parts;
        try
        {
            parts = Encoding.UTF8.GetString(_protector.Unprotect(Base64Url.DecodeFromChars(token))).Split('\n');
        }
        catch (Exception e) when (e is CryptographicException or FormatException)
        {
            return false;
        }
        if (parts.Length != 4 || !long.TryParse(parts[0], NumberStyles.None, CultureInfo.InvariantCulture, out var ticks))
        {
            return false;
        }
        var created = new DateTimeOffset(ticks, TimeSpan.Zero);
        if (created + options.Value.TokenLifespan < time.GetUtcNow())
        {
            return false;
        }
        var stamp = await manager.GetSecurityStampAsync(user) ?? "";
        return parts[1] == user.Id.ToString("N")
            && string.Equals(parts[2], purpose, StringComparison.Ordinal)
            && CryptographicOperations.FixedTimeEquals(Encoding.UTF8.GetBytes(parts[3]), Encoding.UTF8.GetBytes(stamp));
    }

    public Task<bool> CanGenerateTwoFactorTokenAsync(UserManager<PliUser> manager, PliUser user) => Task.FromResult(false);
}

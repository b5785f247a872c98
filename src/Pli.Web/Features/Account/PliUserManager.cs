using Microsoft.AspNetCore.Identity;
using Microsoft.Extensions.Options;
using Pli.Web.Infrastructure.Data;

namespace Pli.Web.Features.Account;

/// <summary>
/// Identity's user manager, except that lockout reads the injected <see cref="TimeProvider"/>:
/// UserManager compares the lockout end with the system clock, which a test cannot move.
/// </summary>
public sealed class PliUserManager(
    IUserStore<PliUser> store,
    IOptions<IdentityOptions> optionsAccessor,
    IPasswordHasher<PliUser> passwordHasher,
    IEnumerable<IUserValidator<PliUser>> userValidators,
    IEnumerable<IPasswordValidator<PliUser>> passwordValidators,
    ILookupNormalizer keyNormalizer,
    IdentityErrorDescriber errors,
    IServiceProvider services,
    ILogger<UserManager<PliUser>> logger,
    TimeProvider time)
    : UserManager<PliUser>(store, optionsAccessor, passwordHasher, userValidators, passwordValidators, keyNormalizer, errors, services, logger)
{
    public override async Task<bool> IsLockedOutAsync(PliUser user)
    {
        ArgumentNullException.ThrowIfNull(user);
        if (!await GetLockoutEnabledAsync(user))
        {
            return false;
        }
        var end = await GetLockoutEndDateAsync(user);
        return end >= time.GetUtcNow();
    }

    public override async Task<IdentityResult> AccessFailedAsync(PliUser user)
    {
        ThrowIfDisposed();
        ArgumentNullException.ThrowIfNull(user);
        var lockout = (IUserLockoutStore<PliUser>)Store;
        var count = await lockout.IncrementAccessFailedCountAsync(user, CancellationToken);
        if (count < Options.Lockout.MaxFailedAccessAttempts)
        {
            return await UpdateUserAsync(user);
        }
        await lockout.SetLockoutEndDateAsync(user, time.GetUtcNow().Add(Options.Lockout.DefaultLockoutTimeSpan), CancellationToken);
        await lockout.ResetAccessFailedCountAsync(user, CancellationToken);
        return await UpdateUserAsync(user);
    }

    /// <summary>
    /// A deactivated account is locked out without end: it and its history stay, nobody signs in
    /// with it again, and nothing the account's owner can do (a password reset) lifts it.
    /// </summary>
    public static bool IsDeactivated(PliUser user) => user.LockoutEnd == DateTimeOffset.MaxValue;

    public async Task DeactivateAsync(PliUser user)
    {
        var lockout = (IUserLockoutStore<PliUser>)Store;
        await lockout.SetLockoutEnabledAsync(user, true, CancellationToken);
        await lockout.SetLockoutEndDateAsync(user, DateTimeOffset.MaxValue, CancellationToken);
        await UpdateSecurityStampAsync(user);
    }

    /// <summary>Ends a lockout and forgets the failed attempts (after a password reset); never a deactivation.</summary>
    public async Task ClearLockoutAsync(PliUser user)
    {
        if (IsDeactivated(user))
        {
            return;
        }
        var lockout = (IUserLockoutStore<PliUser>)Store;
        await lockout.SetLockoutEndDateAsync(user, null, CancellationToken);
        await lockout.ResetAccessFailedCountAsync(user, CancellationToken);
        await UpdateUserAsync(user);
    }
}

using System.Globalization;
using System.Security.Claims;
using Microsoft.AspNetCore.DataProtection;
using Pli.Domain.Consultations;
using Pli.Web.Infrastructure.Security;

namespace Pli.Web.Features.Dce;

/// <summary>Who is asking for a DCE, and therefore whether it is served and how it is recorded.</summary>
public enum DceDownloaderKind
{
    /// <summary>Nobody allowed yet: not signed in as a company and no anonymous confirmation.</summary>
    None,

    /// <summary>A company user: served and recorded with name and company; the company follows the consultation.</summary>
    Company,

    /// <summary>An agent of the buying organisation: served, not recorded (the register lists candidates).</summary>
    BuyerAgent,

    /// <summary>Someone who confirmed the anonymous download: served, recorded without identity.</summary>
    Anonymous,
}

/// <summary>
/// The person asking. For an anonymous download, <c>AnonymousSession</c> is the random id of the
/// confirmation, so that the range requests of one download are not counted as new downloads.
/// </summary>
public sealed record DceDownloader(DceDownloaderKind Kind, Guid? UserId = null, Guid? CompanyId = null, Guid? AnonymousSession = null)
{
    public static readonly DceDownloader Nobody = new(DceDownloaderKind.None);

    public bool MayDownload => Kind != DceDownloaderKind.None;
}

/// <summary>
/// Decides who may download a published DCE. An anonymous person must first confirm, by a POST
/// with antiforgery, that they understood they will not be told of changes; the confirmation is
/// a protected cookie scoped to that consultation's DCE URLs, so a file URL opened directly
/// (shared link, search engine, script) is not served.
/// </summary>
/// <remarks>
/// The expiry is inside the protected payload and checked against <see cref="TimeProvider"/>,
/// rather than with <c>ITimeLimitedDataProtector</c>, which reads the system clock: tests and
/// the rest of Pli keep one clock.
/// </remarks>
public sealed class DceAccess(IDataProtectionProvider protection, TimeProvider time, IConfiguration configuration)
{
    public const string CookieName = "pli.dce";
    public static readonly TimeSpan ConfirmationLifetime = TimeSpan.FromHours(4);

    private readonly IDataProtector _protector = protection.CreateProtector("Pli.Dce.AnonymousConfirmation.v1");
    private readonly bool _secureCookies = configuration.GetValue("Security:SecureCookies", true);

    public static string PagePath(Guid consultationId) => $"/consultations/{consultationId}/dce";

    public DceDownloader Resolve(HttpContext context, Consultation consultation)
    {
        var user = context.User;
        if (user.Identity?.IsAuthenticated == true)
        {
            if (user.CompanyId() is { } companyId && user.UserId() is { } userId)
            {
                return new DceDownloader(DceDownloaderKind.Company, userId, companyId);
            }
            if (IsBuyerAgent(user, consultation))
            {
                return new DceDownloader(DceDownloaderKind.BuyerAgent, user.UserId());
            }
        }
        return ReadConfirmation(context, consultation.Id) is { } session
            ? new DceDownloader(DceDownloaderKind.Anonymous, AnonymousSession: session)
            : DceDownloader.Nobody;
    }

    public static bool IsBuyerAgent(ClaimsPrincipal user, Consultation consultation) =>
        user.OrganisationId() == consultation.OrganisationId && user.PassedSecondFactor();

    /// <summary>Records the anonymous person's confirmation for this consultation's DCE only.</summary>
    public void Confirm(HttpContext context, Guid consultationId)
    {
        var expires = time.GetUtcNow().Add(ConfirmationLifetime);
        var payload = string.Join('|', consultationId.ToString("N"), Guid.NewGuid().ToString("N"), expires.UtcTicks.ToString(CultureInfo.InvariantCulture));
        context.Response.Cookies.Append(CookieName, _protector.Protect(payload), new CookieOptions
        {
            Path = PagePath(consultationId),
            HttpOnly = true,
            SameSite = SameSiteMode.Lax,
            Secure = _secureCookies || context.Request.IsHttps,
            IsEssential = true,
        });
    }

    private Guid? ReadConfirmation(HttpContext context, Guid consultationId)
    {
        if (!context.Request.Cookies.TryGetValue(CookieName, out var value) || string.IsNullOrEmpty(value))
        {
            return null;
        }
        string payload;
        try
        {
            payload = _protector.Unprotect(value);
        }
        catch (System.Security.Cryptography.CryptographicException)
        {
            return null;
        }
        var parts = payload.Split('|');
        if (parts.Length != 3
            || !Guid.TryParseExact(parts[0], "N", out var forConsultation) || forConsultation != consultationId
            || !Guid.TryParseExact(parts[1], "N", out var session)
            || !long.TryParse(parts[2], NumberStyles.None, CultureInfo.InvariantCulture, out var expiresTicks)
            || time.GetUtcNow().UtcTicks >= expiresTicks)
        {
            return null;
        }
        return session;
    }
}

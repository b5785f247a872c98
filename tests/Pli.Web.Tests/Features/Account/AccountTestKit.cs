using System.Net;
using System.Text.RegularExpressions;
using AngleSharp.Html.Dom;
using Microsoft.AspNetCore.Identity;
using Microsoft.EntityFrameworkCore;
using Microsoft.Extensions.DependencyInjection;
using MimeKit;
using Pli.Domain.Companies;
using Pli.Web.Infrastructure.Data;
using Pli.Web.Tests.Infrastructure;

namespace Pli.Web.Tests.Features.Account;

/// <summary>Builders and readers shared by the account and company tests.</summary>
public static partial class AccountTestKit
{
    public const string Password = "une phrase de passe assez longue";

    public static string NewEmail(string prefix = "user") => $"{prefix}-{Guid.NewGuid():N}@example.org";

    /// <summary>A random SIRET with a valid Luhn key (never La Poste's SIREN).</summary>
    public static string NewSiret()
    {
        while (true)
        {
            var digits = string.Concat(Enumerable.Range(0, 13).Select(_ => (char)('0' + Random.Shared.Next(10))));
            for (var last = 0; last < 10; last++)
            {
                var candidate = digits + (char)('0' + last);
                if (Siret.HasValidLuhnKey(candidate) && !candidate.StartsWith(Siret.LaPosteSiren, StringComparison.Ordinal))
                {
                    return candidate;
                }
            }
        }
    }

    /// <summary>The same SIRET with its last digit changed: 14 digits, wrong Luhn key.</summary>
    public static string WithBadLuhn(string siret) => siret[..13] + (char)('0' + ((siret[13] - '0' + 1) % 10));

    public static Dictionary<string, string> Registration(string email, string? siret = null, string password = Password) => new()
    {
        ["Name"] = "Entreprise Test SAS",
        ["Establishment"] = "fr",
        ["Siret"] = siret ?? NewSiret(),
        ["Street"] = "1 rue de la Paix",
        ["PostalCode"] = "75002",
        ["City"] = "Paris",
        ["AddressCountry"] = "FR",
        ["FullName"] = "Dominique Test",
        ["Email"] = email,
        ["Password"] = password,
        ["ConfirmPassword"] = password,
        ["AcceptTerms"] = "true",
    };

    public static Task<HttpResponseMessage> RegisterAsync(this TestBrowser browser, Dictionary<string, string> fields) =>
        browser.SubmitFormAsync("/compte/inscription", fields);

    /// <summary>Fails with the page's error summary when the form was not accepted.</summary>
    public static async Task AssertRedirectAsync(HttpResponseMessage response)
    {
        if (response.StatusCode != HttpStatusCode.Redirect)
        {
            var page = await TestBrowser.ParseAsync(response);
            Assert.Fail($"Expected a redirect, got {(int)response.StatusCode}: {page.QuerySelector("#erreurs")?.TextContent ?? page.QuerySelector("main")?.TextContent}");
        }
    }

    /// <summary>The path and query of the first platform link in the newest mail to <paramref name="email"/>.</summary>
    public static string LinkInLastMailTo(this PliApp app, string email)
    {
        var mail = app.MailsTo(email).LastOrDefault() ?? throw new InvalidOperationException($"No mail to {email}");
        return LinkIn(mail);
    }

    public static string LinkIn(MimeMessage mail)
    {
        var match = UrlPattern().Match(mail.TextBody ?? "");
        Assert.True(match.Success, "No link in mail: " + mail.TextBody);
        return new Uri(match.Value).PathAndQuery;
    }

    /// <summary>Registers a company, then follows the confirmation link: the user can sign in.</summary>
    public static async Task<string> RegisterAndConfirmAsync(this PliApp app)
    {
        var email = NewEmail("admin");
        using var browser = app.Browser();
        using var registered = await browser.RegisterAsync(Registration(email));
        await AssertRedirectAsync(registered);
        using var confirmed = await browser.SubmitFormAsync(app.LinkInLastMailTo(email), new Dictionary<string, string>());
        Assert.Equal(HttpStatusCode.Redirect, confirmed.StatusCode);
        return email;
    }

    /// <summary>A confirmed company user created directly (and their company, unless one is given).</summary>
    public static async Task<PliUser> CreateCompanyUserAsync(this PliApp app, string? email = null, bool admin = true, Guid? companyId = null)
    {
        await using var scope = app.Services.CreateAsyncScope();
        var db = scope.ServiceProvider.GetRequiredService<PliDbContext>();
        var users = scope.ServiceProvider.GetRequiredService<UserManager<PliUser>>();
        var now = app.Time.GetUtcNow().UtcDateTime;
        if (companyId is null)
        {
            var company = Company.CreateFrench("Société " + Guid.NewGuid().ToString("N")[..6], NewSiret(), new Address("2 avenue du Test", "69001", "Lyon", "FR"), now);
            db.Companies.Add(company);
            await db.SaveChangesAsync();
            companyId = company.Id;
        }
        email ??= NewEmail(admin ? "admin" : "member");
        var user = new PliUser
        {
            UserName = email, Email = email, EmailConfirmed = true, FullName = admin ? "Alice Admin" : "Martin Membre",
            CompanyId = companyId, IsCompanyAdmin = admin, CreatedUtc = now,
        };
        var result = await users.CreateAsync(user, Password);
        Assert.True(result.Succeeded, string.Join(", ", result.Errors.Select(e => e.Description)));
        return user;
    }

    public static Task<PliUser?> FindUserAsync(this PliApp app, string email) =>
        app.WithDb(db => db.Users.AsNoTracking().SingleOrDefaultAsync(u => u.NormalizedEmail == email.ToUpperInvariant()));

    public static Task<int> CompanyCountAsync(this PliApp app) => app.WithDb(db => db.Companies.CountAsync());

    public static Task<int> UserCountAsync(this PliApp app) => app.WithDb(db => db.Users.CountAsync());

    /// <summary>True when the page's error summary links to the field <paramref name="field"/>.</summary>
    public static bool HasErrorOn(this IHtmlDocument page, string field) => page.QuerySelector($"#erreurs a[href='#{field}']") is not null;

    [GeneratedRegex(@"https?://\S+")]
    private static partial Regex UrlPattern();
}

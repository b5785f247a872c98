using System.Net;
using Microsoft.EntityFrameworkCore;
using Pli.Web.Features.Demo;
using Pli.Web.Tests.Infrastructure;
using static Pli.Web.Tests.Features.Account.AccountTestKit;

namespace Pli.Web.Tests.Features.Account;

public abstract class RegistrationTests(PliApp app)
{
    [Fact]
    public async Task Post_WithValidFrenchCompany_CreatesCompanyAndAdminAndSendsConfirmationLink()
    {
        using var browser = app.Browser();
        var email = NewEmail();
        var siret = NewSiret();

        using var response = await browser.RegisterAsync(Registration(email, siret));

        await AssertRedirectAsync(response);
        Assert.Equal("/compte/inscription/envoyee", response.Headers.Location!.OriginalString);
        var user = await app.FindUserAsync(email);
        Assert.NotNull(user);
        Assert.True(user.IsCompanyAdmin);
        Assert.False(user.EmailConfirmed);
        Assert.NotNull(user.TermsAcceptedUtc);
        var company = await app.WithDb(db => db.Companies.SingleAsync(c => c.Id == user.CompanyId));
        Assert.Equal(siret, company.Siret);
        Assert.StartsWith("/compte/confirmer?userId=" + user.Id, app.LinkInLastMailTo(email), StringComparison.Ordinal);
    }

    [Fact]
    public async Task Post_WithForeignCompany_CreatesCompanyWithCountryAndIdentifier()
    {
        using var browser = app.Browser();
        var email = NewEmail();
        var identifier = "BE0" + Random.Shared.Next(100_000_000, 999_999_999);
        var fields = Registration(email);
        fields["Establishment"] = "etranger";
        fields["Siret"] = "";
        fields["Country"] = "be";
        fields["NationalIdentifier"] = identifier;
        fields["AddressCountry"] = "BE";

        using var response = await browser.RegisterAsync(fields);

        Assert.Equal(HttpStatusCode.Redirect, response.StatusCode);
        var company = await app.WithDb(db => db.Companies.SingleAsync(c => c.NationalIdentifier == identifier));
        Assert.Equal("BE", company.Country);
        Assert.Null(company.Siret);
    }

    [Theory]
    [InlineData("1234")]
    [InlineData("ABCDEFGHIJKLMN")]
    public async Task Post_WithMalformedSiret_IsRefusedAndStoresNothing(string siret)
    {
        using var browser = app.Browser();
        var (companies, users) = (await app.CompanyCountAsync(), await app.UserCountAsync());

        using var response = await browser.RegisterAsync(Registration(NewEmail(), siret));

        Assert.Equal(HttpStatusCode.OK, response.StatusCode);
        Assert.True((await TestBrowser.ParseAsync(response)).HasErrorOn("Siret"));
        Assert.Equal((companies, users), (await app.CompanyCountAsync(), await app.UserCountAsync()));
    }

    [Fact]
    public async Task Post_WithBadLuhnKey_IsRefusedAndStoresNothing()
    {
        using var browser = app.Browser();
        var email = NewEmail();
        var companies = await app.CompanyCountAsync();

        using var response = await browser.RegisterAsync(Registration(email, WithBadLuhn(NewSiret())));

        Assert.Equal(HttpStatusCode.OK, response.StatusCode);
        Assert.True((await TestBrowser.ParseAsync(response)).HasErrorOn("Siret"));
        Assert.Equal(companies, await app.CompanyCountAsync());
        Assert.Null(await app.FindUserAsync(email));
        Assert.Empty(app.MailsTo(email));
    }

    [Fact]
    public async Task Post_ForeignWithoutIdentifier_IsRefusedAndStoresNothing()
    {
        using var browser = app.Browser();
        var email = NewEmail();
        var companies = await app.CompanyCountAsync();
        var fields = Registration(email);
        fields["Establishment"] = "etranger";
        fields["Country"] = "DE";
        fields["NationalIdentifier"] = "";

        using var response = await browser.RegisterAsync(fields);

        Assert.Equal(HttpStatusCode.OK, response.StatusCode);
        Assert.True((await TestBrowser.ParseAsync(response)).HasErrorOn("NationalIdentifier"));
        Assert.Equal(companies, await app.CompanyCountAsync());
        Assert.Null(await app.FindUserAsync(email));
    }

    [Fact]
    public async Task Post_WithRegisteredSiret_AsksForAnInvitationWithoutRevealingTheAdminAndStoresNothing()
    {
        using var browser = app.Browser();
        var email = NewEmail();
        var companies = await app.CompanyCountAsync();

        // 44321010900015 is the demo company's SIRET; its admin is DemoData.CompanyEmail.
        using var response = await browser.RegisterAsync(Registration(email, "443 210 109 00015"));

        Assert.Equal(HttpStatusCode.OK, response.StatusCode);
        var html = await response.Content.ReadAsStringAsync();
        var page = await TestBrowser.ParseAsync(html);
        Assert.True(page.HasErrorOn("Siret"));
        Assert.Contains("administrateur", page.QuerySelector("#erreurs")!.TextContent, StringComparison.Ordinal);
        Assert.DoesNotContain(DemoData.CompanyEmail, html, StringComparison.OrdinalIgnoreCase);
        Assert.Equal(companies, await app.CompanyCountAsync());
        Assert.Null(await app.FindUserAsync(email));
    }

    [Fact]
    public async Task Post_WithEmailAlreadyUsed_ShowsTheSameConfirmationPageStoresNothingAndWarnsTheOwner()
    {
        using var browser = app.Browser();
        var mailsBefore = app.MailsTo(DemoData.CompanyEmail).Count;
        var (companies, users) = (await app.CompanyCountAsync(), await app.UserCountAsync());
        using var fresh = await browser.RegisterAsync(Registration(NewEmail()));

        using var taken = await browser.RegisterAsync(Registration(DemoData.CompanyEmail.ToUpperInvariant()));

        Assert.Equal(fresh.StatusCode, taken.StatusCode);
        Assert.Equal(fresh.Headers.Location, taken.Headers.Location);
        Assert.Equal(await fresh.Content.ReadAsStringAsync(), await taken.Content.ReadAsStringAsync());
        Assert.Equal((companies + 1, users + 1), (await app.CompanyCountAsync(), await app.UserCountAsync()));
        Assert.Equal(1, await app.WithDb(db => db.Users.CountAsync(u => u.NormalizedEmail == DemoData.CompanyEmail.ToUpperInvariant())));
        var warning = Assert.Single(app.MailsTo(DemoData.CompanyEmail).Skip(mailsBefore));
        Assert.Contains("tentative d'inscription", warning.Subject, StringComparison.Ordinal);
    }

    [Fact]
    public async Task Post_InEnglish_KeepsTheLanguage_AndConfirmsInEnglish()
    {
        using var browser = app.Browser();
        await browser.SwitchLanguageAsync("en");
        var email = NewEmail();

        using var response = await browser.RegisterAsync(Registration(email));

        await AssertRedirectAsync(response);
        Assert.Equal("en", (await app.FindUserAsync(email))!.Language);
        var mail = app.MailsTo(email).Last();
        Assert.Equal("Pli: confirm your e-mail address", mail.Subject);
        Assert.Contains("<html lang=\"en\">", mail.HtmlBody, StringComparison.Ordinal);
        Assert.DoesNotContain("Ce courriel vous est envoyé", mail.TextBody, StringComparison.Ordinal);
    }

    [Fact]
    public async Task LanguageSwitch_OfASignedInPerson_IsKeptWithTheirAccount()
    {
        var email = await app.RegisterAndConfirmAsync();
        Assert.Equal("fr", (await app.FindUserAsync(email))!.Language);
        using var browser = app.Browser();
        await browser.SignInAsync(email, Password);

        await browser.SwitchLanguageAsync("en");
        var afterEnglish = (await app.FindUserAsync(email))!.Language;
        await browser.SwitchLanguageAsync("fr");

        Assert.Equal("en", afterEnglish);
        Assert.Equal("fr", (await app.FindUserAsync(email))!.Language);
    }

    [Fact]
    public async Task SignIn_TakesTheLanguageChosenBefore_AndANewBrowserGetsTheAccountsLanguage()
    {
        var email = await app.RegisterAndConfirmAsync();
        using var english = app.Browser();
        await english.SwitchLanguageAsync("en");

        await english.SignInAsync(email, Password);
        var chosen = (await app.FindUserAsync(email))!.Language;
        using var fresh = app.Browser();
        await fresh.SignInAsync(email, Password);
        var page = await fresh.GetPageAsync("/");

        Assert.Equal("en", chosen);
        Assert.Equal("en", page.DocumentElement.GetAttribute("lang"));
    }

    [Fact]
    public async Task Post_WithEmailAlreadyUsed_WarnsTheOwnerInTheOwnersLanguage_NotTheVisitors()
    {
        using var owner = app.Browser();
        var email = NewEmail();
        await owner.SwitchLanguageAsync("en");
        await AssertRedirectAsync(await owner.RegisterAsync(Registration(email)));
        using var visitor = app.Browser();

        using var taken = await visitor.RegisterAsync(Registration(email));

        // Both mails (the owner's confirmation, then the warning) leave the outbox in one round, in no set order.
        Assert.Single(app.MailsTo(email), m => m.Subject == "Pli: registration attempt with your address");
        Assert.DoesNotContain(app.MailsTo(email), m => m.Subject!.Contains("tentative", StringComparison.Ordinal));
    }

    [Fact]
    public async Task Post_WithShortPassword_IsRefusedAndStoresNothing()
    {
        using var browser = app.Browser();
        var email = NewEmail();
        var companies = await app.CompanyCountAsync();

        using var response = await browser.RegisterAsync(Registration(email, password: "court123"));

        Assert.Equal(HttpStatusCode.OK, response.StatusCode);
        var page = await TestBrowser.ParseAsync(response);
        Assert.True(page.HasErrorOn("Password"));
        Assert.Contains("12 caractères", page.QuerySelector("#erreurs")!.TextContent, StringComparison.Ordinal);
        Assert.Equal(companies, await app.CompanyCountAsync());
        Assert.Null(await app.FindUserAsync(email));
    }

    [Fact]
    public async Task Post_WithDifferentConfirmation_IsRefusedAndStoresNothing()
    {
        using var browser = app.Browser();
        var email = NewEmail();
        var fields = Registration(email);
        fields["ConfirmPassword"] = Password + "!";

        using var response = await browser.RegisterAsync(fields);

        Assert.True((await TestBrowser.ParseAsync(response)).HasErrorOn("ConfirmPassword"));
        Assert.Null(await app.FindUserAsync(email));
    }

    [Fact]
    public async Task Post_WithoutAcceptingTerms_IsRefusedAndStoresNothing()
    {
        using var browser = app.Browser();
        var email = NewEmail();
        var fields = Registration(email);
        fields.Remove("AcceptTerms");

        using var response = await browser.RegisterAsync(fields);

        Assert.True((await TestBrowser.ParseAsync(response)).HasErrorOn("AcceptTerms"));
        Assert.Null(await app.FindUserAsync(email));
    }

    [Fact]
    public async Task Post_WithApostropheInEmail_IsAccepted()
    {
        using var browser = app.Browser();
        var email = $"o'brien-{Guid.NewGuid():N}@example.ie";

        using var response = await browser.RegisterAsync(Registration(email));

        await AssertRedirectAsync(response);
        Assert.NotNull(await app.FindUserAsync(email));
    }

    [Fact]
    public async Task Get_InEnglish_ShowsEnglishForm()
    {
        using var browser = app.Browser();

        var page = await browser.GetPageAsync("/compte/inscription?culture=en-GB");

        Assert.Equal("Create a company account", page.QuerySelector("h1")!.TextContent);
    }
}

public sealed class RegistrationTestsOnSqlite(SqliteApp app) : RegistrationTests(app), IClassFixture<SqliteApp>;

public sealed class RegistrationTestsOnPostgres(PostgresApp app) : RegistrationTests(app), IClassFixture<PostgresApp>;

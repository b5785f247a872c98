using System.Net;
using System.Net.Http.Headers;
using System.Net.Http.Json;
using System.Security.Cryptography;
using System.Text.Json;
using System.Xml.Linq;
using Microsoft.AspNetCore.Mvc.Testing;
using Microsoft.EntityFrameworkCore;
using Pli.Web.Features.Demo;
using Pli.Web.Infrastructure.Crypto;
using Pli.Web.Infrastructure.Security;
using static Pli.Web.Tests.Features.Account.AccountTestKit;

namespace Pli.Web.Tests.Infrastructure.Security;

/// <summary>
/// Two instances over one database, as behind a load balancer without sticky sessions: what one protects
/// (a sign-in cookie, a bearer token, a mailed link) the other accepts, because the key ring is in the
/// database; and the keys stored there are encrypted under the master secret, so that an instance (or a
/// copy of the database) without it reads nothing.
/// </summary>
public abstract class DataProtectionKeysTests
{
    private static readonly string MasterKey = Convert.ToBase64String(RandomNumberGenerator.GetBytes(32));

    /// <summary>A new instance given <paramref name="masterKey"/>; over the database of <paramref name="first"/> when given.</summary>
    protected abstract PliApp NewInstance(string masterKey, PliApp? first = null);

    private static HttpClient PlainClient(PliApp app) =>
        app.CreateClient(new WebApplicationFactoryClientOptions { BaseAddress = app.ClientBaseAddress, AllowAutoRedirect = false, HandleCookies = false });

    /// <summary>Signs the demo company in on <paramref name="app"/> and returns the cookies it set, as a Cookie header.</summary>
    private static async Task<string> SignInCookiesAsync(PliApp app)
    {
        using var browser = app.Browser();
        using var response = await browser.SubmitFormAsync("/compte/connexion", new { Email = DemoData.CompanyEmail, Password = DemoData.Password });
        Assert.Equal(HttpStatusCode.Redirect, response.StatusCode);
        var cookies = response.Headers.GetValues("Set-Cookie").Select(c => c.Split(';')[0]).ToList();
        Assert.Contains(cookies, c => c.StartsWith("pli.auth=", StringComparison.Ordinal));
        return string.Join("; ", cookies);
    }

    private static async Task<HttpStatusCode> CompanyAreaWithAsync(PliApp app, string? cookies)
    {
        using var client = PlainClient(app);
        using var request = new HttpRequestMessage(HttpMethod.Get, "/entreprise");
        if (cookies is not null)
        {
            request.Headers.Add("Cookie", cookies);
        }
        using var response = await client.SendAsync(request);
        return response.StatusCode;
    }

    [Fact]
    public async Task SignInCookie_IssuedByA_IsAcceptedByB()
    {
        using var a = NewInstance(MasterKey);
        var cookies = await SignInCookiesAsync(a);
        using var b = NewInstance(MasterKey, a);

        Assert.Equal(HttpStatusCode.OK, await CompanyAreaWithAsync(b, cookies));
        // Without the cookie the same page refuses: the 200 above is the cookie's doing.
        Assert.Equal(HttpStatusCode.Redirect, await CompanyAreaWithAsync(b, null));
    }

    [Fact]
    public async Task BearerToken_IssuedByA_IsAcceptedByB()
    {
        using var a = NewInstance(MasterKey);
        string token;
        using (var client = PlainClient(a))
        {
            using var response = await client.PostAsJsonAsync("/api/auth/token", new { email = DemoData.CompanyEmail, password = DemoData.Password });
            Assert.Equal(HttpStatusCode.OK, response.StatusCode);
            token = (await response.Content.ReadFromJsonAsync<JsonElement>()).GetProperty("accessToken").GetString()!;
        }
        using var b = NewInstance(MasterKey, a);
        using var onB = PlainClient(b);

        using var anonymous = await onB.GetAsync("/api/me");
        onB.DefaultRequestHeaders.Authorization = new AuthenticationHeaderValue("Bearer", token);
        using var me = await onB.GetAsync("/api/me");

        Assert.Equal(HttpStatusCode.Unauthorized, anonymous.StatusCode);
        Assert.Equal(HttpStatusCode.OK, me.StatusCode);
        Assert.Equal(DemoData.CompanyEmail, (await me.Content.ReadFromJsonAsync<JsonElement>()).GetProperty("email").GetString());
    }

    [Fact]
    public async Task ConfirmationLink_MailedByA_IsAcceptedByB()
    {
        using var a = NewInstance(MasterKey);
        var email = NewEmail();
        using (var browser = a.Browser())
        {
            await AssertRedirectAsync(await browser.RegisterAsync(Registration(email)));
        }
        var link = a.LinkInLastMailTo(email);
        using var b = NewInstance(MasterKey, a);
        using var onB = b.Browser();

        using var confirmed = await onB.SubmitFormAsync(link, new Dictionary<string, string>());

        Assert.Equal(HttpStatusCode.Redirect, confirmed.StatusCode);
        Assert.Equal("/compte/connexion?notice=confirme", confirmed.Headers.Location!.OriginalString);
        Assert.True((await b.FindUserAsync(email))!.EmailConfirmed);
    }

    [Fact]
    public async Task StoredKeys_HoldNoKeyInTheClear_AndOpenOnlyUnderTheMasterSecret()
    {
        using var a = NewInstance(MasterKey);
        await SignInCookiesAsync(a);

        var stored = await a.WithDb(db => db.DataProtectionKeys.AsNoTracking().Select(k => k.Xml).ToListAsync());

        Assert.NotEmpty(stored);
        var right = new MasterSecretXmlDecryptor(new FixedMasterKey(Convert.FromBase64String(MasterKey)));
        var wrong = new MasterSecretXmlDecryptor(new FixedMasterKey(RandomNumberGenerator.GetBytes(32)));
        foreach (var xml in stored)
        {
            Assert.DoesNotContain("masterKey", xml!, StringComparison.Ordinal);
            var encrypted = XElement.Parse(xml!).Descendants("pliEncryptedKey").Single();
            Assert.Equal(typeof(MasterSecretXmlDecryptor).AssemblyQualifiedName, (string?)encrypted.Parent!.Attribute("decryptorType"));
            // The right secret gives the key's secret back: what is stored really is it, encrypted.
            Assert.Equal("masterKey", right.Decrypt(encrypted).Name.LocalName);
            var refused = Assert.ThrowsAny<CryptographicException>(() => wrong.Decrypt(encrypted));
            Assert.Contains("Crypto:MasterKey", refused.Message, StringComparison.Ordinal);
        }
    }

    [Fact]
    public async Task AnInstanceWithAnotherMasterSecret_CannotReadTheSharedKeys()
    {
        using var a = NewInstance(MasterKey);
        var cookies = await SignInCookiesAsync(a);
        using var b = NewInstance(Convert.ToBase64String(RandomNumberGenerator.GetBytes(32)), a);

        Assert.Equal(HttpStatusCode.Redirect, await CompanyAreaWithAsync(b, cookies));
    }

    private sealed class FixedMasterKey(byte[] key) : IKeyEncryptionKeyProvider
    {
        public byte[] GetKeyEncryptionKey() => (byte[])key.Clone();
    }
}

/// <summary>An instance over its own SQLite file, or over the file of a first instance.</summary>
public sealed class SharedSqliteInstance(string masterKey, SharedSqliteInstance? first) : SqliteApp
{
    private readonly string? _connection = first?.SharedConnectionString;

    private string SharedConnectionString => ConnectionString;

    protected override string ConnectionString => _connection ?? base.ConnectionString;

    protected override IDictionary<string, string?> Settings => new Dictionary<string, string?> { ["Crypto:MasterKey"] = masterKey };
}

/// <summary>An instance over its own PostgreSQL database, or over the database of a first instance (which drops it).</summary>
public sealed class SharedPostgresInstance(string masterKey, SharedPostgresInstance? first) : PostgresApp
{
    private readonly string? _connection = first?.SharedConnectionString;

    private string SharedConnectionString => ConnectionString;

    protected override string ConnectionString => _connection ?? base.ConnectionString;

    protected override IDictionary<string, string?> Settings => new Dictionary<string, string?> { ["Crypto:MasterKey"] = masterKey };
}

public sealed class DataProtectionKeysTestsOnSqlite : DataProtectionKeysTests
{
    protected override PliApp NewInstance(string masterKey, PliApp? first = null) => new SharedSqliteInstance(masterKey, (SharedSqliteInstance?)first);
}

public sealed class DataProtectionKeysTestsOnPostgres : DataProtectionKeysTests
{
    protected override PliApp NewInstance(string masterKey, PliApp? first = null) => new SharedPostgresInstance(masterKey, (SharedPostgresInstance?)first);
}

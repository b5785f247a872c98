using System.Net;
using System.Text;
using Microsoft.EntityFrameworkCore;
using Microsoft.Extensions.DependencyInjection;
using Pli.Domain.Organisations;
using Pli.Web.Features.Committee;
using Pli.Web.Infrastructure.Crypto;
using Pli.Web.Tests.Features.Account;
using Pli.Web.Tests.Features.Backoffice;
using Pli.Web.Tests.Infrastructure;

namespace Pli.Web.Tests.Features.Committee;

/// <summary>The opener key page and the committee page of a draft: what they store and what they refuse.</summary>
public abstract class CommitteePagesTests(PliApp app)
{
    private const string NewPassphrase = "une toute autre phrase de passe";
    private readonly CommitteeScenario _scenario = new(app);

    private Task<CommitteeOrganisation> OrganisationAsync() => ((ICommitteeApp)app).OrganisationAsync();

    private async Task<(TestBrowser Browser, Guid UserId)> NewOpenerAsync(AgentRole roles = AgentRole.Opener)
    {
        var organisation = await OrganisationAsync();
        var email = await BackofficeTestData.CreateAgentAsync(app, organisation.OrganisationId, roles);
        return (await _scenario.SignInAsync(email), (await app.FindUserAsync(email))!.Id);
    }

    private static Dictionary<string, string> Create(string passphrase, string? confirmation = null) => new()
    {
        ["Passphrase"] = passphrase,
        ["Confirmation"] = confirmation ?? passphrase,
    };

    private Task<OpenerKey?> KeyAsync(Guid userId) => app.WithDb(db => db.OpenerKeys.AsNoTracking().SingleOrDefaultAsync(k => k.UserId == userId));

    private bool Opens(OpenerKey key, string passphrase)
    {
        var payload = new byte[] { 1, 2, 3 };
        try
        {
            return app.Services.GetRequiredService<OpenerKeys>().Decrypt(key.EncryptedPrivateKey, passphrase, OpenerKeys.EncryptFor(key.PublicKeyDer, payload)).SequenceEqual(payload);
        }
        catch (WrongPassphraseException)
        {
            return false;
        }
    }

    [Fact]
    public async Task OpenerKey_Create_StoresAKeyThatOnlyThePassphraseOpens()
    {
        var (browser, userId) = await NewOpenerAsync();
        using var _ = browser;

        using var response = await browser.SubmitFormAsync(CommitteePaths.OpenerKey, Create(CommitteeScenario.Passphrase), "#form-cle-ouverture");

        await AccountTestKit.AssertRedirectAsync(response);
        var key = (await KeyAsync(userId))!;
        Assert.True(Opens(key, CommitteeScenario.Passphrase));
        Assert.False(Opens(key, NewPassphrase));
        Assert.Equal(-1, key.EncryptedPrivateKey.AsSpan().IndexOf(Encoding.UTF8.GetBytes(CommitteeScenario.Passphrase)));
        var page = await browser.GetPageAsync(CommitteePaths.OpenerKey);
        Assert.Null(page.QuerySelector("#form-cle-ouverture"));
        Assert.Contains(key.Fingerprint, page.QuerySelector("#cle-existante")!.TextContent, StringComparison.Ordinal);
    }

    [Theory]
    [InlineData("onze caract", null, "Passphrase")]
    [InlineData("une phrase de passe assez longue", "une autre phrase de passe", "Confirmation")]
    public async Task OpenerKey_ShortOrUnconfirmedPassphrase_IsRefused_AndNothingIsStored(string passphrase, string? confirmation, string field)
    {
        var (browser, userId) = await NewOpenerAsync();
        using var _ = browser;

        using var response = await browser.SubmitFormAsync(CommitteePaths.OpenerKey, Create(passphrase, confirmation), "#form-cle-ouverture");

        Assert.Equal(HttpStatusCode.OK, response.StatusCode);
        Assert.True((await TestBrowser.ParseAsync(response)).HasErrorOn(field));
        Assert.Null(await KeyAsync(userId));
    }

    [Fact]
    public async Task OpenerKey_ChangePassphrase_NeedsTheCurrentOne()
    {
        var (browser, userId) = await NewOpenerAsync();
        using var _ = browser;
        using (var created = await browser.SubmitFormAsync(CommitteePaths.OpenerKey, Create(CommitteeScenario.Passphrase), "#form-cle-ouverture"))
        {
            await AccountTestKit.AssertRedirectAsync(created);
        }
        var before = (await KeyAsync(userId))!;

        using var wrong = await browser.SubmitFormAsync(CommitteePaths.OpenerKey, new Dictionary<string, string>
        {
            ["CurrentPassphrase"] = "pas la bonne phrase de passe",
            ["NewPassphrase"] = NewPassphrase,
            ["Confirmation"] = NewPassphrase,
        }, "#form-phrase-de-passe");
        Assert.True((await TestBrowser.ParseAsync(wrong)).HasErrorOn("CurrentPassphrase"));
        Assert.Equal(before.EncryptedPrivateKey, (await KeyAsync(userId))!.EncryptedPrivateKey);

        using var right = await browser.SubmitFormAsync(CommitteePaths.OpenerKey, new Dictionary<string, string>
        {
            ["CurrentPassphrase"] = CommitteeScenario.Passphrase,
            ["NewPassphrase"] = NewPassphrase,
            ["Confirmation"] = NewPassphrase,
        }, "#form-phrase-de-passe");
        await AccountTestKit.AssertRedirectAsync(right);
        var after = (await KeyAsync(userId))!;
        Assert.Equal(before.PublicKeyDer, after.PublicKeyDer);
        Assert.True(Opens(after, NewPassphrase));
        Assert.False(Opens(after, CommitteeScenario.Passphrase));
    }

    [Fact]
    public async Task OpenerKey_ForAnAgentWithoutTheOpenerRole_IsRefused()
    {
        var (browser, userId) = await NewOpenerAsync(AgentRole.ConsultationManager);
        using var _ = browser;

        using var response = await browser.GetAsync(CommitteePaths.OpenerKey);

        Assert.NotEqual(HttpStatusCode.OK, response.StatusCode);
        Assert.Null(await KeyAsync(userId));
    }

    [Fact]
    public async Task Committee_Save_NamesTheOpenersOfTheDraft_AndClearRemovesThem()
    {
        var organisation = await OrganisationAsync();
        var id = await _scenario.DraftWithCommitteeAsync(organisation, TimeSpan.FromDays(3), 3);
        var stored = await app.WithDb(db => db.Consultations.Include(c => c.Committee).AsNoTracking().SingleAsync(c => c.Id == id));
        Assert.Equal(3, stored.CommitteeThreshold);
        Assert.Equal(organisation.Openers.Select(o => o.Id).Order(), stored.Committee.Select(o => o.UserId).Order());
        using var manager = await _scenario.SignInAsync(organisation.Manager);
        var edit = await manager.GetPageAsync($"/acheteur/consultations/{id}");
        Assert.Equal(CommitteePaths.Committee(id), edit.QuerySelector("#lien-comite")!.GetAttribute("href"));

        using var cleared = await manager.SubmitFormAsync(CommitteePaths.Committee(id), new Dictionary<string, string>(), "#form-sans-comite");

        await AccountTestKit.AssertRedirectAsync(cleared);
        var after = await app.WithDb(db => db.Consultations.Include(c => c.Committee).AsNoTracking().SingleAsync(c => c.Id == id));
        Assert.Null(after.CommitteeThreshold);
        Assert.Empty(after.Committee);
    }

    [Theory]
    [InlineData(3, "Threshold")]
    [InlineData(1, "Threshold")]
    public async Task Committee_ThresholdOutOfBounds_IsRefused_AndNothingIsStored(int threshold, string field)
    {
        var organisation = await OrganisationAsync();
        var id = await BackofficeTestData.CreateDraftAsync(app, organisation.OrganisationId, null, "RC.pdf");
        using var manager = await _scenario.SignInAsync(organisation.Manager);

        using var response = await manager.SubmitFormAsync(CommitteePaths.Committee(id), new Dictionary<string, string>
        {
            ["OpenerIds"] = organisation.Openers[0].Id.ToString(),
            ["Threshold"] = threshold.ToString(System.Globalization.CultureInfo.InvariantCulture),
        }.Append(new("OpenerIds", organisation.Openers[1].Id.ToString())), "#form-comite");

        Assert.Equal(HttpStatusCode.OK, response.StatusCode);
        Assert.True((await TestBrowser.ParseAsync(response)).HasErrorOn(field));
        Assert.Null((await BackofficeTestData.LoadAsync(app, id)).CommitteeThreshold);
    }

    [Fact]
    public async Task Committee_NamingAnAgentWithoutTheOpenerRole_IsRefused()
    {
        var organisation = await OrganisationAsync();
        var id = await BackofficeTestData.CreateDraftAsync(app, organisation.OrganisationId, null, "RC.pdf");
        var managerId = (await app.FindUserAsync(organisation.Manager))!.Id;
        using var manager = await _scenario.SignInAsync(organisation.Manager);

        using var response = await manager.PostAsync(CommitteePaths.Committee(id), new Dictionary<string, string>
        {
            ["__RequestVerificationToken"] = (await manager.GetPageAsync(CommitteePaths.Committee(id))).QuerySelector("#form-comite input[name=__RequestVerificationToken]")!.GetAttribute("value")!,
            ["OpenerIds"] = managerId.ToString(),
            ["Threshold"] = "2",
        }.Append(new("OpenerIds", organisation.Openers[1].Id.ToString())));

        Assert.Contains("rôle d'ouvreur", await BackofficeTestData.ErrorsAsync(response), StringComparison.Ordinal);
        Assert.Null((await BackofficeTestData.LoadAsync(app, id)).CommitteeThreshold);
    }

    [Fact]
    public async Task Committee_OfAnotherOrganisation_Is404_AndForAnOpenerWithoutTheManagerRole_IsRefused()
    {
        var organisation = await OrganisationAsync();
        var id = await BackofficeTestData.CreateDraftAsync(app, organisation.OrganisationId, null, "RC.pdf");
        var (_, stranger) = await BackofficeTestData.CreateOrganisationWithAgentAsync(app, AgentRole.ConsultationManager);
        using var other = await _scenario.SignInAsync(stranger);
        using var opener = await _scenario.SignInAsync(organisation.Openers[0].Email);

        using var otherGet = await other.GetAsync(CommitteePaths.Committee(id));
        using var openerGet = await opener.GetAsync(CommitteePaths.Committee(id));

        Assert.Equal(HttpStatusCode.NotFound, otherGet.StatusCode);
        Assert.NotEqual(HttpStatusCode.OK, openerGet.StatusCode);
    }

    [Fact]
    public async Task Committee_AfterPublication_ShowsTheOpenersReadOnly_TheirNamesEncoded()
    {
        var organisation = await OrganisationAsync();
        var (_, userId) = await NewOpenerAsync();
        await CommitteeScenario.CreateKeyAsync(app, userId, CommitteeScenario.Passphrase);
        await app.WithDb(async db =>
        {
            var user = await db.Users.SingleAsync(u => u.Id == userId);
            user.FullName = "<script>alert(1)</script>";
            await db.SaveChangesAsync();
        });
        var id = await BackofficeTestData.CreateDraftAsync(app, organisation.OrganisationId, app.Time.GetUtcNow().UtcDateTime.AddDays(3), "RC.pdf");
        await app.WithDb(async db =>
        {
            var consultation = await db.Consultations.SingleAsync(c => c.Id == id);
            consultation.RequireCommittee(2, [userId, organisation.Openers[0].Id]);
            await db.SaveChangesAsync();
        });
        using (var published = await _scenario.PublishAsync(organisation, id))
        {
            await AccountTestKit.AssertRedirectAsync(published);
        }
        using var manager = await _scenario.SignInAsync(organisation.Manager);

        using var response = await manager.GetAsync(CommitteePaths.Committee(id));
        var html = await response.Content.ReadAsStringAsync();

        Assert.DoesNotContain("<script>alert(1)</script>", html, StringComparison.Ordinal);
        Assert.Contains("&lt;script&gt;alert(1)&lt;/script&gt;", html, StringComparison.Ordinal);
        var page = await TestBrowser.ParseAsync(html);
        Assert.Null(page.QuerySelector("#form-comite"));
        Assert.Equal(2, page.QuerySelectorAll("#membres-comite tbody tr").Length);
        Assert.Contains("0 part(s) présentée(s) sur 2", page.QuerySelector("#etat-comite")!.TextContent, StringComparison.Ordinal);
    }
}

public sealed class CommitteePagesTestsOnSqlite(CommitteeSqliteApp app) : CommitteePagesTests(app), IClassFixture<CommitteeSqliteApp>;

public sealed class CommitteePagesTestsOnPostgres(CommitteePostgresApp app) : CommitteePagesTests(app), IClassFixture<CommitteePostgresApp>;

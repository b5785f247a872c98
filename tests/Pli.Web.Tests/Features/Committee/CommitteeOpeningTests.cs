using System.Net;
using Microsoft.EntityFrameworkCore;
using Microsoft.Extensions.DependencyInjection;
using Pli.Domain.Consultations;
using Pli.Domain.Organisations;
using Pli.Web.Features.Committee;
using Pli.Web.Infrastructure.Crypto;
using Pli.Web.Tests.Features.Account;
using Pli.Web.Tests.Features.Backoffice;
using Pli.Web.Tests.Features.Shared;
using Pli.Web.Tests.Infrastructure;

namespace Pli.Web.Tests.Features.Committee;

/// <summary>A 2-of-3 committee from the draft to the unlocked key, and every refusal on the way, on the fake clock.</summary>
public abstract class CommitteeOpeningTests(PliApp app)
{
    private readonly CommitteeScenario _scenario = new(app);

    private Task<CommitteeOrganisation> OrganisationAsync() => ((ICommitteeApp)app).OrganisationAsync();

    [Fact]
    public async Task TwoOfThree_FirstShareKeepsTheKeyLocked_SecondUnlocksIt_AndTheSealedFileOpens()
    {
        var organisation = await OrganisationAsync();
        var (id, deadline, offer) = await _scenario.PublishedWithDepositAsync(organisation);
        app.Time.SetUtcNow(new DateTimeOffset(deadline).AddSeconds(1));

        using (var first = await _scenario.PresentAsync(organisation, 0, id))
        {
            await AccountTestKit.AssertRedirectAsync(first);
        }
        var pending = await Assert.ThrowsAsync<CommitteePendingException>(() => _scenario.OpenAsync(id, deadline));
        Assert.Equal((1, 2), (pending.Presented, pending.Threshold));
        Assert.Equal("opening.committee-pending", pending.Code);
        Assert.True((await _scenario.KeyRecordAsync(id)).IsCommitteeLocked);

        using (var second = await _scenario.PresentAsync(organisation, 2, id))
        {
            await AccountTestKit.AssertRedirectAsync(second);
        }

        using var key = await _scenario.OpenAsync(id, deadline);
        Assert.Equal(offer, await _scenario.ReadSealedFileAsync(id, key));
        var record = await _scenario.KeyRecordAsync(id);
        Assert.Equal(app.Time.GetUtcNow().UtcDateTime, record.CommitteeUnlockedUtc);
        Assert.Equal(new[] { organisation.Openers[0].Id, organisation.Openers[2].Id }.Order(), record.CommitteeUnlockedBy!.Split(',').Select(Guid.Parse).Order());
        Assert.All(await _scenario.SharesAsync(id), s => Assert.Null(s.PresentedShare));
        var actions = await app.WithDb(db => db.AuditEntries.Where(a => a.ConsultationId == id).Select(a => a.Action).ToListAsync());
        Assert.Equal(2, actions.Count(a => a == "committee.share-presented"));
        Assert.Contains("committee.unlocked", actions);
        Assert.Contains("committee.key-sealed", actions);
    }

    [Fact]
    public async Task Publish_WithACommittee_SealsTheKeyForTheOpeners_AndTheMasterSecretAloneCannotOpenIt()
    {
        var organisation = await OrganisationAsync();
        var (id, deadline, _) = await _scenario.PublishedWithDepositAsync(organisation);
        app.Time.SetUtcNow(new DateTimeOffset(deadline).AddDays(1));
        var record = await _scenario.KeyRecordAsync(id);

        // The server holds the database and the master secret: neither the door nor the key itself opens.
        await Assert.ThrowsAsync<CommitteePendingException>(() => _scenario.OpenAsync(id, deadline));
        var keys = app.Services.GetRequiredService<ConsultationKeys>();
        Assert.ThrowsAny<System.Security.Cryptography.CryptographicException>(() => keys.OpenPrivateKey(record.EncryptedPrivateKey, deadline));
        Assert.Equal(2, record.CommitteeThreshold);
        Assert.Equal(3, (await _scenario.SharesAsync(id)).Count);
        Assert.All(await _scenario.SharesAsync(id), s => Assert.Null(s.PresentedUtc));
    }

    [Fact]
    public async Task Present_AtTheDeadlineInstant_IsRefusedAsTooEarly_AndOneSecondAfter_IsAccepted()
    {
        var organisation = await OrganisationAsync();
        var (id, deadline, _) = await _scenario.PublishedWithDepositAsync(organisation);
        app.Time.SetUtcNow(new DateTimeOffset(deadline).AddSeconds(-1));
        using (var before = await _scenario.PresentAsync(organisation, 1, id))
        {
            Assert.Contains("qu'après la date limite", await BackofficeTestData.ErrorsAsync(before), StringComparison.Ordinal);
        }
        app.Time.SetUtcNow(deadline);
        var paris = Pli.Domain.Common.ParisTime.ToParis(deadline);
        using (var at = await _scenario.PresentAsync(organisation, 1, id))
        {
            Assert.Contains($"qu'après la date limite de remise des plis ({paris:dd/MM/yyyy HH:mm:ss}, heure de Paris, UTC{paris:zzz})", await BackofficeTestData.ErrorsAsync(at), StringComparison.Ordinal);
        }
        // The switch is kept with the opener's account: put back, the class's other tests read this opener in French.
        var englishOpener = organisation.Openers[2].Email;
        var language = (await app.FindUserAsync(englishOpener))!.Language;
        try
        {
            using var atInEnglish = await _scenario.PresentAsync(organisation, 2, id, language: "en");
            Assert.Contains($"after the deadline for tenders ({paris:dd/MM/yyyy HH:mm:ss}, Paris time, UTC{paris:zzz})", await BackofficeTestData.ErrorsAsync(atInEnglish), StringComparison.Ordinal);
        }
        finally
        {
            await app.SetLanguageAsync(englishOpener, language);
        }
        Assert.All(await _scenario.SharesAsync(id), s => Assert.Null(s.PresentedShare));

        app.Time.SetUtcNow(new DateTimeOffset(deadline).AddSeconds(1));
        using var after = await _scenario.PresentAsync(organisation, 1, id);

        await AccountTestKit.AssertRedirectAsync(after);
        Assert.NotNull((await _scenario.SharesAsync(id)).Single(s => s.OpenerUserId == organisation.Openers[1].Id).PresentedShare);
    }

    [Fact]
    public async Task Present_WithAWrongPassphrase_IsRefused_AndNothingIsStored()
    {
        var organisation = await OrganisationAsync();
        var (id, deadline, _) = await _scenario.PublishedWithDepositAsync(organisation);
        app.Time.SetUtcNow(new DateTimeOffset(deadline).AddSeconds(1));

        using var response = await _scenario.PresentAsync(organisation, 0, id, CommitteeScenario.PassphraseOf(1));

        Assert.Equal(HttpStatusCode.OK, response.StatusCode);
        Assert.True((await TestBrowser.ParseAsync(response)).HasErrorOn("Passphrase"));
        Assert.Contains("n'ouvre pas votre clé", await BackofficeTestData.ErrorsAsync(response), StringComparison.Ordinal);
        Assert.All(await _scenario.SharesAsync(id), s => Assert.Null(s.PresentedUtc));
    }

    [Fact]
    public async Task Present_Twice_IsRefused()
    {
        var organisation = await OrganisationAsync();
        var (id, deadline, _) = await _scenario.PublishedWithDepositAsync(organisation);
        app.Time.SetUtcNow(new DateTimeOffset(deadline).AddSeconds(1));
        using (var first = await _scenario.PresentAsync(organisation, 0, id))
        {
            await AccountTestKit.AssertRedirectAsync(first);
        }
        using var browser = await _scenario.SignInAsync(organisation.Openers[0].Email);
        var page = await browser.GetPageAsync(CommitteePaths.Present(id));
        Assert.Null(page.QuerySelector("#form-part"));
        var token = page.QuerySelector("input[name=__RequestVerificationToken]")?.GetAttribute("value")
            ?? (await browser.GetPageAsync(CommitteePaths.OpenerKey)).QuerySelector("input[name=__RequestVerificationToken]")!.GetAttribute("value")!;

        using var again = await browser.PostAsync(CommitteePaths.Present(id), new Dictionary<string, string> { ["Passphrase"] = CommitteeScenario.PassphraseOf(0), ["__RequestVerificationToken"] = token });

        Assert.Contains("déjà présenté votre part", await BackofficeTestData.ErrorsAsync(again), StringComparison.Ordinal);
        Assert.True((await _scenario.KeyRecordAsync(id)).IsCommitteeLocked);
        Assert.Single(await app.WithDb(db => db.AuditEntries.Where(a => a.ConsultationId == id && a.Action == "committee.share-presented").ToListAsync()));
    }

    [Fact]
    public async Task Present_ByAnOpenerNotNamed_OrOfAnotherOrganisation_Is404()
    {
        var organisation = await OrganisationAsync();
        var id = await _scenario.DraftWithCommitteeAsync(organisation, TimeSpan.FromHours(2), 2, 0, 1);
        using (var published = await _scenario.PublishAsync(organisation, id))
        {
            await AccountTestKit.AssertRedirectAsync(published);
        }
        var deadline = await app.WithDb(db => db.Consultations.Where(c => c.Id == id).Select(c => c.DeadlineUtc).SingleAsync());
        app.Time.SetUtcNow(new DateTimeOffset(deadline).AddSeconds(1));
        var (_, stranger) = await BackofficeTestData.CreateOrganisationWithAgentAsync(app, AgentRole.Opener);

        using var notNamed = await _scenario.SignInAsync(organisation.Openers[2].Email);
        using var notNamedGet = await notNamed.GetAsync(CommitteePaths.Present(id));
        using var other = await _scenario.SignInAsync(stranger);
        using var otherGet = await other.GetAsync(CommitteePaths.Present(id));
        var token = (await notNamed.GetPageAsync(CommitteePaths.OpenerKey)).QuerySelector("input[name=__RequestVerificationToken]")!.GetAttribute("value")!;
        using var notNamedPost = await notNamed.PostAsync(CommitteePaths.Present(id), new Dictionary<string, string> { ["Passphrase"] = CommitteeScenario.PassphraseOf(2), ["__RequestVerificationToken"] = token });

        Assert.Equal(HttpStatusCode.NotFound, notNamedGet.StatusCode);
        Assert.Equal(HttpStatusCode.NotFound, otherGet.StatusCode);
        Assert.Equal(HttpStatusCode.NotFound, notNamedPost.StatusCode);
        Assert.Equal(2, (await _scenario.SharesAsync(id)).Count);
        Assert.All(await _scenario.SharesAsync(id), s => Assert.Null(s.PresentedUtc));
    }

    [Fact]
    public async Task Present_WithAShareAlteredInTheDatabase_IsRefusedAsWrongShare()
    {
        var organisation = await OrganisationAsync();
        var (id, deadline, _) = await _scenario.PublishedWithDepositAsync(organisation);
        var openerId = organisation.Openers[1].Id;
        await app.WithDb(async db =>
        {
            var share = await db.CommitteeShares.SingleAsync(s => s.ConsultationId == id && s.OpenerUserId == openerId);
            var altered = (byte[])share.EncryptedShare.Clone();
            altered[100] ^= 0x01;
            share.EncryptedShare = altered;
            await db.SaveChangesAsync();
        });
        app.Time.SetUtcNow(new DateTimeOffset(deadline).AddSeconds(1));

        using var response = await _scenario.PresentAsync(organisation, 1, id);

        Assert.Equal(HttpStatusCode.OK, response.StatusCode);
        Assert.Contains("une part a été altérée", await BackofficeTestData.ErrorsAsync(response), StringComparison.Ordinal);
        Assert.All(await _scenario.SharesAsync(id), s => Assert.Null(s.PresentedUtc));
    }

    [Fact]
    public async Task Present_AForgedShareCompletingTheCommittee_IsRefusedAsWrongShare_AndTheKeyStaysLocked()
    {
        var organisation = await OrganisationAsync();
        var (id, deadline, _) = await _scenario.PublishedWithDepositAsync(organisation);
        // Whoever can write to the database can encrypt a share of their own for an opener's public key.
        var openerId = organisation.Openers[2].Id;
        await app.WithDb(async db =>
        {
            var publicKey = (await db.OpenerKeys.SingleAsync(k => k.UserId == openerId)).PublicKeyDer;
            var payload = new byte[16 + 33];
            id.TryWriteBytes(payload, bigEndian: true, out _);
            payload[16] = 3;
            System.Security.Cryptography.RandomNumberGenerator.Fill(payload.AsSpan(17));
            var share = await db.CommitteeShares.SingleAsync(s => s.ConsultationId == id && s.OpenerUserId == openerId);
            share.EncryptedShare = OpenerKeys.EncryptFor(publicKey, payload);
            await db.SaveChangesAsync();
        });
        app.Time.SetUtcNow(new DateTimeOffset(deadline).AddSeconds(1));
        using (var first = await _scenario.PresentAsync(organisation, 0, id))
        {
            await AccountTestKit.AssertRedirectAsync(first);
        }

        using var forged = await _scenario.PresentAsync(organisation, 2, id);

        Assert.Contains("une part a été altérée", await BackofficeTestData.ErrorsAsync(forged), StringComparison.Ordinal);
        Assert.True((await _scenario.KeyRecordAsync(id)).IsCommitteeLocked);
        Assert.Null((await _scenario.SharesAsync(id)).Single(s => s.OpenerUserId == openerId).PresentedUtc);
        await Assert.ThrowsAsync<CommitteePendingException>(() => _scenario.OpenAsync(id, deadline));
        Assert.True(await app.WithDb(db => db.AuditEntries.AnyAsync(a => a.ConsultationId == id && a.Action == "committee.wrong-share")));
    }

    [Fact]
    public async Task Publish_WhenANamedOpenerHasNoKey_IsRefusedNamingThem_AndStaysADraftWithoutKey()
    {
        var organisation = await OrganisationAsync();
        var keyless = await BackofficeTestData.CreateAgentAsync(app, organisation.OrganisationId, AgentRole.Opener);
        var keylessUser = (await app.FindUserAsync(keyless))!;
        var id = await BackofficeTestData.CreateDraftAsync(app, organisation.OrganisationId, app.Time.GetUtcNow().UtcDateTime.AddDays(3), "RC.pdf");
        using (var manager = await _scenario.SignInAsync(organisation.Manager))
        {
            using var named = await manager.SubmitFormAsync(CommitteePaths.Committee(id), new Dictionary<string, string>
            {
                ["OpenerIds"] = keylessUser.Id.ToString(),
                ["Threshold"] = "2",
            }.Append(new("OpenerIds", organisation.Openers[0].Id.ToString())), "#form-comite");
            await AccountTestKit.AssertRedirectAsync(named);
        }

        using var response = await _scenario.PublishAsync(organisation, id);

        Assert.Equal(HttpStatusCode.OK, response.StatusCode);
        var errors = await BackofficeTestData.ErrorsAsync(response);
        Assert.Contains("pas encore créé leur clé d'ouverture", errors, StringComparison.Ordinal);
        Assert.Contains(keylessUser.FullName, errors, StringComparison.Ordinal);
        Assert.DoesNotContain(organisation.Openers[0].Email[..12], errors, StringComparison.Ordinal);
        Assert.Equal(ConsultationStatus.Draft, (await BackofficeTestData.LoadAsync(app, id)).Status);
        Assert.False(await app.WithDb(db => db.ConsultationKeys.AnyAsync(k => k.ConsultationId == id)));
        Assert.False(await app.WithDb(db => db.CommitteeShares.AnyAsync(s => s.ConsultationId == id)));
    }

    [Fact]
    public async Task Publish_WithoutCommittee_MakesAPairUnderTheMasterSecret_WithoutShares()
    {
        var organisation = await OrganisationAsync();
        var id = await BackofficeTestData.CreateDraftAsync(app, organisation.OrganisationId, app.Time.GetUtcNow().UtcDateTime.AddDays(3), "RC.pdf");

        using var response = await _scenario.PublishAsync(organisation, id);

        await AccountTestKit.AssertRedirectAsync(response);
        var key = await app.WithDb(db => db.ConsultationKeys.AsNoTracking().SingleAsync(k => k.ConsultationId == id));
        Assert.Null(key.CommitteeThreshold);
        Assert.False(key.IsCommitteeLocked);
        Assert.False(await app.WithDb(db => db.CommitteeShares.AnyAsync(s => s.ConsultationId == id)));
    }
}

public sealed class CommitteeOpeningTestsOnSqlite(CommitteeSqliteApp app) : CommitteeOpeningTests(app), IClassFixture<CommitteeSqliteApp>;

public sealed class CommitteeOpeningTestsOnPostgres(CommitteePostgresApp app) : CommitteeOpeningTests(app), IClassFixture<CommitteePostgresApp>;

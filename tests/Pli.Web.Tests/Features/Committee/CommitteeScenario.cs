using System.Net;
using Microsoft.EntityFrameworkCore;
using Microsoft.Extensions.DependencyInjection;
using Pli.Domain.Organisations;
using Pli.Web.Features.Committee;
using Pli.Web.Features.Deposits;
using Pli.Web.Infrastructure.Crypto;
using Pli.Web.Infrastructure.Data;
using Pli.Web.Infrastructure.Storage;
using Pli.Web.Tests.Features.Account;
using Pli.Web.Tests.Features.Backoffice;
using Pli.Web.Tests.Features.Deposits;
using Pli.Web.Tests.Infrastructure;

namespace Pli.Web.Tests.Features.Committee;

/// <summary>An organisation with a manager and three openers, each with an opener key under <see cref="CommitteeScenario.PassphraseOf"/>.</summary>
public sealed record CommitteeOrganisation(Guid OrganisationId, string Manager, IReadOnlyList<(Guid Id, string Email)> Openers);

/// <summary>The app of the committee tests: its organisation of openers is made once, their RSA keys taking a moment each.</summary>
public interface ICommitteeApp
{
    Task<CommitteeOrganisation> OrganisationAsync();
}

public sealed class CommitteeSqliteApp : SqliteApp, ICommitteeApp
{
    private readonly CommitteeOrganisationCache _cache = new();

    public Task<CommitteeOrganisation> OrganisationAsync() => _cache.GetAsync(this);
}

public sealed class CommitteePostgresApp : PostgresApp, ICommitteeApp
{
    private readonly CommitteeOrganisationCache _cache = new();

    public Task<CommitteeOrganisation> OrganisationAsync() => _cache.GetAsync(this);
}

internal sealed class CommitteeOrganisationCache
{
    private readonly SemaphoreSlim _lock = new(1, 1);
    private CommitteeOrganisation? _organisation;

    public async Task<CommitteeOrganisation> GetAsync(PliApp app)
    {
        await _lock.WaitAsync();
        try
        {
            return _organisation ??= await CommitteeScenario.CreateOrganisationAsync(app);
        }
        finally
        {
            _lock.Release();
        }
    }
}

/// <summary>Steps of a committee opening, through the pages where a person would act.</summary>
public sealed class CommitteeScenario(PliApp app)
{
    public const string Passphrase = "cheval correct agrafe pile";

    public static async Task<CommitteeOrganisation> CreateOrganisationAsync(PliApp app)
    {
        var (organisationId, manager) = await BackofficeTestData.CreateOrganisationWithAgentAsync(app, AgentRole.ConsultationManager);
        var openers = new List<(Guid, string)>();
        for (var i = 0; i < 3; i++)
        {
            var email = await BackofficeTestData.CreateAgentAsync(app, organisationId, AgentRole.Opener);
            var id = (await app.FindUserAsync(email))!.Id;
            openers.Add((id, email));
            await CreateKeyAsync(app, id, PassphraseOf(i));
        }
        return new CommitteeOrganisation(organisationId, manager, openers);
    }

    public static string PassphraseOf(int opener) => Passphrase + " " + opener;

    /// <summary>An opener key made through the service, as the page does.</summary>
    public static async Task CreateKeyAsync(PliApp app, Guid userId, string passphrase)
    {
        var pair = app.Services.GetRequiredService<OpenerKeys>().Generate(passphrase);
        await app.WithDb(async db =>
        {
            db.OpenerKeys.Add(new OpenerKey { UserId = userId, PublicKeyDer = pair.PublicKeyDer, EncryptedPrivateKey = pair.EncryptedPrivateKey, CreatedUtc = app.Time.GetUtcNow().UtcDateTime });
            await db.SaveChangesAsync();
        });
    }

    public async Task<TestBrowser> SignInAsync(string email)
    {
        var browser = app.Browser();
        await browser.SignInAsAgentAsync(email);
        return browser;
    }

    /// <summary>A draft of the organisation, its deadline <paramref name="deadlineIn"/> from now, with a committee named through the page.</summary>
    public async Task<Guid> DraftWithCommitteeAsync(CommitteeOrganisation organisation, TimeSpan deadlineIn, int threshold = 2, params int[] openers)
    {
        var deadline = app.Time.GetUtcNow().UtcDateTime.Add(deadlineIn);
        var id = await BackofficeTestData.CreateDraftAsync(app, organisation.OrganisationId, deadline, "RC.pdf");
        using var manager = await SignInAsync(organisation.Manager);
        var chosen = openers.Length == 0 ? [0, 1, 2] : openers;
        var fields = chosen.Select(i => new KeyValuePair<string, string>("OpenerIds", organisation.Openers[i].Id.ToString()))
            .Append(new("Threshold", threshold.ToString(System.Globalization.CultureInfo.InvariantCulture)));
        using var response = await manager.SubmitFormAsync(CommitteePaths.Committee(id), fields, "#form-comite");
        await AccountTestKit.AssertRedirectAsync(response);
        return id;
    }

    public async Task<HttpResponseMessage> PublishAsync(CommitteeOrganisation organisation, Guid id)
    {
        using var manager = await SignInAsync(organisation.Manager);
        return await manager.SubmitFormAsync($"/acheteur/consultations/{id}/publier", new Dictionary<string, string>(), "#form-publish");
    }

    /// <summary>A 2-of-3 committee consultation, published, with one sealed deposit of the demo company; returns the file it holds.</summary>
    public async Task<(Guid Id, DateTime DeadlineUtc, byte[] Offer)> PublishedWithDepositAsync(CommitteeOrganisation organisation)
    {
        var id = await DraftWithCommitteeAsync(organisation, TimeSpan.FromHours(2));
        using (var published = await PublishAsync(organisation, id))
        {
            await AccountTestKit.AssertRedirectAsync(published);
        }
        var deposits = new DepositScenario(app);
        using var client = await deposits.ClientAsync();
        var deposit = DepositScenario.IdOf(await DepositScenario.StartAsync(client, id));
        var offer = DepositScenario.PdfOfSize(100_000);
        await DepositScenario.UploadOkAsync(client, deposit, "candidature", "DC1.pdf", DepositScenario.Pdf);
        await DepositScenario.UploadOkAsync(client, deposit, "offre", "Offre.pdf", offer);
        using (var sealedResponse = await DepositScenario.SealAsync(client, deposit))
        {
            Assert.True(sealedResponse.StatusCode == HttpStatusCode.OK, await sealedResponse.Content.ReadAsStringAsync());
        }
        var deadline = await app.WithDb(db => db.Consultations.Where(c => c.Id == id).Select(c => c.DeadlineUtc).SingleAsync());
        return (id, deadline, offer);
    }

    /// <summary>The opener signs in (reading <paramref name="language"/> if given) and presents their share with <paramref name="passphrase"/> (theirs by default).</summary>
    public async Task<HttpResponseMessage> PresentAsync(CommitteeOrganisation organisation, int opener, Guid consultationId, string? passphrase = null, string? language = null)
    {
        using var browser = await SignInAsync(organisation.Openers[opener].Email);
        if (language is not null)
        {
            await browser.SwitchLanguageAsync(language);
        }
        return await browser.SubmitFormAsync(CommitteePaths.Present(consultationId), new Dictionary<string, string> { ["Passphrase"] = passphrase ?? PassphraseOf(opener) }, "#form-part");
    }

    public async Task<OpenedConsultationKey> OpenAsync(Guid consultationId, DateTime deadlineUtc)
    {
        await using var scope = app.Services.CreateAsyncScope();
        return await scope.ServiceProvider.GetRequiredService<ConsultationKeyStore>().OpenPrivateKeyAsync(consultationId, deadlineUtc, CancellationToken.None);
    }

    /// <summary>The plaintext of the consultation's sealed offer, read with the opened key.</summary>
    public async Task<byte[]> ReadSealedFileAsync(Guid consultationId, OpenedConsultationKey key)
    {
        var storageKey = await app.WithDb(db => db.DepositFiles
            .Where(f => f.Envelope == Pli.Domain.Deposits.EnvelopeKind.Offre && db.Deposits.Any(d => d.Id == f.DepositId && d.ConsultationId == consultationId)).Select(f => f.StorageKey).SingleAsync());
        await using var input = await app.Services.GetRequiredService<IFileStore>().OpenReadAsync(storageKey);
        await using var reader = await SealedFiles.OpenReaderAsync(input, key);
        using var plain = new MemoryStream();
        await reader.CopyToAsync(plain);
        return plain.ToArray();
    }

    public Task<ConsultationKeyRecord> KeyRecordAsync(Guid consultationId) =>
        app.WithDb(db => db.ConsultationKeys.AsNoTracking().SingleAsync(k => k.ConsultationId == consultationId));

    public Task<List<CommitteeShare>> SharesAsync(Guid consultationId) =>
        app.WithDb(db => db.CommitteeShares.AsNoTracking().Where(s => s.ConsultationId == consultationId).ToListAsync());
}

using System.IO.Compression;
using System.Net;
using Microsoft.EntityFrameworkCore;
using Microsoft.Extensions.DependencyInjection;
using Pli.Domain.Organisations;
using Pli.Web.Features.Deposits;
using Pli.Web.Features.Opening;
using Pli.Web.Infrastructure.Crypto;
using Pli.Web.Tests.Features.Backoffice;
using Pli.Web.Tests.Features.Deposits;
using Pli.Web.Tests.Infrastructure;

namespace Pli.Web.Tests.Features.Opening;

/// <summary>The opening of the plis through its page and downloads, on the fake clock, every refusal with what it leaves stored.</summary>
public abstract class OpeningTests(PliApp app)
{
    private readonly OpeningScenario _scenario = new(app);

    [Fact]
    public async Task Page_BeforeAndAtTheDeadline_ShowsWhenOpeningBecomesPossible_AndRefusesThePost()
    {
        var consultation = await _scenario.ConsultationAsync();
        using var company = await _scenario.Deposits.ClientAsync();
        await OpeningScenario.SealAsync(company, consultation.Id);
        using var agent = await _scenario.AgentAsync();
        app.Time.SetUtcNow(new DateTimeOffset(consultation.DeadlineUtc).AddSeconds(-1));

        var before = await agent.GetPageAsync(OpeningPaths.Page(consultation.Id));
        using var refusedBefore = await OpeningScenario.OpenCandidaturesAsync(agent, consultation.Id);
        app.Time.SetUtcNow(new DateTimeOffset(consultation.DeadlineUtc));
        using var refusedAt = await OpeningScenario.OpenCandidaturesAsync(agent, consultation.Id);

        Assert.Contains("l'ouverture sera possible après le", before.QuerySelector("#trop-tot")!.TextContent, StringComparison.Ordinal);
        Assert.Contains("heure de Paris", before.QuerySelector("#trop-tot")!.TextContent, StringComparison.Ordinal);
        Assert.Null(before.QuerySelector("#form-candidatures"));
        Assert.Contains("ne peuvent pas être ouverts avant la date limite", await BackofficeTestData.ErrorsAsync(refusedBefore), StringComparison.Ordinal);
        Assert.Contains("ne peuvent pas être ouverts avant la date limite", await BackofficeTestData.ErrorsAsync(refusedAt), StringComparison.Ordinal);
        Assert.Equal(0, await _scenario.ActCountAsync(consultation.Id));
        Assert.False(await app.WithDb(db => db.OpeningSessions.AnyAsync(s => s.ConsultationId == consultation.Id)));
    }

    [Fact]
    public async Task OpenCandidatures_TheSecondAfterTheDeadline_OpensEachRetainedCandidature_ChecksItsFiles_AndAudits()
    {
        var consultation = await _scenario.ConsultationAsync();
        using var company = await _scenario.Deposits.ClientAsync();
        using var other = await _scenario.Deposits.ClientAsync(await _scenario.Deposits.OtherCompanyUserAsync());
        var first = await OpeningScenario.SealAsync(company, consultation.Id);
        var second = await OpeningScenario.SealAsync(other, consultation.Id);
        using var agent = await _scenario.AgentAsync();
        _scenario.PassDeadline(consultation);

        await OpeningScenario.OkAsync(await OpeningScenario.OpenCandidaturesAsync(agent, consultation.Id));
        var page = await agent.GetPageAsync(OpeningPaths.Page(consultation.Id));

        Assert.Equal(2, await _scenario.ActCountAsync(consultation.Id));
        var audit = await _scenario.AuditAsync(consultation.Id, "opening.candidatures");
        Assert.Equal(2, audit.Count);
        Assert.Contains(audit, a => a.Target == $"deposit:{first}");
        Assert.Contains(audit, a => a.Target == $"deposit:{second}");
        var checks = await app.WithDb(db => db.OpenedFileChecks.AsNoTracking().ToListAsync());
        var candidature = await _scenario.FileAsync(first, "DC1.pdf");
        var check = Assert.Single(checks, c => c.DepositFileId == candidature.Id);
        Assert.Equal(FileCheckOutcome.Intact, check.Outcome);
        Assert.Equal(candidature.Sha256, check.ComputedSha256);
        Assert.Equal(OpeningScenario.Candidature.Length, check.ComputedLength);
        Assert.Equal(Pli.Web.Infrastructure.Malware.MalwareVerdict.NotScanned, check.ScanVerdict);
        Assert.Contains("Intact", page.QuerySelector($"#fichier-{candidature.Id:N} .verification")!.TextContent, StringComparison.Ordinal);
        Assert.Contains("Non analysé", page.QuerySelector($"#fichier-{candidature.Id:N} .scan")!.TextContent, StringComparison.Ordinal);
        Assert.Null(page.QuerySelector("#fichiers-alteres"));
        Assert.Null(page.QuerySelector("#form-candidatures"));
        Assert.NotNull(page.QuerySelector("#form-offres-unique"));
    }

    [Fact]
    public async Task OpenOffers_BeforeTheCandidatures_IsRefused_AndNothingIsRecorded()
    {
        var consultation = await _scenario.ConsultationAsync("Voirie", "Éclairage");
        using var company = await _scenario.Deposits.ClientAsync();
        await OpeningScenario.SealAsync(company, consultation.Id, 1, 2);
        using var agent = await _scenario.AgentAsync();
        _scenario.PassDeadline(consultation);

        using var refused = await OpeningScenario.OpenOffersAsync(agent, consultation.Id, 1);
        await OpeningScenario.OkAsync(await OpeningScenario.OpenCandidaturesAsync(agent, consultation.Id));
        await OpeningScenario.OkAsync(await OpeningScenario.OpenOffersAsync(agent, consultation.Id, 2));
        var page = await agent.GetPageAsync(OpeningPaths.Page(consultation.Id));

        Assert.Contains("Ouvrez d'abord la candidature", await BackofficeTestData.ErrorsAsync(refused), StringComparison.Ordinal);
        Assert.Equal(2, await _scenario.ActCountAsync(consultation.Id));
        Assert.Single(await _scenario.AuditAsync(consultation.Id, "opening.offers"));
        Assert.NotNull(page.QuerySelector("#form-offres-1"));
        Assert.Null(page.QuerySelector("#form-offres-2"));
    }

    [Fact]
    public async Task Downloads_AfterOpening_GiveTheUploadedBytes_ByteForByte_FileEnvelopeAndPli()
    {
        var consultation = await _scenario.ConsultationAsync();
        using var company = await _scenario.Deposits.ClientAsync();
        var deposit = await OpeningScenario.SealAsync(company, consultation.Id);
        using var agent = await _scenario.AgentAsync();
        _scenario.PassDeadline(consultation);
        await OpeningScenario.OkAsync(await OpeningScenario.OpenCandidaturesAsync(agent, consultation.Id));
        var offer = await _scenario.FileAsync(deposit, "Offre.pdf");
        using var offerBeforeOpening = await agent.GetAsync(OpeningPaths.File(consultation.Id, offer.Id));
        await OpeningScenario.OkAsync(await OpeningScenario.OpenOffersAsync(agent, consultation.Id));
        var candidature = await _scenario.FileAsync(deposit, "DC1.pdf");

        var file = await agent.Client.GetByteArrayAsync(OpeningPaths.File(consultation.Id, candidature.Id));
        var envelopeZip = await agent.Client.GetByteArrayAsync(OpeningPaths.Envelope(consultation.Id, deposit, new(Pli.Domain.Deposits.EnvelopeKind.Offre, null)));
        var pliZip = await agent.Client.GetByteArrayAsync(OpeningPaths.Pli(consultation.Id, deposit));

        Assert.Equal(HttpStatusCode.NotFound, offerBeforeOpening.StatusCode);
        Assert.Equal(OpeningScenario.Candidature, file);
        Assert.Equal(OpeningScenario.Offer, Entry(envelopeZip, "Offre.pdf"));
        Assert.Equal(OpeningScenario.Candidature, Entry(pliZip, "Candidature/DC1.pdf"));
        Assert.Equal(OpeningScenario.Offer, Entry(pliZip, "Offre/Offre.pdf"));
        var downloads = await _scenario.AuditAsync(consultation.Id, "opening.download");
        Assert.Equal(3, downloads.Count);
        Assert.All(downloads, d => Assert.Equal($"deposit:{deposit}", d.Target));
    }

    [Fact]
    public async Task TamperedSealedFile_IsShownAltered_ByName_Audited_AndNeverServed()
    {
        var consultation = await _scenario.ConsultationAsync();
        using var company = await _scenario.Deposits.ClientAsync();
        var deposit = await OpeningScenario.SealAsync(company, consultation.Id);
        var candidature = await _scenario.FileAsync(deposit, "DC1.pdf");
        _scenario.TamperStored(candidature);
        using var agent = await _scenario.AgentAsync();
        _scenario.PassDeadline(consultation);

        await OpeningScenario.OkAsync(await OpeningScenario.OpenCandidaturesAsync(agent, consultation.Id));
        var page = await agent.GetPageAsync(OpeningPaths.Page(consultation.Id));
        using var download = await agent.GetAsync(OpeningPaths.File(consultation.Id, candidature.Id));
        var zipUrl = OpeningPaths.Envelope(consultation.Id, deposit, new(Pli.Domain.Deposits.EnvelopeKind.Candidature, null));
        var zip = await agent.Client.GetByteArrayAsync(zipUrl);
        var englishZip = await agent.Client.GetByteArrayAsync(zipUrl + (zipUrl.Contains('?', StringComparison.Ordinal) ? "&" : "?") + "culture=en-GB");

        var alert = page.QuerySelector("#fichiers-alteres")!;
        Assert.Equal("alert", alert.GetAttribute("role"));
        Assert.Contains("DC1.pdf", alert.TextContent, StringComparison.Ordinal);
        Assert.Contains("ALTÉRÉ (sealed.authentication-failed)", page.QuerySelector($"#fichier-{candidature.Id:N} .verification")!.TextContent, StringComparison.Ordinal);
        var check = await app.WithDb(db => db.OpenedFileChecks.AsNoTracking().SingleAsync(c => c.DepositFileId == candidature.Id));
        Assert.Equal(FileCheckOutcome.Altered, check.Outcome);
        Assert.Equal("sealed.authentication-failed", check.AlterationCode);
        var audit = Assert.Single(await _scenario.AuditAsync(consultation.Id, "opening.file-altered"));
        Assert.Equal($"file:{candidature.Id}", audit.Target);
        Assert.Contains("DC1.pdf", audit.Detail, StringComparison.Ordinal);
        Assert.Equal(HttpStatusCode.Conflict, download.StatusCode);
        // The note that names the missing file, in the reader's language.
        using var archive = new ZipArchive(new MemoryStream(zip));
        Assert.Equal(["FICHIERS-NON-FOURNIS.txt"], archive.Entries.Select(e => e.FullName));
        Assert.StartsWith("Fichiers non fournis (altérés ou infectés", await NoteTextAsync(archive), StringComparison.Ordinal);
        using var englishArchive = new ZipArchive(new MemoryStream(englishZip));
        Assert.Equal(["FILES-NOT-PROVIDED.txt"], englishArchive.Entries.Select(e => e.FullName));
        var englishNote = await NoteTextAsync(englishArchive);
        Assert.StartsWith("Files not provided (altered or infected", englishNote, StringComparison.Ordinal);
        Assert.Contains("- DC1.pdf", englishNote, StringComparison.Ordinal);
    }

    [Fact]
    public async Task ReplacedPli_IsOpenedOnlyWithAWrittenReason_WhichIsRecorded()
    {
        var consultation = await _scenario.ConsultationAsync();
        using var company = await _scenario.Deposits.ClientAsync();
        var replaced = await OpeningScenario.SealAsync(company, consultation.Id);
        app.Time.Advance(TimeSpan.FromMinutes(1));
        var retained = await OpeningScenario.SealAsync(company, consultation.Id);
        using var agent = await _scenario.AgentAsync();
        _scenario.PassDeadline(consultation);
        await OpeningScenario.OkAsync(await OpeningScenario.OpenCandidaturesAsync(agent, consultation.Id));

        using var refused = await OpeningScenario.OpenReplacedAsync(agent, consultation.Id, replaced, "   ");
        var actsAfterRefusal = await _scenario.ActCountAsync(consultation.Id);
        await OpeningScenario.OkAsync(await OpeningScenario.OpenReplacedAsync(agent, consultation.Id, replaced, "Le pli retenu est illisible <script>alert(1)</script>"));
        var page = await agent.GetPageAsync(OpeningPaths.Page(consultation.Id));

        var errors = await TestBrowser.ParseAsync(refused);
        Assert.Contains("indiquez par écrit pourquoi", errors.QuerySelector("#erreurs")!.TextContent, StringComparison.Ordinal);
        Assert.NotNull(errors.QuerySelector($"#erreurs a[href='#Reason-{replaced:N}']"));
        Assert.Equal(1, actsAfterRefusal);
        Assert.Equal("Remplacé", page.QuerySelector($"#pli-{replaced:N} .statut")!.TextContent.Trim());
        Assert.Equal("Retenu", page.QuerySelector($"#pli-{retained:N} .statut")!.TextContent.Trim());
        var act = await app.WithDb(db => db.OpeningActs.AsNoTracking().SingleAsync(a => a.DepositId == replaced));
        Assert.Equal("Le pli retenu est illisible <script>alert(1)</script>", act.Reason);
        Assert.True(act.OfReplacedPli);
        var audit = Assert.Single(await _scenario.AuditAsync(consultation.Id, "opening.replaced"));
        Assert.Contains("motif : Le pli retenu est illisible", audit.Detail, StringComparison.Ordinal);
        var html = page.QuerySelector($"#ouvert-{replaced:N}")!.InnerHtml;
        Assert.Contains("&lt;script&gt;", html, StringComparison.Ordinal);
        Assert.DoesNotContain("<script>", html, StringComparison.Ordinal);
    }

    [Fact]
    public async Task LatePli_IsListedHorsDelai_AndCannotBeOpened()
    {
        var consultation = await _scenario.ConsultationAsync();
        using var company = await _scenario.Deposits.ClientAsync();
        var late = await _scenario.SealLateAsync(company, consultation);
        using var agent = await _scenario.AgentAsync();

        var page = await agent.GetPageAsync(OpeningPaths.Page(consultation.Id));
        using var candidatures = await OpeningScenario.OpenCandidaturesAsync(agent, consultation.Id);
        using var direct = await OpeningScenario.OpenReplacedAsync(agent, consultation.Id, late, "Ouvrir quand même");

        Assert.Equal("Hors délai — copie de sauvegarde à ouvrir", page.QuerySelector($"#pli-{late:N} .statut")!.TextContent.Trim());
        Assert.Null(page.QuerySelector("#form-candidatures"));
        Assert.Contains("Il n'y a aucune enveloppe à ouvrir", await BackofficeTestData.ErrorsAsync(candidatures), StringComparison.Ordinal);
        Assert.Contains("hors délai : il n'est jamais ouvert", await BackofficeTestData.ErrorsAsync(direct), StringComparison.Ordinal);
        Assert.Equal(0, await _scenario.ActCountAsync(consultation.Id));
    }

    [Fact]
    public async Task Downloads_WhenTheDeadlineIsAheadAgain_AreRefused_EvenForOpenedEnvelopes()
    {
        var consultation = await _scenario.ConsultationAsync();
        using var company = await _scenario.Deposits.ClientAsync();
        var deposit = await OpeningScenario.SealAsync(company, consultation.Id);
        using var agent = await _scenario.AgentAsync();
        _scenario.PassDeadline(consultation);
        await OpeningScenario.OkAsync(await OpeningScenario.OpenCandidaturesAsync(agent, consultation.Id));
        var candidature = await _scenario.FileAsync(deposit, "DC1.pdf");
        var later = app.Time.GetUtcNow().UtcDateTime.AddDays(1);
        await app.WithDb(db => db.Consultations.Where(c => c.Id == consultation.Id).ExecuteUpdateAsync(s => s.SetProperty(c => c.DeadlineUtc, later)));

        using var file = await agent.GetAsync(OpeningPaths.File(consultation.Id, candidature.Id));
        using var envelope = await agent.GetAsync(OpeningPaths.Envelope(consultation.Id, deposit, new(Pli.Domain.Deposits.EnvelopeKind.Candidature, null)));
        using var pli = await agent.GetAsync(OpeningPaths.Pli(consultation.Id, deposit));
        using var offers = await OpeningScenario.OpenOffersAsync(agent, consultation.Id);

        Assert.Equal(HttpStatusCode.Forbidden, file.StatusCode);
        Assert.Equal(HttpStatusCode.Forbidden, envelope.StatusCode);
        Assert.Equal(HttpStatusCode.Forbidden, pli.StatusCode);
        Assert.Contains("opening.too-early", await file.Content.ReadAsStringAsync(), StringComparison.Ordinal);
        Assert.Contains("ne peuvent pas être ouverts avant la date limite", await BackofficeTestData.ErrorsAsync(offers), StringComparison.Ordinal);
        Assert.Empty(await _scenario.AuditAsync(consultation.Id, "opening.download"));
        Assert.Equal(1, await _scenario.ActCountAsync(consultation.Id));
    }

    [Fact]
    public async Task AnotherOrganisationsOpener_Gets404_OnThePage_ThePost_AndTheDownloads()
    {
        var (consultation, deposit, fileId) = await OpenedCandidatureAsync();
        var (_, email) = await BackofficeTestData.CreateOrganisationWithAgentAsync(app, AgentRole.Opener | AgentRole.ConsultationManager);
        using var stranger = app.Browser();
        await stranger.SignInAsAgentAsync(email);

        await AssertNoAccessAsync(stranger, consultation, deposit, fileId);
    }

    [Fact]
    public async Task AnAgentOfTheOrganisationWithoutTheOpenerRole_Gets404_Everywhere()
    {
        var (consultation, deposit, fileId) = await OpenedCandidatureAsync();
        var email = await BackofficeTestData.CreateAgentAsync(app, await BackofficeTestData.DemoOrganisationIdAsync(app), AgentRole.ConsultationManager | AgentRole.OrganisationAdmin);
        using var manager = app.Browser();
        await manager.SignInAsAgentAsync(email);

        await AssertNoAccessAsync(manager, consultation, deposit, fileId);
    }

    [Fact]
    public async Task APlatformAdministrator_Gets404_Everywhere()
    {
        var (consultation, deposit, fileId) = await OpenedCandidatureAsync();
        using var admin = app.Browser();
        await admin.SignInAsDemoAdminAsync();

        await AssertNoAccessAsync(admin, consultation, deposit, fileId);
    }

    [Fact]
    public async Task ConsultationKeyStore_BeforeAndAtTheDeadline_RefusesTheKey()
    {
        var consultation = await _scenario.ConsultationAsync();
        using var company = await _scenario.Deposits.ClientAsync();
        await OpeningScenario.SealAsync(company, consultation.Id);
        await using var scope = app.Services.CreateAsyncScope();
        var keys = scope.ServiceProvider.GetRequiredService<ConsultationKeyStore>();
        app.Time.SetUtcNow(new DateTimeOffset(consultation.DeadlineUtc));

        var error = await Assert.ThrowsAsync<OpeningTooEarlyException>(() => keys.OpenPrivateKeyAsync(consultation.Id, consultation.DeadlineUtc, CancellationToken.None));
        app.Time.Advance(TimeSpan.FromSeconds(1));
        using var key = await keys.OpenPrivateKeyAsync(consultation.Id, consultation.DeadlineUtc, CancellationToken.None);

        Assert.Equal("opening.too-early", error.Code);
        Assert.NotEmpty(key.KeyId);
    }

    [Fact]
    public async Task ConsultationPage_LinksToTheOpening()
    {
        var consultation = await _scenario.ConsultationAsync();
        using var agent = await _scenario.AgentAsync();

        var page = await agent.GetPageAsync($"/acheteur/consultations/{consultation.Id}");

        Assert.Equal(OpeningPaths.Page(consultation.Id), page.QuerySelector("#lien-ouverture")!.GetAttribute("href"));
    }

    private async Task<(Pli.Domain.Consultations.Consultation Consultation, Guid Deposit, Guid FileId)> OpenedCandidatureAsync()
    {
        var consultation = await _scenario.ConsultationAsync();
        using var company = await _scenario.Deposits.ClientAsync();
        var deposit = await OpeningScenario.SealAsync(company, consultation.Id);
        using var agent = await _scenario.AgentAsync();
        _scenario.PassDeadline(consultation);
        await OpeningScenario.OkAsync(await OpeningScenario.OpenCandidaturesAsync(agent, consultation.Id));
        return (consultation, deposit, (await _scenario.FileAsync(deposit, "DC1.pdf")).Id);
    }

    private async Task AssertNoAccessAsync(TestBrowser browser, Pli.Domain.Consultations.Consultation consultation, Guid deposit, Guid fileId)
    {
        var acts = await _scenario.ActCountAsync(consultation.Id);
        using var page = await browser.GetAsync(OpeningPaths.Page(consultation.Id));
        using var post = await OpeningScenario.OpenOffersAsync(browser, consultation.Id);
        using var file = await browser.GetAsync(OpeningPaths.File(consultation.Id, fileId));
        using var envelope = await browser.GetAsync(OpeningPaths.Envelope(consultation.Id, deposit, new(Pli.Domain.Deposits.EnvelopeKind.Candidature, null)));
        using var pli = await browser.GetAsync(OpeningPaths.Pli(consultation.Id, deposit));

        Assert.Equal(HttpStatusCode.NotFound, page.StatusCode);
        Assert.Equal(HttpStatusCode.NotFound, post.StatusCode);
        Assert.Equal(HttpStatusCode.NotFound, file.StatusCode);
        Assert.Equal(HttpStatusCode.NotFound, envelope.StatusCode);
        Assert.Equal(HttpStatusCode.NotFound, pli.StatusCode);
        Assert.Equal(acts, await _scenario.ActCountAsync(consultation.Id));
        Assert.Empty(await _scenario.AuditAsync(consultation.Id, "opening.download"));
    }

    private static async Task<string> NoteTextAsync(ZipArchive archive)
    {
        using var reader = new StreamReader(archive.Entries.Single().Open());
        return await reader.ReadToEndAsync();
    }

    private static byte[] Entry(byte[] zip, string name)
    {
        using var archive = new ZipArchive(new MemoryStream(zip));
        var entry = archive.GetEntry(name) ?? throw new InvalidOperationException($"No {name} in {string.Join(", ", archive.Entries.Select(e => e.FullName))}");
        using var content = entry.Open();
        using var buffer = new MemoryStream();
        content.CopyTo(buffer);
        return buffer.ToArray();
    }
}

public sealed class OpeningTestsOnSqlite(DepositsSqliteApp app) : OpeningTests(app), IClassFixture<DepositsSqliteApp>;

public sealed class OpeningTestsOnPostgres(DepositsPostgresApp app) : OpeningTests(app), IClassFixture<DepositsPostgresApp>;

using System.Net;
using System.Net.Http.Json;
using System.Text.Json;
using Microsoft.EntityFrameworkCore;
using Pli.Domain.Consultations;
using Pli.Web.Features.Opening;
using Pli.Web.Infrastructure.Audit;
using Pli.Web.Tests.Features.Deposits;
using Pli.Web.Tests.Features.Portal;
using Pli.Web.Tests.Features.Uploads;
using Pli.Web.Tests.Infrastructure;

namespace Pli.Web.Tests.Features.Opening;

/// <summary>A consultation of the demo buyer, plis sealed through the company API, and the opening page's forms posted as a browser does.</summary>
public sealed class OpeningScenario(PliApp app)
{
    public static readonly byte[] Candidature = DepositScenario.PdfOfSize(70_000);
    public static readonly byte[] Offer = DepositScenario.PdfOfSize(150_000);

    public DepositScenario Deposits { get; } = new(app);

    /// <summary>A published consultation of the demo buyer whose deadline is an hour ahead (on a whole second).</summary>
    public async Task<Consultation> ConsultationAsync(params string[] lots)
    {
        var now = app.Time.GetUtcNow();
        app.Time.Advance(TimeSpan.FromTicks(TimeSpan.TicksPerSecond - (now.Ticks % TimeSpan.TicksPerSecond)));
        var builder = new ConsultationBuilder(app).Buyer(await ConsultationBuilder.DemoBuyerIdAsync(app)).DeadlineIn(TimeSpan.FromHours(1));
        foreach (var lot in lots)
        {
            builder.Lot(lot);
        }
        return await builder.SaveAsync();
    }

    /// <summary>Seals a pli with a candidature and an offer (one per lot given) and returns its id.</summary>
    public static async Task<Guid> SealAsync(HttpClient company, Guid consultationId, params int[] lots)
    {
        var deposit = DepositScenario.IdOf(await DepositScenario.StartAsync(company, consultationId, new { mode = "Solo", candidatureType = "Standard", lots }));
        await DepositScenario.UploadOkAsync(company, deposit, "candidature", "DC1.pdf", Candidature);
        if (lots.Length == 0)
        {
            await DepositScenario.UploadOkAsync(company, deposit, "offre", "Offre.pdf", Offer);
        }
        foreach (var lot in lots)
        {
            await DepositScenario.UploadOkAsync(company, deposit, "offre", $"Offre lot {lot}.pdf", Offer, lot);
        }
        using var sealedResponse = await DepositScenario.SealAsync(company, deposit);
        Assert.True(sealedResponse.StatusCode == HttpStatusCode.OK, await sealedResponse.Content.ReadAsStringAsync());
        return deposit;
    }

    /// <summary>A pli whose offer started before the deadline and arrived after it: sealed late. Leaves the clock a second after the deadline.</summary>
    public async Task<Guid> SealLateAsync(HttpClient company, Consultation consultation)
    {
        var deposit = DepositScenario.IdOf(await DepositScenario.StartAsync(company, consultation.Id));
        await DepositScenario.UploadOkAsync(company, deposit, "candidature", "DC1.pdf", Candidature);
        var url = await Tus.CreateAsync(company, Offer.Length, DepositScenario.Metadata(deposit, "offre", "Offre.pdf"));
        app.Time.SetUtcNow(new DateTimeOffset(consultation.DeadlineUtc).AddSeconds(1));
        using (var rest = await company.SendAsync(Tus.Patch(url, 0, Offer)))
        {
            Assert.Equal(HttpStatusCode.NoContent, rest.StatusCode);
        }
        using var response = await DepositScenario.SealAsync(company, deposit);
        Assert.True((await response.Content.ReadFromJsonAsync<JsonElement>()).GetProperty("late").GetBoolean());
        return deposit;
    }

    /// <summary>Moves the clock to one second after the deadline (unless it is past already).</summary>
    public void PassDeadline(Consultation consultation)
    {
        var after = new DateTimeOffset(consultation.DeadlineUtc).AddSeconds(1);
        if (after > app.Time.GetUtcNow())
        {
            app.Time.SetUtcNow(after);
        }
    }

    public async Task<TestBrowser> AgentAsync()
    {
        var browser = app.Browser();
        await browser.SignInAsDemoAgentAsync();
        return browser;
    }

    public static Task<HttpResponseMessage> OpenCandidaturesAsync(TestBrowser agent, Guid consultationId) =>
        PostAsync(agent, consultationId, "Candidatures", []);

    public static Task<HttpResponseMessage> OpenOffersAsync(TestBrowser agent, Guid consultationId, int? lot = null) =>
        PostAsync(agent, consultationId, "Offers", lot is { } n ? [new("lot", n.ToString(System.Globalization.CultureInfo.InvariantCulture))] : []);

    public static Task<HttpResponseMessage> OpenReplacedAsync(TestBrowser agent, Guid consultationId, Guid depositId, string? reason, string envelope = "candidature") =>
        PostAsync(agent, consultationId, "Replaced", [new("DepositId", depositId.ToString()), new("Envelope", envelope), new("Reason", reason ?? "")]);

    /// <summary>Posts to a handler of the opening page with an antiforgery token of the layout (the page shows no form before the deadline).</summary>
    public static async Task<HttpResponseMessage> PostAsync(TestBrowser agent, Guid consultationId, string handler, IEnumerable<KeyValuePair<string, string>> fields)
    {
        var token = (await agent.GetPageAsync("/")).QuerySelector("input[name=__RequestVerificationToken]")!.GetAttribute("value")!;
        return await agent.PostAsync($"{OpeningPaths.Page(consultationId)}?handler={handler}", [new("__RequestVerificationToken", token), .. fields]);
    }

    public static async Task OkAsync(HttpResponseMessage response)
    {
        using (response)
        {
            await Account.AccountTestKit.AssertRedirectAsync(response);
        }
    }

    public Task<int> ActCountAsync(Guid consultationId) =>
        app.WithDb(db => db.OpeningActs.CountAsync(a => db.OpeningSessions.Any(s => s.Id == a.SessionId && s.ConsultationId == consultationId)));

    public Task<List<AuditEntry>> AuditAsync(Guid consultationId, string action) =>
        app.WithDb(db => db.AuditEntries.AsNoTracking().Where(a => a.ConsultationId == consultationId && a.Action == action).ToListAsync());

    public Task<Pli.Domain.Deposits.DepositFile> FileAsync(Guid depositId, string name) =>
        app.WithDb(db => db.DepositFiles.AsNoTracking().SingleAsync(f => f.DepositId == depositId && f.Name == name));

    /// <summary>Changes one byte of the stored sealed file, as an intruder on the disk would: the last byte of its last chunk's tag.</summary>
    public void TamperStored(Pli.Domain.Deposits.DepositFile file)
    {
        var path = Path.Combine(app.DataRoot, "files", file.StorageKey);
        var bytes = File.ReadAllBytes(path);
        bytes[^1] ^= 0x01;
        File.WriteAllBytes(path, bytes);
    }
}

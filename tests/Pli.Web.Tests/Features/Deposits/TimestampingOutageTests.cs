using System.Net;
using System.Net.Http.Json;
using System.Text.Json;
using Microsoft.AspNetCore.Hosting;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.DependencyInjection.Extensions;
using Microsoft.EntityFrameworkCore;
using Pli.Web.Features.Deposits;
using Pli.Web.Infrastructure.Data;
using Pli.Web.Infrastructure.Timestamping;
using Pli.Web.Tests.Infrastructure;

namespace Pli.Web.Tests.Features.Deposits;

/// <summary>Pli whose time-stamping authority does not answer.</summary>
public sealed class TimestampingOutageApp : SqliteApp
{
    protected override void ConfigureWebHost(IWebHostBuilder builder)
    {
        base.ConfigureWebHost(builder);
        builder.ConfigureServices(services =>
        {
            services.RemoveAll<ITimestampAuthority>();
            services.AddSingleton<ITimestampAuthority>(sp => new SwitchableAuthority(Authority, sp.GetRequiredService<EmbeddedTimestampAuthority>()));
        });
    }

    /// <summary>Whether the authority answers (down unless a test brings it back).</summary>
    public AuthoritySwitch Authority { get; } = new();

    public sealed class AuthoritySwitch
    {
        public bool Up { get; set; }
    }

    private sealed class SwitchableAuthority(AuthoritySwitch state, ITimestampAuthority real) : ITimestampAuthority
    {
        public Task<TimestampResult> StampAsync(ReadOnlyMemory<byte> sha256Digest, CancellationToken cancellationToken = default) =>
            state.Up ? real.StampAsync(sha256Digest, cancellationToken) : throw new TimestampingException("L'autorité d'horodatage ne répond pas.");

        public Task<string> GetCertificatePemAsync(CancellationToken cancellationToken = default) =>
            state.Up ? real.GetCertificatePemAsync(cancellationToken) : throw new TimestampingException("L'autorité d'horodatage ne répond pas.");
    }
}

/// <summary>An authority that does not answer never costs a deposit: the pli is sealed, its receipt says the token is missing.</summary>
public sealed class TimestampingOutageTests(TimestampingOutageApp app) : IClassFixture<TimestampingOutageApp>
{
    [Fact]
    public async Task Seal_WhileTheAuthorityIsDown_SealsAndMailsTheReceipt_WithoutAToken()
    {
        var scenario = new DepositScenario(app);
        var consultation = await scenario.ConsultationAsync();
        using var client = await scenario.ClientAsync();
        var deposit = DepositScenario.IdOf(await DepositScenario.StartAsync(client, consultation.Id));
        await DepositScenario.UploadOkAsync(client, deposit, "candidature", "DC1.pdf", DepositScenario.Pdf);
        await DepositScenario.UploadOkAsync(client, deposit, "offre", "Offre.pdf", DepositScenario.Pdf);

        using var sealedResponse = await DepositScenario.SealAsync(client, deposit);
        using var token = await client.GetAsync($"/api/deposits/{deposit}/receipt.tsr");
        using var pdf = await client.GetAsync($"/api/deposits/{deposit}/receipt.pdf");

        Assert.Equal(HttpStatusCode.OK, sealedResponse.StatusCode);
        var receipt = await sealedResponse.Content.ReadFromJsonAsync<JsonElement>();
        Assert.False(receipt.GetProperty("timeStamped").GetBoolean());
        Assert.Equal("Sealed", (await client.GetFromJsonAsync<JsonElement>($"/api/deposits/{deposit}")).GetProperty("status").GetString());
        Assert.Equal(HttpStatusCode.NotFound, token.StatusCode);
        Assert.Equal(HttpStatusCode.OK, pdf.StatusCode);
        Assert.Contains(app.MailsTo(Pli.Web.Features.Demo.DemoData.CompanyEmail), m => m.Subject?.Contains(receipt.GetProperty("number").GetString()!, StringComparison.Ordinal) == true);
    }
}

/// <summary>
/// A receipt left without its token (the authority was down) or without its mail (the process died between the
/// seal's two saves) is finished later, once, by <see cref="ReceiptCompletion"/>.
/// </summary>
public sealed class ReceiptCompletionTests(TimestampingOutageApp app) : IClassFixture<TimestampingOutageApp>
{
    private async Task<(Guid Deposit, string Number)> SealAsync()
    {
        var scenario = new DepositScenario(app);
        var consultation = await scenario.ConsultationAsync();
        using var client = await scenario.ClientAsync();
        var deposit = DepositScenario.IdOf(await DepositScenario.StartAsync(client, consultation.Id));
        await DepositScenario.UploadOkAsync(client, deposit, "candidature", "DC1.pdf", DepositScenario.Pdf);
        await DepositScenario.UploadOkAsync(client, deposit, "offre", "Offre.pdf", DepositScenario.Pdf);
        using var sealedResponse = await DepositScenario.SealAsync(client, deposit);
        Assert.Equal(HttpStatusCode.OK, sealedResponse.StatusCode);
        return (deposit, (await sealedResponse.Content.ReadFromJsonAsync<JsonElement>()).GetProperty("number").GetString()!);
    }

    private Task<DepositReceipt> ReceiptAsync(Guid deposit) =>
        app.WithDb(db => db.DepositReceipts.AsNoTracking().SingleAsync(r => r.DepositId == deposit));

    private int ReceiptMails(string number) =>
        app.MailsTo(Pli.Web.Features.Demo.DemoData.CompanyEmail).Count(m => m.Subject?.Contains(number, StringComparison.Ordinal) == true);

    private Task<int> CompleteAsync() => app.Services.GetRequiredService<ReceiptCompletion>().CompleteDueAsync();

    [Fact]
    public async Task A_receipt_sealed_while_the_authority_was_down_gets_its_token_later_and_no_second_mail()
    {
        app.Authority.Up = false;
        var (deposit, number) = await SealAsync();
        Assert.Null((await ReceiptAsync(deposit)).CompletedUtc);
        Assert.Equal(1, ReceiptMails(number));

        app.Authority.Up = true;
        // Within a minute the request that issued it may still be finishing it.
        await CompleteAsync();
        Assert.Null((await ReceiptAsync(deposit)).TimestampResponse);
        app.Time.Advance(TimeSpan.FromSeconds(61));
        await CompleteAsync();

        var receipt = await ReceiptAsync(deposit);
        Assert.NotNull(receipt.TimestampResponse);
        Assert.NotNull(receipt.CompletedUtc);
        Assert.Null(receipt.CompletionLeaseUntilUtc);
        Assert.Equal(1, ReceiptMails(number));
    }

    [Fact]
    public async Task A_receipt_whose_process_died_before_its_second_save_is_stamped_and_mailed_once()
    {
        app.Authority.Up = true;
        var (deposit, number) = await SealAsync();
        Assert.NotNull((await ReceiptAsync(deposit)).CompletedUtc);
        // What a kill -9 between the two saves leaves: the seal and its receipt, no token, no mail.
        await app.WithDb(async db =>
        {
            await db.OutboxMails.Where(m => m.Subject.Contains(number)).ExecuteDeleteAsync();
            await db.DepositReceipts.Where(r => r.DepositId == deposit).ExecuteUpdateAsync(s => s
                .SetProperty(r => r.TimestampResponse, (byte[]?)null).SetProperty(r => r.TimestampGenTimeUtc, (DateTime?)null)
                .SetProperty(r => r.TimestampSerial, (string?)null).SetProperty(r => r.TimestampAuthority, (string?)null)
                .SetProperty(r => r.MailQueuedUtc, (DateTime?)null).SetProperty(r => r.CompletedUtc, (DateTime?)null));
        });
        var before = ReceiptMails(number);

        app.Time.Advance(TimeSpan.FromSeconds(61));
        await CompleteAsync();
        await CompleteAsync();

        var receipt = await ReceiptAsync(deposit);
        Assert.NotNull(receipt.TimestampResponse);
        Assert.NotNull(receipt.MailQueuedUtc);
        Assert.NotNull(receipt.CompletedUtc);
        Assert.Equal(before + 1, ReceiptMails(number));
    }

    [Fact]
    public async Task A_receipt_claimed_by_another_instance_is_left_to_it()
    {
        app.Authority.Up = true;
        var (deposit, _) = await SealAsync();
        var until = app.Time.GetUtcNow().UtcDateTime.AddMinutes(5);
        await app.WithDb(db => db.DepositReceipts.Where(r => r.DepositId == deposit).ExecuteUpdateAsync(s => s
            .SetProperty(r => r.TimestampResponse, (byte[]?)null).SetProperty(r => r.CompletedUtc, (DateTime?)null)
            .SetProperty(r => r.CompletionLeaseUntilUtc, until)));

        app.Time.Advance(TimeSpan.FromSeconds(61));
        await CompleteAsync();

        Assert.Null((await ReceiptAsync(deposit)).TimestampResponse);
    }
}

public sealed class ReceiptCompletionSettingTests
{
    [Theory]
    [InlineData("0")]
    [InlineData("3601")]
    public void Start_WithAGraceOutOfBounds_FailsNamingTheSetting(string seconds)
    {
        using var app = new GraceApp(seconds);

        var error = Assert.ThrowsAny<Exception>(() => app.Services);

        Assert.Contains("ReceiptCompletionGraceSeconds", error.ToString(), StringComparison.Ordinal);
    }

    private sealed class GraceApp(string seconds) : PliApp
    {
        public override DatabaseProvider Provider => DatabaseProvider.Sqlite;

        protected override string ConnectionString => $"Data Source={Path.Combine(DataRoot, "pli.db")}";

        protected override IDictionary<string, string?> Settings => new Dictionary<string, string?> { ["Deposits:ReceiptCompletionGraceSeconds"] = seconds };
    }
}

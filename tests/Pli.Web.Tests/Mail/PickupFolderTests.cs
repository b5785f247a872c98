using System.Net;
using Microsoft.AspNetCore.Hosting;
using Microsoft.Extensions.DependencyInjection;
using Pli.Web.Infrastructure.Mail;
using Pli.Web.Tests.Infrastructure;

namespace Pli.Web.Tests.Mail;

/// <summary>The embedded default: with no SMTP server configured, mails are .eml files, listed on a development-only page.</summary>
public sealed class PickupFolderTests
{
    [Fact]
    public async Task WithoutSmtp_MailsAreWrittenToThePickupFolder_AndListedInDevelopment()
    {
        using var app = new PickupApp("Development");
        using var browser = app.Browser();
        await EnqueueAsync(app);
        await app.Services.GetRequiredService<OutboxDispatcher>().DispatchDueAsync();

        var files = Directory.GetFiles(app.MailDirectory, "*.eml");
        var list = await browser.GetPageAsync("/dev/courriels");
        var link = list.QuerySelector("main table a")!.GetAttribute("href")!;
        var detail = await browser.GetPageAsync(link);

        Assert.Single(files);
        Assert.Empty(app.Smtp.Received);
        Assert.Contains("Réponse publiée", list.QuerySelector("main table")!.TextContent, StringComparison.Ordinal);
        Assert.Equal("https://localhost/consultations/42", detail.QuerySelector("#courriel-liens a")!.GetAttribute("href"));
        Assert.Contains("Une réponse est publiée.", detail.GetElementById("courriel-texte")!.TextContent, StringComparison.Ordinal);
    }

    [Theory]
    [InlineData("Testing")]
    [InlineData("Production")]
    public async Task PickupPage_DoesNotExistOutsideDevelopment(string environment)
    {
        using var app = new PickupApp(environment);
        using var browser = app.Browser();

        using var response = await browser.GetAsync("/dev/courriels");

        Assert.Equal(HttpStatusCode.NotFound, response.StatusCode);
    }

    private static async Task EnqueueAsync(PliApp app)
    {
        await using var scope = app.Services.CreateAsyncScope();
        var template = scope.ServiceProvider.GetRequiredService<MailTemplate>();
        await scope.ServiceProvider.GetRequiredService<MailOutbox>().SendAsync(
            template.Create("entreprise@example.org", "Réponse publiée à une question", ["Une réponse est publiée."], "Voir la réponse", "https://localhost/consultations/42"));
    }

    private sealed class PickupApp(string environment) : SqliteApp
    {
        protected override IDictionary<string, string?> Settings => new Dictionary<string, string?>
        {
            ["Mail:Smtp:Host"] = "",
            ["Crypto:MasterKey"] = Convert.ToBase64String(System.Security.Cryptography.RandomNumberGenerator.GetBytes(32)),
        };

        protected override void ConfigureWebHost(IWebHostBuilder builder)
        {
            base.ConfigureWebHost(builder);
            builder.UseEnvironment(environment);
        }
    }
}

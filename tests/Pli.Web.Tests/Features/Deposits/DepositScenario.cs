using System.Net;
using System.Net.Http.Headers;
using System.Net.Http.Json;
using System.Text;
using System.Text.Json;
using Microsoft.AspNetCore.Identity;
using Microsoft.Extensions.DependencyInjection;
using Pli.Domain.Companies;
using Pli.Domain.Consultations;
using Pli.Web.Features.Demo;
using Pli.Web.Infrastructure.Data;
using Pli.Web.Tests.Features.Portal;
using Pli.Web.Tests.Features.Uploads;
using Pli.Web.Tests.Infrastructure;

namespace Pli.Web.Tests.Features.Deposits;

/// <summary>Pli with small deposit limits, so that the limits can be crossed with small files.</summary>
public static class DepositSettings
{
    public const long MaxFileSize = 256 * 1024;
    public const long MaxDepositSize = 600 * 1024;

    public static IDictionary<string, string?> Values => new Dictionary<string, string?>
    {
        ["Deposits:MaxFileSize"] = MaxFileSize.ToString(System.Globalization.CultureInfo.InvariantCulture),
        ["Deposits:MaxDepositSize"] = MaxDepositSize.ToString(System.Globalization.CultureInfo.InvariantCulture),
    };
}

public sealed class DepositsSqliteApp : SqliteApp
{
    protected override IDictionary<string, string?> Settings => DepositSettings.Values;
}

public sealed class DepositsPostgresApp : PostgresApp
{
    protected override IDictionary<string, string?> Settings => DepositSettings.Values;
}

public sealed class DepositsPostgresS3App : PostgresS3App
{
    protected override IDictionary<string, string?> Settings => new Dictionary<string, string?>(base.Settings.Concat(DepositSettings.Values));
}

/// <summary>A company, a consultation and the calls a deposit takes, through the public API only.</summary>
public sealed class DepositScenario(PliApp app)
{
    public static readonly byte[] Pdf = Encoding.ASCII.GetBytes("%PDF-1.7\n% offre de test\n1 0 obj << /Type /Catalog >> endobj\ntrailer << /Root 1 0 R >>\n%%EOF\n");

    public static byte[] PdfOfSize(int size)
    {
        var bytes = new byte[size];
        System.Security.Cryptography.RandomNumberGenerator.Fill(bytes);
        "%PDF-1.7\n"u8.CopyTo(bytes);
        return bytes;
    }

    public PliApp App => app;

    public Task<Consultation> ConsultationAsync(TimeSpan? deadlineIn = null, params string[] lots)
    {
        var builder = new ConsultationBuilder(app).DeadlineIn(deadlineIn ?? TimeSpan.FromDays(10));
        foreach (var lot in lots)
        {
            builder.Lot(lot);
        }
        return builder.SaveAsync();
    }

    /// <summary>
    /// A client acting as the user with a bearer token, renewed whenever the fake clock has moved past
    /// part of its life: tests cross deadlines hours ahead, tokens live 15 minutes.
    /// </summary>
    public Task<HttpClient> ClientAsync(string email = DemoData.CompanyEmail, string password = DemoData.Password)
    {
        var client = app.CreateDefaultClient(app.ClientBaseAddress, new BearerHandler(app, email, password));
        return Task.FromResult(client);
    }

    private sealed class BearerHandler(PliApp app, string email, string password) : DelegatingHandler
    {
        private string? _token;
        private DateTimeOffset _fetched;

        protected override async Task<HttpResponseMessage> SendAsync(HttpRequestMessage request, CancellationToken cancellationToken)
        {
            var now = app.Time.GetUtcNow();
            if (_token is null || now - _fetched > TimeSpan.FromMinutes(5))
            {
                using var tokens = app.CreateClient(new() { BaseAddress = app.ClientBaseAddress, AllowAutoRedirect = false, HandleCookies = false });
                using var response = await tokens.PostAsJsonAsync("/api/auth/token", new { email, password }, cancellationToken);
                Assert.Equal(HttpStatusCode.OK, response.StatusCode);
                _token = (await response.Content.ReadFromJsonAsync<JsonElement>(cancellationToken)).GetProperty("accessToken").GetString();
                _fetched = now;
            }
            request.Headers.Authorization = new AuthenticationHeaderValue("Bearer", _token);
            return await base.SendAsync(request, cancellationToken);
        }
    }

    /// <summary>Another company with one user, to prove that a deposit is invisible to it.</summary>
    public async Task<string> OtherCompanyUserAsync()
    {
        var email = $"autre-{Guid.NewGuid():N}@concurrent.localhost";
        await using var scope = app.Services.CreateAsyncScope();
        var db = scope.ServiceProvider.GetRequiredService<PliDbContext>();
        var company = Company.CreateForeign("Concurrent " + email[6..12], "BE", "BE" + Random.Shared.NextInt64(1_000_000_000, 9_999_999_999), new Address("1 rue", "1000", "Bruxelles", "BE"), app.Time.GetUtcNow().UtcDateTime);
        db.Companies.Add(company);
        await db.SaveChangesAsync();
        var users = scope.ServiceProvider.GetRequiredService<UserManager<PliUser>>();
        var user = new PliUser { Email = email, UserName = email, EmailConfirmed = true, FullName = "Autre", CompanyId = company.Id, IsCompanyAdmin = true, CreatedUtc = app.Time.GetUtcNow().UtcDateTime };
        var result = await users.CreateAsync(user, DemoData.Password);
        Assert.True(result.Succeeded);
        return email;
    }

    public static async Task<JsonElement> StartAsync(HttpClient client, Guid consultationId, object? body = null)
    {
        using var response = await client.PostAsJsonAsync($"/api/consultations/{consultationId}/deposits", body ?? new { mode = "Solo", candidatureType = "Standard", lots = Array.Empty<int>() });
        Assert.True(response.StatusCode == HttpStatusCode.Created, $"{response.StatusCode}: {await response.Content.ReadAsStringAsync()}");
        return await response.Content.ReadFromJsonAsync<JsonElement>();
    }

    public static string Metadata(Guid depositId, string envelope, string fileName, int? lot = null)
    {
        static string B64(string s) => Convert.ToBase64String(Encoding.UTF8.GetBytes(s));
        var pairs = new List<string> { "deposit " + B64(depositId.ToString()), "envelope " + B64(envelope), "filename " + B64(fileName) };
        if (lot is { } n)
        {
            pairs.Add("lot " + B64(n.ToString(System.Globalization.CultureInfo.InvariantCulture)));
        }
        return string.Join(',', pairs);
    }

    /// <summary>Creates the upload with its whole body (creation-with-upload), as a small client does.</summary>
    public static Task<HttpResponseMessage> UploadAsync(HttpClient client, Guid depositId, string envelope, string fileName, byte[] content, int? lot = null) =>
        client.SendAsync(Tus.Create(content.Length, Metadata(depositId, envelope, fileName, lot), content.Length == 0 ? null : content));

    public static async Task UploadOkAsync(HttpClient client, Guid depositId, string envelope, string fileName, byte[] content, int? lot = null)
    {
        using var response = await UploadAsync(client, depositId, envelope, fileName, content, lot);
        Assert.True(response.StatusCode == HttpStatusCode.Created, $"{response.StatusCode}: {await response.Content.ReadAsStringAsync()}");
    }

    public static Task<HttpResponseMessage> SealAsync(HttpClient client, Guid depositId, bool acceptTerms = true, bool backupCopy = false) =>
        client.PostAsJsonAsync($"/api/deposits/{depositId}/seal", new { acceptTerms, backupCopyDeclared = backupCopy });

    public static async Task<string> CodeOfAsync(HttpResponseMessage response)
    {
        var body = await response.Content.ReadAsStringAsync();
        Assert.True(response.StatusCode == HttpStatusCode.BadRequest, $"{response.StatusCode}: {body}");
        return JsonDocument.Parse(body).RootElement.GetProperty("code").GetString()!;
    }

    public static Guid IdOf(JsonElement deposit) => deposit.GetProperty("id").GetGuid();
}

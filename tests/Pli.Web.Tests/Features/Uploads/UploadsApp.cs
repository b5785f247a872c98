using System.Collections.Concurrent;
using System.Net;
using System.Net.Http.Headers;
using System.Net.Http.Json;
using System.Text.Json;
using Microsoft.AspNetCore.Hosting;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.DependencyInjection.Extensions;
using Pli.Web.Features.Demo;
using Pli.Web.Features.Uploads;
using Pli.Web.Tests.Infrastructure;

namespace Pli.Web.Tests.Features.Uploads;

/// <summary>Pli on SQLite (uploads do not touch the database) with a hook that records completed uploads.</summary>
public class UploadsApp : SqliteApp
{
    public UploadsApp()
    {
    }

    protected UploadsApp(string? sharedDataRoot)
        : base(sharedDataRoot)
    {
    }

    public RecordingUploadCompleted Completed { get; } = new();

    public IUploadStore Store => Services.GetRequiredService<IUploadStore>();

    public string UploadsDirectory => Path.Combine(DataRoot, "files", "uploads");

    protected override void ConfigureWebHost(IWebHostBuilder builder)
    {
        base.ConfigureWebHost(builder);
        builder.ConfigureServices(services =>
        {
            services.RemoveAll<IUploadCompleted>();
            services.AddSingleton<IUploadCompleted>(Completed);
        });
    }

    /// <summary>A client carrying the demo company's bearer token (fresh: tokens follow the fake clock).</summary>
    public async Task<HttpClient> CompanyClientAsync()
    {
        var client = CreateClient(new() { BaseAddress = new Uri("https://localhost"), AllowAutoRedirect = false, HandleCookies = false });
        using var response = await client.PostAsJsonAsync("/api/auth/token", new { email = DemoData.CompanyEmail, password = DemoData.Password });
        Assert.Equal(HttpStatusCode.OK, response.StatusCode);
        var token = (await response.Content.ReadFromJsonAsync<JsonElement>()).GetProperty("accessToken").GetString();
        client.DefaultRequestHeaders.Authorization = new AuthenticationHeaderValue("Bearer", token);
        return client;
    }
}

public sealed class RecordingUploadCompleted : IUploadCompleted
{
    public ConcurrentBag<string> Ids { get; } = [];

    public Task OnCompletedAsync(UploadInfo upload, CancellationToken cancellationToken)
    {
        Ids.Add(upload.Id);
        return Task.CompletedTask;
    }
}

/// <summary>Builds tus requests the way a client sends them.</summary>
public static class Tus
{
    public static HttpRequestMessage Request(HttpMethod method, string url, bool resumable = true)
    {
        var request = new HttpRequestMessage(method, url);
        if (resumable)
        {
            request.Headers.Add("Tus-Resumable", "1.0.0");
        }
        return request;
    }

    public static HttpRequestMessage Create(long length, string? metadata = null, byte[]? body = null)
    {
        var request = Request(HttpMethod.Post, "/api/uploads/");
        request.Headers.Add("Upload-Length", length.ToString(System.Globalization.CultureInfo.InvariantCulture));
        if (metadata is not null)
        {
            request.Headers.Add("Upload-Metadata", metadata);
        }
        if (body is not null)
        {
            request.Content = Bytes(body);
        }
        return request;
    }

    public static HttpRequestMessage Patch(string url, long offset, HttpContent content, string? checksum = null)
    {
        var request = Request(HttpMethod.Patch, url);
        request.Headers.Add("Upload-Offset", offset.ToString(System.Globalization.CultureInfo.InvariantCulture));
        if (checksum is not null)
        {
            request.Headers.Add("Upload-Checksum", checksum);
        }
        request.Content = content;
        return request;
    }

    public static HttpRequestMessage Patch(string url, long offset, byte[] body, string? checksum = null) => Patch(url, offset, Bytes(body), checksum);

    public static ByteArrayContent Bytes(byte[] body, string contentType = "application/offset+octet-stream")
    {
        var content = new ByteArrayContent(body);
        content.Headers.ContentType = new MediaTypeHeaderValue(contentType);
        return content;
    }

    public static async Task<string> CreateAsync(HttpClient client, long length, string? metadata = null)
    {
        using var response = await client.SendAsync(Create(length, metadata));
        Assert.Equal(HttpStatusCode.Created, response.StatusCode);
        return response.Headers.Location!.ToString();
    }

    public static async Task<long> OffsetAsync(HttpClient client, string url)
    {
        using var response = await client.SendAsync(Request(HttpMethod.Head, url));
        Assert.Equal(HttpStatusCode.OK, response.StatusCode);
        return long.Parse(response.Headers.GetValues("Upload-Offset").Single(), System.Globalization.CultureInfo.InvariantCulture);
    }

    public static string IdOf(string url) => url[(url.LastIndexOf('/') + 1)..];

    public static byte[] RandomBytes(int length) => System.Security.Cryptography.RandomNumberGenerator.GetBytes(length);
}

/// <summary>A body sent in two parts: the second waits for <see cref="Release"/>.</summary>
public sealed class SlowContent(byte[] body, int firstPart) : HttpContent
{
    public TaskCompletionSource FirstPartSent { get; } = new(TaskCreationOptions.RunContinuationsAsynchronously);

    public TaskCompletionSource Release { get; } = new(TaskCreationOptions.RunContinuationsAsynchronously);

    protected override async Task SerializeToStreamAsync(Stream stream, TransportContext? context)
    {
        await stream.WriteAsync(body.AsMemory(0, firstPart));
        await stream.FlushAsync();
        FirstPartSent.TrySetResult();
        await Release.Task;
        await stream.WriteAsync(body.AsMemory(firstPart));
    }

    protected override bool TryComputeLength(out long length)
    {
        length = body.Length;
        return true;
    }
}

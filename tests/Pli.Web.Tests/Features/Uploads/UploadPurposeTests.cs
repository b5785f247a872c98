using System.Net;
using System.Net.Http.Json;
using System.Text;
using System.Text.Json;
using static Pli.Web.Tests.Features.Uploads.Tus;

namespace Pli.Web.Tests.Features.Uploads;

/// <summary>The tus server hands each upload to the purpose its metadata names; a purpose nobody serves is refused.</summary>
public sealed class UploadPurposeTests(UploadsApp app) : IClassFixture<UploadsApp>
{
    private static string B64(string s) => Convert.ToBase64String(Encoding.UTF8.GetBytes(s));

    [Fact]
    public async Task Post_WithAnUnknownPurpose_Is400WithTheRule_AndStoresNothing()
    {
        using var client = await app.CompanyClientAsync();
        var before = Directory.Exists(app.UploadsDirectory) ? Directory.GetFiles(app.UploadsDirectory).Length : 0;

        using var response = await client.SendAsync(Create(10, $"purpose {B64("avatar")},filename {B64("photo.pdf")}"));

        Assert.Equal(HttpStatusCode.BadRequest, response.StatusCode);
        var problem = await response.Content.ReadFromJsonAsync<JsonElement>();
        Assert.Equal("upload.purpose-unknown", problem.GetProperty("code").GetString());
        Assert.Contains("« avatar »", problem.GetProperty("title").GetString(), StringComparison.Ordinal);
        Assert.Equal(before, Directory.Exists(app.UploadsDirectory) ? Directory.GetFiles(app.UploadsDirectory).Length : 0);
    }

    [Fact]
    public async Task Post_WithoutPurpose_IsADepositUpload_AsBefore()
    {
        using var client = await app.CompanyClientAsync();

        using var response = await client.SendAsync(Create(10, $"filename {B64("photo.pdf")}"));

        Assert.Equal(HttpStatusCode.Created, response.StatusCode);
    }
}

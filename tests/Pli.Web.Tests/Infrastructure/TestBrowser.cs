using System.Net;
using System.Net.Http.Headers;
using AngleSharp.Html.Dom;
using AngleSharp.Html.Parser;

namespace Pli.Web.Tests.Infrastructure;

/// <summary>
/// A person's browser, without JavaScript: it keeps cookies, reads pages with AngleSharp and
/// submits forms the way a browser does, antiforgery token included.
/// </summary>
public sealed class TestBrowser(HttpClient client, PliApp app) : IDisposable
{
    private static readonly HtmlParser Parser = new();

    public HttpClient Client { get; } = client;

    public Task<HttpResponseMessage> GetAsync(string url) => Client.GetAsync(url);

    /// <summary>Gets a page and parses it; fails the test unless it answers 200.</summary>
    public async Task<IHtmlDocument> GetPageAsync(string url)
    {
        using var response = await Client.GetAsync(url);
        var html = await response.Content.ReadAsStringAsync();
        Assert.True(response.StatusCode == HttpStatusCode.OK, $"GET {url} answered {(int)response.StatusCode} {response.Headers.Location}\n{Excerpt(html)}");
        return await Parser.ParseDocumentAsync(html);
    }

    /// <summary>Chooses the language with the header's switch ("fr", "en"), as a person does.</summary>
    public async Task SwitchLanguageAsync(string language)
    {
        using var response = await SubmitFormAsync("/", new Dictionary<string, string> { ["culture"] = language }, "form.lang-form");
        Assert.Equal(HttpStatusCode.Redirect, response.StatusCode);
    }

    public static Task<IHtmlDocument> ParseAsync(string html) => Parser.ParseDocumentAsync(html);

    public static async Task<IHtmlDocument> ParseAsync(HttpResponseMessage response) => await Parser.ParseDocumentAsync(await response.Content.ReadAsStringAsync());

    /// <summary>
    /// Opens <paramref name="pageUrl"/>, fills the form (the first POST form inside main, or the one
    /// matching <paramref name="formSelector"/>) with its current values overridden by
    /// <paramref name="fields"/>, and submits it.
    /// </summary>
    public async Task<HttpResponseMessage> SubmitFormAsync(string pageUrl, IEnumerable<KeyValuePair<string, string>> fields,
        string? formSelector = null, IEnumerable<(string Field, string FileName, byte[] Content)>? files = null)
    {
        var page = await GetPageAsync(pageUrl);
        var form = (formSelector is null
            ? page.QuerySelectorAll("main form").OfType<IHtmlFormElement>().FirstOrDefault(f => string.Equals(f.Method, "post", StringComparison.OrdinalIgnoreCase))
            : page.QuerySelector(formSelector) as IHtmlFormElement)
            ?? throw new InvalidOperationException($"No form {formSelector} on {pageUrl}");
        var values = new List<KeyValuePair<string, string>>();
        foreach (var input in form.Elements.OfType<IHtmlInputElement>())
        {
            if (string.IsNullOrEmpty(input.Name) || input.Type is "submit" or "file" or "button")
            {
                continue;
            }
            if (input.Type is "checkbox" or "radio" && !input.IsChecked)
            {
                continue;
            }
            values.Add(new(input.Name, input.Value));
        }
        foreach (var select in form.Elements.OfType<IHtmlSelectElement>().Where(s => !string.IsNullOrEmpty(s.Name)))
        {
            values.Add(new(select.Name!, select.Value ?? ""));
        }
        foreach (var area in form.Elements.OfType<IHtmlTextAreaElement>().Where(t => !string.IsNullOrEmpty(t.Name)))
        {
            values.Add(new(area.Name!, area.Value));
        }
        var overrides = fields.ToList();
        values.RemoveAll(v => overrides.Any(o => o.Key == v.Key));
        values.AddRange(overrides);
        var action = string.IsNullOrEmpty(form.GetAttribute("action")) ? pageUrl : form.GetAttribute("action")!;
        return await PostAsync(action, values, files);
    }

    public Task<HttpResponseMessage> SubmitFormAsync(string pageUrl, object fields, string? formSelector = null) =>
        SubmitFormAsync(pageUrl, ToPairs(fields), formSelector);

    /// <summary>Posts fields (and files) as a browser would, the antiforgery token already among the fields.</summary>
    public async Task<HttpResponseMessage> PostAsync(string url, IEnumerable<KeyValuePair<string, string>> values,
        IEnumerable<(string Field, string FileName, byte[] Content)>? files = null)
    {
        HttpContent content;
        if (files is null)
        {
            content = new FormUrlEncodedContent(values);
        }
        else
        {
            var multipart = new MultipartFormDataContent();
            foreach (var (key, value) in values)
            {
                multipart.Add(new StringContent(value), key);
            }
            foreach (var (field, fileName, bytes) in files)
            {
                var part = new ByteArrayContent(bytes);
                part.Headers.ContentType = new MediaTypeHeaderValue("application/octet-stream");
                multipart.Add(part, field, fileName);
            }
            content = multipart;
        }
        using (content)
        {
            return await Client.PostAsync(url, content);
        }
    }

    /// <summary>Signs in through the real pages; with a TOTP secret, passes the second step too.</summary>
    public async Task SignInAsync(string email, string password, string? totpSecret = null)
    {
        using var response = await SubmitFormAsync("/compte/connexion", new Dictionary<string, string> { ["Email"] = email, ["Password"] = password });
        Assert.True(response.StatusCode == HttpStatusCode.Redirect, $"Sign-in of {email} answered {(int)response.StatusCode}\n{Excerpt(await response.Content.ReadAsStringAsync())}");
        if (response.Headers.Location?.OriginalString.StartsWith("/compte/connexion-2fa", StringComparison.Ordinal) == true)
        {
            Assert.NotNull(totpSecret);
            using var second = await SubmitFormAsync(response.Headers.Location.OriginalString,
                new Dictionary<string, string> { ["Code"] = Totp.Code(totpSecret!, TimeProvider.System.GetUtcNow()) });
            Assert.True(second.StatusCode == HttpStatusCode.Redirect, $"Second factor of {email} answered {(int)second.StatusCode}\n{Excerpt(await second.Content.ReadAsStringAsync())}");
        }
    }

    public Task SignInAsDemoAgentAsync() => SignInAsync(Pli.Web.Features.Demo.DemoData.AgentEmail, Pli.Web.Features.Demo.DemoData.Password, Pli.Web.Features.Demo.DemoData.TotpSecret);

    public Task SignInAsDemoCompanyAsync() => SignInAsync(Pli.Web.Features.Demo.DemoData.CompanyEmail, Pli.Web.Features.Demo.DemoData.Password);

    public Task SignInAsDemoAdminAsync() => SignInAsync(Pli.Web.Features.Demo.DemoData.AdminEmail, Pli.Web.Features.Demo.DemoData.Password, Pli.Web.Features.Demo.DemoData.TotpSecret);

    public PliApp App { get; } = app;

    public static IEnumerable<KeyValuePair<string, string>> ToPairs(object fields) =>
        fields is IEnumerable<KeyValuePair<string, string>> pairs
            ? pairs
            : fields.GetType().GetProperties().Select(p => new KeyValuePair<string, string>(p.Name, Convert.ToString(p.GetValue(fields), System.Globalization.CultureInfo.InvariantCulture) ?? ""));

    public static string Excerpt(string html) => html.Length > 3000 ? html[..3000] : html;

    public void Dispose() => Client.Dispose();
}

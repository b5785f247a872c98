using System.Net;
using Pli.Web.Features.Help;
using Pli.Web.Infrastructure.Data;
using Pli.Web.Tests.Infrastructure;

namespace Pli.Web.Tests.Features.Help;

/// <summary>Help pages with limits and an assistance set by configuration, as an operator would.</summary>
public sealed class ConfiguredHelpApp : SqliteApp
{
    protected override IDictionary<string, string?> Settings => new Dictionary<string, string?>
    {
        ["Deposits:MaxFileSize"] = (100L * 1024 * 1024).ToString(System.Globalization.CultureInfo.InvariantCulture),
        ["Deposits:MaxDepositSize"] = (3L * 1024 * 1024 * 1024).ToString(System.Globalization.CultureInfo.InvariantCulture),
        ["Deposits:TestConsultation"] = "true",
        ["Help:Assistance:Name"] = "Assistance de la Métropole",
        ["Help:Assistance:Email"] = "marches@metropole.example",
        ["Help:Assistance:Phone"] = "04 91 00 00 00",
        ["Help:Assistance:Hours"] = "du lundi au vendredi, de 8 h 30 à 17 h",
    };
}

public sealed class HelpPagesTests(SqliteApp app) : IClassFixture<SqliteApp>
{
    public static TheoryData<string, string> Articles()
    {
        var data = new TheoryData<string, string>();
        foreach (var (path, key) in HelpPaths.Articles.Prepend((HelpPaths.Index, "Help")))
        {
            data.Add(path, key);
        }
        return data;
    }

    [Theory]
    [MemberData(nameof(Articles))]
    public async Task EveryHelpPage_IsServedInFrench_WithTheMenuMarkingItself(string path, string key)
    {
        using var browser = app.Browser();

        var page = await browser.GetPageAsync(path);

        var title = key == "Help" ? "Aide" : HelpTitle(key, "fr");
        Assert.Equal(title, page.QuerySelector("h1")!.TextContent.Trim());
        Assert.Equal(path, page.QuerySelector(".help-nav a[aria-current='page']")!.GetAttribute("href"));
        Assert.Equal(HelpPaths.Articles.Count, page.QuerySelectorAll(".help-nav li a").Length);
    }

    [Theory]
    [MemberData(nameof(Articles))]
    public async Task EveryHelpPage_IsServedInEnglish(string path, string key)
    {
        using var browser = app.Browser();

        var page = await browser.GetPageAsync(path + "?culture=en-GB&ui-culture=en-GB");

        Assert.Equal("en", page.DocumentElement.GetAttribute("lang"));
        Assert.Equal(key == "Help" ? "Help" : HelpTitle(key, "en"), page.QuerySelector("h1")!.TextContent.Trim());
    }

    [Fact]
    public async Task Guide_HasTheEightStepsOfTheSeed_EachWithItsScreenshotServed()
    {
        using var browser = app.Browser();

        var page = await browser.GetPageAsync(HelpPaths.Guide);

        var steps = page.QuerySelectorAll("ol.guide-steps > li");
        Assert.Equal(["recherche", "consultation", "connexion", "reponse", "fichiers", "validation", "confirmation", "mes-depots"], steps.Select(s => s.Id));
        foreach (var step in steps)
        {
            var image = step.QuerySelector("img")!;
            Assert.False(string.IsNullOrWhiteSpace(image.GetAttribute("alt")));
            using var response = await browser.GetAsync(image.GetAttribute("src")!);
            Assert.Equal(HttpStatusCode.OK, response.StatusCode);
            Assert.Equal("image/png", response.Content.Headers.ContentType?.MediaType);
        }
        Assert.Contains("démarrez à l'avance", page.QuerySelector(".start-early")!.TextContent, StringComparison.Ordinal);
        // The tests' platform keeps no permanent test consultation: the guide does not offer one.
        Assert.DoesNotContain("PLI-TEST", page.QuerySelector(".help-content")!.TextContent, StringComparison.Ordinal);
    }

    [Theory]
    [InlineData("", "depot-01-recherche.png")]
    [InlineData("?culture=en-GB", "depot-01-recherche.en.png")]
    public async Task Guide_ShowsTheScreenshotsOfItsLanguage(string query, string first)
    {
        using var browser = app.Browser();

        var page = await browser.GetPageAsync(HelpPaths.Guide + query);

        var sources = page.QuerySelectorAll(".guide-steps img").Select(i => i.GetAttribute("src")!).ToList();
        Assert.Equal(HelpPaths.GuideSteps.Count, sources.Count);
        Assert.Equal(HelpPaths.Captures + first, sources[0]);
        Assert.All(sources, s => Assert.Equal(query.Length > 0, s.EndsWith(".en.png", StringComparison.Ordinal)));
    }

    [Fact]
    public async Task EveryScreenshotAHelpPageShows_IsInTheWebProject()
    {
        using var browser = app.Browser();

        foreach (var name in HelpPaths.AllScreenshots)
        {
            using var response = await browser.GetAsync(HelpPaths.Captures + name);
            Assert.True(response.StatusCode == HttpStatusCode.OK, $"{name}: {response.StatusCode}; run the browser tests, which write it.");
        }
    }

    [Fact]
    public async Task Formats_ListsTheDefaultFormats_AndTheDefaultLimits()
    {
        using var browser = app.Browser();

        var page = await browser.GetPageAsync(HelpPaths.Formats);

        Assert.Equal(Pli.Domain.Consultations.FilePolicy.DefaultAcceptedFormats, page.QuerySelectorAll("#formats-acceptes code").Select(c => c.TextContent));
        Assert.Equal(["Un fichier : 2 Go.", "Un pli, toutes enveloppes ensemble : 8 Go."], page.QuerySelectorAll("#tailles-maximales li").Select(l => l.TextContent.Trim()));
    }

    [Theory]
    [InlineData("fr-FR", "")]
    [InlineData("en-GB", "?culture=en-GB&ui-culture=en-GB")]
    public async Task Download_QuotesTheMarkTheDashboardPutsOnAChangedConsultation(string culture, string query)
    {
        using var browser = app.Browser();
        var mark = new System.Resources.ResourceManager(typeof(Pli.Web.Features.Companies.CompaniesTexts))
            .GetString("ChangedSinceDownload", System.Globalization.CultureInfo.GetCultureInfo(culture))!;

        var page = await browser.GetPageAsync(HelpPaths.Download + query);

        Assert.Contains(mark.Replace("{0}", "…", StringComparison.Ordinal), page.QuerySelector("#tableau-de-bord")!.TextContent, StringComparison.Ordinal);
    }

    [Fact]
    public async Task Timestamping_GivesTheOpensslCommand_AndLinksTheCertificate()
    {
        using var browser = app.Browser();

        var page = await browser.GetPageAsync(HelpPaths.Timestamping);

        Assert.Contains(page.QuerySelectorAll("pre code"), c => c.TextContent.StartsWith("openssl ts -verify -data recepisse-", StringComparison.Ordinal) && c.TextContent.EndsWith("-CAfile tsa.pem", StringComparison.Ordinal));
        var certificate = page.QuerySelector("a[href='/api/timestamping/certificate.pem']")!;
        using var response = await browser.GetAsync(certificate.GetAttribute("href")!);
        Assert.Equal(HttpStatusCode.OK, response.StatusCode);
        Assert.StartsWith("-----BEGIN CERTIFICATE-----", await response.Content.ReadAsStringAsync(), StringComparison.Ordinal);
    }

    [Fact]
    public async Task Assistance_ByDefault_GivesAnAddress_AndNoTelephone()
    {
        using var browser = app.Browser();

        var page = await browser.GetPageAsync(HelpPaths.Assistance);

        var contact = page.QuerySelector("#assistance")!;
        Assert.NotNull(contact.QuerySelector("a[href='mailto:assistance@pli.example']"));
        Assert.Null(contact.QuerySelector("a[href^='tel:']"));
        Assert.Contains("du lundi au vendredi, de 9 h à 18 h", contact.TextContent, StringComparison.Ordinal);
    }

    [Fact]
    public async Task Layout_LinksTheHelp_TheAssistance_AndTheWorkstationTest_FromEveryPage()
    {
        using var browser = app.Browser();

        var page = await browser.GetPageAsync("/");

        Assert.NotNull(page.QuerySelector($"nav.main-nav a[href='{HelpPaths.Index}']"));
        Assert.NotNull(page.QuerySelector($"footer a[href='{HelpPaths.Assistance}']"));
        Assert.NotNull(page.QuerySelector($"footer a[href='{HelpPaths.Workstation}']"));
    }

    [Fact]
    public void Step_OfAnAnchorTheGuideDoesNotHave_Throws()
    {
        Assert.Equal("/aide/deposer#fichiers", HelpPaths.Step("fichiers"));
        Assert.Throws<ArgumentException>(() => HelpPaths.Step("paiement"));
    }

    private static string HelpTitle(string key, string language) =>
        new System.Resources.ResourceManager(typeof(HelpTexts)).GetString(key + "_Title", System.Globalization.CultureInfo.GetCultureInfo(language))!;
}

public sealed class ConfiguredHelpTests(ConfiguredHelpApp app) : IClassFixture<ConfiguredHelpApp>
{
    [Fact]
    public async Task Formats_ShowsTheLimitsTheOperatorSet()
    {
        using var browser = app.Browser();

        var page = await browser.GetPageAsync(HelpPaths.Formats);

        Assert.Equal(["Un fichier : 100 Mo.", "Un pli, toutes enveloppes ensemble : 3 Go."], page.QuerySelectorAll("#tailles-maximales li").Select(l => l.TextContent.Trim()));
    }

    [Fact]
    public async Task Guide_OffersTheTestConsultation_ForARehearsal()
    {
        using var browser = app.Browser();

        var page = await browser.GetPageAsync(HelpPaths.Guide);

        Assert.Contains("la consultation de test PLI-TEST reste toujours ouverte", page.QuerySelector(".help-content")!.TextContent, StringComparison.Ordinal);
    }

    [Fact]
    public async Task Assistance_ShowsTheConfiguredContact_WithACallableNumber()
    {
        using var browser = app.Browser();

        var page = await browser.GetPageAsync(HelpPaths.Assistance);

        Assert.Equal("Assistance de la Métropole", page.QuerySelector(".help-content h2")!.TextContent);
        var contact = page.QuerySelector("#assistance")!;
        Assert.Equal("04 91 00 00 00", contact.QuerySelector("a[href='tel:0491000000']")!.TextContent);
        Assert.NotNull(contact.QuerySelector("a[href='mailto:marches@metropole.example']"));
        Assert.Contains("de 8 h 30 à 17 h", contact.TextContent, StringComparison.Ordinal);
    }
}

public sealed class AssistanceSettingTests
{
    [Theory]
    [InlineData("0 892 00 00 00")]
    [InlineData("08 99 12 34 56")]
    [InlineData("0810 00 00 00")]
    [InlineData("0821000000")]
    [InlineData("+33 8 92 00 00 00")]
    [InlineData("0033 892 00 00 00")]
    public void Start_WithAPremiumRateNumber_FailsNamingTheSetting(string phone)
    {
        using var app = new AssistanceApp(new() { ["Help:Assistance:Phone"] = phone });

        var error = Assert.ThrowsAny<Exception>(() => app.Services);

        Assert.Contains("Help:Assistance:Phone", error.ToString(), StringComparison.Ordinal);
        Assert.Contains("premium-rate", error.ToString(), StringComparison.Ordinal);
    }

    [Theory]
    [InlineData("Help:Assistance:Email", "assistance-at-pli.example", "is not an e-mail address")]
    [InlineData("Help:Assistance:Url", "javascript:alert(1)", "is not an http(s) address")]
    public void Start_WithAContactThatIsNotOne_FailsNamingIt(string setting, string value, string message)
    {
        using var app = new AssistanceApp(new() { [setting] = value });

        var error = Assert.ThrowsAny<Exception>(() => app.Services);

        Assert.Contains($"{setting} '{value}' {message}", error.ToString(), StringComparison.Ordinal);
    }

    [Fact]
    public void Start_WithNoWayToReachAnyone_Fails()
    {
        using var app = new AssistanceApp(new() { ["Help:Assistance:Email"] = "" });

        var error = Assert.ThrowsAny<Exception>(() => app.Services);

        Assert.Contains("Help:Assistance needs at least one of Email, Phone or Url", error.ToString(), StringComparison.Ordinal);
    }

    [Theory]
    [InlineData("0800 00 00 00", false)]
    [InlineData("09 70 00 00 00", false)]
    [InlineData("04 91 00 00 00", false)]
    [InlineData("+33 4 91 00 00 00", false)]
    [InlineData("0899 00 00 00", true)]
    [InlineData("+33 1 89 00 00 00", false)]
    public void IsPremiumRate_TellsSurchargedNumbersOnly(string phone, bool premium) =>
        Assert.Equal(premium, AssistanceContact.IsPremiumRate(phone));

    private sealed class AssistanceApp(Dictionary<string, string?> settings) : PliApp
    {
        public override DatabaseProvider Provider => DatabaseProvider.Sqlite;

        protected override string ConnectionString => $"Data Source={Path.Combine(DataRoot, "pli.db")}";

        protected override IDictionary<string, string?> Settings => settings;
    }
}

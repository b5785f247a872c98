using Pli.Web.Tests.Infrastructure;

namespace Pli.Web.Tests.Features.Legal;

public sealed class TermsOfUseTests(SqliteApp app) : IClassFixture<SqliteApp>
{
    [Fact]
    public async Task Get_TermsOfUse_StatesTheReferenceTimeRule()
    {
        using var browser = app.Browser();

        var page = await browser.GetPageAsync("/conditions-utilisation");

        Assert.Equal("Conditions générales d'utilisation", page.QuerySelector("h1")!.TextContent);
        Assert.Contains("même d'une seconde", page.QuerySelector("main")!.TextContent, StringComparison.Ordinal);
    }

    [Fact]
    public async Task Registration_LinksToTheTermsItAsksToAccept()
    {
        using var browser = app.Browser();

        var page = await browser.GetPageAsync("/compte/inscription");

        Assert.NotNull(page.QuerySelector("label[for='AcceptTerms'] a[href='/conditions-utilisation']"));
    }
}

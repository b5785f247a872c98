using AngleSharp.Html.Dom;

namespace Pli.Web.Tests.Features.Portal;

/// <summary>Reads the portal's list as a visitor sees it.</summary>
internal static class PortalPage
{
    public static IReadOnlyList<string> References(IHtmlDocument page) =>
        [.. page.QuerySelectorAll(".consultation .reference").Select(e => e.TextContent.Trim())];

    public static string Card(IHtmlDocument page, string reference) =>
        page.QuerySelectorAll(".consultation").Single(c => c.QuerySelector(".reference")!.TextContent.Trim() == reference).TextContent;

    public static string Errors(IHtmlDocument page) => page.QuerySelector("#erreurs")?.TextContent ?? "";
}

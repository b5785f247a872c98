using Pli.Web.Features.Help;
using Pli.Web.Tests.Infrastructure;

namespace Pli.Browser.Tests;

/// <summary>The screenshots the help centre embeds, and where in the source tree they go.</summary>
public static class HelpCaptures
{
    public static IReadOnlySet<string> Names { get; } = HelpPaths.AllScreenshots.ToHashSet(StringComparer.Ordinal);

    public static string Directory { get; } = Path.Combine(SourceTree.Root, "src", "Pli.Web", "wwwroot", "aide", "captures");

    public static string PathOf(string name)
    {
        System.IO.Directory.CreateDirectory(Directory);
        return Path.Combine(Directory, name);
    }
}

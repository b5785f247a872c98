using Pli.Web.Features.Help;

namespace Pli.Browser.Tests;

/// <summary>The screenshots the help centre embeds, and where in the source tree they go.</summary>
public static class HelpCaptures
{
    public static IReadOnlySet<string> Names { get; } = HelpPaths.AllScreenshots.ToHashSet(StringComparer.Ordinal);

    public static string Directory { get; } = Path.Combine(RepositoryRoot(), "src", "Pli.Web", "wwwroot", "aide", "captures");

    public static string PathOf(string name)
    {
        System.IO.Directory.CreateDirectory(Directory);
        return Path.Combine(Directory, name);
    }

    private static string RepositoryRoot()
    {
        for (var folder = new DirectoryInfo(AppContext.BaseDirectory); folder is not null; folder = folder.Parent)
        {
            if (File.Exists(Path.Combine(folder.FullName, "Pli.slnx")))
            {
                return folder.FullName;
            }
        }
        throw new InvalidOperationException($"No Pli.slnx above {AppContext.BaseDirectory}: the help captures have nowhere to go.");
    }
}

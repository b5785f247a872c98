namespace Pli.Web.Tests.Infrastructure;

/// <summary>The repository the tests run from: sources read by tests, the help captures written into it, axe-core read from it.</summary>
public static class SourceTree
{
    public static string Root { get; } = Find();

    private static string Find()
    {
        for (var folder = new DirectoryInfo(AppContext.BaseDirectory); folder is not null; folder = folder.Parent)
        {
            if (File.Exists(Path.Combine(folder.FullName, "Pli.slnx")))
            {
                return folder.FullName;
            }
        }
        throw new InvalidOperationException($"No Pli.slnx above {AppContext.BaseDirectory}.");
    }
}

namespace Pli.Web.Infrastructure.Storage;

/// <summary>The keys every store accepts: Pli's own relative paths, checked anyway so that none can leave its root.</summary>
public static class StorageKeys
{
    public static void Require(string key)
    {
        if (string.IsNullOrWhiteSpace(key) || key.Contains("..", StringComparison.Ordinal) || key.StartsWith('/') || key.Contains('\\', StringComparison.Ordinal))
        {
            throw new ArgumentException($"Invalid storage key '{key}'.", nameof(key));
        }
    }
}

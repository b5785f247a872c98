using System.Text.Json;
using Microsoft.Playwright;
using Pli.Web.Tests.Infrastructure;

namespace Pli.Browser.Tests.Accessibility;

/// <summary>
/// axe-core (npm, in this folder) run inside a page. It is evaluated through the DevTools protocol rather than
/// added as a script tag, so the page's Content-Security-Policy stays what users get.
/// </summary>
public static class Axe
{
    private static readonly Lazy<string> Source = new(() =>
    {
        var path = Path.Combine(SourceTree.Root, "tests", "Pli.Browser.Tests", "Accessibility", "node_modules", "axe-core", "axe.min.js");
        return File.Exists(path)
            ? File.ReadAllText(path)
            : throw new FileNotFoundException($"axe-core is not installed: run `npm ci --prefix tests/Pli.Browser.Tests/Accessibility` ({path}).");
    });

    /// <summary>The violations of impact serious or critical, one line each: rule, impact, help, first elements.</summary>
    public static async Task<IReadOnlyList<string>> SeriousViolationsAsync(IPage page)
    {
        if (!await page.EvaluateAsync<bool>("() => typeof window.axe === 'object'"))
        {
            await page.EvaluateAsync(Source.Value);
        }
        var violations = await page.EvaluateAsync<JsonElement>("""
            async () => {
              const results = await axe.run(document, { resultTypes: ['violations'] });
              return results.violations
                .filter(v => v.impact === 'serious' || v.impact === 'critical')
                .map(v => `${v.id} (${v.impact}): ${v.help} — ${v.nodes.slice(0, 3).map(n => n.target.join(' ')).join(' | ')}`);
            }
            """);
        return [.. violations.EnumerateArray().Select(v => v.GetString()!)];
    }

    public static async Task AssertNoSeriousViolationsAsync(IPage page, string what)
    {
        var violations = await SeriousViolationsAsync(page);
        Assert.True(violations.Count == 0, $"{what} ({page.Url}): {violations.Count} serious or critical axe violation(s):\n" + string.Join('\n', violations));
    }
}

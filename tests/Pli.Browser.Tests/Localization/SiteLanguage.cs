using Microsoft.Playwright;

namespace Pli.Browser.Tests.Localization;

/// <summary>The language switch of the site's header, used as a visitor would: pick a language, press its button.</summary>
public static class SiteLanguage
{
    /// <summary>Switches the page's browser context to <paramref name="language"/> ("fr" or "en") and waits for the page it comes back to.</summary>
    public static async Task SwitchAsync(IPage page, string language)
    {
        var form = page.Locator("form.lang-form");
        await form.Locator("select#lang-select").SelectOptionAsync(language);
        await form.GetByRole(AriaRole.Button).ClickAsync();
        await Assertions.Expect(page.Locator("html")).ToHaveAttributeAsync("lang", language);
    }
}

using System.Text.RegularExpressions;
using FinancePortal.TestSupport;
using Microsoft.Playwright;

namespace FinancePortal.BrowserTests;

/// <summary>
/// The dark theme sticks: chosen once, it is already in the server-rendered HTML (no light flash) after a reload, on a
/// deep link to another page and after switching the language.
/// </summary>
public partial class ThemePreferenceTests(BrowserFixture browser) : IClassFixture<BrowserFixture>
{
    [GeneratedRegex("<button[^>]*data-testid=\"theme-toggle\"[^>]*>")]
    private static partial Regex ToggleMarkup();

    [Fact]
    public async Task Dark_theme_survives_reload_deep_link_and_language_switch()
    {
        var page = await browser.NewPageAsync(LayoutTests.Laptop);
        try
        {
            await page.SignInAsync(DemoUsers.RiskOfficer);
            await page.WaitForURLAsync(new Regex("/$"));
            await page.GotoAsync("/monitoring");
            await page.WaitForInteractiveAsync();
            var toggle = page.Locator("[data-testid=theme-toggle]");
            await Assertions.Expect(toggle).ToHaveAttributeAsync("aria-label", "Dark theme");
            Assert.False(await IsDarkAsync(page));

            await toggle.ClickAsync();
            await Assertions.Expect(toggle).ToHaveAttributeAsync("aria-label", "Light theme");
            Assert.True(await IsDarkAsync(page));

            // Reload: the prerendered HTML is already dark.
            var reloaded = await page.ReloadAsync();
            await AssertServedDarkAsync(reloaded!, "Light theme", "reload");
            await page.WaitForInteractiveAsync();
            await Assertions.Expect(toggle).ToHaveAttributeAsync("aria-label", "Light theme");
            Assert.True(await IsDarkAsync(page));

            // Deep link to another page.
            var alerts = await page.GotoAsync("/alerts");
            await AssertServedDarkAsync(alerts!, "Light theme", "deep link");
            await page.WaitForInteractiveAsync();
            Assert.True(await IsDarkAsync(page));

            // Language switch (a full page load through /culture/set).
            await page.ClickAsync("[data-testid=culture-switcher] button");
            await page.ClickAsync("[data-testid=culture-zh-CN]");
            await Assertions.Expect(page.Locator("html")).ToHaveAttributeAsync("lang", "zh-CN");
            await page.WaitForInteractiveAsync();
            await Assertions.Expect(toggle).ToHaveAttributeAsync("aria-label", "浅色主题");
            Assert.True(await IsDarkAsync(page));
            Assert.Matches(new Regex("/alerts$"), page.Url);

            // And back to light, which sticks too.
            await toggle.ClickAsync();
            await Assertions.Expect(toggle).ToHaveAttributeAsync("aria-label", "深色主题");
            var light = await page.ReloadAsync();
            await AssertServedDarkAsync(light!, "深色主题", "reload after switching back");
            Assert.False(await IsDarkAsync(page));
        }
        finally
        {
            await page.Context.CloseAsync();
        }
    }

    private static async Task AssertServedDarkAsync(IResponse response, string expectedLabel, string step)
    {
        var html = await response.TextAsync();
        var button = ToggleMarkup().Match(html);
        Assert.True(button.Success, $"{step}: no theme toggle in the served HTML");
        Assert.Contains($"aria-label=\"{expectedLabel}\"", button.Value);
    }

    /// <summary>The page background is dark (relative luminance below 0.2).</summary>
    private static Task<bool> IsDarkAsync(IPage page) =>
        page.EvaluateAsync<bool>("""
            () => {
                const colour = [document.body, document.documentElement].map(e => getComputedStyle(e).backgroundColor)
                    .find(c => c !== 'transparent' && !/^rgba\(.*,\s*0\)$/.test(c)) || 'rgb(255, 255, 255)';
                const [r, g, b] = colour.match(/\d+(\.\d+)?/g).map(Number);
                const lin = c => { c /= 255; return c <= 0.03928 ? c / 12.92 : Math.pow((c + 0.055) / 1.055, 2.4); };
                return 0.2126 * lin(r) + 0.7152 * lin(g) + 0.0722 * lin(b) < 0.2;
            }
            """);
}

using System.Text.RegularExpressions;
using FinancePortal.TestSupport;
using Microsoft.Playwright;

namespace FinancePortal.BrowserTests;

/// <summary>
/// The portal works in a real browser under its own Content-Security-Policy: no refused script, style, connection or
/// image, and the interactive circuit (a WebSocket) comes up on every page.
/// </summary>
public class ContentSecurityPolicyTests(BrowserFixture browser) : IClassFixture<BrowserFixture>
{
    private static readonly string[] Pages = ["/", "/platforms", "/applications", "/scorecards", "/submissions", "/audit", "/admin/users", "/admin/platforms/new"];

    [Fact]
    public async Task Signing_in_and_visiting_the_main_pages_violates_no_content_security_policy_directive()
    {
        var page = await browser.NewPageAsync();
        var violations = new List<string>();
        page.Console += (_, message) =>
        {
            if (message.Text.Contains("Content Security Policy", StringComparison.OrdinalIgnoreCase) || message.Text.Contains("Refused to", StringComparison.Ordinal))
            {
                violations.Add($"{page.Url}: console: {message.Text}");
            }
        };
        page.PageError += (_, error) => violations.Add($"{page.Url}: page error: {error}");
        // The browser's own violation events, counted in the page (init scripts run outside the page's policy).
        await page.Context.AddInitScriptAsync(
            "window.__cspViolations = []; document.addEventListener('securitypolicyviolation', e => window.__cspViolations.push(e.violatedDirective + ' ' + e.blockedURI));");

        var login = await page.GotoAsync("/Account/Login");
        Assert.Contains("script-src 'self' 'nonce-", await login!.HeaderValueAsync("content-security-policy") ?? "");
        await AssertNoReportedViolationsAsync(page, violations);

        await page.SignInAsync(DemoUsers.Admin);
        await page.WaitForURLAsync(new Regex("/$"));
        await page.WaitForInteractiveAsync();
        await AssertNoReportedViolationsAsync(page, violations);

        foreach (var path in Pages)
        {
            var response = await page.GotoAsync(path);
            Assert.Equal(200, response!.Status);
            await page.WaitForInteractiveAsync();
            await page.WaitForLoadStateAsync(LoadState.NetworkIdle);
            await AssertNoReportedViolationsAsync(page, violations);
        }

        // Client-side navigation inside the circuit, a popover menu (MudBlazor positions it with inline styles) and the
        // theme switch (MudBlazor rewrites its inline theme style element).
        await page.ClickAsync("[data-nav=Platforms]");
        await page.WaitForURLAsync(new Regex("/platforms$"));
        await Assertions.Expect(page.Locator("[data-testid=platform-link]").First).ToBeVisibleAsync();
        await page.ClickAsync("[data-testid=culture-switcher] button");
        await Assertions.Expect(page.Locator("[data-testid=culture-zh-CN]")).ToBeVisibleAsync();
        await page.Keyboard.PressAsync("Escape");
        await page.ClickAsync("[data-testid=theme-toggle]");
        await page.ClickAsync("[data-testid=theme-toggle]");
        await AssertNoReportedViolationsAsync(page, violations);
        await page.Context.CloseAsync();
    }

    private static async Task AssertNoReportedViolationsAsync(IPage page, List<string> violations)
    {
        var reported = await page.EvaluateAsync<string[]>("() => window.__cspViolations || []");
        violations.AddRange(reported.Select(r => $"{page.Url}: violation: {r}"));
        Assert.True(violations.Count == 0, "Content-Security-Policy violations:\n" + string.Join("\n", violations.Distinct()));
    }
}

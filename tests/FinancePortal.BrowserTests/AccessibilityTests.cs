using System.Text;
using System.Text.RegularExpressions;
using Deque.AxeCore.Commons;
using Deque.AxeCore.Playwright;
using FinancePortal.TestSupport;
using Microsoft.Playwright;

namespace FinancePortal.BrowserTests;

/// <summary>
/// axe-core on every main page, signed in as the role that works there, in the interactive (fully rendered) state:
/// no violation of impact serious or critical is allowed (WCAG 2.1 A/AA and axe's best practices).
/// </summary>
public class AccessibilityTests(BrowserFixture browser) : IClassFixture<BrowserFixture>
{
    /// <summary>One page to check: who opens it, where, and (for detail pages) the link followed from there.</summary>
    public sealed record Target(string User, string Path, string? Follow = null, string Culture = "en", string? Ready = null, bool Dark = false);

    /// <summary>axe rule sets: WCAG 2.0 and 2.1 levels A and AA, plus axe's best practices (landmarks, headings, ...).</summary>
    public static readonly string[] Tags = ["wcag2a", "wcag2aa", "wcag21a", "wcag21aa", "best-practice"];

    private static readonly string[] BlockingImpacts = ["serious", "critical"];

    /// <summary>
    /// Elements axe may not judge, each with its reason. Keep this empty unless a violation comes from MudBlazor's own
    /// markup that no parameter, attribute or theme value can change.
    /// </summary>
    public static readonly IReadOnlyList<(string Selector, string Reason)> Excluded = [];

    public static readonly IReadOnlyDictionary<string, Target> Pages = new Dictionary<string, Target>
    {
        ["sign-in"] = new(User: "", Path: "/Account/Login"),
        ["sign-in zh-CN"] = new(User: "", Path: "/Account/Login", Culture: "zh-CN"),
        ["home admin"] = new(DemoUsers.Admin, "/"),
        ["home reviewer"] = new(DemoUsers.Reviewer, "/"),
        ["home approver"] = new(DemoUsers.Approver, "/"),
        ["home risk officer"] = new(DemoUsers.RiskOfficer, "/"),
        ["home analyst"] = new(DemoUsers.Analyst, "/"),
        ["home operator"] = new(DemoUsers.Operator, "/", Ready: "[data-testid=own-platform]"),
        ["home zh-CN"] = new(DemoUsers.RiskOfficer, "/", Culture: "zh-CN"),
        ["home operator with requests"] = new(DemoUsers.OperatorQfen, "/", Ready: "[data-testid=rectification-link]"),
        ["home operator with requests zh-CN"] = new(DemoUsers.OperatorQfen, "/", Culture: "zh-CN", Ready: "[data-testid=rectification-link]"),
        ["rectification request"] = new(DemoUsers.OperatorQfen, "/", Follow: "[data-testid=rectification-link]"),
        ["platforms"] = new(DemoUsers.Admin, "/platforms", Ready: "[data-testid=platform-link]"),
        ["platform detail"] = new(DemoUsers.Approver, "/platforms", Follow: "[data-testid=platform-link]"),
        ["market access queue"] = new(DemoUsers.Reviewer, "/applications", Ready: "[data-testid=application-link]"),
        ["market access queue operator"] = new(DemoUsers.Operator, "/applications"),
        ["application detail"] = new(DemoUsers.Reviewer, "/applications", Follow: "[data-testid=application-link]"),
        ["scorecards"] = new(DemoUsers.Admin, "/scorecards"),
        ["scorecard editor"] = new(DemoUsers.Admin, "/scorecards", Follow: "a[href^='scorecards/']"),
        ["loan tapes month grid"] = new(DemoUsers.RiskOfficer, "/submissions", Ready: "[data-testid=submission-link]"),
        ["loan tapes operator"] = new(DemoUsers.Operator, "/submissions", Ready: "[data-testid=upload-panel]"),
        ["submission detail"] = new(DemoUsers.Operator, "/submissions", Follow: "[data-testid=submission-link]"),
        ["filing receipt"] = new(DemoUsers.Operator, "/submissions", Follow: "[data-testid=receipt-link]"),
        ["filing receipt zh-CN"] = new(DemoUsers.RiskOfficer, "/submissions", Follow: "[data-testid=receipt-link]", Culture: "zh-CN"),
        ["risk dashboard"] = new(DemoUsers.RiskOfficer, "/monitoring", Ready: "[data-testid=drill-platform]"),
        ["risk dashboard operator"] = new(DemoUsers.Operator, "/monitoring", Ready: "[data-testid=drill-platform]"),
        ["risk dashboard zh-CN"] = new(DemoUsers.RiskOfficer, "/monitoring", Culture: "zh-CN", Ready: "[data-testid=drill-platform]"),
        ["platform risk"] = new(DemoUsers.RiskOfficer, "/monitoring", Follow: "[data-testid=drill-platform]"),
        ["alerts inbox"] = new(DemoUsers.RiskOfficer, "/alerts", Ready: "[data-testid=alert-link]"),
        ["alert detail"] = new(DemoUsers.RiskOfficer, "/alerts", Follow: "[data-testid=alert-link]"),
        ["reports"] = new(DemoUsers.Analyst, "/reports"),
        ["loan extracts"] = new(DemoUsers.Analyst, "/extracts", Ready: "[data-testid=loan-extract]"),
        ["audit log"] = new(DemoUsers.Admin, "/audit"),
        ["users"] = new(DemoUsers.Admin, "/admin/users"),
        ["register a platform"] = new(DemoUsers.Admin, "/admin/platforms/new"),
        ["alert thresholds"] = new(DemoUsers.Admin, "/admin/alert-thresholds"),
        ["api tokens"] = new(DemoUsers.Operator, "/api-tokens", Ready: "[data-testid=token-grid]"),
        // The dark palette (the theme toggle in the app bar) on the pages with the most colour: status chips, breaches.
        ["risk dashboard dark"] = new(DemoUsers.RiskOfficer, "/monitoring", Ready: "[data-testid=drill-platform]", Dark: true),
        ["alerts inbox dark"] = new(DemoUsers.RiskOfficer, "/alerts", Ready: "[data-testid=alert-link]", Dark: true),
        ["market access queue dark"] = new(DemoUsers.Reviewer, "/applications", Ready: "[data-testid=application-link]", Dark: true),
    };

    public static TheoryData<string> PageNames => [.. Pages.Keys];

    [Theory]
    [MemberData(nameof(PageNames))]
    public async Task Page_has_no_serious_or_critical_accessibility_violations(string name)
    {
        var target = Pages[name];
        var page = await browser.NewPageAsync();
        try
        {
            if (target.Culture != "en")
            {
                await page.GotoAsync($"/culture/set?culture={target.Culture}&redirectUri=/Account/Login");
            }

            if (target.User.Length > 0)
            {
                await page.SignInAsync(target.User);
                await page.WaitForURLAsync(new Regex("/$"));
            }

            await page.GotoAsync(target.Path);
            if (target.Follow is not null)
            {
                await SettleAsync(page, target.Follow);
                var href = await page.Locator(target.Follow).First.GetAttributeAsync("href");
                Assert.False(string.IsNullOrEmpty(href), $"{target.Follow} on {target.Path} has no href.");
                await page.GotoAsync(href!);
                await SettleAsync(page, null);
            }
            else
            {
                // Account pages are static server-rendered forms: no circuit to wait for.
                await SettleAsync(page, target.Ready, interactive: target.User.Length > 0);
            }

            if (target.Dark)
            {
                await page.ClickAsync("[data-testid=theme-toggle]");
                await Assertions.Expect(page.Locator("[data-testid=theme-toggle]")).ToHaveAttributeAsync("aria-label", "Light theme");
                await page.WaitForTimeoutAsync(300);
            }

            var lang = await page.Locator("html").GetAttributeAsync("lang");
            Assert.Equal(target.Culture, lang);

            var result = await RunAxeAsync(page);
            var blocking = Blocking(result);
            Assert.True(blocking.Count == 0, Describe(name, page.Url, blocking));
        }
        finally
        {
            await page.Context.CloseAsync();
        }
    }

    [Fact]
    public async Task The_check_reports_a_serious_violation_when_one_is_on_the_page()
    {
        // Proves the assertion above can fail: an unlabelled input and an image without alt text on the sign-in page.
        var page = await browser.NewPageAsync();
        try
        {
            await page.GotoAsync("/Account/Login");
            await page.EvaluateAsync("""
                () => {
                    const form = document.querySelector('form');
                    const input = document.createElement('input'); input.type = 'text'; input.id = 'axe-probe-input';
                    const img = document.createElement('img'); img.src = 'brand/logo.svg'; img.id = 'axe-probe-img';
                    form.append(input, img);
                }
                """);
            var blocking = Blocking(await RunAxeAsync(page));
            var message = Describe("probe", page.Url, blocking);
            Assert.Contains(blocking, v => v.Id == "label" && v.Nodes.Any(n => n.Target.ToString().Contains("axe-probe-input")));
            Assert.Contains(blocking, v => v.Id == "image-alt");
            Assert.Contains("https://dequeuniversity.com/rules/axe/", message);
            Assert.Contains("#axe-probe-input", message);
        }
        finally
        {
            await page.Context.CloseAsync();
        }
    }

    private static Task<AxeResult> RunAxeAsync(IPage page) =>
        Excluded.Count == 0
            ? page.RunAxe(Options())
            : page.RunAxe(new AxeRunContext { Exclude = [.. Excluded.Select(e => new AxeSelector(e.Selector))] }, Options());

    private static AxeRunOptions Options() => new()
    {
        RunOnly = new RunOnlyOptions { Type = "tag", Values = [.. Tags] },
        ResultTypes = [ResultType.Violations],
    };

    private static List<AxeResultItem> Blocking(AxeResult result) =>
        result.Violations.Where(v => BlockingImpacts.Contains(v.Impact)).ToList();

    /// <summary>Waits for the circuit, then for the page's data (a ready element, and no skeleton or progress bar).</summary>
    internal static async Task SettleAsync(IPage page, string? ready, bool interactive = true)
    {
        if (interactive)
        {
            await page.WaitForInteractiveAsync();
        }

        if (ready is not null)
        {
            await page.Locator(ready).First.WaitForAsync();
        }

        await Assertions.Expect(page.Locator(".mud-skeleton, .mud-table-loading-progress, .mud-progress-linear, .mud-progress-circular")).ToHaveCountAsync(0);
        // Charts and popovers finish their first layout in the next animation frames.
        await page.WaitForTimeoutAsync(300);
    }

    private static string Describe(string name, string url, IReadOnlyList<AxeResultItem> violations)
    {
        var text = new StringBuilder($"{violations.Count} serious/critical axe violation(s) on '{name}' ({url}):");
        foreach (var v in violations)
        {
            text.AppendLine().Append($"- {v.Id} [{v.Impact}] {v.Help} — {v.HelpUrl}");
            foreach (var node in v.Nodes.Take(10))
            {
                text.AppendLine().Append($"    {node.Target}  {Shorten(node.Html)}");
                var why = node.Any.Concat(node.All).Concat(node.None).Select(c => c.Message).FirstOrDefault();
                if (why is not null)
                {
                    text.AppendLine().Append($"      {why}");
                }
            }

            if (v.Nodes.Length > 10)
            {
                text.AppendLine().Append($"    ... and {v.Nodes.Length - 10} more");
            }
        }

        return text.ToString();
    }

    private static string Shorten(string html) => html.Length <= 160 ? html : html[..157] + "...";
}

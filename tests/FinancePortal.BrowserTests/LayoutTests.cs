using System.Text.RegularExpressions;
using FinancePortal.TestSupport;
using Microsoft.Playwright;

namespace FinancePortal.BrowserTests;

/// <summary>
/// Every main page at 1366 x 768 (the smallest laptop screen the portal supports), in English and Chinese: no element's
/// content is wider than the element unless a horizontal scroll container around it (overflow-x auto/scroll) lets the
/// reader reach it, and no table cell breaks its text one character per line or splits a month ("2026-" / "10").
/// </summary>
public class LayoutTests(BrowserFixture browser) : IClassFixture<BrowserFixture>
{
    public static readonly ViewportSize Laptop = new() { Width = 1366, Height = 768 };

    public static readonly ViewportSize WideLaptop = new() { Width = 1440, Height = 900 };

    /// <summary>The pages with the widest tables, also checked at 1440 x 900 (where the drawer leaves a different width).</summary>
    public static readonly string[] WideTablePages = ["risk dashboard", "platform risk", "loan tapes month grid", "submission detail", "alerts inbox"];

    public static TheoryData<string> WideTablePageNames => [.. WideTablePages];

    /// <summary>The main pages: one per navigation entry plus the detail pages with wide tables.</summary>
    public static readonly string[] MainPages =
    [
        "home risk officer", "home operator", "platforms", "platform detail", "market access queue", "application detail",
        "scorecards", "scorecard editor", "loan tapes month grid", "loan tapes operator", "submission detail",
        "risk dashboard", "risk dashboard operator", "platform risk", "alerts inbox", "alert detail", "reports",
        "loan extracts", "audit log", "users", "register a platform", "alert thresholds",
    ];

    public static TheoryData<string, string> PageCultures()
    {
        var data = new TheoryData<string, string>();
        foreach (var page in MainPages)
        {
            data.Add(page, "en");
            data.Add(page, "zh-CN");
        }

        return data;
    }

    /// <summary>
    /// Finds clipped content in the main area: "page element: why" for each finding. An element counts when its
    /// content is wider than its box (scrollWidth &gt; clientWidth) and neither it nor an ancestor scrolls
    /// horizontally; a table cell counts when its text takes as many lines as it has characters, or when a month or
    /// date in it wraps.
    /// </summary>
    public const string FindClippingScript = """
        () => {
            const describe = el => {
                const id = el.getAttribute('data-testid');
                const cls = [...el.classList].slice(0, 3).join('.');
                const heading = el.closest('.mud-paper, section, .mud-card')?.querySelector('h1, h2, h3, h6')?.textContent?.trim();
                return `${el.tagName.toLowerCase()}${id ? `[data-testid=${id}]` : ''}${cls ? '.' + cls : ''}`
                    + ` "${(el.innerText || '').trim().replace(/\s+/g, ' ').slice(0, 40)}"${heading ? ` in "${heading.slice(0, 50)}"` : ''}`;
            };
            const scrolls = el => ['auto', 'scroll'].includes(getComputedStyle(el).overflowX);
            const inScroller = el => { for (let p = el.parentElement; p && p !== document.body; p = p.parentElement) { if (scrolls(p)) return true; } return false; };
            const found = [];
            const root = document.querySelector('.mud-main-content') || document.querySelector('main') || document.body;
            for (const el of root.querySelectorAll('*')) {
                // Form fields scroll their own text; SVG has no scroll box.
                if (el instanceof SVGElement || el.clientWidth === 0 || el.matches('input, textarea, select')) continue;
                const style = getComputedStyle(el);
                if (style.display === 'none' || style.visibility === 'hidden' || style.display === 'inline') continue;
                if (el.scrollWidth > el.clientWidth + 1 && !scrolls(el) && !inScroller(el)) {
                    found.push(`${describe(el)}: content ${el.scrollWidth}px in ${el.clientWidth}px`);
                }
            }
            // Lines of text in a cell: the boxes of its text (not its icons), grouped by vertical position.
            const lines = el => {
                const walker = document.createTreeWalker(el, NodeFilter.SHOW_TEXT);
                const rects = [];
                for (let node = walker.nextNode(); node; node = walker.nextNode()) {
                    if (!node.textContent.trim()) continue;
                    const range = document.createRange();
                    range.selectNodeContents(node);
                    rects.push(...[...range.getClientRects()].filter(r => r.width > 0 && r.height > 0));
                }
                rects.sort((a, b) => a.top - b.top);
                let count = 0, bottom = -Infinity;
                for (const r of rects) {
                    if (r.top >= bottom - 2) { count++; bottom = r.bottom; } else { bottom = Math.max(bottom, r.bottom); }
                }
                return count;
            };
            for (const cell of root.querySelectorAll('td, th')) {
                const text = (cell.innerText || '').trim();
                const chars = text.replace(/\s/g, '').length;
                if (chars < 2) continue;
                const n = lines(cell);
                if (n >= 2 && n >= chars) {
                    found.push(`${describe(cell)}: one character per line (${n} lines)`);
                } else if (n >= 2 && /^\d{4}-\d{2}(-\d{2})?/.test(text) && text.length <= 20) {
                    found.push(`${describe(cell)}: date split over ${n} lines`);
                }
            }
            return found;
        }
        """;

    [Theory]
    [MemberData(nameof(PageCultures))]
    public async Task Nothing_is_clipped_at_1366_by_768(string name, string culture)
    {
        var target = AccessibilityTests.Pages[name];
        var page = await browser.NewPageAsync(Laptop);
        try
        {
            await OpenAsync(page, target, culture);
            var findings = await page.EvaluateAsync<string[]>(FindClippingScript);
            Assert.True(findings.Length == 0, $"Clipped on '{name}' ({culture}, {page.Url}) at 1366 x 768:\n- " + string.Join("\n- ", findings));
        }
        finally
        {
            await page.Context.CloseAsync();
        }
    }

    [Theory]
    [MemberData(nameof(WideTablePageNames))]
    public async Task Nothing_is_clipped_at_1440_by_900(string name)
    {
        var target = AccessibilityTests.Pages[name];
        var page = await browser.NewPageAsync(WideLaptop);
        try
        {
            await OpenAsync(page, target, "zh-CN");
            var findings = await page.EvaluateAsync<string[]>(FindClippingScript);
            Assert.True(findings.Length == 0, $"Clipped on '{name}' (zh-CN, {page.Url}) at 1440 x 900:\n- " + string.Join("\n- ", findings));
        }
        finally
        {
            await page.Context.CloseAsync();
        }
    }

    [Fact]
    public async Task Chart_tooltip_shows_the_exact_percentage_and_the_month()
    {
        var page = await browser.NewPageAsync(Laptop);
        try
        {
            await OpenAsync(page, AccessibilityTests.Pages["risk dashboard"], "en");
            var trend = page.Locator("[data-testid=trend-chart]");
            await Assertions.Expect(trend.Locator(".mud-charts-yaxis text").First).ToHaveTextAsync("0%");
            await trend.Locator("circle.mud-chart-serie").Last.HoverAsync(new LocatorHoverOptions { Force = true });
            var svg = trend.Locator("svg.mud-chart-line");
            await Assertions.Expect(svg).ToContainTextAsync(new Regex(@"Industry median: \d+\.\d{2}%"));
            var html = await svg.InnerHTMLAsync();
            Assert.Matches(new Regex(@">\s*\d{4}-\d{2}\s*<"), html);
        }
        finally
        {
            await page.Context.CloseAsync();
        }
    }

    [Fact]
    public async Task The_check_reports_a_clipped_table_and_a_cell_one_character_wide()
    {
        // Proves the assertion above can fail: a wide table in a box that hides its overflow, and a squeezed cell.
        var page = await browser.NewPageAsync(Laptop);
        try
        {
            await OpenAsync(page, AccessibilityTests.Pages["reports"], "en");
            await page.EvaluateAsync("""
                () => {
                    const main = document.querySelector('.mud-main-content');
                    const box = document.createElement('div');
                    box.id = 'probe-box'; box.style.width = '200px'; box.style.overflow = 'hidden';
                    box.innerHTML = '<table><tr><td style="white-space:nowrap">a very wide cell that cannot fit into two hundred pixels</td>'
                        + '<td id="probe-cell" style="width:1px;word-break:break-all">风险迁移</td></tr></table>';
                    main.append(box);
                }
                """);
            var findings = await page.EvaluateAsync<string[]>(FindClippingScript);
            Assert.Contains(findings, f => f.StartsWith("div") && f.Contains("in 200px"));
            Assert.Contains(findings, f => f.Contains("风险迁移") && f.Contains("one character per line"));
        }
        finally
        {
            await page.Context.CloseAsync();
        }
    }

    private static async Task OpenAsync(IPage page, AccessibilityTests.Target target, string culture)
    {
        if (culture != "en")
        {
            await page.GotoAsync($"/culture/set?culture={culture}&redirectUri=/Account/Login");
        }

        await page.SignInAsync(target.User);
        await page.WaitForURLAsync(new Regex("/$"));
        await page.GotoAsync(target.Path);
        if (target.Follow is not null)
        {
            await AccessibilityTests.SettleAsync(page, target.Follow);
            var href = await page.Locator(target.Follow).First.GetAttributeAsync("href");
            await page.GotoAsync(href!);
            await AccessibilityTests.SettleAsync(page, null);
        }
        else
        {
            await AccessibilityTests.SettleAsync(page, target.Ready);
        }
    }
}

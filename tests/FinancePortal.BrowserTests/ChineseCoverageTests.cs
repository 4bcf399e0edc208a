using System.Text;
using System.Text.RegularExpressions;
using FinancePortal.Infrastructure.Seeding;
using FinancePortal.TestSupport;
using Microsoft.Playwright;

namespace FinancePortal.BrowserTests;

/// <summary>
/// Every main page, as every role that works there, in 简体中文: the visible text may hold no English word except codes
/// (PAR30, DPD, RMB, platform codes), e-mail addresses, numbers and dates, and the demo's own data (people's names, job
/// titles, legal names), which is what users typed and is shown as typed. The failure lists each page and its words.
/// </summary>
public partial class ChineseCoverageTests(BrowserFixture browser) : IClassFixture<BrowserFixture>
{
    /// <summary>One page: where, what to wait for, a link to follow from there, and a tab to open on the page reached.</summary>
    public sealed record Visit(string Name, string Path, string? Ready = null, string? Follow = null, int? Tab = null);

    private static readonly Visit Home = new("home", "/");
    private static readonly Visit Platforms = new("platforms", "/platforms", "[data-testid=platform-link]");
    private static readonly Visit PlatformDetail = new("platform detail", "/platforms", Follow: "[data-testid=platform-link]");
    private static readonly Visit Queue = new("market access", "/applications");
    private static readonly Visit Application = new("application inputs", "/applications", Follow: "[data-testid=application-link]");
    private static readonly Visit Scoring = new("application scoring", "/applications", Follow: "[data-testid=application-link]", Tab: 1);
    private static readonly Visit ApplicationHistory = new("application history", "/applications", Follow: "[data-testid=application-link]", Tab: 3);
    private static readonly Visit Scorecards = new("scorecards", "/scorecards");
    private static readonly Visit ScorecardEditor = new("scorecard editor", "/scorecards", Follow: "a[href^='scorecards/']");
    private static readonly Visit Submissions = new("loan tapes", "/submissions");
    private static readonly Visit SubmissionDetail = new("submission detail", "/submissions", Follow: "[data-testid=submission-link]");
    private static readonly Visit Monitoring = new("risk monitoring", "/monitoring", "[data-testid=drill-platform]");
    private static readonly Visit PlatformRisk = new("platform risk", "/monitoring", Follow: "[data-testid=drill-platform]");
    private static readonly Visit Alerts = new("alerts", "/alerts", "[data-testid=alert-link]");
    private static readonly Visit AlertDetail = new("alert detail", "/alerts", Follow: "[data-testid=alert-link]");
    private static readonly Visit Rectification = new("rectification request", "/", Follow: "[data-testid=rectification-link]");
    private static readonly Visit Reports = new("reports", "/reports");
    private static readonly Visit Extracts = new("loan extracts", "/extracts", "[data-testid=loan-extract]");
    private static readonly Visit Audit = new("audit log", "/audit");
    private static readonly Visit Users = new("users", "/admin/users");
    private static readonly Visit RegisterPlatform = new("register a platform", "/admin/platforms/new");
    private static readonly Visit Thresholds = new("alert thresholds", "/admin/alert-thresholds");
    private static readonly Visit ApiTokens = new("API tokens", "/api-tokens");

    /// <summary>What each role opens: its navigation, and the detail pages behind it.</summary>
    public static readonly IReadOnlyDictionary<string, Visit[]> Journeys = new Dictionary<string, Visit[]>
    {
        [DemoUsers.Admin] = [Home, Platforms, PlatformDetail, Queue, Scorecards, ScorecardEditor, Submissions, Audit, ApiTokens, Users, RegisterPlatform, Thresholds],
        [DemoUsers.Reviewer] = [Home, Platforms, Queue, Application, Scoring, ApplicationHistory, Scorecards, Submissions],
        [DemoUsers.Approver] = [Home, PlatformDetail, Queue, Scoring, Monitoring, Alerts],
        [DemoUsers.RiskOfficer] = [Home, Platforms, Submissions, SubmissionDetail, Monitoring, PlatformRisk, Alerts, AlertDetail, Rectification, Reports],
        [DemoUsers.Analyst] = [Home, Monitoring, Reports, Extracts, Audit, ApiTokens],
        [DemoUsers.Operator] = [Home, Platforms, PlatformDetail, Queue, Application, Scoring, Submissions, SubmissionDetail, Monitoring, ApiTokens],
        [DemoUsers.OperatorQfen] = [Home, Rectification],
    };

    public static TheoryData<string> Roles => [.. Journeys.Keys];

    /// <summary>Words that are not English prose in any language: units and brand-free symbols that read the same in Chinese.</summary>
    public static readonly HashSet<string> AllowedWords = new(StringComparer.Ordinal)
    {
        "FinancePortal", // the product's name
    };

    /// <summary>The demo's data as typed: people's names, job titles, legal names. Removed whole before words are checked.</summary>
    public static IEnumerable<string> DemoPhrases() =>
        DemoSeeder.Platforms.Select(p => p.LegalName)
            .Concat(DemoSeeder.Accounts.Select(a => a.DisplayName))
            .Concat(DemoSeeder.Accounts.Select(a => a.JobTitle))
            .Append("Demo filer").Append("2020 Interim Measures defaults")
            .Where(p => p.Length > 0)
            .OrderByDescending(p => p.Length);

    [Theory]
    [MemberData(nameof(Roles))]
    public async Task Every_page_shows_only_Chinese_words_in_zh_CN(string user)
    {
        var page = await browser.NewPageAsync();
        var report = new StringBuilder();
        try
        {
            await page.GotoAsync("/culture/set?culture=zh-CN&redirectUri=/Account/Login");
            await page.SignInAsync(user);
            await page.WaitForURLAsync(new Regex("/$"));
            foreach (var visit in Journeys[user])
            {
                string? text;
                try
                {
                    text = await OpenAsync(page, visit);
                }
                catch (Exception e) when (e is TimeoutException or PlaywrightException)
                {
                    report.AppendLine($"- {visit.Name} ({page.Url}): did not finish loading: {e.Message.Split('\n')[0]}");
                    continue;
                }

                if (text is null)
                {
                    report.AppendLine($"- {visit.Name}: nothing to follow ({visit.Follow}) on {visit.Path}");
                    continue;
                }

                var english = EnglishWords(text);
                if (english.Count > 0)
                {
                    report.AppendLine($"- {visit.Name} ({page.Url}): {string.Join(", ", english.Select(e => $"\"{e}\""))}");
                }
            }
        }
        finally
        {
            await page.Context.CloseAsync();
        }

        Assert.True(report.Length == 0, $"English words shown to {user} in zh-CN:\n{report}");
    }

    [Fact]
    public void The_word_check_finds_English_and_lets_codes_names_and_numbers_pass()
    {
        var found = EnglishWords("""
            风险监测 PAR30 DPD 2026-10 ¥1,234.50 HBXY admin@example.cn Wang Lei · Hangzhou Huabei Xinyong Microcredit Co., Ltd.
            规则集 v3 12.5% 第 3 页 Rows per page: 25
            状态 Open → Acknowledged
            """);
        Assert.Equal(["Rows per page", "Open", "Acknowledged"], found);
    }

    /// <summary>The English phrases in <paramref name="text"/>: runs of words that are not codes, names or numbers.</summary>
    public static List<string> EnglishWords(string text)
    {
        text = Email().Replace(text, " ");
        foreach (var phrase in DemoPhrases())
        {
            text = text.Replace(phrase, " ", StringComparison.Ordinal);
        }

        var phrases = new List<string>();
        foreach (Match run in Run().Matches(text))
        {
            var words = run.Value.Split(' ', StringSplitOptions.RemoveEmptyEntries).Where(w => !Allowed(w)).ToList();
            if (words.Count > 0)
            {
                var joined = string.Join(" ", words).TrimEnd(':', '.', ',', ';');
                if (!phrases.Contains(joined))
                {
                    phrases.Add(joined);
                }
            }
        }

        return phrases;
    }

    /// <summary>Codes (all capitals, maybe with digits: PAR30, DPD, RMB, HBXY, UTC), version tags and allow-listed words pass.</summary>
    private static bool Allowed(string word)
    {
        var bare = word.Trim(':', '.', ',', ';', '(', ')', '\'', '’', '-', '/');
        return bare.Length == 0 || AllowedWords.Contains(bare) || Code().IsMatch(bare) || Version().IsMatch(bare) || FileName().IsMatch(bare);
    }

    private static async Task<string?> OpenAsync(IPage page, Visit visit)
    {
        await page.GotoAsync(visit.Path);
        await SettleAsync(page, visit.Follow ?? visit.Ready);
        if (visit.Follow is not null)
        {
            var link = page.Locator(visit.Follow);
            if (await link.CountAsync() == 0)
            {
                return null;
            }

            var href = await link.First.GetAttributeAsync("href");
            await page.GotoAsync(href!);
            await SettleAsync(page, null);
        }

        if (visit.Tab is int tab)
        {
            await page.Locator(".mud-tab").Nth(tab).ClickAsync();
            await SettleAsync(page, null);
        }

        // What people typed (comments, reasons, notes) is marked translate="no" and shown as typed.
        return await page.EvaluateAsync<string>("""
            () => {
                document.querySelectorAll('[translate=no]').forEach(e => e.style.setProperty('display', 'none', 'important'));
                return document.body.innerText;
            }
            """);
    }

    private static async Task SettleAsync(IPage page, string? ready)
    {
        await page.WaitForInteractiveAsync();
        if (ready is not null)
        {
            await page.Locator(ready).First.WaitForAsync();
        }

        await Assertions.Expect(page.Locator(".mud-skeleton, .mud-table-loading-progress, .mud-progress-linear, .mud-progress-circular")).ToHaveCountAsync(0);
        await page.WaitForTimeoutAsync(300);
    }

    [GeneratedRegex(@"[\w.+-]+@[\w-]+(\.[\w-]+)+")]
    private static partial Regex Email();

    /// <summary>A run of Latin words on one line (spaces between them, no other script).</summary>
    [GeneratedRegex(@"[A-Za-z][A-Za-z0-9'’.\-/]*(?: +[A-Za-z0-9][A-Za-z0-9'’.\-/:]*)*")]
    private static partial Regex Run();

    /// <summary>A file name as uploaded, e.g. loans.csv.</summary>
    [GeneratedRegex(@"^[\w\-]+\.(csv|xlsx|pdf|zip|txt)$", RegexOptions.IgnoreCase)]
    private static partial Regex FileName();

    [GeneratedRegex(@"^[A-Z0-9][A-Z0-9_\-+]*$")]
    private static partial Regex Code();

    [GeneratedRegex(@"^(v\d[\d.]*|\d[\d.,:%\-/]*)$")]
    private static partial Regex Version();
}

using System.Text.RegularExpressions;
using AngleSharp.Dom;
using Bunit;
using FinancePortal.Application.Domain;
using FinancePortal.Application.Features.Alerts;
using FinancePortal.Application.Features.Monitoring;
using FinancePortal.Application.Features.Platforms;
using FinancePortal.TestSupport;
using FinancePortal.Web.Components.Pages.Alerts;
using FinancePortal.Web.Components.Pages.Monitoring;
using FinancePortal.Web.Localization;

namespace FinancePortal.ComponentTests;

/// <summary>
/// The risk monitoring pages over the seeded demo database (24 months for 10 platforms, QFEN and XMHX deteriorating):
/// dashboard, platform risk page, alert inbox and detail, thresholds — as a risk officer, an admin and an operator.
/// </summary>
public partial class MonitoringComponentTests : PortalComponentTestBase
{
    private static readonly TimeSpan Timeout = TimeSpan.FromSeconds(15);

    private static readonly string[] Reporting = ["FQLE", "HBXY", "JDBT", "MSXF", "NBXH", "QFEN", "SNRX", "WZCB", "XMHX", "ZSXJ"];

    [GeneratedRegex(@"^\d{1,3}\.\d{2}%$")]
    private static partial Regex PercentPattern();

    [GeneratedRegex(@"^¥[\d,]+\.\d{2}M$")]
    private static partial Regex RmbMillionsPattern();

    private async Task<int> IdOfAsync(string code)
    {
        await using var reviewer = await ActAsAsync(DemoUsers.Reviewer);
        var page = await reviewer.Get<PlatformService>().GetPageAsync(new PlatformQuery { Search = code });
        return page.Items.Single(p => p.Code == code).Id;
    }

    /// <summary>What the dashboard service gives this user for the default view (the page shows the same).</summary>
    private async Task<DashboardData> DashboardDataAsync(string email)
    {
        await using var user = await ActAsAsync(email);
        return await user.Get<MonitoringService>().GetDashboardAsync(new DashboardFilter());
    }

    private IRenderedComponent<DashboardPage> RenderDashboard()
    {
        var page = RenderWithProviders<DashboardPage>();
        page.WaitForAssertion(() => Assert.NotEmpty(page.FindAll("[data-testid=kpi-cards]")), Timeout);
        return page;
    }

    private static IReadOnlyList<IElement> TableRows(IRenderedComponent<DashboardPage> page) =>
        page.FindAll("[data-testid=platform-month-table] tbody tr[data-platform]");

    [Fact]
    public async Task Dashboard_for_a_risk_officer_shows_kpis_in_rmb_and_percent_and_a_row_per_platform()
    {
        var expected = await DashboardDataAsync(DemoUsers.RiskOfficer);
        await SignInAsAsync(DemoUsers.RiskOfficer);

        var page = RenderDashboard();

        var ob = page.Find("[data-testid=kpi-ob] h5");
        Assert.Matches(RmbMillionsPattern(), ob.TextContent.Trim());
        Assert.Equal(Fmt.RmbMillions(expected.Kpis!.Current.Outstanding), ob.TextContent.Trim());
        Assert.Equal(Fmt.Rmb(expected.Kpis.Current.Outstanding), ob.GetAttribute("title"));
        var defaultRate = page.Find("[data-testid=kpi-default-rate-value]").TextContent.Trim();
        Assert.Matches(PercentPattern(), defaultRate);
        Assert.Equal(Fmt.Percent(expected.Kpis.Current.DefaultRate), defaultRate);
        Assert.Matches(PercentPattern(), page.Find("[data-testid=kpi-par30] h5").TextContent.Trim());
        Assert.Equal(expected.Kpis.OpenAlerts.ToString("N0"), page.Find("[data-testid=kpi-open-alerts] a").TextContent.Trim());
        Assert.True(expected.Kpis.OpenAlerts > 0);

        Assert.Equal(Reporting, TableRows(page).Select(r => r.GetAttribute("data-platform")));
        var headers = page.FindAll("[data-testid=platform-month-table] thead th").Select(h => h.TextContent.Trim()).ToList();
        Assert.Equal(expected.Periods, headers.Skip(1).Take(expected.Periods.Count));
        Assert.Equal(12, expected.Periods.Count);
        Assert.Empty(page.FindAll("[data-testid=rectification-requests]"));
    }

    [Fact]
    public async Task Dashboard_marks_QFEN_months_above_the_limit_as_breaches_and_drills_down_to_the_platform()
    {
        var expected = await DashboardDataAsync(DemoUsers.RiskOfficer);
        var qfenId = await IdOfAsync("QFEN");
        var qfen = expected.Platforms.Single(p => p.Code == "QFEN");
        await SignInAsAsync(DemoUsers.RiskOfficer);

        var page = RenderDashboard();

        var row = TableRows(page).Single(r => r.GetAttribute("data-platform") == "QFEN");
        var cells = row.QuerySelectorAll("td").Skip(1).Take(expected.Periods.Count).ToList();
        var breaching = expected.Periods
            .Select(m => qfen.Months.FirstOrDefault(x => x.Period == m)?.Metrics.DefaultRate)
            .Select(rate => rate is decimal r && r * 100m > expected.DefaultRateLimitPct)
            .ToList();
        Assert.Contains(true, breaching);
        Assert.Equal(breaching, cells.Select(c => c.ClassList.Contains("fp-breach")));
        Assert.All(cells.Where(c => c.ClassList.Contains("fp-breach")), c =>
        {
            var value = decimal.Parse(c.TextContent.Trim().TrimEnd('%'), System.Globalization.CultureInfo.InvariantCulture);
            Assert.True(value > 5m, $"{value}% is marked as a breach of the 5% limit");
        });

        // Every figure and the code drill down to the platform risk page.
        Assert.Equal($"monitoring/platforms/{qfenId}", row.QuerySelector("[data-testid=drill-platform]")!.GetAttribute("href"));
        var last = cells[^1].QuerySelector("a")!;
        Assert.Equal($"monitoring/platforms/{qfenId}?to={expected.Periods[^1]}", last.GetAttribute("href"));
        Assert.All(TableRows(page), r => Assert.StartsWith("monitoring/platforms/", r.QuerySelector("[data-testid=drill-platform]")!.GetAttribute("href")));

        // Every other platform's cells are coloured by the same rule.
        foreach (var series in expected.Platforms)
        {
            var tr = TableRows(page).Single(r => r.GetAttribute("data-platform") == series.Code);
            var rates = expected.Periods.Select(m => series.Months.FirstOrDefault(x => x.Period == m)?.Metrics.DefaultRate);
            Assert.Equal(rates.Select(r => r is decimal x && x * 100m > expected.DefaultRateLimitPct),
                tr.QuerySelectorAll("td").Skip(1).Take(expected.Periods.Count).Select(c => c.ClassList.Contains("fp-breach")));
        }
    }

    [Fact]
    public async Task Dashboard_for_an_operator_holds_only_their_platform_and_the_regulators_requests()
    {
        var jdbtId = await IdOfAsync("JDBT");
        await using (var risk = await ActAsAsync(DemoUsers.RiskOfficer))
        {
            await risk.Get<AlertService>().RecordActionAsync(new NewSupervisoryAction(jdbtId, null, SupervisoryActionKind.RectificationRequest,
                "Send the corrected October tape.", new DateOnly(2027, 1, 10)));
            await risk.Get<AlertService>().RecordActionAsync(new NewSupervisoryAction(jdbtId, null, SupervisoryActionKind.Note,
                "Internal note the operator must not see.", null));
        }

        await SignInAsAsync(DemoUsers.Operator);

        var page = RenderDashboard();

        Assert.Equal(["JDBT"], TableRows(page).Select(r => r.GetAttribute("data-platform")));
        Assert.Empty(page.FindAll("[data-testid=kpi-open-alerts]"));
        Assert.Empty(page.FindAll("[data-testid=filter-platform]"));
        page.WaitForAssertion(() => Assert.Single(page.FindAll("[data-testid=rectification-request]")), Timeout);
        var requests = page.Find("[data-testid=rectification-requests]");
        Assert.Contains("Requests from the regulator", requests.TextContent);
        Assert.Contains("Send the corrected October tape.", requests.TextContent);
        Assert.Contains("2027-01-10", requests.TextContent);
        Assert.DoesNotContain("Internal note", page.Markup);
        Assert.DoesNotContain("remediation plan for the cash-loan book", page.Markup); // QFEN's request
        foreach (var other in Reporting.Where(c => c != "JDBT"))
        {
            Assert.DoesNotContain(other, page.Markup);
        }
    }

    [Fact]
    public async Task Platform_risk_page_for_QFEN_shows_its_alerts_and_action_log()
    {
        var qfenId = await IdOfAsync("QFEN");
        int openAlerts;
        await using (var risk = await ActAsAsync(DemoUsers.RiskOfficer))
        {
            openAlerts = (await risk.Get<AlertService>().GetPageAsync(new AlertQuery { PlatformId = qfenId, PageSize = 50 })).TotalCount;
        }

        await SignInAsAsync(DemoUsers.RiskOfficer);

        var page = RenderWithProviders<PlatformRiskPage>((nameof(PlatformRiskPage.PlatformId), qfenId));
        page.WaitForAssertion(() => Assert.NotEmpty(page.FindAll("[data-testid=platform-risk-title]")), Timeout);

        Assert.StartsWith("QFEN · Guangzhou Qufen", page.Find("[data-testid=platform-risk-title]").TextContent.Trim());
        Assert.Single(page.FindAll("[data-testid=watched]"));
        var links = page.FindAll("[data-testid=platform-alerts] a[data-testid=platform-alert-link]");
        Assert.Equal(openAlerts, links.Count);
        Assert.True(openAlerts > 0);
        Assert.All(links, a => Assert.Matches(@"^alerts/\d+$", a.GetAttribute("href")!));
        Assert.Contains(links, a => a.TextContent.Trim() == "Default rate above limit");
        Assert.Contains("Acknowledged", page.Find("[data-testid=platform-alerts]").TextContent);

        var kinds = page.FindAll("[data-testid=action-log] tbody tr[data-kind]").Select(r => r.GetAttribute("data-kind")).ToList();
        Assert.Equal(["RectificationRequest", "Note", "RectificationRequest", "RectificationRequest"], kinds); // the demo adds an answered and an overdue request
        Assert.Contains("Submit a remediation plan for the cash-loan book", page.Find("[data-testid=action-log]").TextContent);
        Assert.Single(page.FindAll("[data-testid=record-platform-action]"));
        Assert.Empty(page.FindAll("[data-testid=rectification-requests]"));
    }

    [Fact]
    public async Task Platform_risk_page_of_another_platform_is_not_found_for_an_operator()
    {
        var qfenId = await IdOfAsync("QFEN");
        await SignInAsAsync(DemoUsers.Operator);

        var page = RenderWithProviders<PlatformRiskPage>((nameof(PlatformRiskPage.PlatformId), qfenId));

        page.WaitForAssertion(() => Assert.Single(page.FindAll("[data-testid=not-found]")), Timeout);
        Assert.Empty(page.FindAll("[data-testid=platform-risk-title]"));
        Assert.DoesNotContain("QFEN", page.Markup);
        Assert.DoesNotContain("Qufen", page.Markup);
        Assert.DoesNotContain("remediation plan", page.Markup);
    }

    [Fact]
    public async Task Platform_risk_page_of_their_own_platform_shows_an_operator_figures_but_no_supervision()
    {
        var jdbtId = await IdOfAsync("JDBT");
        await SignInAsAsync(DemoUsers.Operator);

        var page = RenderWithProviders<PlatformRiskPage>((nameof(PlatformRiskPage.PlatformId), jdbtId));

        page.WaitForAssertion(() => Assert.NotEmpty(page.FindAll("[data-testid=platform-risk-title]")), Timeout);
        Assert.NotEmpty(page.FindAll("[data-testid=kpi-cards]"));
        Assert.Empty(page.FindAll("[data-testid=platform-alerts]"));
        Assert.Empty(page.FindAll("[data-testid=toggle-watch]"));
        page.WaitForAssertion(() => Assert.Contains("No rectification requests.", page.Find("[data-testid=rectification-requests]").TextContent), Timeout);
    }

    private static IReadOnlyList<IElement> GridRows(IRenderedComponent<AlertInbox> inbox) =>
        inbox.FindAll("[data-testid=alert-grid] tbody tr").Where(r => r.QuerySelector("td[data-label='Rule']") is not null).ToList();

    private static string Cell(IElement row, string label) => row.QuerySelector($"td[data-label='{label}']")!.TextContent.Trim();

    [Fact]
    public async Task Alert_inbox_lists_open_alerts_from_the_server_and_the_rule_filter_narrows_them()
    {
        int open, missing;
        IReadOnlyList<AlertListItem> firstPage;
        await using (var risk = await ActAsAsync(DemoUsers.RiskOfficer))
        {
            var alerts = risk.Get<AlertService>();
            var page = await alerts.GetPageAsync(new AlertQuery { OpenOnly = true, PageSize = 25 });
            (open, firstPage) = (page.TotalCount, page.Items);
            missing = (await alerts.GetPageAsync(new AlertQuery { OpenOnly = true, Rule = AlertRule.SubmissionMissing })).TotalCount;
        }

        Assert.InRange(missing, 1, open - 1);
        await SignInAsAsync(DemoUsers.RiskOfficer);

        var inbox = RenderWithProviders<AlertInbox>();

        inbox.WaitForAssertion(() => Assert.Equal(Math.Min(open, 25), GridRows(inbox).Count), Timeout);
        Assert.Equal(firstPage.Select(a => $"{a.PlatformCode} {a.Period}"), GridRows(inbox).Select(r => $"{Cell(r, "Platform")} {Cell(r, "Month")}"));
        Assert.Equal(firstPage.Select(a => $"alerts/{a.Id}"), GridRows(inbox).Select(r => r.QuerySelector("[data-testid=alert-link]")!.GetAttribute("href")));
        Assert.All(GridRows(inbox), r => Assert.DoesNotContain("Closed", Cell(r, "Severity")));

        Choose(inbox.Find("[data-testid=filter-rule]").Closest("div.mud-input-control")!, "Submission missing");

        inbox.WaitForAssertion(() => Assert.Equal(missing, GridRows(inbox).Count), Timeout);
        Assert.All(GridRows(inbox), r => Assert.Equal("Submission missing", Cell(r, "Rule")));
        Assert.Contains(GridRows(inbox), r => Cell(r, "Platform") == "XMHX" && Cell(r, "Month") == "2026-09");
    }

    /// <summary>XMHX's missing 2026-09 tape: always an Open alert in the demo data.</summary>
    private async Task<long> OpenXmhxAlertAsync()
    {
        var xmhxId = await IdOfAsync("XMHX");
        await using var risk = await ActAsAsync(DemoUsers.RiskOfficer);
        var query = new AlertQuery { PlatformId = xmhxId, State = AlertState.Open, Rule = AlertRule.SubmissionMissing };
        return (await risk.Get<AlertService>().GetPageAsync(query)).Items.Single(a => a.Period == "2026-09").Id;
    }

    [Fact]
    public async Task Acknowledging_an_open_alert_on_its_page_changes_the_state_chip_and_the_history()
    {
        var id = await OpenXmhxAlertAsync();
        await SignInAsAsync(DemoUsers.RiskOfficer);
        var page = RenderWithProviders<AlertDetailPage>((nameof(AlertDetailPage.Id), id));
        page.WaitForAssertion(() => Assert.Equal("Open", page.Find("[data-testid=alert-state]").TextContent.Trim()), Timeout);
        Assert.Equal("XMHX · Submission missing · 2026-09", page.Find("[data-testid=alert-title]").TextContent.Trim());

        page.Find("[data-testid=acknowledge]").Click();

        page.WaitForAssertion(() => Assert.Equal("Acknowledged", page.Find("[data-testid=alert-state]").TextContent.Trim()), Timeout);
        Assert.Empty(page.FindAll("[data-testid=acknowledge]"));
        Assert.Single(page.FindAll("[data-testid=escalate]"));
        Assert.Contains("Open → Acknowledged", page.Find("[data-testid=alert-history]").TextContent);
        await using var risk = await ActAsAsync(DemoUsers.RiskOfficer);
        Assert.Equal(AlertState.Acknowledged, (await risk.Get<AlertService>().GetAsync(id)).Alert.State);
    }

    [Fact]
    public async Task An_analyst_sees_an_alert_without_the_buttons_that_change_it()
    {
        var id = await OpenXmhxAlertAsync();
        await SignInAsAsync(DemoUsers.Analyst);

        var page = RenderWithProviders<AlertDetailPage>((nameof(AlertDetailPage.Id), id));

        page.WaitForAssertion(() => Assert.Equal("Open", page.Find("[data-testid=alert-state]").TextContent.Trim()), Timeout);
        Assert.Empty(page.FindAll("[data-testid=alert-actions]"));
        Assert.Empty(page.FindAll("[data-testid=acknowledge]"));
    }

    [Fact]
    public async Task Thresholds_page_shows_version_1_and_saving_an_invalid_limit_shows_the_field_error()
    {
        await SignInAsAsync(DemoUsers.Admin);
        var page = RenderWithProviders<AlertThresholdsPage>();
        page.WaitForAssertion(() => Assert.Single(page.FindAll("[data-testid=threshold-history] tbody tr")), Timeout);
        var v1 = page.Find("tr[data-version='1']");
        Assert.Equal("v1", v1.QuerySelector("td")!.TextContent.Trim());
        Assert.Contains("> 5%", v1.TextContent);
        Assert.Contains("> 8%", v1.TextContent);
        Assert.Equal("5.0", page.Find("input[data-testid=t-default-rate]").GetAttribute("value"));

        page.Find("input[data-testid=t-default-rate]").Change("0");
        page.Find("textarea[data-testid=t-reason]").Input("Testing a zero limit.");
        page.Find("[data-testid=t-save]").Click();

        const string error = "The default-rate limit must be above 0% and at most 100%.";
        page.WaitForAssertion(() => Assert.Contains(error, page.Find("[data-testid=threshold-form]").TextContent), Timeout);
        var field = page.Find("[data-testid=t-default-rate]").Closest("div.mud-input-control")!;
        Assert.Contains(error, field.TextContent);
        Assert.NotEmpty(field.QuerySelectorAll(".mud-input-error"));
        Assert.Single(page.FindAll("[data-testid=threshold-history] tbody tr"));
        await using var admin = await ActAsAsync(DemoUsers.Admin);
        Assert.Single(await admin.Get<AlertThresholdService>().GetThresholdHistoryAsync());
    }

    [Fact]
    public async Task Thresholds_page_saves_valid_values_as_version_2()
    {
        await SignInAsAsync(DemoUsers.Admin);
        var page = RenderWithProviders<AlertThresholdsPage>();
        page.WaitForAssertion(() => Assert.Single(page.FindAll("[data-testid=threshold-history] tbody tr")), Timeout);

        page.Find("input[data-testid=t-default-rate]").Change("4.5");
        page.Find("textarea[data-testid=t-reason]").Input("Tighter limit after the Q3 review.");
        page.Find("[data-testid=t-save]").Click();

        page.WaitForAssertion(() => Assert.Equal(2, page.FindAll("[data-testid=threshold-history] tbody tr").Count), Timeout);
        var v2 = page.Find("[data-testid=threshold-history] tbody tr");
        Assert.Equal("2", v2.GetAttribute("data-version"));
        Assert.Contains("> 4.5%", v2.TextContent);
        Assert.Contains("Tighter limit after the Q3 review.", v2.TextContent);
    }
}

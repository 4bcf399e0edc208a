using System.Text;
using FinancePortal.Application;
using FinancePortal.Application.Domain;
using FinancePortal.Application.Features.Alerts;
using FinancePortal.Application.Features.Exports;
using FinancePortal.Application.Features.Monitoring;
using FinancePortal.Application.Features.Reports;
using FinancePortal.Application.Features.LoanTapes;
using FinancePortal.Application.Security;
using FinancePortal.TestSupport;
using Microsoft.EntityFrameworkCore;
using Microsoft.Extensions.DependencyInjection;

namespace FinancePortal.IntegrationTests.Monitoring;

/// <summary>
/// Closed and provisional months (DOMAIN.md §5, docs/monitoring.md "Closed and provisional months"). The demo's tapes end
/// at 2026-10; the clock stands at 2026-11-25, so November 2026 is provisional until the end of 15 December. JDBT's
/// operator signs a small November tape early (20 loans, 2 defaulted, 2 more 30+ days late) through the real upload,
/// check and signing, and the metrics job builds its aggregates and evaluates the alert rules.
/// </summary>
public class ClosedMonthTests : IAsyncLifetime
{
    private PortalServices _portal = default!;

    public async Task InitializeAsync() => _portal = await PortalServices.CreateAsync();

    public async Task DisposeAsync() => await _portal.DisposeAsync();

    private async Task SignEarlyNovemberTapeAsync()
    {
        await using (var op = await _portal.AsAsync(DemoUsers.Operator))
        {
            var service = op.Get<SubmissionService>();
            var csv = TapeFiles.Csv("JDBT", "2026-11", 20, i => i switch
            {
                1 or 2 => [("days_past_due", "120"), ("status", "DEFAULTED")],
                3 or 4 => [("days_past_due", "45"), ("status", "DELINQUENT")],
                _ => [],
            });
            var id = (await service.SubmitAsync("2026-11", "early.csv", csv)).Id;
            var detail = await service.GetAsync(id);
            if (detail!.Submission.Status == SubmissionStatus.WarningsToConfirm)
            {
                await service.AcknowledgeWarningsAsync(id, detail.ConcurrencyStamp);
                detail = await service.GetAsync(id);
            }

            Assert.Equal(SubmissionStatus.ReadyToSign, detail!.Submission.Status);
            await service.SignAsync(id, "Sun Hao", true, detail.ConcurrencyStamp);
        }

        Assert.Equal(1, await _portal.Provider.GetRequiredService<MetricsJobRunner>().ProcessPendingAsync());
    }

    private async Task<DashboardData> DashboardAsync(string email, DashboardFilter filter)
    {
        await using var user = await _portal.AsAsync(email);
        return await user.Get<MonitoringService>().GetDashboardAsync(filter);
    }

    private async Task<int> JdbtAsync()
    {
        await using var system = _portal.As(UserContext.System);
        await using var db = await system.Get<IPortalDbFactory>().CreateAsync();
        return await db.Platforms.Where(p => p.Code == "JDBT").Select(p => p.Id).SingleAsync();
    }

    [Fact]
    public async Task An_early_tape_never_moves_the_default_month_national_figures_peers_or_the_reports_default()
    {
        var before = await DashboardAsync(DemoUsers.RiskOfficer, new DashboardFilter());
        var operatorBefore = await DashboardAsync(DemoUsers.Operator, new DashboardFilter());

        await SignEarlyNovemberTapeAsync();

        var after = await DashboardAsync(DemoUsers.RiskOfficer, new DashboardFilter());
        Assert.Equal("2026-10", after.Kpis!.Period);
        Assert.Equal(before.Periods, after.Periods);
        Assert.Equal(before.Kpis!.Current, after.Kpis.Current);
        Assert.Equal(before.Kpis.Industry, after.Kpis.Industry);
        Assert.Equal(before.Medians, after.Medians);
        Assert.Equal(10, after.Medians!.Peers);
        Assert.Equal(before.Peers, after.Peers);
        Assert.Equal((before.Kpis.LateSubmissions, before.Kpis.MissingSubmissions), (after.Kpis.LateSubmissions, after.Kpis.MissingSubmissions));
        Assert.Equal(new MonthFiling("2026-10", true, 10, 10, new DateOnly(2026, 11, 15)), after.Filing);
        Assert.Equal("2026-10", after.LatestClosed);

        var operatorAfter = await DashboardAsync(DemoUsers.Operator, new DashboardFilter());
        Assert.Equal(("2026-10", operatorBefore.Kpis!.Current), (operatorAfter.Kpis!.Period, operatorAfter.Kpis.Current));

        await using (var analyst = await _portal.AsAsync(DemoUsers.Analyst))
        {
            var periods = await analyst.Get<ReportService>().GetPeriodsAsync();
            Assert.Equal("2026-10", periods[0]);
            Assert.DoesNotContain("2026-11", periods);
        }

        // Asked for, November is shown, labelled provisional with how many of the platforms that owe it have filed.
        var november = await DashboardAsync(DemoUsers.RiskOfficer, new DashboardFilter(To: "2026-11"));
        Assert.Equal(new MonthFiling("2026-11", false, 1, 10, new DateOnly(2026, 12, 15)), november.Filing);
        Assert.True(november.IsProvisional("2026-11"));
        Assert.False(november.IsProvisional("2026-10"));
        Assert.Equal(0, november.Kpis!.MissingSubmissions); // nothing is missing before the deadline
        Assert.Equal(1, november.Medians!.Peers);
    }

    [Fact]
    public async Task November_is_provisional_until_2359_59_on_15_December_and_closed_the_next_second()
    {
        await SignEarlyNovemberTapeAsync();
        var calendar = _portal.Provider.GetRequiredService<FilingCalendar>();

        _portal.Clock.SetUtcNow(new DateTimeOffset(2026, 12, 15, 23, 59, 59, TimeSpan.Zero));
        Assert.False(calendar.IsClosed("2026-11", _portal.Clock.GetUtcNow().UtcDateTime));
        var lastSecond = await DashboardAsync(DemoUsers.RiskOfficer, new DashboardFilter());
        Assert.Equal("2026-10", lastSecond.Kpis!.Period);
        var asked = await DashboardAsync(DemoUsers.RiskOfficer, new DashboardFilter(To: "2026-11"));
        Assert.Equal((false, 0), (asked.Filing!.Closed, asked.Kpis!.MissingSubmissions));

        _portal.Clock.Advance(TimeSpan.FromSeconds(1));
        Assert.True(calendar.IsClosed("2026-11", _portal.Clock.GetUtcNow().UtcDateTime));
        var closed = await DashboardAsync(DemoUsers.RiskOfficer, new DashboardFilter());
        Assert.Equal("2026-11", closed.Kpis!.Period);
        Assert.Equal(new MonthFiling("2026-11", true, 1, 10, new DateOnly(2026, 12, 15)), closed.Filing);
        Assert.Equal(9, closed.Kpis.MissingSubmissions);
    }

    [Fact]
    public async Task Own_threshold_alerts_fire_on_a_provisional_month_and_are_labelled_provisional_in_the_inbox_detail_and_export()
    {
        var jdbt = await JdbtAsync();
        await SignEarlyNovemberTapeAsync();

        await using (var risk = await _portal.AsAsync(DemoUsers.RiskOfficer))
        {
            var alerts = risk.Get<AlertService>();
            var november = (await alerts.GetPageAsync(new AlertQuery { PlatformId = jdbt, PageSize = 100 })).Items.Where(a => a.Period == "2026-11").ToList();
            Assert.Contains(november, a => a.Rule == AlertRule.DefaultRateAboveLimit && a.Severity == AlertSeverity.Critical);
            Assert.Contains(november, a => a.Rule == AlertRule.Par30AboveLimit);
            Assert.All(november, a => Assert.True(a.Provisional, $"{a.Rule} on 2026-11 is provisional"));
            Assert.True((await alerts.GetAsync(november[0].Id)).Alert.Provisional);
            Assert.DoesNotContain((await alerts.GetPageAsync(new AlertQuery { PageSize = 500 })).Items, a => a.Period != "2026-11" && a.Provisional);

            await using var export = await risk.Get<GridExports>().AlertsAsync(new AlertQuery { PlatformId = jdbt }, $"platformId={jdbt}", CancellationToken.None);
            using var csv = new MemoryStream();
            await export.WriteAsync(ExportFormat.Csv, csv, null, CancellationToken.None);
            var lines = Encoding.UTF8.GetString(csv.ToArray()).TrimStart('\uFEFF').Split('\n', StringSplitOptions.RemoveEmptyEntries);
            Assert.EndsWith("Month status", lines[0].TrimEnd('\r'));
            Assert.All(lines.Skip(1).Where(l => l.Contains(",2026-11,")), l => Assert.EndsWith(",Provisional", l.TrimEnd('\r')));
            Assert.All(lines.Skip(1).Where(l => !l.Contains(",2026-11,")), l => Assert.EndsWith(",Closed", l.TrimEnd('\r')));
        }

        // Once the deadline has passed the month is closed and so are its alerts.
        _portal.Clock.SetUtcNow(new DateTimeOffset(2026, 12, 16, 0, 0, 0, TimeSpan.Zero));
        await using (var risk = await _portal.AsAsync(DemoUsers.RiskOfficer))
        {
            var november = (await risk.Get<AlertService>().GetPageAsync(new AlertQuery { PlatformId = jdbt, PageSize = 100 })).Items.Where(a => a.Period == "2026-11").ToList();
            Assert.NotEmpty(november);
            Assert.All(november, a => Assert.False(a.Provisional));
        }
    }

    [Fact]
    public void Every_alert_rule_is_classified_and_none_compares_with_the_industry_so_none_is_suppressed_on_a_provisional_month()
    {
        // Industry-relative rules (none yet) would be dropped on a provisional month by AlertEvaluator.EvaluateMonthAsync;
        // a new rule must be classified before it can run (the switch throws for an unclassified one).
        Assert.All(Enum.GetValues<AlertRule>(), rule => Assert.False(AlertEvaluator.ComparesWithIndustry(rule)));
        Assert.Throws<ArgumentOutOfRangeException>(() => AlertEvaluator.ComparesWithIndustry((AlertRule)99));
    }
}

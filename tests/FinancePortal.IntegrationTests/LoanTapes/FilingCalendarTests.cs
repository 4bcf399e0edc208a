using System.Globalization;
using FinancePortal.Application;
using FinancePortal.Application.Domain;
using FinancePortal.Application.Features.Alerts;
using FinancePortal.Application.Features.Applications;
using FinancePortal.Application.Features.Monitoring;
using FinancePortal.Application.Features.Reports;
using FinancePortal.Application.Features.LoanTapes;
using FinancePortal.Application.Security;
using FinancePortal.TestSupport;
using ClosedXML.Excel;
using Microsoft.EntityFrameworkCore;
using Microsoft.Extensions.DependencyInjection;

namespace FinancePortal.IntegrationTests.LoanTapes;

/// <summary>
/// The licence-aware filing calendar (DOMAIN.md §5, docs/loan-tape.md "Filing calendar"): a platform owes the months
/// after the month its licence took effect, until the month it was revoked; suspended months follow
/// <c>Filing:RequireWhileSuspended</c>. Licence histories are written by a small builder (with past dates), an
/// approval through the Approver's service; the month grid, the missing-tape job, the dashboard and the report are read through their services.
/// </summary>
public class FilingCalendarTests
{
    private static DateTimeOffset Utc(int year, int month, int day, int hour = 9) => new(year, month, day, hour, 0, 0, TimeSpan.Zero);

    /// <summary>
    /// A small builder: a platform registered on 2025-01-02 as an Applicant, then the given licence changes (the clock of
    /// the test cannot go back, so the history is written as the Approver's service writes it, with past dates).
    /// </summary>
    private static async Task<int> PlatformWithHistoryAsync(PortalServices portal, string code, params (DateTimeOffset When, LicenceStatus Status)[] changes)
    {
        var registered = Utc(2025, 1, 2).UtcDateTime;
        var platform = new Platform
        {
            Code = code, LegalName = $"{code} Calendar Test Co., Ltd.", Province = "Yunnan", Kind = PlatformKind.Other, RegisteredCapital = 1_000_000_000m,
            LicenceStatus = changes.Length == 0 ? LicenceStatus.Applicant : changes[^1].Status, CreatedUtc = registered,
        };
        platform.LicenceHistory.Add(new LicenceChange { ToStatus = LicenceStatus.Applicant, ChangedUtc = registered, Reason = "Registered.", Actor = "test" });
        var from = LicenceStatus.Applicant;
        foreach (var (when, status) in changes)
        {
            platform.LicenceHistory.Add(new LicenceChange { FromStatus = from, ToStatus = status, ChangedUtc = when.UtcDateTime, Reason = "Licence change for the calendar test.", Actor = "test" });
            from = status;
        }

        await using var system = portal.As(UserContext.System);
        await using var db = await system.Get<IPortalDbFactory>().CreateAsync();
        db.Platforms.Add(platform);
        await db.SaveChangesAsync();
        return platform.Id;
    }

    private static async Task<IReadOnlyDictionary<string, MonthState>> GridAsync(PortalServices portal, int platformId, string from, string to)
    {
        await using var risk = await portal.AsAsync(DemoUsers.RiskOfficer);
        var grid = await risk.Get<SubmissionService>().GetMonthGridAsync(from, to);
        return grid.Single(g => g.PlatformId == platformId).Months.ToDictionary(m => m.Period, m => m.State);
    }

    private static async Task<IReadOnlyList<string>> MissingAlertMonthsAsync(PortalServices portal, int platformId)
    {
        await portal.Provider.GetRequiredService<MetricsJobRunner>().EvaluateMissingAsync();
        await using var system = portal.As(UserContext.System);
        await using var db = await system.Get<IPortalDbFactory>().CreateAsync();
        return await db.Alerts.AsNoTracking().Where(a => a.PlatformId == platformId && a.Rule == AlertRule.SubmissionMissing)
            .OrderBy(a => a.Period).Select(a => a.Period).ToListAsync();
    }

    [Fact]
    public void The_calendar_reads_licence_history_month_by_month()
    {
        static DateTime At(int y, int m, int d) => new(y, m, d, 10, 0, 0, DateTimeKind.Utc);

        // Licensed on 2026-03-10: the first month owed is April.
        Assert.Equal([new RequiredSpan("2026-04", null)],
            FilingCalendar.RequiredSpans([(LicenceStatus.Applicant, At(2025, 6, 1)), (LicenceStatus.Licensed, At(2026, 3, 10))], requireWhileSuspended: true));
        // Licensed, revoked on 2025-09-20 (September still owed), licensed again on 2026-01-05 (owed from February).
        Assert.Equal([new RequiredSpan("2025-02", "2025-09"), new RequiredSpan("2026-02", null)],
            FilingCalendar.RequiredSpans([(LicenceStatus.Licensed, At(2025, 1, 15)), (LicenceStatus.Revoked, At(2025, 9, 20)), (LicenceStatus.Licensed, At(2026, 1, 5))], true));
        // Suspended from 2025-05-03 to 2025-08-11: owed throughout with the setting on; without it, May (suspended during
        // it) is the last month until September (reinstated in August).
        (LicenceStatus, DateTime)[] suspended = [(LicenceStatus.ConditionallyLicensed, At(2025, 1, 15)), (LicenceStatus.Suspended, At(2025, 5, 3)), (LicenceStatus.Licensed, At(2025, 8, 11))];
        Assert.Equal([new RequiredSpan("2025-02", null)], FilingCalendar.RequiredSpans(suspended, true));
        Assert.Equal([new RequiredSpan("2025-02", "2025-05"), new RequiredSpan("2025-09", null)], FilingCalendar.RequiredSpans(suspended, false));
        // Never licensed: nothing owed. Licensed and revoked within one month: nothing owed either.
        Assert.Empty(FilingCalendar.RequiredSpans([(LicenceStatus.Applicant, At(2025, 1, 1))], true));
        Assert.Empty(FilingCalendar.RequiredSpans([(LicenceStatus.Licensed, At(2025, 3, 2)), (LicenceStatus.Revoked, At(2025, 3, 28))], true));
    }

    [Fact]
    public async Task A_platform_licensed_mid_year_owes_from_the_next_month_and_shows_not_required_before()
    {
        await using var portal = await PortalServices.CreateAsync();
        var id = await PlatformWithHistoryAsync(portal, "MIDY", (Utc(2026, 3, 10), LicenceStatus.Licensed));

        var grid = await GridAsync(portal, id, "2026-01", "2026-11");
        Assert.All(["2026-01", "2026-02", "2026-03"], m => Assert.Equal(MonthState.NotRequired, grid[m]));
        Assert.All(Periods.Range("2026-04", "2026-10"), m => Assert.Equal(MonthState.Missing, grid[m]));
        Assert.Equal(MonthState.Due, grid["2026-11"]);

        // The missing-tape job flags exactly the closed required months, never those before the licence.
        Assert.Equal(Periods.Range("2026-04", "2026-10"), await MissingAlertMonthsAsync(portal, id));
    }

    [Fact]
    public async Task A_revoked_platform_owes_up_to_its_revocation_month_and_again_from_the_month_after_relicensing()
    {
        await using var portal = await PortalServices.CreateAsync();
        var id = await PlatformWithHistoryAsync(portal, "RELI",
            (Utc(2025, 10, 20), LicenceStatus.Licensed), (Utc(2026, 2, 14), LicenceStatus.Revoked), (Utc(2026, 6, 3), LicenceStatus.Licensed));

        var grid = await GridAsync(portal, id, "2025-10", "2026-10");
        Assert.Equal(MonthState.NotRequired, grid["2025-10"]);
        Assert.All(Periods.Range("2025-11", "2026-02"), m => Assert.Equal(MonthState.Missing, grid[m]));
        Assert.All(Periods.Range("2026-03", "2026-06"), m => Assert.Equal(MonthState.NotRequired, grid[m]));
        Assert.All(Periods.Range("2026-07", "2026-10"), m => Assert.Equal(MonthState.Missing, grid[m]));
        Assert.Equal([.. Periods.Range("2025-11", "2026-02"), .. Periods.Range("2026-07", "2026-10")], await MissingAlertMonthsAsync(portal, id));
    }

    [Theory]
    [InlineData(true)]
    [InlineData(false)]
    public async Task A_suspended_platforms_months_follow_the_setting(bool requireWhileSuspended)
    {
        await using var portal = await PortalServices.CreateAsync(settings: new Dictionary<string, string?>
        {
            ["Filing:RequireWhileSuspended"] = requireWhileSuspended.ToString(CultureInfo.InvariantCulture),
        });
        var id = await PlatformWithHistoryAsync(portal, "SUSP", (Utc(2025, 12, 5), LicenceStatus.Licensed), (Utc(2026, 5, 18), LicenceStatus.Suspended));

        var grid = await GridAsync(portal, id, "2026-01", "2026-10");
        Assert.All(Periods.Range("2026-01", "2026-05"), m => Assert.Equal(MonthState.Missing, grid[m]));
        var suspended = requireWhileSuspended ? MonthState.Missing : MonthState.NotRequired;
        Assert.All(Periods.Range("2026-06", "2026-10"), m => Assert.Equal(suspended, grid[m]));
        Assert.Equal(requireWhileSuspended ? Periods.Range("2026-01", "2026-10") : Periods.Range("2026-01", "2026-05"), await MissingAlertMonthsAsync(portal, id));
    }

    [Fact]
    public async Task Approving_an_applicant_leaves_no_missing_months_before_its_licence_in_the_grid_the_dashboard_or_the_report()
    {
        await using var portal = await PortalServices.CreateAsync();
        int pdjf;
        await using (var approver = await portal.AsAsync(DemoUsers.Approver))
        {
            var applications = approver.Get<ApplicationService>();
            var recommended = (await applications.GetQueueAsync(new ApplicationQuery { PageSize = 100 })).Items
                .Single(a => a.PlatformCode == "PDJF" && a.State == ApplicationState.Recommended);
            pdjf = recommended.PlatformId;
            await applications.DecideAsync(recommended.Id, DecisionInput.Approve("Meets every knock-out; band A."), (await applications.GetAsync(recommended.Id))!.ConcurrencyStamp);
        }

        // Licensed on 2026-11-25: December 2026 is its first month; every month shown so far is Not required.
        var grid = await GridAsync(portal, pdjf, "2025-12", "2026-11");
        Assert.All(grid.Values, state => Assert.Equal(MonthState.NotRequired, state));
        Assert.Empty(await MissingAlertMonthsAsync(portal, pdjf));

        await using var risk = await portal.AsAsync(DemoUsers.RiskOfficer);
        var national = await risk.Get<MonitoringService>().GetDashboardAsync(new DashboardFilter());
        Assert.Equal(("2026-10", 0), (national.Kpis!.Period, national.Kpis.MissingSubmissions));
        var september = await risk.Get<MonitoringService>().GetDashboardAsync(new DashboardFilter(To: "2026-09"));
        Assert.Equal(1, september.Kpis!.MissingSubmissions); // XMHX's, left out by the demo on purpose; not PDJF

        await using var analyst = await portal.AsAsync(DemoUsers.Analyst);
        var document = await analyst.Get<ReportService>().BuildDocumentAsync(new ReportRequest("2026-10", [pdjf], ["Data quality"]));
        var row = Assert.Single(document.Tables.Single(t => t.SheetName == "Data quality").Rows);
        Assert.Equal(("PDJF", "Not required"), (row.Values[0]?.ToString(), row.Values[2]?.ToString()));
    }

    [Fact]
    public async Task The_report_says_not_required_and_missing_like_the_grid()
    {
        await using var portal = await PortalServices.CreateAsync();
        var id = await PlatformWithHistoryAsync(portal, "MIDR", (Utc(2026, 9, 10), LicenceStatus.Licensed));

        await using var analyst = await portal.AsAsync(DemoUsers.Analyst);
        var reports = analyst.Get<ReportService>();
        foreach (var (period, expected) in new[] { ("2026-09", "Not required"), ("2026-10", "Missing") })
        {
            var item = await reports.GenerateAsync(new ReportRequest(period, [id], ["Data quality"]));
            var file = await reports.OpenFileAsync(item.Id);
            await using var content = file.Content;
            using var workbook = new XLWorkbook(content);
            Assert.Equal(expected, workbook.Worksheet("Data quality").Cell(2, 3).GetString());
        }
    }
}

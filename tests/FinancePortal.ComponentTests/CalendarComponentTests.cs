using Bunit;
using FinancePortal.Application.Domain;
using FinancePortal.Application.Features.Applications;
using FinancePortal.Application.Features.Monitoring;
using FinancePortal.Application.Features.LoanTapes;
using FinancePortal.TestSupport;
using FinancePortal.Web.Components.Pages.Alerts;
using FinancePortal.Web.Components.Pages.Monitoring;
using FinancePortal.Web.Components.Pages.LoanTapes;
using Microsoft.Extensions.DependencyInjection;

namespace FinancePortal.ComponentTests;

/// <summary>
/// What the filing calendar changes on screen, over the seeded demo (clock 2026-11-25: November 2026 is provisional):
/// the month grid's "Not required" cells, the dashboard's provisional label and the alerts' provisional chip.
/// </summary>
public class CalendarComponentTests : PortalComponentTestBase
{
    private static readonly TimeSpan Timeout = TimeSpan.FromSeconds(15);

    [Fact]
    public async Task The_month_grid_shows_an_approved_applicants_months_before_its_licence_as_not_required()
    {
        await using (var approver = await ActAsAsync(DemoUsers.Approver))
        {
            var applications = approver.Get<ApplicationService>();
            var recommended = (await applications.GetQueueAsync(new ApplicationQuery { PageSize = 100 })).Items
                .Single(a => a.PlatformCode == "PDJF" && a.State == ApplicationState.Recommended);
            await applications.DecideAsync(recommended.Id, DecisionInput.Approve("Meets every knock-out; band A."), (await applications.GetAsync(recommended.Id))!.ConcurrencyStamp);
        }

        await SignInAsAsync(DemoUsers.RiskOfficer);
        var grid = RenderWithProviders<MonthGrid>();
        grid.WaitForAssertion(() => Assert.NotEmpty(grid.FindAll("tr[data-platform=PDJF]")), Timeout);

        var cells = grid.Find("tr[data-platform=PDJF]").QuerySelectorAll("td");
        Assert.Equal(12, cells.Length);
        Assert.All(cells, c => Assert.Equal((nameof(MonthState.NotRequired), "not required", "Not required"),
            (c.GetAttribute("data-state"), c.TextContent.Trim(), c.GetAttribute("title"))));
        Assert.Contains(grid.FindAll("span.fp-month-NotRequired"), s => s.TextContent == "Not required"); // the legend
        Assert.DoesNotContain(grid.FindAll("td[data-state]"), c => c.GetAttribute("data-state") == nameof(MonthState.NotRequired) && c.ParentElement!.GetAttribute("data-platform") != "PDJF");
    }

    [Fact]
    public async Task The_dashboard_labels_a_provisional_month_with_how_many_platforms_filed_and_not_a_closed_one()
    {
        await using (var op = await ActAsAsync(DemoUsers.Operator))
        {
            var service = op.Get<SubmissionService>();
            var id = (await service.SubmitAsync("2026-11", "early.csv", TapeFiles.Csv("JDBT", "2026-11", 20))).Id;
            var detail = await service.GetAsync(id);
            if (detail!.Submission.Status == SubmissionStatus.WarningsToConfirm)
            {
                await service.AcknowledgeWarningsAsync(id, detail.ConcurrencyStamp); // the macro edits compare with October's much larger book
                detail = await service.GetAsync(id);
            }

            await service.SignAsync(id, "Sun Hao", true, detail!.ConcurrencyStamp);
        }

        Assert.Equal(1, await Services.GetRequiredService<MetricsJobRunner>().ProcessPendingAsync());
        DashboardData november, closed;
        await using (var risk = await ActAsAsync(DemoUsers.RiskOfficer))
        {
            november = await risk.Get<MonitoringService>().GetDashboardAsync(new DashboardFilter(To: "2026-11"));
            closed = await risk.Get<MonitoringService>().GetDashboardAsync(new DashboardFilter());
        }

        await SignInAsAsync(DemoUsers.RiskOfficer);
        var provisional = RenderWithProviders<DashboardView>(("Data", november), ("ShowSupervision", true), ("ShowPlatformTable", true));
        var label = provisional.Find("[data-testid=provisional-month]");
        Assert.Contains("2026-11: 1 of 10 platforms filed; the filing deadline is 2026-12-15.", label.TextContent);
        Assert.Equal("Provisional", label.QuerySelector("[data-testid=provisional]")!.TextContent.Trim());

        Assert.Equal("2026-10", closed.Kpis!.Period);
        provisional.Render(p => p.Add(c => c.Data, closed));
        Assert.Empty(provisional.FindAll("[data-testid=provisional-month]"));
    }

    [Fact]
    public void The_month_filter_lists_months_after_the_latest_closed_one_as_provisional()
    {
        var filters = RenderWithProviders<DashboardFilters>(("Filter", new DashboardFilter(To: "2026-10")), ("Months", new[] { "2026-11", "2026-10" }), ("LatestClosed", "2026-10"));
        filters.Find("[data-testid=filter-to]").Closest("div.mud-input-control")!.MouseDown();
        filters.WaitForAssertion(() => Assert.Contains(Popovers.FindAll(".mud-list-item"), i => i.TextContent.Trim() == "2026-11 (provisional)"), Timeout);
        Assert.Contains(Popovers.FindAll(".mud-list-item"), i => i.TextContent.Trim() == "2026-10");
    }

    [Fact]
    public void An_alerts_chips_mark_it_provisional_only_when_its_month_is()
    {
        var chips = Render<AlertChips>(p => p.Add(c => c.Severity, AlertSeverity.Critical).Add(c => c.State, AlertState.Open).Add(c => c.Provisional, true));
        Assert.Equal("Provisional", chips.Find("[data-testid=provisional]").TextContent.Trim());

        var closed = Render<AlertChips>(p => p.Add(c => c.Severity, AlertSeverity.Critical).Add(c => c.State, AlertState.Open));
        Assert.Empty(closed.FindAll("[data-testid=provisional]"));
    }
}

using FinancePortal.Application;
using FinancePortal.Application.Domain;
using FinancePortal.Application.Features.Alerts;
using FinancePortal.Application.Features.Monitoring;
using FinancePortal.Application.Features.LoanTapes;
using FinancePortal.Application.Security;
using FinancePortal.TestSupport;
using Microsoft.EntityFrameworkCore;
using Microsoft.Extensions.DependencyInjection;

namespace FinancePortal.IntegrationTests.Monitoring;

/// <summary>Signing → durable rebuild job → aggregates and alerts → dashboards, scoped per user.</summary>
public class MonitoringPipelineTests : IAsyncLifetime
{
    private PortalServices _portal = default!;

    public async Task InitializeAsync() => _portal = await PortalServices.CreateAsync();

    public async Task DisposeAsync() => await _portal.DisposeAsync();

    private async Task<int> PlatformIdAsync(string code)
    {
        await using var system = _portal.As(UserContext.System);
        await using var db = await system.Get<IPortalDbFactory>().CreateAsync();
        return await db.Platforms.Where(p => p.Code == code).Select(p => p.Id).SingleAsync();
    }

    [Fact]
    public async Task The_seeded_dashboard_reads_24_months_of_aggregates_with_industry_medians()
    {
        await using var risk = await _portal.AsAsync(DemoUsers.RiskOfficer);
        var data = await risk.Get<MonitoringService>().GetDashboardAsync(new DashboardFilter(From: "2024-11", To: "2026-10"));
        Assert.Equal(24, data.Periods.Count);
        Assert.Equal(10, data.Platforms.Count);
        Assert.NotNull(data.Kpis);
        Assert.True(data.Kpis!.Current.Outstanding > 0);
        Assert.Equal(data.Kpis.Industry!.Outstanding, data.Kpis.Current.Outstanding);
        Assert.All(data.Industry, p => Assert.NotNull(p.MedianDefaultRate));
        Assert.NotNull(data.Roll);
        Assert.NotEmpty(data.Vintages);
        Assert.Equal(10, data.Peers.Count);
        Assert.Contains(data.Platforms, p => p.Code == "QFEN" && p.Watched && p.OpenAlerts > 0);
        Assert.Equal((0, 0), (data.Kpis.MissingSubmissions, data.Kpis.LateSubmissions));
        Assert.Equal(1, (await DashboardForAsync(DemoUsers.RiskOfficer, "2026-09")).Kpis!.MissingSubmissions);
        Assert.Equal(1, (await DashboardForAsync(DemoUsers.RiskOfficer, "2026-08")).Kpis!.LateSubmissions);
    }

    private async Task<DashboardData> DashboardForAsync(string email, string to, int? platformId = null)
    {
        await using var user = await _portal.AsAsync(email);
        return await user.Get<MonitoringService>().GetDashboardAsync(new DashboardFilter(PlatformId: platformId, To: to));
    }

    [Fact]
    public async Task An_operators_dashboard_holds_only_their_platform_and_industry_benchmarks()
    {
        var jdbt = await PlatformIdAsync("JDBT");
        var own = await DashboardForAsync(DemoUsers.Operator, "2026-10");
        Assert.Equal([jdbt], own.Platforms.Select(p => p.PlatformId).ToArray());
        Assert.Equal([jdbt], own.Peers.Select(p => p.PlatformId).ToArray());
        Assert.NotNull(own.Medians);
        Assert.Equal(0, own.Kpis!.OpenAlerts);

        // Asking for another platform by id gives nothing of it.
        var hbxy = await PlatformIdAsync("HBXY");
        var probe = await DashboardForAsync(DemoUsers.Operator, "2026-10", hbxy);
        Assert.Empty(probe.Platforms);
        Assert.Empty(probe.Peers);
        Assert.Null(probe.Roll);
        Assert.Empty(probe.Vintages);

        // The regulator's figures for JDBT equal the operator's.
        var regulator = await DashboardForAsync(DemoUsers.RiskOfficer, "2026-10", jdbt);
        Assert.Equal(regulator.Kpis!.Current, own.Kpis.Current);
    }

    [Fact]
    public async Task Signing_writes_a_rebuild_job_in_the_same_transaction_and_the_runner_rebuilds_aggregates_and_alerts()
    {
        // A new month for JDBT in which a third of the book is 90+ days past due.
        await using (var op = await _portal.AsAsync(DemoUsers.Operator))
        {
            var service = op.Get<SubmissionService>();
            var csv = TapeFiles.Csv("JDBT", "2026-11", 30, i => i % 3 == 0
                ? [("days_past_due", "120"), ("status", "DEFAULTED")]
                : []);
            var id = (await service.SubmitAsync("2026-11", "tape.csv", csv)).Id;
            var detail = await service.GetAsync(id);
            if (detail!.Submission.Status == SubmissionStatus.WarningsToConfirm)
            {
                await service.AcknowledgeWarningsAsync(id, detail.ConcurrencyStamp);
                detail = await service.GetAsync(id);
            }

            Assert.Equal(SubmissionStatus.ReadyToSign, detail!.Submission.Status);
            await service.SignAsync(id, "Sun Hao", true, detail.ConcurrencyStamp);
        }

        var jdbt = await PlatformIdAsync("JDBT");
        await using (var system = _portal.As(UserContext.System))
        await using (var db = await system.Get<IPortalDbFactory>().CreateAsync())
        {
            Assert.Equal(1, await db.MetricsRebuildJobs.CountAsync(j => j.PlatformId == jdbt && j.Period == "2026-11" && j.CompletedUtc == null));
            Assert.False(await db.MonthlyAggregates.AnyAsync(a => a.PlatformId == jdbt && a.Period == "2026-11"));
        }

        Assert.Equal(1, await _portal.Provider.GetRequiredService<MetricsJobRunner>().ProcessPendingAsync());

        var data = await DashboardForAsync(DemoUsers.RiskOfficer, "2026-11", jdbt);
        Assert.Equal(30, data.Kpis!.Current.Loans);
        Assert.InRange(data.Kpis.Current.DefaultRate!.Value, 0.2m, 0.5m);
        await using var risk = await _portal.AsAsync(DemoUsers.RiskOfficer);
        var alerts = await risk.Get<AlertService>().GetPageAsync(new AlertQuery { PlatformId = jdbt, OpenOnly = true });
        Assert.Contains(alerts.Items, a => a.Rule == AlertRule.DefaultRateAboveLimit && a.Period == "2026-11");
    }
}

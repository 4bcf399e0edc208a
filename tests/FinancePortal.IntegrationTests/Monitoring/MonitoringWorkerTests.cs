using System.Diagnostics;
using FinancePortal.Application;
using FinancePortal.Application.Domain;
using FinancePortal.Application.Features.LoanTapes;
using FinancePortal.Application.Security;
using FinancePortal.TestSupport;
using Microsoft.EntityFrameworkCore;
using Microsoft.Extensions.DependencyInjection;

namespace FinancePortal.IntegrationTests.Monitoring;

/// <summary>The hosted worker in the running portal completes the rebuild job that signing wrote, without anyone asking.</summary>
public class MonitoringWorkerTests : IAsyncLifetime
{
    private readonly PortalAppFactory _app = new();

    public Task InitializeAsync()
    {
        _ = _app.Services; // starts the host and its hosted services
        return Task.CompletedTask;
    }

    public async Task DisposeAsync() => await _app.DisposeAsync();

    [Fact]
    public async Task Signing_wakes_the_worker_which_builds_the_months_aggregates_well_before_its_30_second_poll()
    {
        long submissionId;
        await using (var op = await _app.ActAsAsync(DemoUsers.Operator))
        {
            var service = op.ServiceProvider.GetRequiredService<SubmissionService>();
            submissionId = (await service.SubmitAsync("2026-11", "tape.csv", TapeFiles.Csv("JDBT", "2026-11", 40))).Id;
            var detail = (await service.GetAsync(submissionId))!;
            if (detail.Submission.Status == SubmissionStatus.WarningsToConfirm)
            {
                await service.AcknowledgeWarningsAsync(submissionId, detail.ConcurrencyStamp);
                detail = (await service.GetAsync(submissionId))!;
            }

            await service.SignAsync(submissionId, "Sun Hao", true, detail.ConcurrencyStamp);
        }

        var watch = Stopwatch.StartNew();
        MonthlyAggregate[] built = [];
        while (watch.Elapsed < TimeSpan.FromSeconds(20) && built.Length == 0)
        {
            await Task.Delay(200);
            await using var scope = _app.Services.CreateAsyncScope();
            await using var db = await scope.ServiceProvider.GetRequiredService<IPortalDbFactory>().CreateForAsync(UserContext.System);
            built = await db.MonthlyAggregates.AsNoTracking().Where(a => a.SubmissionId == submissionId).ToArrayAsync();
        }

        Assert.NotEmpty(built);
        Assert.Equal(40, built.Sum(a => a.Figures.Loans));
        await using (var scope = _app.Services.CreateAsyncScope())
        await using (var db = await scope.ServiceProvider.GetRequiredService<IPortalDbFactory>().CreateForAsync(UserContext.System))
        {
            var job = await db.MetricsRebuildJobs.AsNoTracking().SingleAsync(j => j.SubmissionId == submissionId);
            Assert.NotNull(job.CompletedUtc);
            Assert.Null(job.LastError);
            Assert.True(await db.IndustryAggregates.AnyAsync(i => i.Period == "2026-11"));
        }
    }
}

using System.Diagnostics;
using FinancePortal.Application;
using FinancePortal.Application.Domain;
using FinancePortal.Application.Features.Monitoring;
using FinancePortal.Application.Features.LoanTapes;
using FinancePortal.Application.Security;
using FinancePortal.TestSupport;
using Microsoft.Data.Sqlite;
using Microsoft.EntityFrameworkCore;
using Microsoft.Extensions.DependencyInjection;

namespace FinancePortal.IntegrationTests.Operations;

/// <summary>
/// Issue 16, deliverable 7: the process signing a 100,000-row loan tape is killed mid-signing. Afterwards the version is
/// either wholly present or absent, the upload can be signed (again), and the dashboard's rebuild job completes once.
/// </summary>
public sealed class InstanceDeathTests : IAsyncLifetime
{
    private const int Rows = 100_000;
    private PortalServices _portal = default!;

    public async Task InitializeAsync() => _portal = await PortalServices.CreateAsync();

    public async Task DisposeAsync() => await _portal.DisposeAsync();

    [Fact]
    public async Task Killing_the_instance_during_a_100000_row_signing_leaves_the_version_whole_or_absent_and_it_can_be_signed_once()
    {
        long id;
        Guid stamp;
        await using (var op = await _portal.AsAsync(DemoUsers.Operator))
        {
            var service = op.Get<SubmissionService>();
            id = (await service.SubmitAsync("2026-11", "november.csv", TapeFiles.Csv("JDBT", "2026-11", Rows))).Id;
            var detail = (await service.GetAsync(id))!;
            if (detail.Submission.Status == SubmissionStatus.WarningsToConfirm)
            {
                await service.AcknowledgeWarningsAsync(id, detail.ConcurrencyStamp);
                detail = (await service.GetAsync(id))!;
            }

            Assert.Equal(SubmissionStatus.ReadyToSign, detail.Submission.Status);
            stamp = detail.ConcurrencyStamp;
        }

        var rowsWritten = await SignInAnotherProcessAndKillItAsync(id, stamp);
        SqliteConnection.ClearAllPools();

        // Killed with every row written inside the signing's transaction, before its commit.
        Assert.Equal(Rows, rowsWritten);
        var (version, rows, jobs) = await StateAsync(id);
        Assert.True((version is null && rows == 0 && jobs == 0) || (version is not null && rows == Rows && jobs == 1),
            $"After the kill: version {version?.ToString() ?? "none"}, {rows} loan rows, {jobs} rebuild jobs — neither whole nor absent.");

        if (version is null)
        {
            await using var op = await _portal.AsAsync(DemoUsers.Operator);
            var service = op.Get<SubmissionService>();
            var detail = (await service.GetAsync(id))!;
            await service.SignAsync(id, "Sun Hao", true, detail.ConcurrencyStamp);
        }

        (version, rows, jobs) = await StateAsync(id);
        Assert.NotNull(version);
        Assert.Equal(Rows, rows);
        Assert.Equal(1, jobs);

        var runner = _portal.Provider.GetRequiredService<MetricsJobRunner>();
        Assert.Equal(1, await runner.ProcessPendingAsync());
        Assert.Equal(0, await runner.ProcessPendingAsync());
        await using var system = _portal.As(UserContext.System);
        await using var db = await system.Get<IPortalDbFactory>().CreateAsync();
        var job = await db.MetricsRebuildJobs.SingleAsync(j => j.SubmissionId == id);
        Assert.NotNull(job.CompletedUtc);
    }

    private async Task<(int? Version, int Rows, int Jobs)> StateAsync(long id)
    {
        await using var system = _portal.As(UserContext.System);
        await using var db = await system.Get<IPortalDbFactory>().CreateAsync();
        var version = await db.LoanSubmissions.Where(s => s.Id == id).Select(s => s.Version).SingleAsync();
        var rows = await db.LoanRecords.CountAsync(r => r.SubmissionId == id);
        var jobs = await db.MetricsRebuildJobs.CountAsync(j => j.SubmissionId == id);
        return (version, rows, jobs);
    }

    /// <summary>
    /// Runs the signing in FinancePortal.CrashHarness (the real service and processor over this database) and kills that
    /// process once it has written every loan row inside the signing's transaction, before the commit. Returns the rows
    /// written.
    /// </summary>
    private async Task<long> SignInAnotherProcessAndKillItAsync(long id, Guid stamp)
    {
        var start = new ProcessStartInfo("dotnet") { UseShellExecute = false, RedirectStandardOutput = true, RedirectStandardError = true, WorkingDirectory = AppContext.BaseDirectory };
        start.ArgumentList.Add(Path.Combine(AppContext.BaseDirectory, "FinancePortal.CrashHarness.dll"));
        start.ArgumentList.Add(_portal.DatabasePath);
        start.ArgumentList.Add(id.ToString(System.Globalization.CultureInfo.InvariantCulture));
        start.ArgumentList.Add(stamp.ToString());
        using var process = Process.Start(start)!;
        var written = new TaskCompletionSource<long>();
        var output = new System.Collections.Concurrent.ConcurrentQueue<string>();
        process.OutputDataReceived += (_, e) =>
        {
            if (e.Data is null)
            {
                written.TrySetException(new InvalidOperationException("The harness ended before writing the rows: " + string.Join(" | ", output)));
                return;
            }

            output.Enqueue(e.Data);
            if (e.Data.StartsWith("ROWS-WRITTEN ", StringComparison.Ordinal))
            {
                written.TrySetResult(long.Parse(e.Data["ROWS-WRITTEN ".Length..], System.Globalization.CultureInfo.InvariantCulture));
            }
        };
        process.ErrorDataReceived += (_, e) =>
        {
            if (e.Data is not null)
            {
                output.Enqueue(e.Data);
            }
        };
        process.BeginOutputReadLine();
        process.BeginErrorReadLine();
        try
        {
            return await written.Task.WaitAsync(TimeSpan.FromMinutes(3));
        }
        finally
        {
            process.Kill(entireProcessTree: true);
            await process.WaitForExitAsync();
        }
    }
}

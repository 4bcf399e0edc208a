using FinancePortal.Application.Diagnostics;
using FinancePortal.Application.Domain;
using FinancePortal.Application.Features.Alerts;
using FinancePortal.Application.Features.LoanTapes;
using FinancePortal.Application.Security;
using Microsoft.EntityFrameworkCore;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.Logging;

namespace FinancePortal.Application.Features.Monitoring;

/// <summary>Wakes the metrics worker when a job was committed (the worker also polls, so a lost wake-up only delays).</summary>
public sealed class MetricsSignal
{
    private readonly SemaphoreSlim _signal = new(0, 1);

    public void Notify()
    {
        if (_signal.CurrentCount == 0)
        {
            try
            {
                _signal.Release();
            }
            catch (SemaphoreFullException)
            {
                // already signalled
            }
        }
    }

    public Task<bool> WaitAsync(TimeSpan timeout, CancellationToken ct) => _signal.WaitAsync(timeout, ct);
}

/// <summary>The outbox: signing writes a rebuild job in the signing transaction, so the follow-up cannot be lost.</summary>
public sealed class MetricsOutbox(MetricsSignal signal) : ISubmissionSignedHandler
{
    public async Task HandleAsync(IPortalDb db, LoanSubmission signed, CancellationToken ct)
    {
        db.MetricsRebuildJobs.Add(new MetricsRebuildJob
        {
            PlatformId = signed.PlatformId, Period = signed.Period, SubmissionId = signed.Id, RequestedUtc = db.UtcNow,
        });
        await db.SaveChangesAsync(ct);
    }

    public void Committed(LoanSubmission signed) => signal.Notify();
}

/// <summary>
/// Runs pending rebuild jobs: claims one (a conditional update, so several instances never run the same job), rebuilds
/// the platform's aggregates from that month on, evaluates the alert rules, and completes the job — all in one
/// transaction. A failed job keeps its error and is retried (up to <see cref="MaxAttempts"/>).
/// </summary>
public sealed class MetricsJobRunner(
    IServiceScopeFactory scopes,
    MetricsRebuilder rebuilder,
    FilingCalendar calendar,
    PortalMetrics metrics,
    TimeProvider time,
    ILogger<MetricsJobRunner> logger)
{
    public const int MaxAttempts = 5;

    /// <summary>A claim older than this is considered abandoned (the instance died) and may be taken over.</summary>
    public static readonly TimeSpan Lease = TimeSpan.FromMinutes(10);

    private readonly SemaphoreSlim _gate = new(1, 1);

    /// <summary>Processes every pending job; returns how many completed.</summary>
    public async Task<int> ProcessPendingAsync(CancellationToken ct = default)
    {
        await _gate.WaitAsync(ct);
        try
        {
            var completed = 0;
            while (await ProcessNextAsync(ct) is { } done)
            {
                completed += done ? 1 : 0;
            }

            return completed;
        }
        finally
        {
            _gate.Release();
        }
    }

    /// <summary>Raises missing-submission alerts as of now.</summary>
    public async Task<int> EvaluateMissingAsync(CancellationToken ct = default)
    {
        await using var scope = scopes.CreateAsyncScope();
        await using var db = await scope.ServiceProvider.GetRequiredService<IPortalDbFactory>().CreateForAsync(UserContext.System, ct);
        return await AlertEvaluator.EvaluateMissingAsync(db, calendar, ct);
    }

    /// <summary>null when nothing is pending; true when a job completed; false when it failed.</summary>
    private async Task<bool?> ProcessNextAsync(CancellationToken ct)
    {
        await using var scope = scopes.CreateAsyncScope();
        await using var db = await scope.ServiceProvider.GetRequiredService<IPortalDbFactory>().CreateForAsync(UserContext.System, ct);
        var staleBefore = db.UtcNow - Lease;
        var job = await db.MetricsRebuildJobs.AsNoTracking()
            .Where(j => j.CompletedUtc == null && j.Attempts < MaxAttempts && (j.ClaimedUtc == null || j.ClaimedUtc < staleBefore))
            .OrderBy(j => j.Period).ThenBy(j => j.Id)
            .FirstOrDefaultAsync(ct);
        if (job is null)
        {
            return null;
        }

        var token = Guid.NewGuid();
        var now = db.UtcNow;
        var claimed = await db.MetricsRebuildJobs
            .Where(j => j.Id == job.Id && j.CompletedUtc == null && (j.ClaimedUtc == null || j.ClaimedUtc < staleBefore))
            .ExecuteUpdateAsync(s => s.SetProperty(j => j.ClaimedUtc, now).SetProperty(j => j.ClaimToken, token).SetProperty(j => j.Attempts, j => j.Attempts + 1), ct);
        if (claimed == 0)
        {
            return false; // another instance took it
        }

        var started = time.GetTimestamp();
        try
        {
            var months = await db.InTransactionAsync(async ct =>
            {
                var months = await rebuilder.RebuildAsync(db, job.PlatformId, job.Period, ct);
                await AlertEvaluator.EvaluateMonthAsync(db, calendar, job.PlatformId, job.Period, ct);
                await db.MetricsRebuildJobs.Where(j => j.Id == job.Id && j.ClaimToken == token)
                    .ExecuteUpdateAsync(s => s.SetProperty(j => j.CompletedUtc, db.UtcNow).SetProperty(j => j.LastError, (string?)null), ct);
                return months;
            }, ct);
            var elapsed = time.GetElapsedTime(started);
            metrics.MetricsRebuilt("completed", elapsed);
            PortalLog.MetricsRebuilt(logger, job.PlatformId, job.Period, months.Count, Math.Round(elapsed.TotalMilliseconds, 1));
            return true;
        }
        catch (Exception ex) when (ex is not OperationCanceledException)
        {
            metrics.MetricsRebuilt("failed", time.GetElapsedTime(started));
            PortalLog.MetricsRebuildFailed(logger, ex, job.Id, job.Attempts + 1);
            await using var failed = await scope.ServiceProvider.GetRequiredService<IPortalDbFactory>().CreateForAsync(UserContext.System, CancellationToken.None);
            var message = ex.Message.Length > 2000 ? ex.Message[..2000] : ex.Message;
            await failed.MetricsRebuildJobs.Where(j => j.Id == job.Id)
                .ExecuteUpdateAsync(s => s.SetProperty(j => j.ClaimedUtc, (DateTime?)null).SetProperty(j => j.LastError, message), CancellationToken.None);
            return false;
        }
    }
}

using FinancePortal.Application.Diagnostics;
using FinancePortal.Application.Features.Monitoring;
using Microsoft.Extensions.Hosting;
using Microsoft.Extensions.Logging;
using Microsoft.Extensions.Options;

namespace FinancePortal.Infrastructure.Jobs;

public sealed class MonitoringOptions
{
    public const string Section = "Monitoring";

    /// <summary>How often pending rebuild jobs are polled for (a signing also wakes the worker at once).</summary>
    public TimeSpan PollInterval { get; set; } = TimeSpan.FromSeconds(30);

    /// <summary>How often missing submissions are looked for.</summary>
    public TimeSpan MissingCheckInterval { get; set; } = TimeSpan.FromHours(1);

    /// <summary>Off in tests that drive the runner themselves.</summary>
    public bool RunWorker { get; set; } = true;
}

/// <summary>
/// The hosted job of monitoring: completes metrics rebuild jobs (woken by signing, polling as a fallback) and looks for
/// missing submissions on a timer. Time comes from the injected <see cref="TimeProvider"/>, so tests move it.
/// </summary>
public sealed class MonitoringWorker(
    MetricsJobRunner runner,
    MetricsSignal signal,
    TimeProvider time,
    IOptions<MonitoringOptions> options,
    ILogger<MonitoringWorker> logger) : BackgroundService
{
    protected override async Task ExecuteAsync(CancellationToken stoppingToken)
    {
        if (!options.Value.RunWorker)
        {
            return;
        }

        var nextMissingCheck = time.GetUtcNow();
        while (!stoppingToken.IsCancellationRequested)
        {
            try
            {
                await runner.ProcessPendingAsync(stoppingToken);
                if (time.GetUtcNow() >= nextMissingCheck)
                {
                    var raised = await runner.EvaluateMissingAsync(stoppingToken);
                    if (raised > 0)
                    {
                        PortalLog.MissingSubmissionAlerts(logger, raised);
                    }

                    nextMissingCheck = time.GetUtcNow() + options.Value.MissingCheckInterval;
                }
            }
            catch (OperationCanceledException) when (stoppingToken.IsCancellationRequested)
            {
                return;
            }
            catch (Exception ex)
            {
                PortalLog.WorkerRoundFailed(logger, ex);
            }

            try
            {
                // Wake on a signing, or when the poll interval passes on the injected clock.
                using var poll = CancellationTokenSource.CreateLinkedTokenSource(stoppingToken);
                var delay = Task.Delay(options.Value.PollInterval, time, poll.Token);
                var woken = signal.WaitAsync(Timeout.InfiniteTimeSpan, poll.Token);
                await Task.WhenAny(delay, woken);

                // The loser is cancelled; a wake-up lost in that race only means the next round starts at once anyway.
                await poll.CancelAsync();
            }
            catch (OperationCanceledException) when (stoppingToken.IsCancellationRequested)
            {
                return;
            }
        }
    }
}

using System.Collections.Concurrent;
using System.Globalization;
using FinancePortal.Benchmarks.Harness;
using FinancePortal.Benchmarks.Startup;
using FinancePortal.TestSupport;
using FinancePortal.TestSupport.Circuits;
using Microsoft.Data.Sqlite;

namespace FinancePortal.Benchmarks.Load;

/// <summary>
/// Issue "Hardening and operations", item 5: N concurrent Blazor Server circuits against the built web app on loopback.
/// Each circuit is one <see cref="BlazorCircuitClient"/> (the real /_blazor hub, blazorpack, WebSockets): it signs in
/// through the sign-in form, opens the risk-monitoring dashboard, moves to the audit log inside the circuit and pages
/// its grid with the pager buttons, with think time between clicks. Target: 200 circuits, p95 interaction < 150 ms.
/// </summary>
public sealed class LoadBenchmark : IBenchmark
{
    /// <summary>Environment variable for the number of circuits (1 to <see cref="MaxCircuits"/>).</summary>
    public const string CircuitsVariable = "FINANCEPORTAL_LOAD_CIRCUITS";
    public const int DefaultCircuits = 200;
    public const int MaxCircuits = 500;
    public const int MaxRounds = 3;
    public const int PagesPerCircuit = 3;
    public const double InteractionTargetMs = 150;

    /// <summary>Circuits signing in and opening the dashboard at the same time (users arriving, not a thundering herd).</summary>
    private const int OpeningParallelism = 8;

    /// <summary>Rows the audit log needs so that every circuit has a next page to click (50 rows a page).</summary>
    private const int MinimumAuditRows = 60;

    private static readonly TimeSpan StartupTimeout = TimeSpan.FromMinutes(3);
    private static readonly TimeSpan StepTimeout = TimeSpan.FromSeconds(60);
    private static readonly TimeSpan RoundTimeout = TimeSpan.FromMinutes(10);
    private static readonly (int Min, int Max) ThinkTimeMs = (3_000, 7_000);
    private static readonly TimeSpan ArrivalSpread = TimeSpan.FromSeconds(5);

    public string Name => "load";

    public string Description =>
        $"N concurrent Blazor Server circuits (${CircuitsVariable}, default {DefaultCircuits}): sign in, dashboard, page the audit grid; p95 click-to-render";

    public async Task<BenchmarkResult> RunAsync(BenchmarkContext context, CancellationToken ct)
    {
        var circuits = CircuitCount();
        var rounds = Math.Min(context.Runs, MaxRounds);
        var webApp = PortalProcess.WebAppPath();
        var folder = Path.Combine(Path.GetTempPath(), "financeportal-bench", Guid.NewGuid().ToString("N"));
        Directory.CreateDirectory(folder);
        context.Log.WriteLine($"  {circuits} circuits x {rounds} round(s); web app: {webApp}; load average {LoadAverage()}");
        try
        {
            var start = context.Time.GetTimestamp();
            // Every circuit signs in from 127.0.0.1: the per-address sign-in limit would refuse all but ten a minute.
            await using var portal = PortalProcess.Start(webApp, Path.Combine(folder, "load.db"), new Dictionary<string, string>
            {
                ["Security__SignInRateLimit__PermitLimit"] = "100000",
            });
            await portal.WaitForSignInPageAsync(context.Time, start, StartupTimeout, ct);
            context.Log.WriteLine($"  portal up on {portal.BaseAddress} after {context.Time.GetElapsedTime(start).TotalSeconds:0.0} s");
            await FillAuditLogAsync(portal.BaseAddress, MinimumAuditRows, ct);

            // One unmeasured journey first: JIT, EF model, first queries.
            await using (var warmUp = new BlazorCircuitClient(portal.BaseAddress))
            {
                await SupervisorJourney.SignInAndOpenDashboardAsync(warmUp, DemoUsers.Analyst, DemoUsers.Password, StepTimeout, ct);
                await SupervisorJourney.OpenGridAsync(warmUp, StepTimeout, ct);
                await SupervisorJourney.PageAsync(warmUp, StepTimeout, ct);
            }

            var outcomes = new List<RoundOutcome>();
            for (var round = 1; round <= rounds; round++)
            {
                var outcome = await RunRoundAsync(context, portal, circuits, round, ct);
                outcomes.Add(outcome);
                context.Log.WriteLine(outcome.Summary(round, rounds));
            }

            var interactionP95 = new Figure("click to render, p95", outcomes.Select(o => o.InteractionP95).ToArray(), InteractionTargetMs);
            var figures = new[]
            {
                new Figure("sign-in + dashboard, p50", outcomes.Select(o => Percentile(o.Open, 50)).ToArray()),
                new Figure("sign-in + dashboard, p95", outcomes.Select(o => Percentile(o.Open, 95)).ToArray()),
                new Figure("open audit grid, p95", outcomes.Select(o => Percentile(o.Navigate, 95)).ToArray()),
                new Figure("click to render, p50", outcomes.Select(o => Percentile(o.Interactions, 50)).ToArray()),
                interactionP95,
                new Figure("click to render, max", outcomes.Select(o => o.Interactions.DefaultIfEmpty(double.NaN).Max()).ToArray()),
            };
            return new BenchmarkResult(
                figures,
                [
                    new Ratio("circuits completed / started", outcomes.Min(o => (double)o.Completed / circuits), AtLeast: 1),
                    Ratio.OfTarget("click to render p95 / 150 ms target", interactionP95),
                ]);
        }
        finally
        {
            SqliteConnection.ClearAllPools();
            try
            {
                Directory.Delete(folder, recursive: true);
            }
            catch (IOException)
            {
                // Left to the OS temp cleaner.
            }
        }
    }

    private static async Task<RoundOutcome> RunRoundAsync(BenchmarkContext context, PortalProcess portal, int circuits, int round, CancellationToken ct)
    {
        using var roundCts = CancellationTokenSource.CreateLinkedTokenSource(ct);
        roundCts.CancelAfter(RoundTimeout);
        var token = roundCts.Token;
        var residentBefore = portal.ResidentBytes();
        var cpuBefore = portal.CpuTime();
        var clientCpuBefore = ClientCpuTime();
        var clients = new ConcurrentBag<BlazorCircuitClient>();
        var open = new ConcurrentBag<double>();
        var navigate = new ConcurrentBag<double>();
        var interactions = new ConcurrentBag<double>();
        var errors = new ConcurrentDictionary<string, int>();
        var completed = 0;
        var interopCalls = 0L;
        var batches = 0L;
        var loadBefore = LoadAverage();

        try
        {
            // Phase 1: users arrive (a few at a time), sign in and open the dashboard; their circuits stay open.
            using (var gate = new SemaphoreSlim(OpeningParallelism))
            {
                var opening = Enumerable.Range(0, circuits).Select(async i =>
                {
                    await gate.WaitAsync(token);
                    try
                    {
                        var client = new BlazorCircuitClient(portal.BaseAddress);
                        clients.Add(client);
                        var elapsed = await SupervisorJourney.SignInAndOpenDashboardAsync(client, DemoUsers.Analyst, DemoUsers.Password, StepTimeout, token);
                        open.Add(elapsed.TotalMilliseconds);
                        return client;
                    }
                    catch (Exception ex) when (ex is not OperationCanceledException || !ct.IsCancellationRequested)
                    {
                        errors.AddOrUpdate($"open: {ex.GetType().Name}: {ex.Message}", 1, (_, n) => n + 1);
                        return null;
                    }
                    finally
                    {
                        gate.Release();
                    }
                });
                var opened = (await Task.WhenAll(opening)).OfType<BlazorCircuitClient>().ToArray();
                var residentOpen = portal.ResidentBytes();
                var cpuOpen = portal.CpuTime();
                var clientCpuOpen = ClientCpuTime();
                context.Log.WriteLine($"  round {round}: {opened.Length}/{circuits} circuits open; server RSS {Mb(residentBefore)} -> {Mb(residentOpen)}"
                    + (residentBefore is { } b && residentOpen is { } a && opened.Length > 0 ? $" = {(a - b) / 1024.0 / opened.Length:0} KB per circuit" : "")
                    + $"; server CPU {(cpuOpen - cpuBefore).TotalMilliseconds / Math.Max(1, opened.Length):0} ms per sign-in + dashboard (the simulated clients: {(clientCpuOpen - clientCpuBefore).TotalMilliseconds / Math.Max(1, opened.Length):0} ms); load average {LoadAverage()}");

                // Phase 2: all circuits open at once; each moves to the audit log and pages it with think time.
                var working = opened.Select(async (client, i) =>
                {
                    var random = new Random((round * 100_003) + i);
                    try
                    {
                        await Task.Delay(TimeSpan.FromMilliseconds(random.Next((int)ArrivalSpread.TotalMilliseconds)), token);
                        navigate.Add((await SupervisorJourney.OpenGridAsync(client, StepTimeout, token)).TotalMilliseconds);
                        for (var page = 0; page < PagesPerCircuit; page++)
                        {
                            await Task.Delay(TimeSpan.FromMilliseconds(random.Next(ThinkTimeMs.Min, ThinkTimeMs.Max)), token);
                            interactions.Add((await SupervisorJourney.PageAsync(client, StepTimeout, token)).TotalMilliseconds);
                        }

                        Interlocked.Increment(ref completed);
                    }
                    catch (Exception ex) when (ex is not OperationCanceledException || !ct.IsCancellationRequested)
                    {
                        errors.AddOrUpdate($"interact: {ex.GetType().Name}: {ex.Message}", 1, (_, n) => n + 1);
                    }
                    finally
                    {
                        Interlocked.Add(ref interopCalls, client.JsCalls);
                        Interlocked.Add(ref batches, client.Batches);
                    }
                });
                await Task.WhenAll(working);
                var cpuWork = portal.CpuTime() - cpuOpen;
                context.Log.WriteLine($"  round {round}: server CPU {cpuWork.TotalMilliseconds / Math.Max(1, navigate.Count + interactions.Count):0} ms per interaction "
                    + $"({navigate.Count} grid opens + {interactions.Count} page clicks in {cpuWork.TotalSeconds:0.0} s CPU; the simulated clients used {(ClientCpuTime() - clientCpuOpen).TotalSeconds:0.0} s CPU meanwhile)");
                return new RoundOutcome(circuits, opened.Length, completed, open.ToArray(), navigate.ToArray(), interactions.ToArray(),
                    residentBefore, residentOpen, batches, interopCalls, errors.ToDictionary(), loadBefore, LoadAverage());
            }
        }
        finally
        {
            // Close every circuit (disconnect beacon + hub close) before the next round or the process kill.
            await Task.WhenAll(clients.Select(c => c.DisposeAsync().AsTask()));
        }
    }

    /// <summary>Failed sign-ins of unknown addresses are audited and cost no password hash: cheap rows for the audit grid.</summary>
    private static async Task FillAuditLogAsync(Uri baseAddress, int rows, CancellationToken ct)
    {
        if (rows <= 0)
        {
            return;
        }

        using var http = new HttpClient(new SocketsHttpHandler { UseProxy = false, AllowAutoRedirect = false }) { BaseAddress = baseAddress };
        for (var i = 0; i < rows; i++)
        {
            ct.ThrowIfCancellationRequested();
            using var _ = await http.PostSignInAsync($"nobody{i}@load.invalid", "wrong");
        }
    }

    private static int CircuitCount()
    {
        var value = Environment.GetEnvironmentVariable(CircuitsVariable);
        if (string.IsNullOrWhiteSpace(value))
        {
            return DefaultCircuits;
        }

        return int.TryParse(value, NumberStyles.None, CultureInfo.InvariantCulture, out var n) && n is >= 1 and <= MaxCircuits
            ? n
            : throw new ArgumentException($"{CircuitsVariable} must be a number from 1 to {MaxCircuits} (was '{value}').");
    }

    internal static double Percentile(IReadOnlyCollection<double> samples, double percentile)
    {
        if (samples.Count == 0)
        {
            return double.NaN;
        }

        var sorted = samples.Order().ToArray();
        var rank = (int)Math.Ceiling(percentile / 100 * sorted.Length);
        return sorted[Math.Clamp(rank - 1, 0, sorted.Length - 1)];
    }

    /// <summary>This harness's own CPU time: the simulated clients compete with the server for the same cores.</summary>
    private static TimeSpan ClientCpuTime()
    {
        using var self = System.Diagnostics.Process.GetCurrentProcess();
        return self.TotalProcessorTime;
    }

    private static string LoadAverage() =>
        File.Exists("/proc/loadavg") ? string.Join(' ', File.ReadAllText("/proc/loadavg").Split(' ').Take(3)) : "n/a";

    private static string Mb(long? bytes) => bytes is { } b ? $"{b / 1024.0 / 1024.0:0} MB" : "n/a";

    private sealed record RoundOutcome(
        int Requested, int Opened, int Completed, double[] Open, double[] Navigate, double[] Interactions,
        long? ResidentBefore, long? ResidentOpen, long Batches, long InteropCalls, Dictionary<string, int> Errors,
        string LoadBefore, string LoadAfter)
    {
        public double InteractionP95 => Percentile(Interactions, 95);

        public string Summary(int round, int rounds)
        {
            var lines = new List<string>
            {
                $"  round {round}/{rounds}: {Completed}/{Requested} circuits completed ({Opened} opened); {Interactions.Length} clicks: "
                + $"p50 {ReportPrinter.Ms(Percentile(Interactions, 50))} ms, p95 {ReportPrinter.Ms(InteractionP95)} ms, max {ReportPrinter.Ms(Interactions.DefaultIfEmpty(double.NaN).Max())} ms; "
                + $"sign-in + dashboard p50 {ReportPrinter.Ms(Percentile(Open, 50))} ms, p95 {ReportPrinter.Ms(Percentile(Open, 95))} ms; "
                + $"{Batches} render batches, {InteropCalls} interop calls; load average {LoadBefore} -> {LoadAfter}",
            };
            lines.AddRange(Errors.Select(e => $"    {e.Value} x {e.Key}"));
            return string.Join(Environment.NewLine, lines);
        }
    }
}

using FinancePortal.Benchmarks.Harness;
using Microsoft.Data.Sqlite;

namespace FinancePortal.Benchmarks.Startup;

/// <summary>
/// Product requirement: first start on a fresh machine under 30 s to a usable sign-in page.
/// Cold: a new process over a new SQLite file (migrations and demo seeding happen before Kestrel listens), timed from
/// process start to GET /Account/Login = 200; the page's MudBlazor stylesheet must then be served too.
/// Warm: the same, over the last cold run's already migrated and seeded file.
/// </summary>
public sealed class StartupBenchmark : IBenchmark
{
    public static readonly TimeSpan ColdTarget = TimeSpan.FromSeconds(30);
    private static readonly TimeSpan Timeout = TimeSpan.FromSeconds(60);

    public string Name => "startup";

    public string Description => "process start to HTTP 200 on /Account/Login (+ MudBlazor CSS), fresh DB (cold) and seeded DB (warm)";

    public async Task<BenchmarkResult> RunAsync(BenchmarkContext context, CancellationToken ct)
    {
        var webApp = PortalProcess.WebAppPath();
        context.Log.WriteLine($"  web app: {webApp}");
        var folder = Path.Combine(Path.GetTempPath(), "financeportal-bench", Guid.NewGuid().ToString("N"));
        Directory.CreateDirectory(folder);
        try
        {
            var cold = new List<double>();
            var database = "";
            for (var run = 1; run <= context.Runs; run++)
            {
                database = Path.Combine(folder, $"cold-{run}.db");
                cold.Add(await MeasureAsync(context, webApp, database, $"cold run {run}/{context.Runs}", ct));
            }

            var warm = new List<double>();
            for (var run = 1; run <= context.Runs; run++)
            {
                warm.Add(await MeasureAsync(context, webApp, database, $"warm run {run}/{context.Runs}", ct));
            }

            var coldFigure = new Figure("cold start to sign-in page", cold, ColdTarget.TotalMilliseconds);
            var warmFigure = new Figure("warm start to sign-in page", warm);
            return new BenchmarkResult(
                [coldFigure, warmFigure],
                [Ratio.Of("cold / warm", coldFigure, warmFigure), Ratio.OfTarget("cold start median / 30 s target", coldFigure)]);
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

    private static async Task<double> MeasureAsync(BenchmarkContext context, string webApp, string database, string label, CancellationToken ct)
    {
        var start = context.Time.GetTimestamp();
        await using var portal = PortalProcess.Start(webApp, database);
        var page = await portal.WaitForSignInPageAsync(context.Time, start, Timeout, ct);
        var elapsedMs = context.Time.GetElapsedTime(start).TotalMilliseconds;
        var cssBytes = await portal.FetchMudBlazorCssAsync(page, ct);
        context.Log.WriteLine($"  {label}: sign-in page 200 after {ReportPrinter.Ms(elapsedMs)} ms on {portal.BaseAddress}; MudBlazor CSS 200 ({cssBytes / 1024} KB)");
        return elapsedMs;
    }
}

using FinancePortal.Application;
using FinancePortal.Application.Security;
using FinancePortal.Benchmarks.Harness;
using FinancePortal.Infrastructure.Data;
using FinancePortal.Infrastructure.Seeding;
using Microsoft.EntityFrameworkCore;
using Microsoft.Extensions.DependencyInjection;

namespace FinancePortal.Benchmarks.Seeding;

/// <summary>
/// In-process, a fresh SQLite file per run: DatabaseInitializer with Seeding:Demo=false (migrations, WAL, roles),
/// then DatabaseInitializer with Seeding:Demo=true on that migrated file (demo platforms and accounts).
/// One unmeasured warm-up run first, so the figures are steady-state costs rather than JIT and EF model building
/// (the startup benchmark measures the real first start).
/// </summary>
public sealed class SeedingBenchmark : IBenchmark
{
    public string Name => "seeding";

    public string Description => "in-process, fresh SQLite file per run: migrations, then demo seeding (after 1 warm-up run)";

    public async Task<BenchmarkResult> RunAsync(BenchmarkContext context, CancellationToken ct)
    {
        var migrate = new List<double>();
        var seed = new List<double>();
        var total = new List<double>();
        for (var run = 0; run <= context.Runs; run++)
        {
            var (migrateMs, seedMs) = await RunOnceAsync(context, ct);
            if (run == 0)
            {
                context.Log.WriteLine($"  warm-up: migrate {ReportPrinter.Ms(migrateMs)} ms, seed {ReportPrinter.Ms(seedMs)} ms (not counted)");
                continue;
            }

            migrate.Add(migrateMs);
            seed.Add(seedMs);
            total.Add(migrateMs + seedMs);
            context.Log.WriteLine($"  run {run}/{context.Runs}: migrate {ReportPrinter.Ms(migrateMs)} ms, seed {ReportPrinter.Ms(seedMs)} ms");
        }

        var migrateFigure = new Figure("migrate (empty file, roles)", migrate);
        var seedFigure = new Figure("demo seed (migrated file)", seed);
        return new BenchmarkResult(
            [migrateFigure, seedFigure, new Figure("migrate + demo seed", total)],
            [Ratio.Of("demo seed / migrate", seedFigure, migrateFigure)]);
    }

    private static async Task<(double MigrateMs, double SeedMs)> RunOnceAsync(BenchmarkContext context, CancellationToken ct)
    {
        using var database = new BenchmarkDatabase();
        var migrateMs = await InitializeAsync(context, database, seedDemo: false, ct);
        var seedMs = await InitializeAsync(context, database, seedDemo: true, ct);
        await EnsureSeededAsync(database, ct);
        return (migrateMs, seedMs);
    }

    /// <summary>A seed that silently did nothing would look fast: check the demo rows are there.</summary>
    private static async Task EnsureSeededAsync(BenchmarkDatabase database, CancellationToken ct)
    {
        await using var services = database.CreateServices(seedDemo: true);
        await using var scope = services.CreateAsyncScope();
        await using var db = await scope.ServiceProvider.GetRequiredService<IPortalDbFactory>().CreateForAsync(UserContext.System, ct);
        var platforms = await db.Platforms.CountAsync(ct);
        var users = await db.Users.CountAsync(ct);
        if (platforms != DemoSeeder.Platforms.Count || users != DemoSeeder.Accounts.Count)
        {
            throw new InvalidOperationException($"Demo seeding produced {platforms} platforms and {users} users, expected {DemoSeeder.Platforms.Count} and {DemoSeeder.Accounts.Count}.");
        }
    }

    /// <summary>Times only <see cref="DatabaseInitializer.InitializeAsync"/>, not building the container.</summary>
    private static async Task<double> InitializeAsync(BenchmarkContext context, BenchmarkDatabase database, bool seedDemo, CancellationToken ct)
    {
        await using var services = database.CreateServices(seedDemo);
        await using var scope = services.CreateAsyncScope();
        var initializer = scope.ServiceProvider.GetRequiredService<DatabaseInitializer>();
        return await context.TimeAsync(() => initializer.InitializeAsync(ct));
    }
}

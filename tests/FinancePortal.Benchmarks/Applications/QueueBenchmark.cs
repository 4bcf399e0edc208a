using FinancePortal.Application;
using FinancePortal.Application.Domain;
using FinancePortal.Application.Features.Applications;
using FinancePortal.Application.Security;
using FinancePortal.Benchmarks.Harness;
using FinancePortal.Benchmarks.Seeding;
using FinancePortal.Infrastructure.Data;
using Microsoft.EntityFrameworkCore;
using Microsoft.Extensions.DependencyInjection;

namespace FinancePortal.Benchmarks.Applications;

/// <summary>
/// Issue "Market access", performance: with 10,000 applications, one reviewer-queue page (filter + sort + page, done
/// by the database) must take under 50 ms on SQLite; compared with loading all applications and paging in memory.
/// </summary>
public sealed class QueueBenchmark : IBenchmark
{
    private const int Applications = 10_000;

    public string Name => "queue";

    public string Description => $"market-access queue page over {Applications:N0} applications: database paging vs loading all into memory";

    public async Task<BenchmarkResult> RunAsync(BenchmarkContext context, CancellationToken ct)
    {
        using var database = new BenchmarkDatabase();
        await using var services = database.CreateServices(seedDemo: true);
        await using (var scope = services.CreateAsyncScope())
        {
            await scope.ServiceProvider.GetRequiredService<DatabaseInitializer>().InitializeAsync(ct);
            await AddApplicationsAsync(scope.ServiceProvider.GetRequiredService<IPortalDbFactory>(), ct);
        }

        var query = new ApplicationQuery { Band = Band.B, SortBy = "LatestScore", Descending = true, Page = 3, PageSize = 25 };
        var samples = Math.Max(context.Runs * 5, 10);
        var paged = new List<double>();
        var inMemory = new List<double>();
        await using (var scope = services.CreateAsyncScope())
        {
            var service = scope.ServiceProvider.GetRequiredService<ApplicationService>();
            var factory = scope.ServiceProvider.GetRequiredService<IPortalDbFactory>();
            PagedResult<ApplicationListItem>? page = null;
            List<ApplicationListItem>? baseline = null;
            for (var warmUp = 0; warmUp < 3; warmUp++)
            {
                page = await service.GetQueueAsync(query, ct);
                baseline = await InMemoryPageAsync(factory, query, ct);
            }

            if (!page!.Items.Select(i => i.Id).SequenceEqual(baseline!.Select(i => i.Id)))
            {
                throw new InvalidOperationException("The database page and the in-memory page differ: the benchmark would compare different work.");
            }

            for (var i = 0; i < samples; i++)
            {
                paged.Add(await context.TimeAsync(() => service.GetQueueAsync(query, ct)));
                inMemory.Add(await context.TimeAsync(() => InMemoryPageAsync(factory, query, ct)));
            }

            context.Log.WriteLine($"  page 4 of band B by score: {page.Items.Count} rows of {page.TotalCount:N0} matching");
        }

        var db = new Figure("queue page in the database (filter+sort+page)", paged, TargetMs: 50);
        var memory = new Figure("load all applications, page in memory", inMemory);
        return new BenchmarkResult([db, memory], [Ratio.Of("in-memory / database page", memory, db)]);
    }

    /// <summary>The naive alternative: every application into memory, then filter, sort and page there.</summary>
    private static async Task<List<ApplicationListItem>> InMemoryPageAsync(IPortalDbFactory factory, ApplicationQuery query, CancellationToken ct)
    {
        await using var db = await factory.CreateAsync(ct);
        var all = await db.AccessApplications.AsNoTracking().Include(a => a.Platform).ToListAsync(ct);
        return all.Where(a => a.LatestBand == query.Band)
            .OrderByDescending(a => a.LatestScore).ThenBy(a => a.Id)
            .Skip(query.Skip).Take(query.SafePageSize)
            .Select(a => new ApplicationListItem(a.Id, a.Reference, a.PlatformId, a.Platform!.Code, a.Platform.LegalName, a.State, a.SubmittedUtc, a.ReviewerName, a.LatestBand, a.LatestScore, a.UpdatedUtc))
            .ToList();
    }

    private static async Task AddApplicationsAsync(IPortalDbFactory factory, CancellationToken ct)
    {
        var random = new Random(2026);
        var states = Enum.GetValues<ApplicationState>();
        var bands = Enum.GetValues<Band>();
        await using var db = await factory.CreateForAsync(UserContext.System, ct);
        var platforms = await db.Platforms.Select(p => p.Id).ToListAsync(ct);
        var start = new DateTime(2024, 1, 1, 0, 0, 0, DateTimeKind.Utc);
        for (var batch = 0; batch < Applications / 1000; batch++)
        {
            for (var i = 0; i < 1000; i++)
            {
                var n = batch * 1000 + i;
                var submitted = start.AddMinutes(random.Next(0, 60 * 24 * 900));
                db.AccessApplications.Add(new AccessApplication
                {
                    PlatformId = platforms[random.Next(platforms.Count)],
                    Reference = $"MA-B-{n:D5}",
                    State = states[random.Next(states.Length)],
                    Inputs = new ApplicationInputs { RegisteredCapital = 1_000_000_000m, PaidInCapital = 1_000_000_000m, BusinessPlan = "Benchmark application." },
                    CreatedBy = "benchmark",
                    CreatedUtc = submitted,
                    SubmittedUtc = submitted,
                    UpdatedUtc = submitted,
                    LatestBand = bands[random.Next(bands.Length)],
                    LatestScore = Math.Round((decimal)random.NextDouble() * 100m, 2),
                    ReviewerName = "reviewer@financeportal.demo",
                });
            }

            await db.SaveChangesAsync(ct);
        }
    }
}

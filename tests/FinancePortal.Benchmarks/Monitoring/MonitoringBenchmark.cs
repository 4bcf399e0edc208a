using System.Security.Cryptography;
using System.Text;
using FinancePortal.Application;
using FinancePortal.Application.Domain;
using FinancePortal.Application.Features.Monitoring;
using FinancePortal.Application.Features.LoanTapes;
using FinancePortal.Application.Security;
using FinancePortal.Benchmarks.Harness;
using FinancePortal.Benchmarks.Seeding;
using FinancePortal.Infrastructure.Data;
using FinancePortal.Infrastructure.LoanTapes.Bulk;
using FinancePortal.Infrastructure.Seeding;
using Microsoft.AspNetCore.Identity;
using Microsoft.Data.Sqlite;
using Microsoft.EntityFrameworkCore;
using Microsoft.Extensions.DependencyInjection;

namespace FinancePortal.Benchmarks.Monitoring;

/// <summary>
/// Issue "Default-rate monitoring", performance: the dashboard data for 24 months x 20 platforms over &gt;= 1,000,000
/// loan-month rows in &lt; 100 ms from the stored aggregates, and &gt;= 20x faster than computing the same numbers from
/// the raw rows in the same run; rebuilding one platform-month's aggregates after signing 100,000 rows in &lt; 2 s.
/// The SQLite database (20 licensed platforms x 24 signed months x ~2,110 loans, aggregates built by
/// <see cref="MetricsRebuilder"/>) is built once and cached under the temp folder, keyed by <see cref="DataVersion"/>
/// and the latest migration; every run works on a copy of it.
/// </summary>
public sealed class MonitoringBenchmark : IBenchmark
{
    /// <summary>Change it whenever the generated data changes, so a stale cached database is rebuilt.</summary>
    private const string DataVersion = "v3";

    private const int PlatformCount = 20;
    private const int RowsPerMonth = 2_110;
    private const int MinimumRows = 1_000_000;
    private const int SignedRows = 100_000;
    private const string FirstPeriod = "2024-11";
    internal const string LastPeriod = "2026-10";
    private const string NewPeriod = "2026-11";
    internal const string RiskOfficerEmail = "national-risk@bench.financeportal.test";

    public string Name => "monitoring";

    public string Description => $"risk dashboard ({PlatformCount} platforms x 24 months, >= {MinimumRows:N0} loan rows) from aggregates vs from raw rows; rebuild after signing {SignedRows:N0} rows";

    public async Task<BenchmarkResult> RunAsync(BenchmarkContext context, CancellationToken ct)
    {
        using var database = new BenchmarkDatabase();
        var user = new FixedUser();
        await using var services = database.CreateServices(seedDemo: false, configure: s => s.AddSingleton<ICurrentUser>(user));
        var factory = services.GetRequiredService<IPortalDbFactory>();
        await PrepareDatabaseAsync(services, database.FilePath, context, ct);

        await using (var scope = services.CreateAsyncScope())
        {
            var risk = await scope.ServiceProvider.GetRequiredService<UserManager<PortalUser>>().FindByEmailAsync(RiskOfficerEmail)
                ?? throw new InvalidOperationException("The benchmark's risk officer is missing from the database.");
            user.Context = new UserContext(risk.Id, risk.UserName!, [Roles.RiskOfficer]);
        }

        // 1 and 2: the dashboard from the aggregates and the same numbers from the rows, as a national risk officer.
        var filter = new DashboardFilter(From: FirstPeriod, To: LastPeriod);
        var fromAggregates = new List<double>();
        var fromRows = new List<double>();
        await using (var scope = services.CreateAsyncScope())
        {
            var monitoring = scope.ServiceProvider.GetRequiredService<MonitoringService>();
            // Unmeasured warm-up (JIT, EF query compilation, page cache) that also checks both give the same numbers.
            var dashboard = await monitoring.GetDashboardAsync(filter, ct);
            var raw = await RawDashboard.ComputeAsync(factory, FirstPeriod, LastPeriod, ct);
            if (dashboard.Periods.Count != 24 || dashboard.Platforms.Count != PlatformCount || dashboard.Platforms.Any(p => p.Months.Count != 24))
            {
                throw new InvalidOperationException($"The dashboard shows {dashboard.Platforms.Count} platforms x {dashboard.Periods.Count} months, not {PlatformCount} x 24.");
            }

            RawDashboard.Compare(dashboard, raw);
            context.Log.WriteLine($"  dashboard: {dashboard.Platforms.Count} platforms x {dashboard.Periods.Count} months, {dashboard.Vintages.Count} vintage curves, roll matrix {dashboard.Roll?.Period}; same numbers as from the rows");
            for (var i = 0; i < context.Runs; i++)
            {
                fromAggregates.Add(await context.TimeAsync(() => monitoring.GetDashboardAsync(filter, ct)));
                fromRows.Add(await context.TimeAsync(() => RawDashboard.ComputeAsync(factory, FirstPeriod, LastPeriod, ct)));
                context.Log.WriteLine($"  run {i + 1}: dashboard {fromAggregates[^1]:N1} ms, from rows {fromRows[^1]:N0} ms");
            }
        }

        // 3: one platform signs a new month of 100,000 rows (its previous month is there, so roll rates join); its
        // aggregates and the industry's for that month are rebuilt, as the follow-up job after signing does.
        var platformId = await PlatformIdAsync(factory, 1, ct);
        var written = await SignNewMonthAsync(factory, platformId, ct);
        var rebuilder = services.GetRequiredService<MetricsRebuilder>();
        await using (var db = await factory.CreateForAsync(UserContext.System, ct))
        {
            // Warm-up on another platform's last month: the rebuild's queries are compiled before the clock starts.
            await rebuilder.RebuildAsync(db, await PlatformIdAsync(factory, 2, ct), LastPeriod, ct);
        }

        var rebuild = new List<double>();
        for (var i = 0; i < context.Runs; i++)
        {
            rebuild.Add(await context.TimeAsync(async () =>
            {
                await using var db = await factory.CreateForAsync(UserContext.System, ct);
                var months = await rebuilder.RebuildAsync(db, platformId, NewPeriod, ct, industry: true);
                if (months is not [NewPeriod])
                {
                    throw new InvalidOperationException($"The rebuild covered {string.Join(", ", months)}, not {NewPeriod} only.");
                }
            }));
            context.Log.WriteLine($"  run {i + 1}: rebuild of {NewPeriod} ({written:N0} rows) {rebuild[^1]:N0} ms");
        }

        await using (var db = await factory.CreateForAsync(UserContext.System, ct))
        {
            var loans = await db.MonthlyAggregates.Where(a => a.PlatformId == platformId && a.Period == NewPeriod).SumAsync(a => a.Figures.Loans, ct);
            var rolled = await db.RollRateCells.CountAsync(c => c.PlatformId == platformId && c.Period == NewPeriod, ct);
            if (loans != written || rolled == 0)
            {
                throw new InvalidOperationException($"The rebuilt month counts {loans:N0} loans (expected {written:N0}) and {rolled} roll-rate cells.");
            }
        }

        var dashboardFigure = new Figure("dashboard from aggregates (20 x 24 months)", fromAggregates, TargetMs: 100);
        var rowsFigure = new Figure("same numbers from raw loan rows", fromRows);
        var rebuildFigure = new Figure($"rebuild 1 platform-month after signing {SignedRows:N0} rows", rebuild, TargetMs: 2_000);
        var ratio = Ratio.Of("from rows / from aggregates", rowsFigure, dashboardFigure, atLeast: 20);
        return new BenchmarkResult([dashboardFigure, rowsFigure, rebuildFigure],
        [
            ratio,
            Ratio.OfTarget("dashboard / 100 ms target", dashboardFigure),
            Ratio.OfTarget("rebuild / 2,000 ms target", rebuildFigure),
        ]);
    }

    /// <summary>Copies the cached database into <paramref name="file"/>, building the cache first when it is missing or stale.</summary>
    internal static async Task PrepareDatabaseAsync(ServiceProvider services, string file, BenchmarkContext context, CancellationToken ct)
    {
        string lastMigration;
        await using (var db = await services.GetRequiredService<IDbContextFactory<PortalDbContext>>().CreateDbContextAsync(ct))
        {
            lastMigration = db.Database.GetMigrations().Last();
        }

        var cacheRoot = Path.Combine(Path.GetTempPath(), "financeportal-bench", "monitoring-cache");
        var key = $"{DataVersion}-{PlatformCount}x24x{RowsPerMonth}-{lastMigration}";
        var cached = Path.Combine(cacheRoot, key, "portal.db");
        if (File.Exists(cached))
        {
            context.Log.WriteLine($"  database: cached {cached}");
            File.Copy(cached, file);
            return;
        }

        // Older versions of the cache are of no further use (each is a few hundred MB).
        if (Directory.Exists(cacheRoot))
        {
            foreach (var stale in Directory.GetDirectories(cacheRoot))
            {
                Directory.Delete(stale, recursive: true);
            }
        }

        context.Log.WriteLine($"  database: building {key} (once; cached for later runs)");
        var start = context.Time.GetTimestamp();
        await using (var scope = services.CreateAsyncScope())
        {
            await scope.ServiceProvider.GetRequiredService<DatabaseInitializer>().InitializeAsync(ct);
            var users = scope.ServiceProvider.GetRequiredService<UserManager<PortalUser>>();
            var risk = new PortalUser { UserName = RiskOfficerEmail, Email = RiskOfficerEmail, EmailConfirmed = true, DisplayName = "National risk officer", CreatedUtc = DateTime.UtcNow };
            Ensure(await users.CreateAsync(risk, "Bench!Risk2026"));
            Ensure(await users.AddToRoleAsync(risk, Roles.RiskOfficer));
        }

        var factory = services.GetRequiredService<IPortalDbFactory>();
        var months = Periods.Range(FirstPeriod, LastPeriod);
        long rows = 0;
        await using (var db = (PortalDbContext)await factory.CreateForAsync(UserContext.System, ct))
        {
            for (var n = 1; n <= PlatformCount; n++)
            {
                db.Platforms.Add(new Platform
                {
                    Code = Code(n), LegalName = $"Benchmark Consumer Finance {n:D2} Co., Ltd.", Province = Provinces.All[n % Provinces.All.Count],
                    Kind = PlatformKind.NetworkInstallment, RegisteredCapital = 1_000_000_000m, LicenceStatus = LicenceStatus.Licensed, CreatedUtc = new DateTime(2024, 1, 1, 0, 0, 0, DateTimeKind.Utc),
                });
            }

            await db.SaveChangesAsync(ct);
            db.ChangeTracker.Clear();
            for (var n = 1; n <= PlatformCount; n++)
            {
                var platformId = await db.Platforms.Where(p => p.Code == Code(n)).Select(p => p.Id).SingleAsync(ct);
                var book = Book(n);
                for (var i = 0; i < months.Count; i++)
                {
                    rows += await SignAsync(db, platformId, months[i], book.NextMonthOfSize(months[i], RowsPerMonth, Risk(n, i + 1)), ct);
                }
            }
        }

        if (rows < MinimumRows)
        {
            throw new InvalidOperationException($"The generator wrote {rows:N0} loan rows, fewer than {MinimumRows:N0}.");
        }

        var written = context.Time.GetElapsedTime(start);
        await using (var db = await factory.CreateForAsync(UserContext.System, ct))
        {
            var rebuilder = services.GetRequiredService<MetricsRebuilder>();
            foreach (var platformId in await db.Platforms.Select(p => p.Id).ToListAsync(ct))
            {
                await rebuilder.RebuildAsync(db, platformId, FirstPeriod, ct, industry: false);
            }

            foreach (var period in months)
            {
                await MetricsRebuilder.RebuildIndustryAsync(db, period, ct);
            }

            await db.Database.ExecuteSqlRawAsync("PRAGMA wal_checkpoint(TRUNCATE);", ct);
        }

        context.Log.WriteLine($"  database: {rows:N0} loan rows written in {written.TotalSeconds:N0} s; all aggregates built in {(context.Time.GetElapsedTime(start) - written).TotalSeconds:N0} s");
        SqliteConnection.ClearAllPools();
        Directory.CreateDirectory(Path.GetDirectoryName(cached)!);
        File.Copy(file, cached + ".partial", overwrite: true);
        File.Move(cached + ".partial", cached);
    }

    /// <summary>Writes <paramref name="rows"/> as version 1 of the month, signed six days after month end, as the demo seeder does.</summary>
    private static async Task<long> SignAsync(PortalDbContext db, int platformId, string period, List<LoanRecord> rows, CancellationToken ct)
    {
        var signed = Periods.LastDay(period).AddDays(6).ToDateTime(new TimeOnly(9, 30), DateTimeKind.Utc);
        var open = rows.Where(r => r.Status is not ("REPAID" or "CHARGED_OFF")).ToList();
        var submission = new LoanSubmission
        {
            PlatformId = platformId, Period = period, Status = SubmissionStatus.Signed, Version = 1,
            FileName = $"bench_{platformId}_{period}.csv", FileSha256 = Convert.ToHexStringLower(SHA256.HashData(Encoding.UTF8.GetBytes($"{platformId}/{period}"))),
            UploadedBy = "benchmark", UploadedUtc = signed.AddHours(-2), CheckStartedUtc = signed.AddHours(-2), CheckedUtc = signed.AddHours(-1),
            RuleSetVersion = "benchmark", RowsRead = rows.Count, ValidRows = rows.Count, SignedBy = "benchmark", AttestedName = "Benchmark filer", SignedUtc = signed,
            LoanCount = rows.Count, OutstandingBalance = open.Sum(r => r.OutstandingPrincipal),
            DefaultedBalance = open.Where(r => r.DaysPastDue >= 90 || r.Status == "DEFAULTED").Sum(r => r.OutstandingPrincipal),
        };
        await using var tx = await db.Database.BeginTransactionAsync(ct);
        db.LoanSubmissions.Add(submission);
        await db.SaveChangesAsync(ct);
        foreach (var row in rows)
        {
            row.SubmissionId = submission.Id;
            row.PlatformId = platformId;
        }

        var written = await FinancePortal.Infrastructure.LoanTapes.Bulk.LoanRecordWriter.For(db).WriteVersionAsync(db, submission, rows.ToAsyncEnumerable(), ct);
        await db.SaveChangesAsync(ct);
        await tx.CommitAsync(ct);
        db.ChangeTracker.Clear();
        return written;
    }

    /// <summary>Platform 1's book replayed to its last cached month, then a month of 100,000 rows signed (unmeasured).</summary>
    private static async Task<long> SignNewMonthAsync(IPortalDbFactory factory, int platformId, CancellationToken ct)
    {
        var book = Book(1);
        var months = Periods.Range(FirstPeriod, LastPeriod);
        for (var i = 0; i < months.Count; i++)
        {
            book.NextMonthOfSize(months[i], RowsPerMonth, Risk(1, i + 1));
        }

        await using var db = (PortalDbContext)await factory.CreateForAsync(UserContext.System, ct);
        return await SignAsync(db, platformId, NewPeriod, book.NextMonthOfSize(NewPeriod, SignedRows, Risk(1, months.Count + 1), exact: true), ct);
    }

    /// <summary>
    /// Platform <paramref name="n"/>'s book (the demo's generator, <see cref="LoanBookSimulator"/>), deterministic per
    /// platform, with a year of unreported history so the first month has loans in every delinquency bucket.
    /// </summary>
    private static LoanBookSimulator Book(int n)
    {
        var book = new LoanBookSimulator(Code(n), 7_000 + n);
        book.Season(FirstPeriod, 12, RowsPerMonth / 10, Risk(n, 1));
        return book;
    }

    /// <summary>
    /// Platforms differ: a monthly miss rate of 1.9–3.8 %; every fifth deteriorating (more misses, faster roll-forward),
    /// the ones after them improving.
    /// </summary>
    private static LoanBookRisk Risk(int n, int month) => (n % 5) switch
    {
        0 => new(0.018 + 0.001 * n + 0.002 * month, Math.Min(1, month / 24.0)),
        1 => new(Math.Max(0.01, 0.018 + 0.001 * n - 0.0003 * month)),
        _ => new(0.018 + 0.001 * n),
    };

    private static async Task<int> PlatformIdAsync(IPortalDbFactory factory, int n, CancellationToken ct)
    {
        await using var db = await factory.CreateForAsync(UserContext.System, ct);
        return await db.Platforms.Where(p => p.Code == Code(n)).Select(p => p.Id).SingleAsync(ct);
    }

    private static string Code(int n) => $"BM{n:D2}";

    private static void Ensure(IdentityResult result)
    {
        if (!result.Succeeded)
        {
            throw new InvalidOperationException(string.Join(" ", result.Errors.Select(e => e.Description)));
        }
    }

    private sealed class FixedUser : ICurrentUser
    {
        public UserContext Context { get; set; } = UserContext.System;

        public Task<UserContext> GetAsync(CancellationToken cancellationToken = default) => Task.FromResult(Context);
    }
}

using System.Diagnostics;
using System.Globalization;
using System.Text;
using FinancePortal.Application;
using FinancePortal.Application.Domain;
using FinancePortal.Application.Features.Submissions;
using FinancePortal.Application.Security;
using FinancePortal.Benchmarks.Harness;
using FinancePortal.Benchmarks.Seeding;
using FinancePortal.Infrastructure.Data;
using FinancePortal.Infrastructure.Data.Bulk;
using Microsoft.AspNetCore.Identity;
using Microsoft.EntityFrameworkCore;
using Microsoft.Extensions.DependencyInjection;

namespace FinancePortal.Benchmarks.Submissions;

/// <summary>
/// Issue "Loan-tape submissions", performance: a 1,000,000-row CSV uploaded, checked and signed on SQLite end to end
/// (>= 100,000 rows/s and <= 2x a bare prepared-statement insert loop of the same rows), with memory flat
/// (the 1,000,000-row run's peak within 1.3x of the 100,000-row run's, and < 500 MB).
/// </summary>
public sealed class LoanTapeBenchmark : IBenchmark
{
    private const int Small = 100_000;
    private const int Large = 1_000_000;

    public string Name => "loantape";

    public string Description => $"loan-tape upload + edits + signed commit of {Small:N0} and {Large:N0} CSV rows on SQLite vs a bare insert loop";

    public async Task<BenchmarkResult> RunAsync(BenchmarkContext context, CancellationToken ct)
    {
        var folder = Path.Combine(Path.GetTempPath(), "financeportal-bench", "tapes");
        Directory.CreateDirectory(folder);
        var smallFile = Path.Combine(folder, $"jdbt-{Small}.csv");
        var largeFile = Path.Combine(folder, $"jdbt-{Large}.csv");
        await WriteCsvAsync(smallFile, Small, ct);
        await WriteCsvAsync(largeFile, Large, ct);

        var (smallMs, smallPeak) = await PipelineAsync(smallFile, context, ct);
        var (largeMs, largePeak) = await PipelineAsync(largeFile, context, ct);
        var bareMs = await BareInsertAsync(Large, context, ct);

        var large = new Figure($"{Large:N0} rows: upload + check + sign", [largeMs], TargetMs: Large / 100_000d * 1000);
        var small = new Figure($"{Small:N0} rows: upload + check + sign", [smallMs]);
        var bare = new Figure($"{Large:N0} rows: bare prepared insert loop", [bareMs]);
        context.Log.WriteLine($"  throughput: {Large / (largeMs / 1000):N0} rows/s end to end");
        context.Log.WriteLine($"  peak working set above baseline: {smallPeak / 1024 / 1024:N0} MB ({Small:N0} rows), {largePeak / 1024 / 1024:N0} MB ({Large:N0} rows); target < 500 MB and large/small <= 1.3");
        return new BenchmarkResult([small, large, bare],
        [
            Ratio.Of("end to end / bare insert (target <= 2)", large, bare),
            new Ratio("peak memory 1,000,000 / 100,000 rows (target <= 1.3)", (double)largePeak / Math.Max(smallPeak, 1)),
        ]);
    }

    private static async Task<(double Ms, long PeakBytes)> PipelineAsync(string file, BenchmarkContext context, CancellationToken ct)
    {
        using var database = new BenchmarkDatabase();
        var user = new OperatorUser();
        await using var services = database.CreateServices(seedDemo: true,
            new Dictionary<string, string?> { ["Seeding:LoanTapeScale"] = "0" },
            s => s.AddSingleton<ICurrentUser>(user));
        await using (var scope = services.CreateAsyncScope())
        {
            await scope.ServiceProvider.GetRequiredService<DatabaseInitializer>().InitializeAsync(ct);
            var users = scope.ServiceProvider.GetRequiredService<UserManager<PortalUser>>();
            var op = (await users.FindByEmailAsync("operator@financeportal.demo"))!;
            user.Context = new UserContext(op.Id, op.UserName!, [Roles.Operator]);
        }

        GC.Collect();
        GC.WaitForPendingFinalizers();
        var baseline = Process.GetCurrentProcess().WorkingSet64;
        using var sampler = new PeakSampler();
        var stages = new Stopwatch();
        double uploadMs = 0, checkMs = 0;
        var ms = await context.TimeAsync(async () =>
        {
            stages.Restart();
            await using var scope = services.CreateAsyncScope();
            var submissions = scope.ServiceProvider.GetRequiredService<SubmissionService>();
            long id;
            await using (var stream = File.OpenRead(file))
            {
                id = await submissions.UploadAsync("2024-10", Path.GetFileName(file), stream, ct);
            }

            uploadMs = stages.Elapsed.TotalMilliseconds;
            await submissions.CheckAsync(id, null, ct);
            checkMs = stages.Elapsed.TotalMilliseconds - uploadMs;
            var detail = (await submissions.GetAsync(id, ct))!;
            if (detail.Submission.Status != SubmissionStatus.ReadyToSign)
            {
                throw new InvalidOperationException($"The generated tape should be clean, but the check says {detail.Submission.Status}: {string.Join(", ", detail.CountsByCode.Select(c => $"{c.Code} x{c.Count}"))}.");
            }

            await submissions.SignAsync(id, "Benchmark Filer", true, detail.ConcurrencyStamp, ct);
        });
        context.Log.WriteLine($"  {Path.GetFileName(file)}: {ms:N0} ms (upload {uploadMs:N0}, check {checkMs:N0}, sign {ms - uploadMs - checkMs:N0})");
        return (ms, Math.Max(0, sampler.Peak - baseline));
    }

    /// <summary>The same rows written with the bare prepared INSERT in one transaction, no parsing, no edits.</summary>
    private static async Task<double> BareInsertAsync(int rows, BenchmarkContext context, CancellationToken ct)
    {
        using var database = new BenchmarkDatabase();
        await using var services = database.CreateServices(seedDemo: true, new Dictionary<string, string?> { ["Seeding:LoanTapeScale"] = "0" });
        await using var scope = services.CreateAsyncScope();
        await scope.ServiceProvider.GetRequiredService<DatabaseInitializer>().InitializeAsync(ct);
        await using var db = (PortalDbContext)await scope.ServiceProvider.GetRequiredService<IPortalDbFactory>().CreateForAsync(UserContext.System, ct);
        var platform = await db.Platforms.SingleAsync(p => p.Code == "JDBT", ct);
        var submission = new LoanSubmission { PlatformId = platform.Id, Period = "2024-10", FileName = "bare", FileSha256 = new string('0', 64), UploadedBy = "bench", UploadedUtc = DateTime.UtcNow };
        db.LoanSubmissions.Add(submission);
        await db.SaveChangesAsync(ct);
        return await context.TimeAsync(async () =>
        {
            await using var tx = await db.Database.BeginTransactionAsync(ct);
            await new SqliteLoanRecordWriter().WriteAsync(db, Records(submission.Id, platform.Id, rows), ct);
            await tx.CommitAsync(ct);
        });
    }

    private static async IAsyncEnumerable<LoanRecord> Records(long submissionId, int platformId, int rows)
    {
        await Task.Yield();
        for (var i = 0; i < rows; i++)
        {
            var (status, dpd) = Status(i);
            yield return new LoanRecord
            {
                SubmissionId = submissionId, PlatformId = platformId, Period = "2024-10", LoanId = $"L{i:D8}", BorrowerRef = $"B{i:D8}",
                ProductType = "INSTALLMENT", Scenario = "ECOMMERCE", OriginationDate = new DateOnly(2024, 1 + i % 9, 1 + i % 28),
                Principal = 1000m + i % 9000, CreditLimit = 0m, TermMonths = 12, AnnualRatePct = 18m, OutstandingPrincipal = 500m + i % 400,
                DaysPastDue = dpd, Status = status, ChargeOffAmount = 0m, RecoveryAmount = 0m, FundingSource = "OWN_FUNDS",
            };
        }
    }

    private static (string Status, int Dpd) Status(int i) => (i % 50) switch
    {
        0 => ("DEFAULTED", 120),
        1 => ("DELINQUENT", 30),
        _ => ("CURRENT", 0),
    };

    private static async Task WriteCsvAsync(string path, int rows, CancellationToken ct)
    {
        if (File.Exists(path))
        {
            return;
        }

        var inv = CultureInfo.InvariantCulture;
        await using var writer = new StreamWriter(path, false, new UTF8Encoding(false), 1 << 20);
        await writer.WriteLineAsync(string.Join(',', LoanTapeFormat.Columns));
        var line = new StringBuilder(256);
        for (var i = 0; i < rows; i++)
        {
            var (status, dpd) = Status(i);
            line.Clear();
            line.Append(inv, $"JDBT,2024-10,L{i:D8},B{i:D8},INSTALLMENT,ECOMMERCE,{new DateOnly(2024, 1 + i % 9, 1 + i % 28):yyyy-MM-dd},{1000 + i % 9000}.00,0,12,18,{500 + i % 400}.00,{dpd},{status},0,0,OWN_FUNDS");
            await writer.WriteLineAsync(line, ct);
        }
    }

    private sealed class OperatorUser : ICurrentUser
    {
        public UserContext Context { get; set; } = UserContext.System;

        public Task<UserContext> GetAsync(CancellationToken cancellationToken = default) => Task.FromResult(Context);
    }

    /// <summary>Samples the process working set every 50 ms and keeps the peak.</summary>
    private sealed class PeakSampler : IDisposable
    {
        private readonly Timer _timer;

        public PeakSampler() => _timer = new Timer(_ => Peak = Math.Max(Peak, Process.GetCurrentProcess().WorkingSet64), null, 0, 50);

        public long Peak { get; private set; }

        public void Dispose() => _timer.Dispose();
    }
}

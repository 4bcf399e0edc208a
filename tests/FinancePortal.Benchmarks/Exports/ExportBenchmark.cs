using System.Diagnostics;
using System.Globalization;
using System.Runtime.CompilerServices;
using System.Text;
using FinancePortal.Application;
using FinancePortal.Application.Domain;
using FinancePortal.Application.Features.Exports;
using FinancePortal.Application.Features.Reports;
using FinancePortal.Application.Security;
using FinancePortal.Benchmarks.Harness;
using FinancePortal.Benchmarks.Monitoring;
using FinancePortal.Benchmarks.Seeding;
using FinancePortal.Infrastructure.Data;
using FinancePortal.Infrastructure.Exports;
using Microsoft.AspNetCore.Identity;
using Microsoft.Data.Sqlite;
using Microsoft.Extensions.DependencyInjection;
using nietras.SeparatedValues;
using SpreadCheetah;
using SpreadCheetah.Styling;
using SpreadCheetah.Worksheets;

namespace FinancePortal.Benchmarks.Exports;

/// <summary>
/// Issue 6, performance: the loan-level XLSX extract of every loan row of the monitoring database (20 platforms x 24
/// months, ~1,013,000 rows x 12 columns) through <see cref="LoanExtractService"/> and <see cref="ExportService"/> to a
/// file, against a bare SpreadCheetah loop writing the same cells (the extract's rows, read into memory once before
/// anything is timed) in the same run; the same for CSV against a bare Sep loop; peak memory of the XLSX extract for
/// 1,000,000 and 100,000 rows, each in its own child process; the monthly supervision report of the 20 platforms.
/// </summary>
public sealed class ExportBenchmark : IBenchmark
{
    public const string ChildFlag = "--export-memory-child";

    /// <summary>Hidden command for profiling: <c>extract-alone &lt;db&gt; none|xlsx|csv [runs]</c> reads (and writes) the whole extract of a benchmark database.</summary>
    public const string AloneCommand = "extract-alone";
    private const int BigRows = 1_000_000;
    private const int SmallRows = 100_000;

    public string Name => "exports";

    public string Description => "loan-level extract (~1M rows x 12 cols) XLSX/CSV vs bare SpreadCheetah/Sep; peak memory 1M vs 100k rows (child processes); monthly report of 20 platforms";

    public async Task<BenchmarkResult> RunAsync(BenchmarkContext context, CancellationToken ct)
    {
        using var database = new BenchmarkDatabase();
        var user = new FixedUser();
        await using var services = database.CreateServices(seedDemo: false, configure: s => s.AddSingleton<ICurrentUser>(user));
        await PrepareAsync(services, database.FilePath, context, ct);
        await using (var scope = services.CreateAsyncScope())
        {
            var risk = await scope.ServiceProvider.GetRequiredService<UserManager<PortalUser>>().FindByEmailAsync(MonitoringBenchmark.RiskOfficerEmail)
                ?? throw new InvalidOperationException("The benchmark's risk officer is missing from the database.");
            user.Context = new UserContext(risk.Id, risk.UserName!, [Roles.RiskOfficer]);
        }

        var output = Path.Combine(Path.GetDirectoryName(database.FilePath)!, "out");
        Directory.CreateDirectory(output);
        long rows;
        await using (var scope = services.CreateAsyncScope())
        {
            rows = (await scope.ServiceProvider.GetRequiredService<LoanExtractService>().PlanAsync(new LoanExtractFilter(), ct)).EstimatedRows;
        }

        if (rows < BigRows)
        {
            throw new InvalidOperationException($"The database holds {rows:N0} loan rows, fewer than {BigRows:N0}.");
        }

        context.Log.WriteLine($"  extract: {rows:N0} loan rows x {LoanExtractService.Columns.Count} columns (every platform-month's latest signed version)");

        // The bare loops write the same cells as the extract: its rows, read once into memory before anything is timed.
        var cells = await CellsAsync(services, ct);

        // Warm-up (JIT, EF query compilation, page cache): one unmeasured pass of each path.
        await ExtractAsync(services, ExportFormat.Xlsx, Path.Combine(output, "warm.xlsx"), SmallRows, ct);
        await ExtractAsync(services, ExportFormat.Csv, Path.Combine(output, "warm.csv"), SmallRows, ct);
        await BareXlsxAsync(Path.Combine(output, "warm-bare.xlsx"), cells.AsMemory(0, SmallRows), ct);
        await BareCsvAsync(Path.Combine(output, "warm-bare.csv"), cells.AsMemory(0, SmallRows), ct);

        var xlsx = new List<double>();
        var bareXlsx = new List<double>();
        var csv = new List<double>();
        var bareCsv = new List<double>();
        var readOnly = new List<double>();
        for (var i = 0; i < context.Runs; i++)
        {
            long written = 0;
            xlsx.Add(await context.TimeAsync(async () => written = await ExtractAsync(services, ExportFormat.Xlsx, Path.Combine(output, "extract.xlsx"), null, ct)));
            Check(written, rows);
            bareXlsx.Add(await context.TimeAsync(() => BareXlsxAsync(Path.Combine(output, "bare.xlsx"), cells, ct)));
            csv.Add(await context.TimeAsync(async () => written = await ExtractAsync(services, ExportFormat.Csv, Path.Combine(output, "extract.csv"), null, ct)));
            Check(written, rows);
            bareCsv.Add(await context.TimeAsync(() => BareCsvAsync(Path.Combine(output, "bare.csv"), cells, ct)));
            readOnly.Add(await context.TimeAsync(async () => written = await ReadOnlyAsync(services, ct)));
            Check(written, rows);
            context.Log.WriteLine($"  run {i + 1}: XLSX extract {xlsx[^1]:N0} ms ({Mb(Path.Combine(output, "extract.xlsx"))}), bare SpreadCheetah {bareXlsx[^1]:N0} ms ({Mb(Path.Combine(output, "bare.xlsx"))}); CSV extract {csv[^1]:N0} ms ({Mb(Path.Combine(output, "extract.csv"))}), bare Sep {bareCsv[^1]:N0} ms; rows read without writing {readOnly[^1]:N0} ms");
        }

        // Monthly supervision report of the 20 platforms (ClosedXML, from the stored aggregates).
        var report = new List<double>();
        await using (var scope = services.CreateAsyncScope())
        {
            var reports = scope.ServiceProvider.GetRequiredService<ReportService>();
            await reports.GenerateAsync(new ReportRequest(MonitoringBenchmark.LastPeriod), ct: ct);
            for (var i = 0; i < context.Runs; i++)
            {
                report.Add(await context.TimeAsync(() => reports.GenerateAsync(new ReportRequest(MonitoringBenchmark.LastPeriod), ct: ct)));
            }

            context.Log.WriteLine($"  monthly report {MonitoringBenchmark.LastPeriod}, 20 platforms: {string.Join(", ", report.Select(r => r.ToString("N0", CultureInfo.InvariantCulture)))} ms");
        }

        // Peak memory: each size in a fresh child process (same runtime, same database, same code path).
        SqliteConnection.ClearAllPools();
        var small = await MeasureChildAsync(database.FilePath, SmallRows, output, context, ct);
        var big = await MeasureChildAsync(database.FilePath, BigRows, output, context, ct);

        var xlsxFigure = new Figure($"XLSX extract {rows:N0} rows, DB -> file", xlsx);
        var bareXlsxFigure = new Figure($"bare SpreadCheetah, {rows:N0} rows", bareXlsx);
        var csvFigure = new Figure($"CSV extract {rows:N0} rows, DB -> file", csv);
        var bareCsvFigure = new Figure($"bare Sep, {rows:N0} rows", bareCsv);
        var readFigure = new Figure($"extract rows read, nothing written, {rows:N0} rows", readOnly);
        var reportFigure = new Figure("monthly report, 20 platforms (ClosedXML)", report, TargetMs: 2_000);
        return new BenchmarkResult([xlsxFigure, bareXlsxFigure, csvFigure, bareCsvFigure, readFigure, reportFigure],
        [
            Ratio.Of("XLSX extract / bare SpreadCheetah", xlsxFigure, bareXlsxFigure, atMost: 1.5),
            Ratio.Of("CSV extract / bare Sep", csvFigure, bareCsvFigure, atMost: 1.2),
            new Ratio($"peak working set {BigRows:N0} / {SmallRows:N0} rows ({big.WorkingSetMb:N0} / {small.WorkingSetMb:N0} MB)", big.WorkingSetMb / small.WorkingSetMb, AtMost: 1.2),
            new Ratio($"peak working set {BigRows:N0} rows / 200 MB", big.WorkingSetMb / 200, AtMost: 1.0),
            Ratio.OfTarget("report / 2,000 ms target", reportFigure),
        ]);
    }

    /// <summary>The child: <c>--export-memory-child &lt;db&gt; &lt;rows&gt; &lt;out file&gt; &lt;user id&gt; &lt;user name&gt;</c>; prints <c>PEAK ws-bytes gc-heap-bytes rows</c>.</summary>
    public static async Task<int> ChildAsync(IReadOnlyList<string> args)
    {
        var (file, limit, target) = (args[0], int.Parse(args[1], CultureInfo.InvariantCulture), args[2]);
        using var database = new BenchmarkDatabase();
        var user = new FixedUser { Context = new UserContext(args[3], args[4], [Roles.RiskOfficer]) };
        await using var services = database.CreateServices(seedDemo: false,
            new Dictionary<string, string?> { ["ConnectionStrings:Sqlite"] = $"Data Source={file}" },
            s => s.AddSingleton<ICurrentUser>(user));

        long peakWs = 0;
        long peakHeap = 0;
        using var stop = new CancellationTokenSource();
        var sampler = Task.Run(async () =>
        {
            using var process = Process.GetCurrentProcess();
            while (!stop.IsCancellationRequested)
            {
                process.Refresh();
                peakWs = Math.Max(peakWs, process.WorkingSet64);
                peakHeap = Math.Max(peakHeap, GC.GetGCMemoryInfo().HeapSizeBytes);
                try
                {
                    await Task.Delay(20, stop.Token);
                }
                catch (OperationCanceledException)
                {
                }
            }
        });
        var written = await ExtractAsync(services, ExportFormat.Xlsx, target, limit, CancellationToken.None);
        await stop.CancelAsync();
        await sampler;
        using (var process = Process.GetCurrentProcess())
        {
            // The kernel's high-water mark (VmHWM) catches peaks between samples.
            peakWs = Math.Max(peakWs, process.PeakWorkingSet64);
        }

        Console.WriteLine(string.Create(CultureInfo.InvariantCulture, $"PEAK {peakWs} {peakHeap} {written}"));
        return 0;
    }

    /// <summary>The extract of an existing benchmark database (migrated to this build first), read only (<c>none</c>) or written to a file, timed per run.</summary>
    public static async Task<int> AloneAsync(string file, string format, int runs)
    {
        var (userId, userName) = await RiskUserAsync(file, CancellationToken.None);
        using var database = new BenchmarkDatabase();
        var user = new FixedUser { Context = new UserContext(userId, userName, [Roles.RiskOfficer]) };
        await using var services = database.CreateServices(seedDemo: false,
            new Dictionary<string, string?> { ["ConnectionStrings:Sqlite"] = $"Data Source={file}" },
            s => s.AddSingleton<ICurrentUser>(user));
        await using (var scope = services.CreateAsyncScope())
        {
            await scope.ServiceProvider.GetRequiredService<DatabaseInitializer>().InitializeAsync(CancellationToken.None);
        }

        var target = Path.Combine(Path.GetTempPath(), "financeportal-bench", "extract-alone." + format);
        for (var i = 0; i < runs; i++)
        {
            var started = Stopwatch.GetTimestamp();
            var rows = format switch
            {
                "xlsx" => await ExtractAsync(services, ExportFormat.Xlsx, target, null, CancellationToken.None),
                "csv" => await ExtractAsync(services, ExportFormat.Csv, target, null, CancellationToken.None),
                _ => await ReadOnlyAsync(services, CancellationToken.None),
            };
            Console.WriteLine(string.Create(CultureInfo.InvariantCulture, $"run {i + 1}: {rows:N0} rows, {format}, {Stopwatch.GetElapsedTime(started).TotalMilliseconds:N0} ms; GCs so far {GC.CollectionCount(0)}/{GC.CollectionCount(1)}/{GC.CollectionCount(2)}, pause {GC.GetTotalPauseDuration().TotalMilliseconds:N0} ms"));
        }

        return 0;
    }

    private static async Task<(double WorkingSetMb, double HeapMb)> MeasureChildAsync(string file, int rows, string output, BenchmarkContext context, CancellationToken ct)
    {
        var (userId, userName) = await RiskUserAsync(file, ct);
        var start = new ProcessStartInfo("dotnet") { RedirectStandardOutput = true, RedirectStandardError = true, UseShellExecute = false };
        foreach (var arg in new[] { typeof(ExportBenchmark).Assembly.Location, ChildFlag, file, rows.ToString(CultureInfo.InvariantCulture), Path.Combine(output, $"child-{rows}.xlsx"), userId, userName })
        {
            start.ArgumentList.Add(arg);
        }

        using var child = Process.Start(start) ?? throw new InvalidOperationException("The child process did not start.");
        try
        {
            var stdout = child.StandardOutput.ReadToEndAsync(ct);
            var stderr = child.StandardError.ReadToEndAsync(ct);
            await child.WaitForExitAsync(ct);
            var line = (await stdout).Split('\n').LastOrDefault(l => l.StartsWith("PEAK ", StringComparison.Ordinal))
                ?? throw new InvalidOperationException($"The {rows:N0}-row child printed no figures (exit {child.ExitCode}): {await stderr}");
            var parts = line.Split(' ');
            var ws = long.Parse(parts[1], CultureInfo.InvariantCulture) / 1048576.0;
            var heap = long.Parse(parts[2], CultureInfo.InvariantCulture) / 1048576.0;
            context.Log.WriteLine($"  memory, {long.Parse(parts[3], CultureInfo.InvariantCulture):N0}-row XLSX extract in a child process: peak working set {ws:N0} MB, peak GC heap {heap:N0} MB");
            return (ws, heap);
        }
        finally
        {
            if (!child.HasExited)
            {
                child.Kill(entireProcessTree: true);
            }
        }
    }

    private static async Task<(string Id, string Name)> RiskUserAsync(string file, CancellationToken ct)
    {
        await using var connection = new SqliteConnection($"Data Source={file};Mode=ReadOnly");
        await connection.OpenAsync(ct);
        await using var command = connection.CreateCommand();
        command.CommandText = "SELECT Id, UserName FROM AspNetUsers WHERE NormalizedEmail = $email";
        command.Parameters.AddWithValue("$email", MonitoringBenchmark.RiskOfficerEmail.ToUpperInvariant());
        await using var reader = await command.ExecuteReaderAsync(ct);
        return await reader.ReadAsync(ct) ? (reader.GetString(0), reader.GetString(1)) : throw new InvalidOperationException("No benchmark risk officer.");
    }

    /// <summary>The product's path: the extract's definition (streamed EF query) through the export service to a file, audited.</summary>
    private static async Task<long> ExtractAsync(ServiceProvider services, ExportFormat format, string path, int? limit, CancellationToken ct)
    {
        await using var scope = services.CreateAsyncScope();
        var extract = scope.ServiceProvider.GetRequiredService<LoanExtractService>();
        var definition = extract.Define(new LoanExtractFilter());
        if (limit is { } n)
        {
            definition = definition with { Rows = Take(definition.Rows, n) };
        }

        await using var file = new FileStream(path, FileMode.Create, FileAccess.Write, FileShare.None, 64 * 1024, FileOptions.Asynchronous);
        return await scope.ServiceProvider.GetRequiredService<ExportService>().WriteAsync(definition, format, file, null, ct);
    }

    /// <summary>The extract's rows read and materialised, nothing written: the reading thread's share of the extract.</summary>
    private static async Task<long> ReadOnlyAsync(ServiceProvider services, CancellationToken ct)
    {
        await using var scope = services.CreateAsyncScope();
        long rows = 0;
        await foreach (var _ in scope.ServiceProvider.GetRequiredService<LoanExtractService>().StreamAsync(new LoanExtractFilter(), ct))
        {
            rows++;
        }

        return rows;
    }

    private static async IAsyncEnumerable<T> Take<T>(IAsyncEnumerable<T> source, int count, [EnumeratorCancellation] CancellationToken ct = default)
    {
        if (count <= 0)
        {
            yield break;
        }

        var taken = 0;
        await foreach (var item in source.WithCancellation(ct))
        {
            yield return item;
            if (++taken == count)
            {
                yield break;
            }
        }
    }

    /// <summary>The floor: SpreadCheetah alone, the extract's 12 cells per row (same values, kinds, styles, frozen header) from memory.</summary>
    private static async Task BareXlsxAsync(string path, ReadOnlyMemory<BareRow> rows, CancellationToken ct)
    {
        await using var file = new FileStream(path, FileMode.Create, FileAccess.Write, FileShare.None, 64 * 1024, FileOptions.Asynchronous);
        await using var spreadsheet = await Spreadsheet.CreateNewAsync(file, new SpreadCheetahOptions { BufferSize = 64 * 1024 }, ct);
        var options = new WorksheetOptions { FrozenRows = 1 };
        await spreadsheet.StartWorksheetAsync("Loan-level extract", options, ct);
        var money = spreadsheet.AddStyle(new Style { Format = NumberFormat.Custom(XlsxExportWriter.MoneyFormat) });
        var rate = spreadsheet.AddStyle(new Style { Format = NumberFormat.Custom(XlsxExportWriter.RateFormat) });
        var integer = spreadsheet.AddStyle(new Style { Format = NumberFormat.Custom(XlsxExportWriter.IntegerFormat) });
        var date = spreadsheet.AddStyle(new Style { Format = NumberFormat.Custom(XlsxExportWriter.DateFormat) });
        await spreadsheet.AddRowAsync(LoanExtractService.Columns.Select(c => new Cell(c.Info.Header)).ToArray(), ct);
        var cells = new Cell[12];
        for (var i = 0; i < rows.Length; i++)
        {
            var row = rows.Span[i];
            cells[0] = new Cell(row.PlatformCode);
            cells[1] = new Cell(row.Period);
            cells[2] = new Cell(row.LoanId);
            cells[3] = new Cell(row.Product);
            cells[4] = new Cell(row.Status);
            cells[5] = new Cell(row.Bucket);
            cells[6] = new Cell(row.Principal, money);
            cells[7] = new Cell(row.Outstanding, money);
            cells[8] = new Cell(row.Dpd, integer);
            cells[9] = new Cell(row.Rate, rate);
            cells[10] = new Cell(row.Origination, date);
            cells[11] = new Cell(row.Funding);
            await spreadsheet.AddRowAsync(cells, ct);
        }

        await spreadsheet.FinishAsync(ct);
    }

    /// <summary>The floor: Sep alone, the extract's 12 columns per row (same values, same formatting) from memory.</summary>
    private static async Task BareCsvAsync(string path, ReadOnlyMemory<BareRow> rows, CancellationToken ct)
    {
        await using var file = new FileStream(path, FileMode.Create, FileAccess.Write, FileShare.None, 64 * 1024, FileOptions.Asynchronous);
        await using var text = new StreamWriter(file, new UTF8Encoding(true), 64 * 1024);
        await using var sep = Sep.New(',').Writer(o => o with { WriteHeader = false, Escape = true, CultureInfo = CultureInfo.InvariantCulture }).To(text);
        var header = sep.NewRow(ct);
        for (var c = 0; c < LoanExtractService.Columns.Count; c++)
        {
            header[c].Set(LoanExtractService.Columns[c].Info.Header);
        }

        await header.DisposeAsync();
        for (var i = 0; i < rows.Length; i++)
        {
            var r = rows.Span[i];
            var row = sep.NewRow(ct);
            row[0].Set(r.PlatformCode);
            row[1].Set(r.Period);
            row[2].Set(r.LoanId);
            row[3].Set(r.Product);
            row[4].Set(r.Status);
            row[5].Set(r.Bucket);
            row[6].Format(r.Principal, "0.00");
            row[7].Format(r.Outstanding, "0.00");
            row[8].Format(r.Dpd);
            row[9].Format(r.Rate);
            row[10].Format(r.Origination, "yyyy-MM-dd");
            row[11].Set(r.Funding);
            await row.DisposeAsync();
        }
    }

    /// <summary>One row of the extract as the cells' values (the rate as the fraction the cell holds, the date as a date-time).</summary>
    private readonly record struct BareRow(string PlatformCode, string Period, string LoanId, string Product, string Status, string Bucket,
        decimal Principal, decimal Outstanding, long Dpd, decimal Rate, DateTime Origination, string Funding);

    /// <summary>Every row of the extract, read once through the product's own stream, as the bare loops' input.</summary>
    private static async Task<BareRow[]> CellsAsync(ServiceProvider services, CancellationToken ct)
    {
        await using var scope = services.CreateAsyncScope();
        var rows = new List<BareRow>(BigRows + 50_000);
        await foreach (var r in scope.ServiceProvider.GetRequiredService<LoanExtractService>().StreamAsync(new LoanExtractFilter(), ct))
        {
            rows.Add(new BareRow(r.PlatformCode, r.Period, r.LoanId, r.Product, r.Status, r.BucketLabel, r.Principal, r.Outstanding, r.DaysPastDue,
                r.AnnualRatePct / 100m, r.OriginationDate.ToDateTime(TimeOnly.MinValue), r.FundingSource));
        }

        return [.. rows];
    }

    private static void Check(long written, long expected)
    {
        if (written != expected)
        {
            throw new InvalidOperationException($"The extract wrote {written:N0} rows, expected {expected:N0}.");
        }
    }

    private static string Mb(string path) => $"{new FileInfo(path).Length / 1048576.0:N0} MB";

    /// <summary>
    /// A copy of the monitoring benchmark's cached database (any cached version; the copy is migrated to this build),
    /// or the monitoring benchmark builds it first.
    /// </summary>
    private static async Task PrepareAsync(ServiceProvider services, string file, BenchmarkContext context, CancellationToken ct)
    {
        var cacheRoot = Path.Combine(Path.GetTempPath(), "financeportal-bench", "monitoring-cache");
        var cached = Directory.Exists(cacheRoot)
            ? Directory.GetDirectories(cacheRoot).Select(d => Path.Combine(d, "portal.db")).Where(File.Exists).OrderByDescending(File.GetLastWriteTimeUtc).FirstOrDefault()
            : null;
        if (cached is null)
        {
            await MonitoringBenchmark.PrepareDatabaseAsync(services, file, context, ct);
            return;
        }

        context.Log.WriteLine($"  database: copy of {cached}, migrated to this build");
        File.Copy(cached, file);
        await using var scope = services.CreateAsyncScope();
        await scope.ServiceProvider.GetRequiredService<DatabaseInitializer>().InitializeAsync(ct);
    }

    private sealed class FixedUser : ICurrentUser
    {
        public UserContext Context { get; set; } = UserContext.System;

        public Task<UserContext> GetAsync(CancellationToken cancellationToken = default) => Task.FromResult(Context);
    }
}

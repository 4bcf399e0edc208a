using System.Diagnostics;
using System.Globalization;
using System.Runtime;
using System.IO.Compression;
using System.Text;
using System.Text.Json;
using System.Xml;
using FinancePortal.Application;
using FinancePortal.Application.Domain;
using FinancePortal.Application.Features.LoanTapes;
using FinancePortal.Application.Security;
using FinancePortal.Benchmarks.Harness;
using FinancePortal.Benchmarks.Seeding;
using FinancePortal.Infrastructure.Data;
using FinancePortal.Infrastructure.LoanTapes.Bulk;
using FinancePortal.TestSupport;
using Microsoft.AspNetCore.Identity;
using Microsoft.EntityFrameworkCore;
using Microsoft.Extensions.DependencyInjection;
using SQLitePCL;

namespace FinancePortal.Benchmarks.LoanTapes;

/// <summary>
/// Issue "Loan-tape submissions", performance: a 1,000,000-row CSV uploaded, checked and signed on SQLite end to end
/// (>= 100,000 rows/s and <= 2x a bare prepared-statement insert loop of the same rows), with memory flat
/// (the 1,000,000-row run's peak within 1.3x of the 100,000-row run's, and < 500 MB); the same rows as XLSX within
/// 2.5x a bare unzip + XmlReader pass over that file, in both shapes: inline strings as streaming writers save it, and as
/// Excel saves it (shared strings, date-formatted serial numbers).
/// </summary>
public sealed class LoanTapeBenchmark : IBenchmark
{
    private const int Small = 100_000;
    private const int Large = 1_000_000;

    /// <summary>The month of the measured tapes.</summary>
    private const string Period = "2024-10";

    /// <summary>
    /// Each probe process first runs the same work on a tape of <see cref="WarmUpRows"/> rows for this month (signed
    /// before the measured month, so it is never its "previous month" for the macro edits).
    /// </summary>
    private const string WarmUpPeriod = "2024-11";

    private const int WarmUpRows = 1_000;

    /// <summary>XLSX end to end within this many times the bare pass over the same parts, for both workbook shapes.</summary>
    private const double XlsxTarget = 2.5;

    /// <summary>The file-name suffix of the Excel-saved shape (shared strings, date-formatted serials, numbers as numbers).</summary>
    public const string ExcelSavedSuffix = "-excel";

    public string Name => "loantape";

    public string Description => $"loan-tape upload + edits + signed commit of {Small:N0} and {Large:N0} CSV rows on SQLite vs a bare insert loop; {Large:N0} XLSX rows (inline strings and Excel-saved) vs a bare unzip + XmlReader pass over the same parts";

    /// <summary>The hidden command line of a child process that runs one pipeline (see <see cref="ProbeAsync"/>).</summary>
    public const string ProbeCommand = "loantape-probe";

    /// <summary>The hidden command line that times the sheet reader alone on one XLSX file.</summary>
    public const string SheetCommand = "loantape-sheet";

    /// <summary>The hidden command line that times the check alone (edits and staged rows, no database) on one file.</summary>
    public const string CheckCommand = "loantape-check";

    public static async Task<int> CheckAloneAsync(string file, bool staging = true)
    {
        var stagingFolder = new FinancePortal.Infrastructure.LoanTapes.LoanTapeStaging(Path.Combine(Path.GetTempPath(), "financeportal-bench", "staged-" + Guid.NewGuid().ToString("N")));
        var checker = new LoanTapeChecker(new FinancePortal.Infrastructure.LoanTapes.LoanTapeFormats(), new FinancePortal.Infrastructure.LoanTapes.DiskSpillStore());
        var clock = Stopwatch.StartNew();
        await using var stream = new FileStream(file, FileMode.Open, FileAccess.Read, FileShare.Read, 81920, useAsync: true);
        var findings = 0;
        await using var staged = staging ? stagingFolder.BeginWrite(new string('0', 64), "JDBT", Period) : null;
        var summary = await checker.CheckAndStageAsync(stream, Path.GetFileName(file), "JDBT", Period, null,
            row => { staged?.Add(row); return ValueTask.CompletedTask; }, _ => { findings++; return ValueTask.CompletedTask; }, null, CancellationToken.None);
        if (staged is not null && !summary.HasBlockingErrors)
        {
            await staged.CompleteAsync(summary.ValidRows);
        }

        Console.WriteLine($"  {Path.GetFileName(file)} check alone: {clock.ElapsedMilliseconds:N0} ms ({summary.ValidRows:N0} valid rows, {findings:N0} findings)");
        if (Directory.Exists(stagingFolder.Directory))
        {
            Directory.Delete(stagingFolder.Directory, recursive: true);
        }

        return 0;
    }

    public static async Task<int> SheetAsync(string file)
    {
        var context = new BenchmarkContext(1, TimeProvider.System, Console.Out);
        await SheetReadAsync(file, context, CancellationToken.None);
        return 0;
    }

    public async Task<BenchmarkResult> RunAsync(BenchmarkContext context, CancellationToken ct)
    {
        var folder = Path.Combine(Path.GetTempPath(), "financeportal-bench", "tapes");
        Directory.CreateDirectory(folder);
        var smallFile = Path.Combine(folder, $"jdbt-{Small}.csv");
        var largeFile = Path.Combine(folder, $"jdbt-{Large}.csv");
        await WriteCsvAsync(smallFile, Small, Period, ct);
        await WriteCsvAsync(largeFile, Large, Period, ct);

        var xlsxFile = Path.Combine(folder, $"jdbt-{Large}.xlsx");
        await WriteXlsxAsync(xlsxFile, Large, Period, ct);
        var excelFile = Path.Combine(folder, $"jdbt-{Large}{ExcelSavedSuffix}.xlsx");
        await WriteExcelSavedXlsxAsync(excelFile, Large, Period, ct);

        context.Log.WriteLine("  Each upload + check + sign runs in its own process (a fresh runtime, database and GC heap), so that one run's");
        context.Log.WriteLine("  memory cannot hide in another's. Peak memory = the kernel's peak resident set (VmHWM, reset when the pipeline");
        context.Log.WriteLine("  starts) minus the resident set at that moment, after a full GC: everything the pipeline made the process");
        context.Log.WriteLine("  hold (GC heap, SQLite page cache, buffers, code). The GC heap's own peak (sampled every 10 ms) is shown beside it.");
        context.Log.WriteLine("  The bare insert loop and the bare XML pass run in their own processes too, so both sides of each ratio start alike.");
        context.Log.WriteLine($"  Every process (pipelines and bare loops alike) first does the same work on {WarmUpRows:N0} rows and waits until the");
        context.Log.WriteLine("  runtime's tiered compiler has settled, then measures: steady-state code, as in a running portal (a cold start");
        context.Log.WriteLine("  would add the one-off compilation of the hot code, and its code memory, to the longer runs only).");
        context.Log.WriteLine($"  load average at start: {LoadAverage()} (2 cores shared with other sessions; times vary with it)");
        List<double> smallMs = [], largeMs = [], bareMs = [], xlsxMs = [], xmlMs = [], xlsxCheckMs = [], sheetMs = [];
        List<double> excelMs = [], excelXmlMs = [], excelCheckMs = [];
        long smallPeak = 0, largePeak = 0, smallHeap = 0, largeHeap = 0, xlsxPeak = 0;
        for (var run = 0; run < context.Runs; run++)
        {
            var s = await ProbeInChildAsync(smallFile, context, ct);
            var l = await ProbeInChildAsync(largeFile, context, ct);
            smallMs.Add(s.Ms);
            largeMs.Add(l.Ms);
            smallPeak = Math.Max(smallPeak, s.PeakRssBytes);
            largePeak = Math.Max(largePeak, l.PeakRssBytes);
            smallHeap = Math.Max(smallHeap, s.PeakHeapBytes);
            largeHeap = Math.Max(largeHeap, l.PeakHeapBytes);
            bareMs.Add((await ProbeInChildAsync(BareProbe, context, ct)).Ms);
            var x = await ProbeInChildAsync(xlsxFile, context, ct);
            xlsxMs.Add(x.Ms);
            xlsxCheckMs.Add(x.CheckMs);
            xlsxPeak = Math.Max(xlsxPeak, x.PeakRssBytes);
            xmlMs.Add((await ProbeInChildAsync(BareReadProbe + xlsxFile, context, ct)).Ms);
            sheetMs.Add(await SheetReadAsync(xlsxFile, context, ct));
            var e = await ProbeInChildAsync(excelFile, context, ct);
            excelMs.Add(e.Ms);
            excelCheckMs.Add(e.CheckMs);
            xlsxPeak = Math.Max(xlsxPeak, e.PeakRssBytes);
            excelXmlMs.Add((await ProbeInChildAsync(BareReadProbe + excelFile, context, ct)).Ms);
            context.Log.WriteLine($"  load average after run {run + 1}: {LoadAverage()}");
        }

        var large = new Figure($"{Large:N0} CSV rows: upload + check + sign", largeMs, TargetMs: Large / 100_000d * 1000);
        var small = new Figure($"{Small:N0} CSV rows: upload + check + sign", smallMs);
        var bare = new Figure($"{Large:N0} rows: bare prepared insert loop", bareMs);
        var xlsx = new Figure($"{Large:N0} XLSX rows: upload + check + sign", xlsxMs);
        var xlsxCheck = new Figure($"{Large:N0} XLSX rows: the check alone", xlsxCheckMs);
        var xml = new Figure($"{Large:N0} XLSX rows: bare unzip + XmlReader pass", xmlMs);
        var sheet = new Figure($"{Large:N0} XLSX rows: the portal's sheet reader alone", sheetMs);
        var largeMedian = large.MedianMs;
        var rowsPerSecond = Large / (largeMedian / 1000);
        var memory = (double)largePeak / Math.Max(smallPeak, 1);
        var endToEnd = Ratio.Of("CSV end to end / bare insert (target <= 2)", large, bare, atMost: 2);
        var xlsxRatio = Ratio.Of("XLSX (inline strings) end to end / bare unzip + XmlReader (target <= 2.5)", xlsx, xml, atMost: XlsxTarget);
        var xlsxCheckRatio = Ratio.Of("XLSX (inline strings) check alone / bare unzip + XmlReader (no target; the rest is the insert)", xlsxCheck, xml);
        var excel = new Figure($"{Large:N0} Excel-saved XLSX rows: upload + check + sign", excelMs);
        var excelCheck = new Figure($"{Large:N0} Excel-saved XLSX rows: the check alone", excelCheckMs);
        var excelXml = new Figure($"{Large:N0} Excel-saved XLSX rows: bare unzip + XmlReader pass over sheet and shared strings", excelXmlMs);
        var excelRatio = Ratio.Of("XLSX (Excel-saved) end to end / bare unzip + XmlReader (target <= 2.5)", excel, excelXml, atMost: XlsxTarget);
        var excelCheckRatio = Ratio.Of("XLSX (Excel-saved) check alone / bare unzip + XmlReader (no target; the rest is the insert)", excelCheck, excelXml);
        context.Log.WriteLine($"  throughput: {rowsPerSecond:N0} rows/s end to end (median of {largeMs.Count}; target >= 100,000): {Verdict(rowsPerSecond >= 100_000)}");
        context.Log.WriteLine($"  CSV end to end / bare insert: {endToEnd.Value:0.00}x (target <= 2): {Verdict(endToEnd.Value <= 2)}");
        context.Log.WriteLine($"  peak resident set above the start of the pipeline: {Mb(smallPeak)} ({Small:N0} rows), {Mb(largePeak)} ({Large:N0} rows), {Mb(xlsxPeak)} ({Large:N0} XLSX rows)");
        context.Log.WriteLine($"    < 500 MB: {Verdict(Math.Max(largePeak, xlsxPeak) < 500L << 20)}; {Large:N0} / {Small:N0} = {memory:0.00}x (target <= 1.3): {Verdict(memory <= 1.3)}");
        context.Log.WriteLine($"  peak GC heap above the start of the pipeline: {Mb(smallHeap)} ({Small:N0} rows), {Mb(largeHeap)} ({Large:N0} rows), {(double)largeHeap / Math.Max(smallHeap, 1):0.00}x");
        context.Log.WriteLine($"  XLSX (inline strings) end to end / bare read: {xlsxRatio.Value:0.00}x (target <= {XlsxTarget}): {Verdict(xlsxRatio.Value <= XlsxTarget)}; the check alone: {xlsxCheckRatio.Value:0.00}x");
        context.Log.WriteLine($"  XLSX (Excel-saved) end to end / bare read: {excelRatio.Value:0.00}x (target <= {XlsxTarget}): {Verdict(excelRatio.Value <= XlsxTarget)}; the check alone: {excelCheckRatio.Value:0.00}x");
        context.Log.WriteLine($"  load average at the end: {LoadAverage()}");
        return new BenchmarkResult([small, large, bare, xlsx, xlsxCheck, xml, sheet, excel, excelCheck, excelXml],
        [
            endToEnd,
            new Ratio("peak resident set 1,000,000 / 100,000 rows (target <= 1.3)", memory, AtMost: 1.3),
            xlsxRatio,
            xlsxCheckRatio,
            excelRatio,
            excelCheckRatio,
            Ratio.Of("XLSX sheet reader alone / bare unzip + XmlReader (no target)", sheet, xml),
        ]);
    }

    /// <summary>The child process: one upload + check + sign of <paramref name="tape"/>; prints its figures as one JSON line.</summary>
    public static async Task<int> ProbeAsync(string tape)
    {
        var quiet = new BenchmarkContext(1, TimeProvider.System, TextWriter.Null);
        var result = tape switch
        {
            BareProbe => new ProbeResult(await BareInsertAsync(Large, quiet, CancellationToken.None), 0, 0, 0, 0, 0, 0, 0, 0),
            _ when tape.StartsWith(BareReadProbe, StringComparison.Ordinal) =>
                new ProbeResult(await WarmBareXlsxReadAsync(tape[BareReadProbe.Length..], quiet, CancellationToken.None), 0, 0, 0, 0, 0, 0, 0, 0),
            _ => await PipelineAsync(tape, CancellationToken.None),
        };
        Console.WriteLine(ProbePrefix + JsonSerializer.Serialize(result));
        return 0;
    }

    /// <summary>
    /// The probe argument that runs the bare insert loop instead of a pipeline: like the pipeline, in a fresh process,
    /// so both are measured from the same start (the first run in a process pays for compiling the writer and
    /// preparing its statements, ~0.3 s; in the harness's own process only the first of the runs would).
    /// </summary>
    public const string BareProbe = "--bare";

    /// <summary>The probe argument prefix (<c>--bare-read=&lt;file&gt;</c>) that runs the bare unzip + XmlReader pass, in a fresh process likewise.</summary>
    public const string BareReadProbe = "--bare-read=";

    private const string ProbePrefix = "PROBE ";

    private static async Task<ProbeResult> ProbeInChildAsync(string tape, BenchmarkContext context, CancellationToken ct)
    {
        var self = Environment.ProcessPath ?? throw new InvalidOperationException("The benchmark's own path is unknown.");
        var start = new ProcessStartInfo(self) { RedirectStandardOutput = true, RedirectStandardError = true, UseShellExecute = false };
        if (Path.GetFileNameWithoutExtension(self) == "dotnet")
        {
            start.ArgumentList.Add(typeof(LoanTapeBenchmark).Assembly.Location);
        }

        start.ArgumentList.Add(ProbeCommand);
        start.ArgumentList.Add(tape);
        using var process = Process.Start(start) ?? throw new InvalidOperationException("The probe process did not start.");
        try
        {
            var output = process.StandardOutput.ReadToEndAsync(ct);
            var errors = process.StandardError.ReadToEndAsync(ct);
            await process.WaitForExitAsync(ct);
            var line = (await output).Split('\n').LastOrDefault(l => l.StartsWith(ProbePrefix, StringComparison.Ordinal));
            if (process.ExitCode != 0 || line is null)
            {
                throw new InvalidOperationException($"The probe of {Path.GetFileName(tape)} failed ({process.ExitCode}): {await errors}");
            }

            var result = JsonSerializer.Deserialize<ProbeResult>(line[ProbePrefix.Length..])!;
            if (tape == BareProbe)
            {
                context.Log.WriteLine($"  bare insert loop, {Large:N0} rows, own process: {result.Ms:N0} ms; load {LoadAverage()}");
                return result;
            }

            if (tape.StartsWith(BareReadProbe, StringComparison.Ordinal))
            {
                context.Log.WriteLine($"  {Path.GetFileName(tape[BareReadProbe.Length..])} bare unzip + XmlReader pass, own process: {result.Ms:N0} ms");
                return result;
            }

            context.Log.WriteLine($"  {Path.GetFileName(tape)}: {result.Ms:N0} ms (upload {result.UploadMs:N0}, check {result.CheckMs:N0}, sign {result.SignMs:N0}); " +
                                  $"peak resident +{Mb(result.PeakRssBytes)} (upload + check +{Mb(result.CheckRssBytes)}, sign +{Mb(result.SignRssBytes)}), " +
                                  $"GC heap +{Mb(result.PeakHeapBytes)}, SQLite's own allocations {Mb(result.PeakSqliteBytes)}; load {LoadAverage()}");
            return result;
        }
        finally
        {
            if (!process.HasExited)
            {
                process.Kill(entireProcessTree: true);
            }
        }
    }

    private static string Mb(long bytes) => $"{bytes / (1024.0 * 1024):N0} MB";

    private static string LoadAverage()
    {
        try
        {
            return string.Join(" ", File.ReadAllText("/proc/loadavg").Split(' ').Take(3));
        }
        catch (IOException)
        {
            return "unknown";
        }
    }

    public sealed record ProbeResult(
        double Ms, double UploadMs, double CheckMs, double SignMs, long PeakRssBytes, long PeakHeapBytes, long CheckRssBytes, long SignRssBytes, long PeakSqliteBytes);

    private static string Verdict(bool pass) => pass ? "PASS" : "FAIL";

    /// <summary>The bare XLSX pass over the warm-up file, a settled compiler, then the timed pass over <paramref name="file"/>.</summary>
    private static async Task<double> WarmBareXlsxReadAsync(string file, BenchmarkContext context, CancellationToken ct)
    {
        await BareXlsxReadAsync(await WarmUpTapeAsync(file, ct), context, ct);
        await SettleAsync();
        return await BareXlsxReadAsync(file, context, ct);
    }

    /// <summary>
    /// The floor for XLSX: open the zip, inflate the parts a reader needs for the cells' text (the shared strings when
    /// there are any, then the sheet) and read every node of them with an XmlReader.
    /// </summary>
    public static async Task<double> BareXlsxReadAsync(string file, BenchmarkContext context, CancellationToken ct)
    {
        long cells = 0;
        long chars = 0;
        var ms = await context.TimeAsync(() =>
        {
            using var zip = ZipFile.OpenRead(file);
            foreach (var part in new[] { "xl/sharedStrings.xml", MinimalWorkbook.SheetPart })
            {
                if (zip.GetEntry(part) is not { } entry)
                {
                    continue;
                }

                using var stream = entry.Open();
                using var xml = XmlReader.Create(stream, new XmlReaderSettings { DtdProcessing = DtdProcessing.Prohibit });
                while (xml.Read())
                {
                    ct.ThrowIfCancellationRequested();
                    if (xml.NodeType == XmlNodeType.Element && xml.LocalName == "c")
                    {
                        cells++;
                    }
                    else if (xml.NodeType == XmlNodeType.Text)
                    {
                        chars += xml.Value.Length;
                    }
                }
            }

            return Task.CompletedTask;
        });
        context.Log.WriteLine($"  {Path.GetFileName(file)} bare read: {ms:N0} ms ({cells:N0} cells, {chars:N0} characters)");
        return ms;
    }

    /// <summary>The portal's XLSX reader alone (rows as text, no edits, nothing stored): what reading the sheet costs inside the check.</summary>
    private static async Task<double> SheetReadAsync(string file, BenchmarkContext context, CancellationToken ct)
    {
        long rows = 0;
        var ms = await context.TimeAsync(async () =>
        {
            await using var stream = File.OpenRead(file);
            using var reader = FinancePortal.Infrastructure.LoanTapes.XlsxLoanTapeReader.Open(stream, new FinancePortal.Infrastructure.LoanTapes.LoanTapeLimits());
            var row = new RawRow();
            while (await reader.ReadAsync(row, ct))
            {
                rows++;
            }
        });
        context.Log.WriteLine($"  {Path.GetFileName(file)} sheet reader: {ms:N0} ms ({rows:N0} rows)");
        return ms;
    }

    /// <summary>
    /// The same rows as the CSV as an XLSX written with a SAX writer (XmlWriter into a zip entry): text as inline
    /// strings, amounts and counts as numbers, dates as yyyy-MM-dd text (what streaming writers such as SpreadCheetah
    /// produce).
    /// </summary>
    public static Task WriteInlineXlsxAsync(string path, int rows, string period, CancellationToken ct) => WriteXlsxAsync(path, rows, period, ct);

    private static async Task WriteXlsxAsync(string path, int rows, string period, CancellationToken ct)
    {
        if (File.Exists(path))
        {
            return;
        }

        var temp = path + ".tmp";
        await using (var file = File.Create(temp))
        using (var zip = new ZipArchive(file, ZipArchiveMode.Create))
        {
            const string main = MinimalWorkbook.MainNamespace;
            MinimalWorkbook.WriteParts(zip);

            await using var sheet = zip.CreateEntry(MinimalWorkbook.SheetPart).Open();
            await using var xml = XmlWriter.Create(sheet, new XmlWriterSettings { Encoding = new UTF8Encoding(false), Async = true });
            await xml.WriteStartDocumentAsync();
            await xml.WriteStartElementAsync(null, "worksheet", main);
            await xml.WriteStartElementAsync(null, "sheetData", main);
            var inv = CultureInfo.InvariantCulture;
            var header = LoanTapeFormat.Columns.ToArray();
            for (var i = -1; i < rows; i++)
            {
                ct.ThrowIfCancellationRequested();
                xml.WriteStartElement("row", main);
                xml.WriteAttributeString("r", (i + 2).ToString(inv));
                if (i < 0)
                {
                    foreach (var name in header)
                    {
                        Text(xml, name);
                    }
                }
                else
                {
                    var (status, dpd) = Status(i);
                    Text(xml, "JDBT");
                    Text(xml, period);
                    Text(xml, $"L{i:D8}");
                    Text(xml, $"B{i:D8}");
                    Text(xml, "INSTALLMENT");
                    Text(xml, "ECOMMERCE");
                    Text(xml, new DateOnly(2024, 1 + i % 9, 1 + i % 28).ToString("yyyy-MM-dd", inv));
                    Number(xml, (1000 + i % 9000).ToString(inv));
                    Number(xml, "0");
                    Number(xml, "12");
                    Number(xml, "18");
                    Number(xml, (500 + i % 400).ToString(inv));
                    Number(xml, dpd.ToString(inv));
                    Text(xml, status);
                    Number(xml, "0");
                    Number(xml, "0");
                    Text(xml, "OWN_FUNDS");
                }

                xml.WriteEndElement();
                if (i % 10_000 == 0)
                {
                    await xml.FlushAsync();
                }
            }

            await xml.WriteEndElementAsync();
            await xml.WriteEndElementAsync();
            await xml.WriteEndDocumentAsync();
        }

        File.Move(temp, path, overwrite: true);

        static void Text(XmlWriter xml, string value)
        {
            xml.WriteStartElement("c");
            xml.WriteAttributeString("t", "inlineStr");
            xml.WriteStartElement("is");
            xml.WriteElementString("t", value);
            xml.WriteEndElement();
            xml.WriteEndElement();
        }

        static void Number(XmlWriter xml, string value)
        {
            xml.WriteStartElement("c");
            xml.WriteElementString("v", value);
            xml.WriteEndElement();
        }
    }

    /// <summary>
    /// The same rows as the CSV in the shape Excel saves (<see cref="ExcelSavedWorkbook"/>): text in the shared-strings
    /// table, amounts and counts as numbers, origination dates as date-formatted serial numbers.
    /// </summary>
    public static Task WriteExcelSavedXlsxAsync(string path, int rows, string period, CancellationToken ct)
    {
        if (File.Exists(path))
        {
            return Task.CompletedTask;
        }

        var temp = path + ".tmp";
        ExcelSavedWorkbook.Write(temp, Rows());
        File.Move(temp, path, overwrite: true);
        return Task.CompletedTask;

        IEnumerable<IReadOnlyList<ExcelSavedWorkbook.Cell>> Rows()
        {
            yield return LoanTapeFormat.Columns.Select(ExcelSavedWorkbook.Cell.Of).ToArray();
            var row = new ExcelSavedWorkbook.Cell[LoanTapeFormat.Columns.Count];
            for (var i = 0; i < rows; i++)
            {
                ct.ThrowIfCancellationRequested();
                var (status, dpd) = Status(i);
                row[0] = ExcelSavedWorkbook.Cell.Of("JDBT");
                row[1] = ExcelSavedWorkbook.Cell.Of(period);
                row[2] = ExcelSavedWorkbook.Cell.Of($"L{i:D8}");
                row[3] = ExcelSavedWorkbook.Cell.Of($"B{i:D8}");
                row[4] = ExcelSavedWorkbook.Cell.Of("INSTALLMENT");
                row[5] = ExcelSavedWorkbook.Cell.Of("ECOMMERCE");
                row[6] = ExcelSavedWorkbook.Cell.Of(new DateOnly(2024, 1 + i % 9, 1 + i % 28));
                row[7] = ExcelSavedWorkbook.Cell.Of(1000 + i % 9000);
                row[8] = ExcelSavedWorkbook.Cell.Of(0);
                row[9] = ExcelSavedWorkbook.Cell.Of(12);
                row[10] = ExcelSavedWorkbook.Cell.Of(18);
                row[11] = ExcelSavedWorkbook.Cell.Of(500 + i % 400);
                row[12] = ExcelSavedWorkbook.Cell.Of(dpd);
                row[13] = ExcelSavedWorkbook.Cell.Of(status);
                row[14] = ExcelSavedWorkbook.Cell.Of(0);
                row[15] = ExcelSavedWorkbook.Cell.Of(0);
                row[16] = ExcelSavedWorkbook.Cell.Of("OWN_FUNDS");
                yield return row;
            }
        }
    }

    private static async Task<ProbeResult> PipelineAsync(string file, CancellationToken ct)
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

        await using (var warmUp = services.CreateAsyncScope())
        {
            var tape = await WarmUpTapeAsync(file, ct);
            await UploadCheckSignAsync(warmUp.ServiceProvider.GetRequiredService<SubmissionService>(), tape, WarmUpPeriod, memory: null, ct);
        }

        await SettleAsync();
        GC.Collect(2, GCCollectionMode.Forced, blocking: true, compacting: true);
        GC.WaitForPendingFinalizers();
        using var memory = new PeakMemory();
        await using var scope2 = services.CreateAsyncScope();
        return await UploadCheckSignAsync(scope2.ServiceProvider.GetRequiredService<SubmissionService>(), file, Period, memory, ct);

        static async Task<ProbeResult> UploadCheckSignAsync(SubmissionService submissions, string file, string period, PeakMemory? memory, CancellationToken ct)
        {
            var stages = Stopwatch.StartNew();
            long id;
            var uploadMs = 0d;
            await using (var stream = File.OpenRead(file))
            {
                // The upload ends when the check starts: the progress says so.
                var progress = new Relay(p => uploadMs = uploadMs == 0 && p.Stage == LoanTapeStage.Checking ? stages.Elapsed.TotalMilliseconds : uploadMs);
                id = (await submissions.SubmitAsync(period, Path.GetFileName(file), stream, progress, ct)).Id;
            }

            var checkMs = stages.Elapsed.TotalMilliseconds - uploadMs;
            var (checkRss, checkSqlite) = memory?.Stage() ?? default;
            var detail = (await submissions.GetAsync(id, ct))!;
            if (detail.Submission.Status != SubmissionStatus.ReadyToSign)
            {
                throw new InvalidOperationException($"The generated tape should be clean, but the check says {detail.Submission.Status}: {string.Join(", ", detail.CountsByCode.Select(c => $"{c.Code} x{c.Count}"))}.");
            }

            await submissions.SignAsync(id, "Benchmark Filer", true, detail.ConcurrencyStamp, ct);
            var ms = stages.Elapsed.TotalMilliseconds;
            var (signRss, signSqlite) = memory?.Stage() ?? default;
            var heap = memory?.Stop() ?? 0;
            return new ProbeResult(ms, uploadMs, checkMs, ms - uploadMs - checkMs, Math.Max(checkRss, signRss), heap, checkRss, signRss, Math.Max(checkSqlite, signSqlite));
        }
    }

    /// <summary>The warm-up tape for a measured one: the same format, <see cref="WarmUpRows"/> rows of <see cref="WarmUpPeriod"/>, beside it.</summary>
    private static async Task<string> WarmUpTapeAsync(string tape, CancellationToken ct)
    {
        var extension = Path.GetExtension(tape);
        var path = Path.Combine(Path.GetDirectoryName(tape)!, $"warm-up-{WarmUpRows}{extension}");
        if (Path.GetFileNameWithoutExtension(tape).EndsWith(ExcelSavedSuffix, StringComparison.Ordinal))
        {
            path = Path.Combine(Path.GetDirectoryName(tape)!, $"warm-up-{WarmUpRows}{ExcelSavedSuffix}{extension}");
            await WriteExcelSavedXlsxAsync(path, WarmUpRows, WarmUpPeriod, ct);
        }
        else if (extension == ".xlsx")
        {
            await WriteXlsxAsync(path, WarmUpRows, WarmUpPeriod, ct);
        }
        else
        {
            await WriteCsvAsync(path, WarmUpRows, WarmUpPeriod, ct);
        }

        return path;
    }

    /// <summary>
    /// Waits until the runtime's tiered compiler has finished promoting the warm-up's hot code (no method compiled for
    /// 0.6 s; at most 20 s), so the measured run neither pays for that compilation nor counts its code memory.
    /// </summary>
    private static async Task SettleAsync()
    {
        var waited = Stopwatch.StartNew();
        var last = JitInfo.GetCompiledMethodCount();
        for (var quiet = 0; quiet < 3 && waited.Elapsed < TimeSpan.FromSeconds(20);)
        {
            await Task.Delay(200);
            var now = JitInfo.GetCompiledMethodCount();
            quiet = now == last ? quiet + 1 : 0;
            last = now;
        }
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
        var warmUp = new LoanSubmission { PlatformId = platform.Id, Period = WarmUpPeriod, FileName = "bare warm-up", FileSha256 = new string('0', 64), UploadedBy = "bench", UploadedUtc = DateTime.UtcNow };
        var submission = new LoanSubmission { PlatformId = platform.Id, Period = Period, FileName = "bare", FileSha256 = new string('0', 64), UploadedBy = "bench", UploadedUtc = DateTime.UtcNow };
        db.LoanSubmissions.AddRange(warmUp, submission);
        await db.SaveChangesAsync(ct);
        await InsertAsync(warmUp, WarmUpRows);
        await SettleAsync();
        return await context.TimeAsync(() => InsertAsync(submission, rows));

        async Task InsertAsync(LoanSubmission into, int count)
        {
            await using var tx = await db.Database.BeginTransactionAsync(ct);
            await new SqliteLoanRecordWriter().WriteAsync(db, Records(into.Id, platform.Id, into.Period, count), ct);
            await tx.CommitAsync(ct);
        }
    }

    private static async IAsyncEnumerable<LoanRecord> Records(long submissionId, int platformId, string period, int rows)
    {
        await Task.Yield();
        for (var i = 0; i < rows; i++)
        {
            var (status, dpd) = Status(i);
            yield return new LoanRecord
            {
                SubmissionId = submissionId, PlatformId = platformId, Period = period, LoanId = $"L{i:D8}", BorrowerRef = $"B{i:D8}",
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

    private static async Task WriteCsvAsync(string path, int rows, string period, CancellationToken ct)
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
            line.Append(inv, $"JDBT,{period},L{i:D8},B{i:D8},INSTALLMENT,ECOMMERCE,{new DateOnly(2024, 1 + i % 9, 1 + i % 28):yyyy-MM-dd},{1000 + i % 9000}.00,0,12,18,{500 + i % 400}.00,{dpd},{status},0,0,OWN_FUNDS");
            await writer.WriteLineAsync(line, ct);
        }
    }

    private sealed class OperatorUser : ICurrentUser
    {
        public UserContext Context { get; set; } = UserContext.System;

        public Task<UserContext> GetAsync(CancellationToken cancellationToken = default) => Task.FromResult(Context);
    }

    /// <summary>
    /// The peak memory of a stretch of work, above where it started. Resident set: the kernel's high-water mark
    /// (VmHWM), reset at the start by writing 5 to /proc/self/clear_refs (Linux), so no peak between samples is missed;
    /// elsewhere the working set sampled every 10 ms. GC heap: <see cref="GC.GetTotalMemory(bool)"/> sampled every 10 ms.
    /// </summary>
    private sealed class PeakMemory : IDisposable
    {
        private readonly long _rssStart;
        private readonly long _heapStart;
        private readonly bool _kernelPeak;
        private readonly Timer _timer;
        private long _sampledRss;
        private long _sampledHeap;

        public PeakMemory()
        {
            try
            {
                File.WriteAllText("/proc/self/clear_refs", "5");
                _kernelPeak = Status("VmHWM:") > 0;
            }
            catch (Exception e) when (e is IOException or UnauthorizedAccessException)
            {
                _kernelPeak = false;
            }

            _rssStart = CurrentRss();
            raw.sqlite3_memory_highwater(1);
            _heapStart = GC.GetTotalMemory(false);
            _sampledRss = _rssStart;
            _sampledHeap = _heapStart;
            _timer = new Timer(_ =>
            {
                _sampledRss = Math.Max(_sampledRss, CurrentRss());
                _sampledHeap = Math.Max(_sampledHeap, GC.GetTotalMemory(false));
            }, null, 0, 10);
        }

        /// <summary>
        /// The resident peak above the start since the last stage (then the kernel's counter is reset again) and
        /// SQLite's own high-water mark of allocated memory (sqlite3_memory_highwater, reset too).
        /// </summary>
        public (long Rss, long Sqlite) Stage()
        {
            var peak = _kernelPeak ? Math.Max(Status("VmHWM:"), _sampledRss) : Math.Max(_sampledRss, CurrentRss());
            var sqlite = raw.sqlite3_memory_highwater(1);
            if (_kernelPeak)
            {
                File.WriteAllText("/proc/self/clear_refs", "5");
            }

            _sampledRss = CurrentRss();
            return (Math.Max(0, peak - _rssStart), sqlite);
        }

        /// <summary>The GC heap's sampled peak above the start.</summary>
        public long Stop()
        {
            _timer.Dispose();
            return Math.Max(0, _sampledHeap - _heapStart);
        }

        public void Dispose() => _timer.Dispose();

        private long CurrentRss() => _kernelPeak ? Status("VmRSS:") : Process.GetCurrentProcess().WorkingSet64;

        /// <summary>A kB figure of /proc/self/status, in bytes.</summary>
        private static long Status(string key)
        {
            foreach (var line in File.ReadLines("/proc/self/status"))
            {
                if (line.StartsWith(key, StringComparison.Ordinal))
                {
                    return long.Parse(line[key.Length..].Trim().Split(' ')[0], CultureInfo.InvariantCulture) * 1024;
                }
            }

            return 0;
        }
    }

    private sealed class Relay(Action<LoanTapeProgress> report) : IProgress<LoanTapeProgress>
    {
        public void Report(LoanTapeProgress value) => report(value);
    }
}

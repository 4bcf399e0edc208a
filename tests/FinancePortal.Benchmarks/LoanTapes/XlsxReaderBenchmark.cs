using System.Globalization;
using ExcelDataReader;
using FinancePortal.Application.Features.LoanTapes;
using FinancePortal.Benchmarks.Harness;
using FinancePortal.Infrastructure.LoanTapes;
using MiniExcelLibs;

namespace FinancePortal.Benchmarks.LoanTapes;

/// <summary>
/// Issue "Loan tapes as one feature", item 3: the XLSX readers side by side on the same 1,000,000-row tape in both
/// shapes (inline strings as streaming writers save it; shared strings and date-formatted serials as Excel saves it).
/// Each reader turns every cell into the text the edits read (dates as yyyy-MM-dd); each is timed against the bare
/// unzip + XmlReader pass over the same parts. Readers: the portal's (a byte scanner of the sheet part),
/// ExcelDataReader 3.6.0 and MiniExcel 1.47.1. One process, the warm-up
/// tape read first by every reader.
/// </summary>
public sealed class XlsxReaderBenchmark : IBenchmark
{
    /// <summary>1,000,000, or FP_XLSXREAD_ROWS for a quicker run.</summary>
    private static readonly int Rows = int.TryParse(Environment.GetEnvironmentVariable("FP_XLSXREAD_ROWS"), out var rows) && rows > 0 ? rows : 1_000_000;
    private const int WarmUpRows = 1_000;
    private const string Period = "2024-10";

    public string Name => "xlsxread";

    public string Description => $"XLSX readers alone on {Rows:N0} rows, inline-string and Excel-saved workbooks: the portal's reader, ExcelDataReader, MiniExcel vs a bare unzip + XmlReader pass";

    private delegate long Reader(string file, CancellationToken ct);

    private static readonly (string Name, Reader Read)[] Readers =
    [
        ("portal reader (scanner)", Portal),
        ("ExcelDataReader 3.6.0", ExcelDataReaderRows),
        ("MiniExcel 1.47.1", MiniExcelRows),
    ];

    public async Task<BenchmarkResult> RunAsync(BenchmarkContext context, CancellationToken ct)
    {
        // ExcelDataReader asks for code page 1252 even for XLSX; .NET has it only through this provider.
        System.Text.Encoding.RegisterProvider(System.Text.CodePagesEncodingProvider.Instance);
        var folder = Path.Combine(Path.GetTempPath(), "financeportal-bench", "tapes");
        Directory.CreateDirectory(folder);
        var figures = new List<Figure>();
        var ratios = new List<Ratio>();
        foreach (var (shape, excelSaved) in new[] { ("inline strings", false), ("Excel-saved", true) })
        {
            var suffix = excelSaved ? LoanTapeBenchmark.ExcelSavedSuffix : "";
            var file = Path.Combine(folder, $"jdbt-{Rows}{suffix}.xlsx");
            var warmUp = Path.Combine(folder, $"reader-warm-up-{WarmUpRows}{suffix}.xlsx");
            await WriteAsync(file, Rows, excelSaved, ct);
            await WriteAsync(warmUp, WarmUpRows, excelSaved, ct);
            context.Log.WriteLine($"  {shape}: {Path.GetFileName(file)}, {new FileInfo(file).Length / (1024.0 * 1024):N1} MB");

            var quiet = context with { Log = TextWriter.Null };
            await LoanTapeBenchmark.BareXlsxReadAsync(warmUp, quiet, ct);
            var bareMs = new List<double>();
            var readerMs = Readers.Select(_ => new List<double>()).ToArray();
            foreach (var (_, read) in Readers)
            {
                read(warmUp, ct);
            }

            for (var run = 0; run < context.Runs; run++)
            {
                bareMs.Add(await LoanTapeBenchmark.BareXlsxReadAsync(file, context, ct));
                for (var r = 0; r < Readers.Length; r++)
                {
                    long rows = 0;
                    readerMs[r].Add(await context.TimeAsync(() =>
                    {
                        rows = Readers[r].Read(file, ct);
                        return Task.CompletedTask;
                    }));
                    if (rows != Rows + 1)
                    {
                        throw new InvalidOperationException($"{Readers[r].Name} read {rows:N0} rows of {shape}, not {Rows + 1:N0}.");
                    }

                    context.Log.WriteLine($"  {shape}, {Readers[r].Name}: {readerMs[r][^1]:N0} ms");
                }
            }

            var bare = new Figure($"{shape}: bare unzip + XmlReader pass", bareMs);
            figures.Add(bare);
            for (var r = 0; r < Readers.Length; r++)
            {
                var figure = new Figure($"{shape}: {Readers[r].Name}", readerMs[r]);
                figures.Add(figure);
                ratios.Add(Ratio.Of($"{shape}: {Readers[r].Name} / bare pass (no target)", figure, bare));
            }
        }

        return new BenchmarkResult(figures, ratios);
    }

    private static Task WriteAsync(string file, int rows, bool excelSaved, CancellationToken ct) => excelSaved
        ? LoanTapeBenchmark.WriteExcelSavedXlsxAsync(file, rows, Period, ct)
        : LoanTapeBenchmark.WriteInlineXlsxAsync(file, rows, Period, ct);

    /// <summary>The portal's reader: every record into a <see cref="RawRow"/>, as the check reads it.</summary>
    private static long Portal(string file, CancellationToken ct)
    {
        using var stream = File.OpenRead(file);
        using var reader = XlsxLoanTapeReader.Open(stream, new LoanTapeLimits());
        var row = new RawRow();
        long rows = 0;
        while (reader.ReadAsync(row, ct).AsTask().GetAwaiter().GetResult())
        {
            rows++;
        }

        return rows;
    }

    /// <summary>ExcelDataReader's data reader: each cell's value turned into the edits' text (dates as yyyy-MM-dd).</summary>
    private static long ExcelDataReaderRows(string file, CancellationToken ct)
    {
        using var stream = File.OpenRead(file);
        using var reader = ExcelReaderFactory.CreateOpenXmlReader(stream);
        long rows = 0;
        long chars = 0;
        while (reader.Read())
        {
            ct.ThrowIfCancellationRequested();
            for (var i = 0; i < reader.FieldCount; i++)
            {
                chars += Text(reader.GetValue(i)).Length;
            }

            rows++;
        }

        return chars > 0 ? rows : 0;
    }

    /// <summary>MiniExcel's row query (no header row, so every record comes back): each cell's value turned into text.</summary>
    private static long MiniExcelRows(string file, CancellationToken ct)
    {
        using var stream = File.OpenRead(file);
        long rows = 0;
        long chars = 0;
        foreach (IDictionary<string, object?> row in stream.Query(useHeaderRow: false, excelType: ExcelType.XLSX))
        {
            ct.ThrowIfCancellationRequested();
            foreach (var value in row.Values)
            {
                chars += Text(value).Length;
            }

            rows++;
        }

        return chars > 0 ? rows : 0;
    }

    private static string Text(object? value) => value switch
    {
        null => "",
        string s => s,
        DateTime d => d.ToString("yyyy-MM-dd", CultureInfo.InvariantCulture),
        double n => n.ToString(CultureInfo.InvariantCulture),
        IFormattable f => f.ToString(null, CultureInfo.InvariantCulture),
        _ => value.ToString() ?? "",
    };
}

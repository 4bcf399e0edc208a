using System.Globalization;

namespace FinancePortal.Benchmarks.Harness;

/// <summary>Prints the figures as one plain-text table and the ratios below it.</summary>
public static class ReportPrinter
{
    private static readonly string[] Header = ["Benchmark", "Figure", "Runs", "Median ms", "Min ms", "Max ms", "Target", "Result"];

    public static void Print(TextWriter output, IReadOnlyList<(IBenchmark Benchmark, BenchmarkResult? Result, Exception? Error)> outcomes)
    {
        var rows = new List<string[]>();
        foreach (var (benchmark, result, error) in outcomes)
        {
            if (result is null)
            {
                rows.Add([benchmark.Name, "(did not complete)", "-", "-", "-", "-", "-", "ERROR"]);
                continue;
            }

            rows.AddRange(result.Figures.Select(f => new[]
            {
                benchmark.Name, f.Name, f.SamplesMs.Count.ToString(CultureInfo.InvariantCulture),
                Ms(f.MedianMs), Ms(f.MinMs), Ms(f.MaxMs),
                f.TargetMs is { } t ? $"max < {Ms(t)} ms" : "-",
                f.Passed switch { true => "PASS", false => "FAIL", null => "-" },
            }));
        }

        output.WriteLine();
        WriteTable(output, rows);

        var ratios = outcomes.Where(o => o.Result is not null)
            .SelectMany(o => o.Result!.Ratios.Select(r => (o.Benchmark.Name, r)))
            .ToArray();
        if (ratios.Length > 0)
        {
            output.WriteLine();
            output.WriteLine("Ratios (of medians)");
            var width = ratios.Max(x => x.Name.Length + x.r.Name.Length + 2);
            foreach (var (name, ratio) in ratios)
            {
                var bound = (ratio.AtLeast, ratio.AtMost) switch
                {
                    ({ } minimum, _) => $">= {minimum.ToString("0.##", CultureInfo.InvariantCulture)}x",
                    (_, { } maximum) => $"<= {maximum.ToString("0.##", CultureInfo.InvariantCulture)}x",
                    _ => null,
                };
                var target = bound is null ? "" : $"  target {bound}  {(ratio.Passed == true ? "PASS" : "FAIL")}";
                output.WriteLine($"  {(name + ": " + ratio.Name).PadRight(width)}  {ratio.Value.ToString("0.00", CultureInfo.InvariantCulture)}x{target}");
            }
        }

        foreach (var (benchmark, _, error) in outcomes.Where(o => o.Error is not null))
        {
            output.WriteLine();
            output.WriteLine($"{benchmark.Name} failed: {error!.GetType().Name}: {error.Message}");
        }
    }

    public static string Ms(double ms) => ms.ToString(ms < 100 ? "N1" : "N0", CultureInfo.InvariantCulture);

    private static void WriteTable(TextWriter output, List<string[]> rows)
    {
        var widths = Header.Select((h, i) => rows.Select(r => r[i].Length).Append(h.Length).Max()).ToArray();
        // Names left-aligned, numbers right-aligned.
        string Line(string[] cells) => string.Join("  ", cells.Select((c, i) => i is >= 2 and <= 5 ? c.PadLeft(widths[i]) : c.PadRight(widths[i]))).TrimEnd();
        output.WriteLine(Line(Header));
        output.WriteLine(string.Join("  ", widths.Select(w => new string('-', w))));
        rows.ForEach(r => output.WriteLine(Line(r)));
    }
}

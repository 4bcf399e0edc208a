namespace FinancePortal.Benchmarks.Harness;

/// <summary>Parses <c>[all|NAME...] [--runs N]</c>.</summary>
public sealed record CommandLine(IReadOnlyList<IBenchmark> Benchmarks, int Runs)
{
    public const int DefaultRuns = 3;
    public const int MaxRuns = 50;

    public static string Usage =>
        $"""
        Usage: dotnet run -c Release --project tests/FinancePortal.Benchmarks -- [all|{string.Join('|', BenchmarkRegistry.All.Select(b => b.Name))}]... [--runs N]

          --runs N   measured runs per benchmark (1-{MaxRuns}, default {DefaultRuns})

        Benchmarks:
        {string.Join(Environment.NewLine, BenchmarkRegistry.All.Select(b => $"  {b.Name,-10} {b.Description}"))}
        """;

    /// <summary>Returns null and an error (empty for --help) when the arguments are not understood.</summary>
    public static CommandLine? Parse(IReadOnlyList<string> args, out string error)
    {
        error = "";
        var selected = new List<IBenchmark>();
        var runs = DefaultRuns;
        for (var i = 0; i < args.Count; i++)
        {
            var arg = args[i];
            if (arg is "-h" or "--help" or "help")
            {
                return null;
            }

            if (arg == "--runs")
            {
                if (i + 1 >= args.Count || !int.TryParse(args[++i], out runs) || runs is < 1 or > MaxRuns)
                {
                    error = $"--runs needs a number from 1 to {MaxRuns}.";
                    return null;
                }
            }
            else if (arg.Equals("all", StringComparison.OrdinalIgnoreCase))
            {
                selected.AddRange(BenchmarkRegistry.All);
            }
            else if (BenchmarkRegistry.Find(arg) is { } benchmark)
            {
                selected.Add(benchmark);
            }
            else
            {
                error = $"Unknown benchmark or option '{arg}'.";
                return null;
            }
        }

        return new CommandLine(selected.Count == 0 ? BenchmarkRegistry.All : selected.Distinct().ToArray(), runs);
    }
}

namespace FinancePortal.Benchmarks.Harness;

/// <summary>
/// One benchmark of the harness. Add a class that implements this interface (public, parameterless constructor)
/// in a feature folder and <see cref="BenchmarkRegistry"/> picks it up: no other change is needed.
/// </summary>
public interface IBenchmark
{
    /// <summary>Short lower-case name used on the command line (e.g. <c>startup</c>).</summary>
    string Name { get; }

    /// <summary>One line on what is measured and how.</summary>
    string Description { get; }

    /// <summary>Runs <see cref="BenchmarkContext.Runs"/> measured repetitions and returns the figures and ratios.</summary>
    Task<BenchmarkResult> RunAsync(BenchmarkContext context, CancellationToken ct);
}

/// <summary>What every benchmark gets: the number of runs, the clock, a place to print progress.</summary>
public sealed record BenchmarkContext(int Runs, TimeProvider Time, TextWriter Log)
{
    /// <summary>Runs <paramref name="action"/> and returns its wall time in milliseconds.</summary>
    public async Task<double> TimeAsync(Func<Task> action)
    {
        var start = Time.GetTimestamp();
        await action();
        return Time.GetElapsedTime(start).TotalMilliseconds;
    }
}

/// <summary>The figures of one benchmark and the ratios between them.</summary>
public sealed record BenchmarkResult(IReadOnlyList<Figure> Figures, IReadOnlyList<Ratio> Ratios);

/// <summary>A timed figure: one sample per run, in milliseconds, with an optional upper bound (target) for every run.</summary>
public sealed record Figure(string Name, IReadOnlyList<double> SamplesMs, double? TargetMs = null)
{
    public double MedianMs
    {
        get
        {
            var sorted = SamplesMs.Order().ToArray();
            var mid = sorted.Length / 2;
            return sorted.Length % 2 == 1 ? sorted[mid] : (sorted[mid - 1] + sorted[mid]) / 2;
        }
    }

    public double MinMs => SamplesMs.Min();

    public double MaxMs => SamplesMs.Max();

    /// <summary>Null without a target; otherwise whether every run (the max) is under it.</summary>
    public bool? Passed => TargetMs is { } target ? MaxMs < target : null;
}

/// <summary>A ratio of two medians, e.g. cold start / warm start, with an optional lower or upper bound (target).</summary>
public sealed record Ratio(string Name, double Value, double? AtLeast = null, double? AtMost = null)
{
    /// <summary>Null without a target; otherwise whether the ratio is within it.</summary>
    public bool? Passed => AtLeast is null && AtMost is null ? null : Value >= (AtLeast ?? double.MinValue) && Value <= (AtMost ?? double.MaxValue);

    public static Ratio Of(string name, Figure numerator, Figure denominator, double? atLeast = null, double? atMost = null) =>
        new(name, numerator.MedianMs / denominator.MedianMs, atLeast, atMost);

    /// <summary>How much of its target a figure's median uses (0.5x = half the budget).</summary>
    public static Ratio OfTarget(string name, Figure figure) =>
        new(name, figure.MedianMs / (figure.TargetMs ?? throw new ArgumentException($"{figure.Name} has no target.", nameof(figure))));
}

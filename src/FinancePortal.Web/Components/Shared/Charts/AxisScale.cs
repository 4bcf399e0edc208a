namespace FinancePortal.Web.Components.Shared.Charts;

/// <summary>
/// A value axis with "nice" bounds and tick spacing (1, 2 or 5 times a power of ten) that covers the data with about
/// <c>targetTicks</c> labelled ticks, so lines use the height of the chart and the labels read easily.
/// </summary>
public sealed record AxisScale(double Min, double Max, double Step)
{
    /// <summary>Number of labelled ticks, both ends included.</summary>
    public int TickCount => (int)Math.Round((Max - Min) / Step) + 1;

    /// <summary>The tick values from <see cref="Min"/> to <see cref="Max"/>.</summary>
    public IReadOnlyList<double> Ticks => [.. Enumerable.Range(0, TickCount).Select(i => Math.Round(Min + (i * Step), 10))];

    /// <summary>
    /// The axis for data between <paramref name="min"/> and <paramref name="max"/>. With <paramref name="includeZero"/>
    /// the axis starts (or ends) at zero, as rates should. Empty or flat data still gets a readable 0-1 style axis.
    /// </summary>
    public static AxisScale For(double min, double max, int targetTicks = 5, bool includeZero = true)
    {
        ArgumentOutOfRangeException.ThrowIfLessThan(targetTicks, 2);
        if (double.IsNaN(min) || double.IsNaN(max) || double.IsInfinity(min) || double.IsInfinity(max))
        {
            min = max = 0;
        }

        if (min > max)
        {
            (min, max) = (max, min);
        }

        if (includeZero)
        {
            min = Math.Min(min, 0);
            max = Math.Max(max, 0);
        }

        if (max - min < 1e-12)
        {
            // Flat data: a band around the value (or 0-1 when everything is zero).
            var pad = Math.Abs(max) < 1e-12 ? 1 : Math.Abs(max) / 2;
            max += pad;
            if (!includeZero || min < 0)
            {
                min -= pad;
            }
        }

        var step = Nice((max - min) / (targetTicks - 1));
        var scale = Fit(min, max, step);
        // Rounding the step down can leave too many ticks: take the next nice step then.
        return scale.TickCount > targetTicks + 2 ? Fit(min, max, Nice(step * 2.1)) : scale;
    }

    private static AxisScale Fit(double min, double max, double step)
    {
        var niceMin = Math.Floor((min / step) + 1e-9) * step;
        var niceMax = Math.Ceiling((max / step) - 1e-9) * step;
        return new AxisScale(Math.Round(niceMin, 10), Math.Round(niceMax, 10), Math.Round(step, 12));
    }

    /// <summary>The nearest of 1, 2, 5 x 10^n to <paramref name="rough"/>.</summary>
    private static double Nice(double rough)
    {
        var exponent = Math.Floor(Math.Log10(rough));
        var power = Math.Pow(10, exponent);
        var fraction = rough / power;
        var nice = fraction switch
        {
            < 1.5 => 1,
            < 3.5 => 2,
            < 7.5 => 5,
            _ => 10,
        };
        return nice * power;
    }
}

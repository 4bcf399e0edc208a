using System.Globalization;
using MudBlazor;

namespace FinancePortal.Web.Components.Shared.Charts;

/// <summary>
/// Options for MudBlazor line charts of percentages: a y-axis fitted to the data (<see cref="AxisScale"/>), labels
/// with "%", distinct colours and tooltips with the exact value.
/// </summary>
/// <remarks>
/// MudBlazor's tick spacing (<c>YAxisTicks</c>) is a whole number, so values are plotted in thousandths of a percent
/// (<see cref="Plot"/>): a 0.2 % spacing becomes 200. The axis labels divide back, and the tooltip format uses .NET's
/// number scaling ("0,." divides by 1000), so every figure a reader sees is in percent.
/// </remarks>
public static class PercentChart
{
    /// <summary>Plotted units per percentage point.</summary>
    public const double UnitsPerPercent = 1000;

    /// <summary>Tooltip value: the plotted value back in percent, two decimals (e.g. "3.47%").</summary>
    public const string TooltipValueFormat = "0,.00'%'";

    /// <summary>A rate (0.0347 for 3.47 %) in plotted units.</summary>
    public static double? Plot(decimal? rate) => rate is decimal r ? (double)(r * 100m) * UnitsPerPercent : null;

    /// <summary>The y-axis for the plotted series (in percent), about five ticks from zero.</summary>
    public static AxisScale Scale(IEnumerable<ChartSeries<double>> series)
    {
        var values = series.SelectMany(s => s.Data.Points).Where(p => p.HasValue).Select(p => p.Y / UnitsPerPercent).ToList();
        return values.Count == 0 ? AxisScale.For(0, 1) : AxisScale.For(values.Min(), values.Max());
    }

    /// <summary>The chart options for <paramref name="series"/>; the last one is a dashed reference when <paramref name="lastIsReference"/>.</summary>
    public static LineChartOptions Options(IReadOnlyList<ChartSeries<double>> series, bool lastIsReference = false)
    {
        var scale = Scale(series);
        foreach (var s in series)
        {
            s.TooltipYValueFormat = TooltipValueFormat;
        }

        return new LineChartOptions
        {
            YAxisTicks = Math.Max(1, (int)Math.Round(scale.Step * UnitsPerPercent)),
            YAxisSuggestedMax = scale.Max * UnitsPerPercent,
            YAxisRequireZeroPoint = true,
            MaxNumYAxisTicks = 12,
            YAxisToStringFunc = Label,
            ChartPalette = ChartPalette.For(series.Count, lastIsReference),
            ShowDataMarkers = false,
            LineStrokeWidth = 2,
            TooltipTitleFormat = "{{SERIES_NAME}}: {{Y_VALUE}}",
            TooltipSubtitleFormat = "{{X_VALUE}}",
        };
    }

    /// <summary>A plotted value as an axis label in percent ("0.2%", "15%").</summary>
    public static string Label(double plotted) =>
        (plotted / UnitsPerPercent).ToString("0.###", CultureInfo.CurrentCulture) + "%";
}

using System.Globalization;
using FinancePortal.Web.Components.Shared.Charts;
using MudBlazor;

namespace FinancePortal.UnitTests.Monitoring;

public class ChartScaleTests
{
    [Theory]
    [InlineData(0.4, 4.3, 0, 5, 1)]
    [InlineData(0.1, 0.83, 0, 1, 0.2)]
    [InlineData(2, 18.7, 0, 20, 5)]
    [InlineData(0, 37, 0, 40, 10)]
    [InlineData(0.012, 0.049, 0, 0.05, 0.01)]
    [InlineData(120, 960, 0, 1000, 200)]
    public void Axis_starts_at_zero_and_ends_at_a_nice_value_just_above_the_data(double min, double max, double expectedMin, double expectedMax, double expectedStep)
    {
        var scale = AxisScale.For(min, max);

        Assert.Equal(expectedMin, scale.Min, 9);
        Assert.Equal(expectedMax, scale.Max, 9);
        Assert.Equal(expectedStep, scale.Step, 9);
    }

    [Theory]
    [InlineData(0.4, 4.3)]
    [InlineData(0.1, 0.83)]
    [InlineData(3, 3.2)]
    [InlineData(0, 100)]
    [InlineData(0.0001, 0.0007)]
    [InlineData(5, 123456)]
    public void Axis_has_about_five_ticks_and_covers_the_data_in_its_upper_part(double min, double max)
    {
        var scale = AxisScale.For(min, max);

        Assert.InRange(scale.TickCount, 4, 7);
        Assert.True(scale.Max >= max, $"{scale} does not cover {max}");
        Assert.True(max / scale.Max > 0.4, $"{scale}: the data ({max}) would sit in the bottom part of the chart");
        Assert.Equal(scale.TickCount, scale.Ticks.Count);
        Assert.Equal(scale.Max, scale.Ticks[^1], 9);
    }

    [Fact]
    public void Step_is_one_two_or_five_times_a_power_of_ten()
    {
        foreach (var max in new[] { 0.37, 1.9, 2.6, 6.1, 13, 44, 71, 99, 512 })
        {
            var step = AxisScale.For(0, max).Step;
            var mantissa = step / Math.Pow(10, Math.Floor(Math.Log10(step)));
            Assert.Contains(Math.Round(mantissa, 6), new[] { 1d, 2d, 5d });
        }
    }

    [Theory]
    [InlineData(0, 0, 0, 1)]
    [InlineData(2.5, 2.5, 0, 2.5)]
    public void Empty_or_flat_data_still_gets_a_readable_axis(double min, double max, double expectedMin, double expectedMax)
    {
        var scale = AxisScale.For(min, max);

        Assert.Equal(expectedMin, scale.Min, 9);
        Assert.Equal(expectedMax, scale.Max, 9);
        Assert.True(scale.TickCount >= 2);
    }

    [Fact]
    public void Negative_values_get_an_axis_below_zero_without_zero_forced_when_not_asked()
    {
        Assert.Equal(-8, AxisScale.For(-7.5, 3).Min, 9);
        var noZero = AxisScale.For(95, 99, includeZero: false);
        Assert.True(noZero.Min >= 90 && noZero.Max <= 100, noZero.ToString());
    }

    [Fact]
    public void Palette_has_twenty_distinct_colours_and_the_reference_series_is_grey()
    {
        Assert.Equal(20, ChartPalette.Series.Count);
        Assert.Equal(20, ChartPalette.Series.Distinct(StringComparer.OrdinalIgnoreCase).Count());
        // No two colours are near-identical (RGB distance).
        var rgb = ChartPalette.Series.Select(c => (R: Convert.ToInt32(c[1..3], 16), G: Convert.ToInt32(c[3..5], 16), B: Convert.ToInt32(c[5..7], 16))).ToList();
        for (var i = 0; i < rgb.Count; i++)
        {
            for (var j = i + 1; j < rgb.Count; j++)
            {
                var d = Math.Sqrt(Math.Pow(rgb[i].R - rgb[j].R, 2) + Math.Pow(rgb[i].G - rgb[j].G, 2) + Math.Pow(rgb[i].B - rgb[j].B, 2));
                Assert.True(d > 40, $"{ChartPalette.Series[i]} and {ChartPalette.Series[j]} are too close ({d:0}).");
            }
        }

        var colours = ChartPalette.For(11, lastIsReference: true);
        Assert.Equal(ChartPalette.Reference, colours[^1]);
        Assert.DoesNotContain(ChartPalette.Reference, colours[..^1]);
        Assert.Equal(colours.Length - 1, colours[..^1].Distinct().Count());
    }

    [Fact]
    public void Percent_chart_plots_in_thousandths_of_a_percent_and_labels_and_tooltips_read_in_percent()
    {
        var series = new List<ChartSeries<double>>
        {
            new() { Name = "A", Data = new ChartData<double>([PercentChart.Plot(0.0123m), PercentChart.Plot(0.0347m), null]) },
            new() { Name = "Median", Data = new ChartData<double>([PercentChart.Plot(0.02m), PercentChart.Plot(0.021m), PercentChart.Plot(0.0215m)]) },
        };

        var options = PercentChart.Options(series, lastIsReference: true);

        // 0-4 % in 1 % steps: the 3.47 % peak fills most of the height.
        Assert.Equal(1000, options.YAxisTicks);
        Assert.Equal(4000, options.YAxisSuggestedMax);
        Assert.True(options.YAxisRequireZeroPoint);
        var previous = CultureInfo.CurrentCulture;
        CultureInfo.CurrentCulture = CultureInfo.GetCultureInfo("en");
        try
        {
            Assert.Equal("2%", options.YAxisToStringFunc!(2000));
            Assert.Equal("0.2%", PercentChart.Label(200));
            Assert.Equal("3.47%", 3470d.ToString(series[0].TooltipYValueFormat, CultureInfo.CurrentCulture));
        }
        finally
        {
            CultureInfo.CurrentCulture = previous;
        }

        Assert.Contains("{{SERIES_NAME}}", options.TooltipTitleFormat);
        Assert.Contains("{{Y_VALUE}}", options.TooltipTitleFormat);
        Assert.Equal([ChartPalette.Series[0], ChartPalette.Reference], options.ChartPalette);
    }
}

using Bunit;
using FinancePortal.Application.Features.Monitoring;
using FinancePortal.TestSupport;
using FinancePortal.Web.Components.Pages.Monitoring;
using FinancePortal.Web.Components.Shared.Charts;
using MudBlazor;

namespace FinancePortal.ComponentTests;

/// <summary>The dashboard's charts over the seeded demo data: y-axis fitted to the data, distinct colours, median dashed.</summary>
public class ChartOptionsTests : PortalComponentTestBase
{
    private static readonly TimeSpan Timeout = TimeSpan.FromSeconds(15);

    private async Task<(IRenderedComponent<DashboardPage> Page, DashboardData Data)> RenderDashboardAsync()
    {
        DashboardData data;
        await using (var user = await ActAsAsync(DemoUsers.RiskOfficer))
        {
            data = await user.Get<MonitoringService>().GetDashboardAsync(new DashboardFilter());
        }

        await SignInAsAsync(DemoUsers.RiskOfficer);
        var page = RenderWithProviders<DashboardPage>();
        page.WaitForAssertion(() => Assert.NotEmpty(page.FindAll("[data-testid=trend-chart]")), Timeout);
        return (page, data);
    }

    [Fact]
    public async Task Trend_chart_axis_fits_the_highest_default_rate_with_about_five_percent_ticks()
    {
        var (page, data) = await RenderDashboardAsync();

        var chart = page.FindComponent<DefaultRateTrend>().FindComponent<MudChart<double>>().Instance;
        var options = Assert.IsType<LineChartOptions>(chart.ChartOptions);
        var highest = data.Platforms.SelectMany(p => p.Months).Max(m => m.Metrics.DefaultRate ?? 0m) * 100m;
        var top = options.YAxisSuggestedMax!.Value / PercentChart.UnitsPerPercent;
        Assert.True(top >= (double)highest, $"axis top {top}% below the highest rate {highest}%");
        Assert.True((double)highest / top > 0.4, $"axis top {top}% leaves the highest rate {highest}% in the bottom part");
        var ticks = (int)Math.Round(options.YAxisSuggestedMax.Value / options.YAxisTicks) + 1;
        Assert.InRange(ticks, 4, 7);
        Assert.EndsWith("%", options.YAxisToStringFunc!(options.YAxisTicks));
    }

    [Fact]
    public async Task Trend_chart_gives_each_platform_its_own_colour_and_the_median_a_dashed_grey_line()
    {
        var (page, data) = await RenderDashboardAsync();

        var trend = page.FindComponent<DefaultRateTrend>();
        var chart = trend.FindComponent<MudChart<double>>().Instance;
        var palette = chart.ChartOptions!.ChartPalette;
        Assert.Equal(data.Platforms.Count + 1, chart.ChartSeries.Count);
        Assert.Equal("Industry median", chart.ChartSeries[^1].Name);
        Assert.Equal(ChartPalette.Reference, palette[chart.ChartSeries.Count - 1]);
        Assert.Equal(data.Platforms.Count, palette.Take(data.Platforms.Count).Distinct().Count());
        Assert.NotNull(trend.Find("[data-testid=trend-chart] .fp-chart-reference-last"));
        Assert.Contains("Dashed grey line: industry median of licence holders.", trend.Find("[data-testid=trend-chart]").TextContent);
        Assert.All(chart.ChartSeries, s => Assert.Equal(PercentChart.TooltipValueFormat, s.TooltipYValueFormat));
    }

    [Fact]
    public async Task Vintage_chart_axis_fits_the_cumulative_defaults()
    {
        var (page, data) = await RenderDashboardAsync();

        var chart = page.FindComponent<VintageChart>().FindComponent<MudChart<double>>().Instance;
        var options = Assert.IsType<LineChartOptions>(chart.ChartOptions);
        var plotted = chart.ChartSeries.SelectMany(s => s.Data.Points).Where(p => p.HasValue).Max(p => p.Y);
        Assert.True(options.YAxisSuggestedMax >= plotted);
        Assert.True(plotted / options.YAxisSuggestedMax!.Value > 0.4);
        Assert.NotEqual(20, options.YAxisTicks);
    }
}

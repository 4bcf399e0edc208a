using FinancePortal.Application.Features.Scorecards;

namespace FinancePortal.UnitTests.Scorecards;

public class ScorecardCurveTests
{
    [Fact]
    public void A_curve_reads_back_as_it_was_written()
    {
        IReadOnlyList<Breakpoint> curve = [new(0m, 0m), new(0.5m, 60m), new(1000000m, 100m)];

        var text = ScorecardCurve.Format(curve);
        var parsed = ScorecardCurve.Parse(text);

        Assert.Equal("0:0, 0.5:60, 1000000:100", text);
        Assert.True(parsed.IsValid);
        Assert.Equal(curve, parsed.Points);
    }

    [Fact]
    public void Pairs_that_are_not_input_points_are_named_and_the_others_kept()
    {
        var parsed = ScorecardCurve.Parse(" 0:0 , fifty:60, 70, 80:1:2, 100:100 ,");

        Assert.False(parsed.IsValid);
        Assert.Equal(["fifty:60", "70", "80:1:2"], parsed.Invalid);
        Assert.Equal([new Breakpoint(0m, 0m), new Breakpoint(100m, 100m)], parsed.Points);
    }

    [Fact]
    public void Numbers_are_read_in_the_invariant_culture_whatever_the_users()
    {
        var previous = System.Globalization.CultureInfo.CurrentCulture;
        try
        {
            System.Globalization.CultureInfo.CurrentCulture = System.Globalization.CultureInfo.GetCultureInfo("de-DE");
            Assert.Equal([new Breakpoint(1.5m, 2.25m)], ScorecardCurve.Parse("1.5:2.25").Points);
            Assert.Equal("1.5:2.25", ScorecardCurve.Format([new Breakpoint(1.5m, 2.25m)]));
        }
        finally
        {
            System.Globalization.CultureInfo.CurrentCulture = previous;
        }
    }

    [Fact]
    public void An_empty_curve_has_no_points_and_no_errors()
    {
        var parsed = ScorecardCurve.Parse("  ");
        Assert.True(parsed.IsValid);
        Assert.Empty(parsed.Points);
    }
}

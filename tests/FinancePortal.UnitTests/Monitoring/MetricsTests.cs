using FinancePortal.Application.Domain;
using FinancePortal.Application.Features.Monitoring;

namespace FinancePortal.UnitTests.Monitoring;

/// <summary>The pure formulas of DOMAIN.md §5 (<see cref="Metrics"/>) on hand-computed figures.</summary>
public class MetricsTests
{
    [Fact]
    public void A_rate_over_zero_outstanding_is_null_never_zero()
    {
        // Only repaid and charged-off loans: rows exist but OB = 0.
        var f = new PortfolioFigures { Loans = 2, ChargeOffs = 250m, Recoveries = 10m };

        Assert.Null(Metrics.Ratio(5m, 0m));
        Assert.Equal(0m, Metrics.Ratio(0m, 5m));
        Assert.Null(Metrics.DefaultRate(f));
        Assert.Null(Metrics.Par(f, 30));
        Assert.Null(Metrics.Par(f, 60));
        Assert.Null(Metrics.Par(f, 90));
        Assert.Null(Metrics.NplRatio(f));
        Assert.Null(Metrics.NetChargeOffRate(f));
        Assert.Null(Metrics.OwnFundsShare(f));
        Assert.Null(Metrics.AbsShare(f));
        Assert.Null(Metrics.OwnShareOfCoLending(f));
        var set = MetricSet.Of(f);
        Assert.Equal((2L, 0m), (set.Loans, set.Outstanding));
        Assert.All(new[] { set.DefaultRate, set.Par30, set.Par60, set.Par90, set.NplRatio, set.NetChargeOffRate, set.OwnFundsShare, set.AbsShare }, v => Assert.Null(v));
    }

    [Fact]
    public void Par_default_and_npl_divide_their_numerators_by_outstanding()
    {
        var f = new PortfolioFigures
        {
            Outstanding = 8000m, Dpd30 = 5200m, Dpd60 = 4200m, Dpd90 = 1600m, Defaulted = 3600m,
            SpecialMention = 5100m, Substandard = 700m, Doubtful = 900m, Loss = 0m, OwnFunds = 2200m, BankCoLending = 1500m, Abs = 1700m,
        };

        Assert.Equal(0.65m, Metrics.Par(f, 30));        // 5200 / 8000
        Assert.Equal(0.525m, Metrics.Par(f, 60));       // 4200 / 8000
        Assert.Equal(0.2m, Metrics.Par(f, 90));         // 1600 / 8000
        Assert.Equal(0.45m, Metrics.DefaultRate(f));    // 3600 / 8000
        Assert.Equal(0.2m, Metrics.NplRatio(f));        // (700 + 900 + 0) / 8000; special mention is not NPL
        Assert.Equal(0.275m, Metrics.OwnFundsShare(f)); // 2200 / 8000
        Assert.Equal(0.2125m, Metrics.AbsShare(f));     // 1700 / 8000
        Assert.Equal(2200m / 3700m, Metrics.OwnShareOfCoLending(f)); // 2200 / (2200 + 1500)
        Assert.Throws<ArgumentOutOfRangeException>(() => Metrics.Par(f, 45));
    }

    [Fact]
    public void Net_charge_off_rate_is_annualised_net_of_recoveries_over_the_average_outstanding()
    {
        // 12 x (250 - 50) / 8000 = 2400 / 8000 = 0.3
        Assert.Equal(0.3m, Metrics.NetChargeOffRate(new PortfolioFigures { ChargeOffs = 250m, Recoveries = 50m, AverageOutstanding = 8000m, Outstanding = 1m }));

        // Recoveries only: negative. 12 x (0 - 50) / ((850 + 900) / 2 = 875) = -600 / 875
        Assert.Equal(-600m / 875m, Metrics.NetChargeOffRate(new PortfolioFigures { Recoveries = 50m, AverageOutstanding = 875m, Outstanding = 850m }));

        // The denominator is the stored average, not the month's OB: OB 0 this month, 500 the month before -> average 250.
        // 12 x 100 / 250 = 4.8
        Assert.Equal(4.8m, Metrics.NetChargeOffRate(new PortfolioFigures { ChargeOffs = 100m, AverageOutstanding = 250m }));

        // Summed products: averages add, so 12 x (2000 + 0 - 50) / (7325 + 875) = 23400 / 8200.
        var platform = Metrics.Sum([
            new PortfolioFigures { ChargeOffs = 2000m, AverageOutstanding = 7325m },
            new PortfolioFigures { Recoveries = 50m, AverageOutstanding = 875m },
        ]);
        Assert.Equal(23400m / 8200m, Metrics.NetChargeOffRate(platform));
    }

    [Fact]
    public void Median_is_the_middle_value_or_the_mean_of_the_middle_two()
    {
        Assert.Null(Metrics.Median([]));
        Assert.Equal(0.7m, Metrics.Median([0.7m]));
        Assert.Equal(0.2m, Metrics.Median([0.3m, 0.1m, 0.2m]));
        Assert.Equal(0.25m, Metrics.Median([0.4m, 0.1m, 0.3m, 0.2m]));   // (0.2 + 0.3) / 2
        Assert.Equal(0.25m, Metrics.Median([0.2m, 0.4m, 0.2m, 0.3m]));   // sorted 0.2 0.2 0.3 0.4 -> (0.2 + 0.3) / 2
        Assert.Equal(0m, Metrics.Median([0.72m, 0m, 0m, 0m]));           // (0 + 0) / 2
        Assert.Equal(-0.5m, Metrics.Median([-1m, 0m]));
    }

    [Fact]
    public void Percent_rank_counts_peers_strictly_lower_over_n_minus_one()
    {
        decimal[] peers = [0.1m, 0.2m, 0.3m, 0.4m];
        Assert.Equal(0m, Metrics.PercentRank(0.1m, peers));
        Assert.Equal(33.33m, Metrics.PercentRank(0.2m, peers));   // 100 x 1 / 3
        Assert.Equal(66.67m, Metrics.PercentRank(0.3m, peers));   // 100 x 2 / 3, rounded
        Assert.Equal(100m, Metrics.PercentRank(0.4m, peers));     // 100 x 3 / 3

        // Ties: neither of two equal values is strictly lower than the other.
        decimal[] tied = [0.2m, 0.2m, 0.3m, 0.4m];
        Assert.Equal(0m, Metrics.PercentRank(0.2m, tied));
        Assert.Equal(66.67m, Metrics.PercentRank(0.3m, tied));
        Assert.Equal(0m, Metrics.PercentRank(0m, [0m, 0m, 0m, 0.72m]));
        Assert.Equal(100m, Metrics.PercentRank(0.72m, [0m, 0m, 0m, 0.72m]));

        // One peer: 0, never a division by zero.
        Assert.Equal(0m, Metrics.PercentRank(0.4m, [0.4m]));
        Assert.Equal(50m, Metrics.PercentRank(0.3m, [0.1m, 0.2m, 0.3m, 0.3m, 0.5m])); // 2 lower of 4 others
    }

    [Fact]
    public void Cure_rate_is_the_current_share_of_delinquent_balance_including_loans_not_reported()
    {
        RollRateCell Cell(DelinquencyBucket from, DelinquencyBucket to, decimal balance) => new() { From = from, To = to, Balance = balance };
        var cells = new[]
        {
            Cell(DelinquencyBucket.Current, DelinquencyBucket.Current, 1000m),       // not delinquent at t-1: ignored
            Cell(DelinquencyBucket.Dpd1To29, DelinquencyBucket.Current, 450m),       // cured
            Cell(DelinquencyBucket.Dpd30To59, DelinquencyBucket.Current, 50m),       // cured
            Cell(DelinquencyBucket.Dpd60To89, DelinquencyBucket.Dpd90Plus, 550m),
            Cell(DelinquencyBucket.Dpd30To59, DelinquencyBucket.NotReported, 100m),  // counts in the denominator
            Cell(DelinquencyBucket.Dpd30To59, DelinquencyBucket.Repaid, 150m),       // repaid is not cured
            Cell(DelinquencyBucket.Dpd90Plus, DelinquencyBucket.Current, 500m),      // 90+ is not 1-89: ignored
        };

        // (450 + 50) / (450 + 50 + 550 + 100 + 150) = 500 / 1300
        Assert.Equal(500m / 1300m, Metrics.CureRate(cells));
        Assert.Null(Metrics.CureRate(cells.Where(c => c.From is DelinquencyBucket.Current or DelinquencyBucket.Dpd90Plus)));
        Assert.Null(Metrics.CureRate([]));
    }

    [Theory]
    [InlineData("CURRENT", 0, DelinquencyBucket.Current)]
    [InlineData("DELINQUENT", 1, DelinquencyBucket.Dpd1To29)]
    [InlineData("DELINQUENT", 29, DelinquencyBucket.Dpd1To29)]
    [InlineData("DELINQUENT", 30, DelinquencyBucket.Dpd30To59)]
    [InlineData("DELINQUENT", 59, DelinquencyBucket.Dpd30To59)]
    [InlineData("DELINQUENT", 60, DelinquencyBucket.Dpd60To89)]
    [InlineData("DELINQUENT", 89, DelinquencyBucket.Dpd60To89)]
    [InlineData("DEFAULTED", 90, DelinquencyBucket.Dpd90Plus)]
    [InlineData("DEFAULTED", 400, DelinquencyBucket.Dpd90Plus)]
    [InlineData("CHARGED_OFF", 200, DelinquencyBucket.ChargedOff)]
    [InlineData("CHARGED_OFF", 0, DelinquencyBucket.ChargedOff)]
    [InlineData("REPAID", 0, DelinquencyBucket.Repaid)]
    [InlineData("REPAID", 45, DelinquencyBucket.Repaid)]
    public void Roll_bucket_is_status_first_then_days_past_due(string status, int dpd, DelinquencyBucket expected) =>
        Assert.Equal(expected, Metrics.Bucket(status, dpd));

    [Fact]
    public void Sum_adds_every_figure()
    {
        var properties = typeof(PortfolioFigures).GetProperties();
        PortfolioFigures Make(int seed)
        {
            var f = new PortfolioFigures();
            for (var i = 0; i < properties.Length; i++)
            {
                var value = seed * 100 + i + 1;
                properties[i].SetValue(f, properties[i].PropertyType == typeof(long) ? (object)(long)value : (decimal)value + 0.25m);
            }

            return f;
        }

        var total = Metrics.Sum([Make(1), Make(2), Make(3)]);
        for (var i = 0; i < properties.Length; i++)
        {
            // (100 + 200 + 300) + 3 x (i + 1), plus 3 x 0.25 for decimals.
            var expected = 600 + 3 * (i + 1);
            var actual = Convert.ToDecimal(properties[i].GetValue(total));
            Assert.True(actual == (properties[i].PropertyType == typeof(long) ? expected : expected + 0.75m), $"{properties[i].Name} = {actual}");
        }

        Assert.Equal(0m, Metrics.Sum([]).Outstanding);
    }
}

using FinancePortal.Application;
using FinancePortal.Application.Domain;
using FinancePortal.Application.Features.Applications;
using FinancePortal.Application.Features.Scorecards;

namespace FinancePortal.UnitTests.Scorecards;

public class ScorecardEngineTests
{
    private static readonly ScorecardDefinition Default = ScorecardDefaults.Definition;

    /// <summary>Inputs that pass every knock-out with room to spare.</summary>
    public static ApplicationInputs Passing() => new()
    {
        RegisteredCapital = 2_000_000_000m, PaidInCapital = 2_000_000_000m, NetAssets = 3_000_000_000m,
        NonStandardFinancing = 1_000_000_000m, BondsAndAbsOutstanding = 2_000_000_000m, LendsOutsideHomeProvince = false,
        MaxLoanPerBorrower = 200_000m, FundingOwnFundsPct = 40, FundingBankCoLendingPct = 30, FundingAbsPct = 30, OwnShareOfCoLentLoansPct = 35,
        YearsOperating = 5, ActiveBorrowers = 2_000_000, LoanBalance = 12_000_000_000m, LoanBalancePriorYear = 10_000_000_000m,
        DefaultRate90Pct = 2m, RiskControlStaff = 200, CreditReportingConnected = true, SecurityCertified = true,
        ComplaintsPer10kBorrowers = 5m, SystemAvailabilityPct = 99.9m, RiskEducationProgramme = true, BusinessPlan = new string('x', 60),
    };

    private static KnockoutResult Knockout(ApplicationInputs inputs, string key) =>
        ScorecardEngine.Evaluate(Default, inputs).Knockouts.Single(k => k.Key == key);

    [Fact]
    public void Passing_inputs_pass_every_knockout() =>
        Assert.All(ScorecardEngine.Evaluate(Default, Passing()).Knockouts, k => Assert.True(k.Passed, k.Rule));

    [Theory]
    [InlineData(false, "999999999.99", false)]
    [InlineData(false, "1000000000.00", true)]
    [InlineData(true, "4999999999.99", false)]
    [InlineData(true, "5000000000.00", true)]
    public void Registered_capital_knockout_depends_on_cross_province_lending(bool crossProvince, string capital, bool passes)
    {
        var inputs = Passing();
        inputs.LendsOutsideHomeProvince = crossProvince;
        inputs.RegisteredCapital = inputs.PaidInCapital = decimal.Parse(capital, System.Globalization.CultureInfo.InvariantCulture);
        var result = Knockout(inputs, "RegisteredCapital");
        Assert.Equal(passes, result.Passed);
        Assert.Equal(crossProvince ? ">= ¥5,000,000,000.00" : ">= ¥1,000,000,000.00", result.Threshold);
    }

    [Theory]
    [InlineData("1999999999.99", false)]
    [InlineData("2000000000.00", true)]
    [InlineData("2000000000.01", false)]
    public void Paid_in_must_equal_registered(string paidIn, bool passes)
    {
        var inputs = Passing();
        inputs.PaidInCapital = decimal.Parse(paidIn, System.Globalization.CultureInfo.InvariantCulture);
        Assert.Equal(passes, Knockout(inputs, "PaidInCapital").Passed);
    }

    [Theory]
    [InlineData("NonStandardFinancing", "3000000000.00", true)]
    [InlineData("NonStandardFinancing", "3000000000.01", false)]
    [InlineData("BondsAndAbs", "12000000000.00", true)]
    [InlineData("BondsAndAbs", "12000000000.01", false)]
    public void Leverage_knockouts_are_multiples_of_net_assets(string key, string amount, bool passes)
    {
        var inputs = Passing();
        var value = decimal.Parse(amount, System.Globalization.CultureInfo.InvariantCulture);
        if (key == "NonStandardFinancing")
        {
            inputs.NonStandardFinancing = value;
        }
        else
        {
            inputs.BondsAndAbsOutstanding = value;
        }

        Assert.Equal(passes, Knockout(inputs, key).Passed);
    }

    [Theory]
    [InlineData("29.99", false)]
    [InlineData("30", true)]
    public void Own_share_of_co_lent_loans_at_least_30_percent(string share, bool passes)
    {
        var inputs = Passing();
        inputs.OwnShareOfCoLentLoansPct = decimal.Parse(share, System.Globalization.CultureInfo.InvariantCulture);
        Assert.Equal(passes, Knockout(inputs, "OwnCoLendingShare").Passed);
    }

    [Theory]
    [InlineData("300000.00", true)]
    [InlineData("300000.01", false)]
    public void Loan_per_borrower_at_most_300000(string max, bool passes)
    {
        var inputs = Passing();
        inputs.MaxLoanPerBorrower = decimal.Parse(max, System.Globalization.CultureInfo.InvariantCulture);
        Assert.Equal(passes, Knockout(inputs, "MaxLoanPerBorrower").Passed);
    }

    [Fact]
    public void Credit_reporting_and_security_certification_are_required()
    {
        var inputs = Passing();
        inputs.CreditReportingConnected = false;
        inputs.SecurityCertified = false;
        Assert.False(Knockout(inputs, "CreditReporting").Passed);
        Assert.False(Knockout(inputs, "SecurityCertification").Passed);
    }

    [Fact]
    public void A_failed_knockout_gives_band_Fail_whatever_the_score()
    {
        var inputs = Passing();
        inputs.MaxLoanPerBorrower = 500_000m;
        var result = ScorecardEngine.Evaluate(Default, inputs);
        Assert.Equal(Band.Fail, result.Band);
        Assert.True(result.TotalScore > 0);
        Assert.StartsWith("Reject", result.Recommendation);
    }

    [Theory]
    [InlineData("-1", "100")]
    [InlineData("0", "100")]
    [InlineData("1", "90")]
    [InlineData("2", "80")]
    [InlineData("3.5", "60")]
    [InlineData("10", "0")]
    [InlineData("50", "0")]
    public void Piecewise_linear_rule_interpolates_and_is_flat_outside(string x, string expected)
    {
        var curve = new[] { new Breakpoint(0, 100), new Breakpoint(2, 80), new Breakpoint(5, 40), new Breakpoint(10, 0) };
        var (points, explanation) = ScorecardEngine.Interpolate(curve, decimal.Parse(x, System.Globalization.CultureInfo.InvariantCulture));
        Assert.Equal(decimal.Parse(expected, System.Globalization.CultureInfo.InvariantCulture), points);
        Assert.Contains("pts", explanation);
    }

    [Fact]
    public void Each_criterion_rule_is_computed_by_hand()
    {
        var result = ScorecardEngine.Evaluate(Default, Passing());
        decimal Points(string criterion) => result.Criteria.Single(c => c.Key == criterion).Points;

        // Risk control: default 2% -> 80; staff 200 per 2,000,000 = 10 per 100k -> 50 + (10-5)/15*50 = 66.67; 60/40 -> 74.67
        Assert.Equal(74.67m, Points(ScorecardDefaults.RiskControl));
        // Operating stability: 5 years -> 60 + 2/5*40 = 76; 99.9% -> 80; 5 complaints -> 60; 40/30/30 -> 72.4
        Assert.Equal(72.40m, Points(ScorecardDefaults.OperatingStability));
        // Business situation: growth 20% -> 80 + 5/25*20 = 84; net assets 3bn -> 50 + 2/4*50 = 75; 50/50 -> 79.5
        Assert.Equal(79.50m, Points(ScorecardDefaults.BusinessSituation));
        // Core competitiveness: 2,000,000 borrowers -> 50 + 1/9*50 = 55.56; reporting 100; certification 100 -> 60/20/20 = 73.34
        Assert.Equal(73.34m, Points(ScorecardDefaults.CoreCompetitiveness));
        // Funding diversity: 3 channels -> 70; largest 40% -> 100; -> 85
        Assert.Equal(85m, Points(ScorecardDefaults.FundingDiversity));
        // Consumer protection: education 100; complaints 5 -> 60 -> 80
        Assert.Equal(80m, Points(ScorecardDefaults.ConsumerProtection));

        // Weighted: 74.67*.25 + 72.4*.2 + 79.5*.15 + 73.34*.15 + 85*.15 + 80*.1
        Assert.Equal(Math.Round(18.67m + 14.48m + 11.93m + 11.00m + 12.75m + 8.00m, 2), result.TotalScore);
        Assert.Equal(Band.B, result.Band);
    }

    [Theory]
    [InlineData("80", Band.A)]
    [InlineData("79.99", Band.B)]
    [InlineData("60", Band.B)]
    [InlineData("59.99", Band.C)]
    public void Bands_follow_the_limits(string score, Band band) =>
        Assert.Equal(band, ScorecardEngine.BandFor(Default, decimal.Parse(score, System.Globalization.CultureInfo.InvariantCulture)));

    [Fact]
    public void Explanations_name_inputs_points_and_the_rule()
    {
        var factor = ScorecardEngine.Evaluate(Default, Passing()).Criteria.Single(c => c.Key == ScorecardDefaults.RiskControl).Factors[0];
        Assert.Equal(ScoringInputs.DefaultRate, factor.Input);
        Assert.Equal(2m, factor.Value);
        Assert.Equal(80m, factor.Points);
        Assert.Contains("2% = 80 pts", factor.Rule);
        Assert.Contains("-> 80 pts", factor.Explanation);
    }

    [Fact]
    public void Scoring_is_deterministic() =>
        Assert.Equal(System.Text.Json.JsonSerializer.Serialize(ScorecardEngine.Evaluate(Default, Passing())),
            System.Text.Json.JsonSerializer.Serialize(ScorecardEngine.Evaluate(Default, Passing())));

    [Fact]
    public void The_default_weights_total_100_percent_and_validate() => Assert.Empty(ScorecardValidator.Validate(Default));

    [Fact]
    public void Weights_that_do_not_total_100_are_refused_with_the_total()
    {
        var bad = Default with { Criteria = Default.Criteria.Select((c, i) => i == 0 ? c with { WeightPct = 30 } : c).ToList() };
        Assert.Equal("Criterion weights must total 100 %; they total 105 %.", ScorecardValidator.Validate(bad)["Weights"]);
    }

    [Fact]
    public void Unordered_breakpoints_and_unknown_inputs_are_refused()
    {
        var criterion = Default.Criteria[0] with { Factors = [new FactorRule("Nope", 50, [new(0, 0), new(1, 100)]), new FactorRule(ScoringInputs.DefaultRate, 50, [new(5, 0), new(1, 100)])] };
        var errors = ScorecardValidator.Validate(Default with { Criteria = [criterion, .. Default.Criteria.Skip(1)] });
        Assert.Contains(errors.Values, e => e.Contains("unknown input 'Nope'"));
        Assert.Contains(errors.Values, e => e.Contains("strictly increasing"));
    }
}

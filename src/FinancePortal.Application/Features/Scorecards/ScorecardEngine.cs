using System.Globalization;
using FinancePortal.Application.Domain;

namespace FinancePortal.Application.Features.Scorecards;

/// <summary>Evaluates a scorecard over application inputs. Pure and deterministic: same definition and inputs, same result.</summary>
public static class ScorecardEngine
{
    private static readonly CultureInfo Inv = CultureInfo.InvariantCulture;

    public static ScoreResult Evaluate(ScorecardDefinition definition, ApplicationInputs inputs)
    {
        var knockouts = EvaluateKnockouts(definition.Knockouts, inputs);
        var criteria = definition.Criteria.Select(c => EvaluateCriterion(c, inputs)).ToList();
        var total = Math.Round(criteria.Sum(c => c.WeightedPoints), 2, MidpointRounding.AwayFromZero);
        var band = knockouts.All(k => k.Passed) ? BandFor(definition, total) : Band.Fail;
        return new ScoreResult(knockouts, criteria, total, band, Recommendation(band));
    }

    /// <summary>
    /// Scores one application version with one scorecard version and returns the record to store; the application's
    /// latest band and score follow it.
    /// </summary>
    public static Scoring Score(AccessApplication application, ApplicationVersion version, ScorecardVersion scorecard, string scoredBy, DateTime scoredUtc)
    {
        var result = Evaluate(scorecard.Definition, version.Inputs);
        application.LatestBand = result.Band;
        application.LatestScore = result.TotalScore;
        return new Scoring
        {
            ApplicationId = application.Id,
            PlatformId = application.PlatformId,
            ApplicationVersionId = version.Id,
            ApplicationVersionNumber = version.Number,
            ScorecardVersionId = scorecard.Id,
            ScorecardVersionNumber = scorecard.Number,
            TotalScore = result.TotalScore,
            Band = result.Band,
            Result = result,
            ScoredBy = scoredBy,
            ScoredUtc = scoredUtc,
        };
    }

    public static Band BandFor(ScorecardDefinition definition, decimal score) =>
        score >= definition.BandAMin ? Band.A : score >= definition.BandBMin ? Band.B : Band.C;

    public static string Recommendation(Band band) => band switch
    {
        Band.A => "Recommend approval.",
        Band.B => "Recommend conditional approval.",
        Band.C => "Recommend rejection.",
        _ => "Reject: at least one knock-out rule failed.",
    };

    public static IReadOnlyList<KnockoutResult> EvaluateKnockouts(KnockoutRules rules, ApplicationInputs i)
    {
        var minCapital = i.LendsOutsideHomeProvince ? rules.MinRegisteredCapitalCrossProvince : rules.MinRegisteredCapital;
        var results = new List<KnockoutResult>
        {
            new("RegisteredCapital",
                i.LendsOutsideHomeProvince ? "Registered capital for lending outside the home province" : "Registered capital",
                Money(i.RegisteredCapital), $">= {Money(minCapital)}", i.RegisteredCapital >= minCapital),
        };
        if (rules.PaidInMustEqualRegistered)
        {
            results.Add(new("PaidInCapital", "Paid-in capital equals registered capital", Money(i.PaidInCapital), $"= {Money(i.RegisteredCapital)}", i.PaidInCapital == i.RegisteredCapital));
        }

        var nonStandardLimit = rules.MaxNonStandardFinancingMultiple * i.NetAssets;
        results.Add(new("NonStandardFinancing", $"Bank and shareholder loans at most {Num(rules.MaxNonStandardFinancingMultiple)} x net assets",
            Money(i.NonStandardFinancing), $"<= {Money(nonStandardLimit)}", i.NetAssets > 0 && i.NonStandardFinancing <= nonStandardLimit));
        var bondsLimit = rules.MaxBondsAbsMultiple * i.NetAssets;
        results.Add(new("BondsAndAbs", $"Bonds and ABS outstanding at most {Num(rules.MaxBondsAbsMultiple)} x net assets",
            Money(i.BondsAndAbsOutstanding), $"<= {Money(bondsLimit)}", i.NetAssets > 0 && i.BondsAndAbsOutstanding <= bondsLimit));
        results.Add(new("OwnCoLendingShare", "Own funding share of each co-lent loan",
            $"{Num(i.OwnShareOfCoLentLoansPct)}%", $">= {Num(rules.MinOwnCoLendingSharePct)}%", i.OwnShareOfCoLentLoansPct >= rules.MinOwnCoLendingSharePct));
        results.Add(new("MaxLoanPerBorrower", "Maximum loan per individual borrower",
            Money(i.MaxLoanPerBorrower), $"<= {Money(rules.MaxLoanPerBorrower)}", i.MaxLoanPerBorrower <= rules.MaxLoanPerBorrower));
        if (rules.RequireCreditReporting)
        {
            results.Add(new("CreditReporting", "Connected to credit reporting", YesNo(i.CreditReportingConnected), "yes", i.CreditReportingConnected));
        }

        if (rules.RequireSecurityCertification)
        {
            results.Add(new("SecurityCertification", "Information-security certification (e.g. MLPS level 3)", YesNo(i.SecurityCertified), "yes", i.SecurityCertified));
        }

        return results;
    }

    private static CriterionResult EvaluateCriterion(CriterionRule rule, ApplicationInputs inputs)
    {
        var factors = rule.Factors.Select(f => EvaluateFactor(f, inputs)).ToList();
        var subWeights = rule.Factors.Sum(f => f.SubWeightPct);
        var points = subWeights == 0 ? 0m : Math.Round(factors.Sum(f => f.Points * f.SubWeightPct) / subWeights, 2, MidpointRounding.AwayFromZero);
        return new CriterionResult(rule.Key, rule.WeightPct, points, Math.Round(points * rule.WeightPct / 100m, 2, MidpointRounding.AwayFromZero), factors);
    }

    private static FactorResult EvaluateFactor(FactorRule rule, ApplicationInputs inputs)
    {
        var input = ScoringInputs.Get(rule.Input);
        var value = input.Read(inputs);
        var (points, explanation) = Interpolate(rule.Curve, value);
        return new FactorResult(input.Key, input.Label, value, input.Unit, rule.SubWeightPct, points, DescribeCurve(rule.Curve, input.Unit), explanation);
    }

    /// <summary>Points on a piecewise-linear curve; flat beyond the first and last breakpoints.</summary>
    public static (decimal Points, string Explanation) Interpolate(IReadOnlyList<Breakpoint> curve, decimal x)
    {
        if (curve.Count == 0)
        {
            return (0m, "no rule: 0 pts");
        }

        if (x <= curve[0].X)
        {
            return (curve[0].Points, $"at or below {Num(curve[0].X)} -> {Num(curve[0].Points)} pts");
        }

        for (var k = 1; k < curve.Count; k++)
        {
            var (a, b) = (curve[k - 1], curve[k]);
            if (x <= b.X)
            {
                var points = b.X == a.X ? b.Points : a.Points + (b.Points - a.Points) * (x - a.X) / (b.X - a.X);
                points = Math.Round(points, 2, MidpointRounding.AwayFromZero);
                return (points, $"between {Num(a.X)} ({Num(a.Points)} pts) and {Num(b.X)} ({Num(b.Points)} pts) -> {Num(points)} pts");
            }
        }

        var last = curve[^1];
        return (last.Points, $"at or above {Num(last.X)} -> {Num(last.Points)} pts");
    }

    public static string DescribeCurve(IReadOnlyList<Breakpoint> curve, string unit) =>
        "Linear between " + string.Join(", ", curve.Select(b => $"{Num(b.X)}{(unit is "%" ? "%" : "")} = {Num(b.Points)} pts")) + "; flat outside.";

    private static string Money(decimal amount) => "¥" + amount.ToString("#,##0.00", Inv);

    private static string Num(decimal value) => value.ToString("#,##0.##", Inv);

    private static string YesNo(bool value) => value ? "yes" : "no";
}

using FinancePortal.Application.Domain;

namespace FinancePortal.Application.Features.Scorecards;

/// <summary>The full, explainable outcome of one scoring; stored with the scoring so it stays readable.</summary>
public sealed record ScoreResult(
    IReadOnlyList<KnockoutResult> Knockouts,
    IReadOnlyList<CriterionResult> Criteria,
    decimal TotalScore,
    Band Band,
    string Recommendation)
{
    public bool KnockoutsPassed => Knockouts.All(k => k.Passed);
}

/// <summary>One knock-out: the rule in words, the input, the threshold, pass or fail.</summary>
public sealed record KnockoutResult(string Key, string Rule, string Input, string Threshold, bool Passed);

public sealed record CriterionResult(string Key, decimal WeightPct, decimal Points, decimal WeightedPoints, IReadOnlyList<FactorResult> Factors);

/// <summary>One factor: its input value, sub-weight, points and the rule applied, in words.</summary>
public sealed record FactorResult(string Input, string Label, decimal Value, string Unit, decimal SubWeightPct, decimal Points, string Rule, string Explanation);

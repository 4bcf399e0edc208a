using FinancePortal.Application.Domain;

namespace FinancePortal.Application.Features.Scorecards;

/// <summary>A scorecard: knock-out rules, weighted criteria made of piecewise-linear factor rules, and band limits.</summary>
public sealed record ScorecardDefinition
{
    public KnockoutRules Knockouts { get; init; } = new();

    public IReadOnlyList<CriterionRule> Criteria { get; init; } = [];

    /// <summary>Score from which band A (recommend approval) starts.</summary>
    public decimal BandAMin { get; init; } = 80m;

    /// <summary>Score from which band B (recommend conditional approval) starts; below it band C (recommend rejection).</summary>
    public decimal BandBMin { get; init; } = 60m;
}

/// <summary>Knock-outs: failing any one gives band Fail whatever the score (2020 draft Interim Measures for Online Small Loans).</summary>
public sealed record KnockoutRules
{
    public decimal MinRegisteredCapital { get; init; } = 1_000_000_000m;

    public decimal MinRegisteredCapitalCrossProvince { get; init; } = 5_000_000_000m;

    public bool PaidInMustEqualRegistered { get; init; } = true;

    /// <summary>Non-standard financing (bank and shareholder loans) at most this multiple of net assets.</summary>
    public decimal MaxNonStandardFinancingMultiple { get; init; } = 1m;

    /// <summary>Bonds and ABS outstanding at most this multiple of net assets.</summary>
    public decimal MaxBondsAbsMultiple { get; init; } = 4m;

    public decimal MinOwnCoLendingSharePct { get; init; } = 30m;

    public decimal MaxLoanPerBorrower { get; init; } = 300_000m;

    public bool RequireCreditReporting { get; init; } = true;

    public bool RequireSecurityCertification { get; init; } = true;
}

/// <summary>A weighted criterion; its 0-100 points are the sub-weighted average of its factors' points.</summary>
public sealed record CriterionRule(string Key, decimal WeightPct, IReadOnlyList<FactorRule> Factors);

/// <summary>One input scored 0-100 along a piecewise-linear curve of breakpoints (X ascending).</summary>
public sealed record FactorRule(string Input, decimal SubWeightPct, IReadOnlyList<Breakpoint> Curve);

public sealed record Breakpoint(decimal X, decimal Points);

namespace FinancePortal.Application.Features.Scorecards;

/// <summary>Checks a scorecard definition before it is saved or activated.</summary>
public static class ScorecardValidator
{
    public static Dictionary<string, string> Validate(ScorecardDefinition definition)
    {
        var errors = new Dictionary<string, string>();
        var total = definition.Criteria.Sum(c => c.WeightPct);
        if (total != 100m)
        {
            errors["Weights"] = $"Criterion weights must total 100 %; they total {total:0.##} %.";
        }

        foreach (var criterion in definition.Criteria)
        {
            if (criterion.WeightPct < 0)
            {
                errors[$"{criterion.Key}.Weight"] = $"{criterion.Key}: a weight cannot be negative.";
            }

            if (criterion.Factors.Count == 0)
            {
                errors[$"{criterion.Key}.Factors"] = $"{criterion.Key}: add at least one factor.";
            }

            var subTotal = criterion.Factors.Sum(f => f.SubWeightPct);
            if (criterion.Factors.Count > 0 && subTotal != 100m)
            {
                errors[$"{criterion.Key}.SubWeights"] = $"{criterion.Key}: factor weights must total 100 %; they total {subTotal:0.##} %.";
            }

            foreach (var factor in criterion.Factors)
            {
                var key = $"{criterion.Key}.{factor.Input}";
                if (!ScoringInputs.Exists(factor.Input))
                {
                    errors[key] = $"{criterion.Key}: unknown input '{factor.Input}'.";
                }
                else if (factor.Curve.Count < 2)
                {
                    errors[key] = $"{criterion.Key} / {factor.Input}: a rule needs at least two breakpoints.";
                }
                else if (factor.Curve.Zip(factor.Curve.Skip(1)).Any(p => p.Second.X <= p.First.X))
                {
                    errors[key] = $"{criterion.Key} / {factor.Input}: breakpoints must have strictly increasing inputs.";
                }
                else if (factor.Curve.Any(b => b.Points is < 0 or > 100))
                {
                    errors[key] = $"{criterion.Key} / {factor.Input}: points must lie between 0 and 100.";
                }
            }
        }

        if (definition.BandBMin >= definition.BandAMin || definition.BandBMin < 0 || definition.BandAMin > 100)
        {
            errors["Bands"] = "Band limits must satisfy 0 <= B < A <= 100.";
        }

        var k = definition.Knockouts;
        if (k.MinRegisteredCapital < 0 || k.MinRegisteredCapitalCrossProvince < k.MinRegisteredCapital)
        {
            errors["Knockouts.Capital"] = "The cross-province capital minimum must be at least the home-province minimum, and neither negative.";
        }

        if (k.MaxNonStandardFinancingMultiple < 0 || k.MaxBondsAbsMultiple < 0 || k.MaxLoanPerBorrower < 0 || k.MinOwnCoLendingSharePct is < 0 or > 100)
        {
            errors["Knockouts.Limits"] = "Knock-out limits cannot be negative, and the co-lending share is a percentage (0-100).";
        }

        return errors;
    }
}

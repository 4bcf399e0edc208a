using FinancePortal.Application.Features.Scorecards;

namespace FinancePortal.Web.Components.Pages.Scorecards;

/// <summary>A scorecard definition as the editor's fields hold it (curves as typed text).</summary>
public sealed class ScorecardDraft
{
    public EditableKnockouts Knockouts { get; set; } = new();

    public List<EditableCriterion> Criteria { get; set; } = [];

    public decimal BandAMin { get; set; }

    public decimal BandBMin { get; set; }

    public static ScorecardDraft From(ScorecardDefinition d) => new()
    {
        Knockouts = EditableKnockouts.From(d.Knockouts),
        BandAMin = d.BandAMin,
        BandBMin = d.BandBMin,
        Criteria = d.Criteria.Select(c => new EditableCriterion
        {
            Key = c.Key,
            Weight = c.WeightPct,
            Factors = c.Factors.Select(f => new EditableFactor { Input = f.Input, SubWeight = f.SubWeightPct, Curve = ScorecardCurve.Format(f.Curve) }).ToList(),
        }).ToList(),
    };

    /// <summary>
    /// The definition, or null with <paramref name="errors"/> keyed "criterion.input" when a curve has pairs that
    /// are not input:points (<paramref name="describe"/> words the message for a criterion and the bad pair).
    /// </summary>
    public ScorecardDefinition? Build(Func<string, string, string> describe, out Dictionary<string, string> errors)
    {
        errors = [];
        var criteria = new List<CriterionRule>();
        foreach (var c in Criteria)
        {
            var factors = new List<FactorRule>();
            foreach (var f in c.Factors)
            {
                var curve = ScorecardCurve.Parse(f.Curve);
                foreach (var bad in curve.Invalid)
                {
                    errors[$"{c.Key}.{f.Input}"] = describe(c.Key, bad);
                }

                factors.Add(new FactorRule(f.Input, f.SubWeight, curve.Points));
            }

            criteria.Add(new CriterionRule(c.Key, c.Weight, factors));
        }

        return errors.Count > 0 ? null : new ScorecardDefinition { Knockouts = Knockouts.ToRules(), Criteria = criteria, BandAMin = BandAMin, BandBMin = BandBMin };
    }
}

public sealed class EditableCriterion
{
    public string Key { get; set; } = "";
    public decimal Weight { get; set; }
    public List<EditableFactor> Factors { get; set; } = [];
}

public sealed class EditableFactor
{
    public string Input { get; set; } = "";
    public decimal SubWeight { get; set; }
    public string Curve { get; set; } = "";
}

public sealed class EditableKnockouts
{
    public decimal MinRegisteredCapital { get; set; }
    public decimal MinRegisteredCapitalCrossProvince { get; set; }
    public bool PaidInMustEqualRegistered { get; set; }
    public decimal MaxNonStandardFinancingMultiple { get; set; }
    public decimal MaxBondsAbsMultiple { get; set; }
    public decimal MinOwnCoLendingSharePct { get; set; }
    public decimal MaxLoanPerBorrower { get; set; }
    public bool RequireCreditReporting { get; set; }
    public bool RequireSecurityCertification { get; set; }

    public static EditableKnockouts From(KnockoutRules k) => new()
    {
        MinRegisteredCapital = k.MinRegisteredCapital, MinRegisteredCapitalCrossProvince = k.MinRegisteredCapitalCrossProvince,
        PaidInMustEqualRegistered = k.PaidInMustEqualRegistered, MaxNonStandardFinancingMultiple = k.MaxNonStandardFinancingMultiple,
        MaxBondsAbsMultiple = k.MaxBondsAbsMultiple, MinOwnCoLendingSharePct = k.MinOwnCoLendingSharePct, MaxLoanPerBorrower = k.MaxLoanPerBorrower,
        RequireCreditReporting = k.RequireCreditReporting, RequireSecurityCertification = k.RequireSecurityCertification,
    };

    public KnockoutRules ToRules() => new()
    {
        MinRegisteredCapital = MinRegisteredCapital, MinRegisteredCapitalCrossProvince = MinRegisteredCapitalCrossProvince,
        PaidInMustEqualRegistered = PaidInMustEqualRegistered, MaxNonStandardFinancingMultiple = MaxNonStandardFinancingMultiple,
        MaxBondsAbsMultiple = MaxBondsAbsMultiple, MinOwnCoLendingSharePct = MinOwnCoLendingSharePct, MaxLoanPerBorrower = MaxLoanPerBorrower,
        RequireCreditReporting = RequireCreditReporting, RequireSecurityCertification = RequireSecurityCertification,
    };
}

using FinancePortal.Application.Domain;

namespace FinancePortal.Application.Features.Applications;

/// <summary>Field rules for <see cref="ApplicationInputs"/>; messages name the field and its unit.</summary>
public static class ApplicationValidator
{
    public const int MaxBusinessPlanLength = 20_000;

    /// <summary>Checks what a draft may hold (types and ranges). Submission additionally needs <see cref="ValidateForSubmission"/>.</summary>
    public static Dictionary<string, string> Validate(ApplicationInputs i)
    {
        var e = new Dictionary<string, string>();
        e.AddMoneyError(nameof(i.RegisteredCapital), "Registered capital", i.RegisteredCapital);
        e.AddMoneyError(nameof(i.PaidInCapital), "Paid-in capital", i.PaidInCapital);
        e.AddMoneyError(nameof(i.NetAssets), "Net assets", i.NetAssets);
        e.AddMoneyError(nameof(i.NonStandardFinancing), "Non-standard financing", i.NonStandardFinancing);
        e.AddMoneyError(nameof(i.BondsAndAbsOutstanding), "Bonds and ABS outstanding", i.BondsAndAbsOutstanding);
        e.AddMoneyError(nameof(i.MaxLoanPerBorrower), "Maximum loan per borrower", i.MaxLoanPerBorrower);
        e.AddMoneyError(nameof(i.LoanBalance), "Loan balance", i.LoanBalance);
        e.AddMoneyError(nameof(i.LoanBalancePriorYear), "Loan balance a year earlier", i.LoanBalancePriorYear);
        Percent(e, nameof(i.FundingOwnFundsPct), "Own funds share", i.FundingOwnFundsPct);
        Percent(e, nameof(i.FundingBankCoLendingPct), "Bank co-lending share", i.FundingBankCoLendingPct);
        Percent(e, nameof(i.FundingAbsPct), "ABS share", i.FundingAbsPct);
        Percent(e, nameof(i.FundingOtherInstitutionsPct), "Other institutions' share", i.FundingOtherInstitutionsPct);
        Percent(e, nameof(i.FundingOtherPct), "Other funding share", i.FundingOtherPct);
        Percent(e, nameof(i.OwnShareOfCoLentLoansPct), "Own share of co-lent loans", i.OwnShareOfCoLentLoansPct);
        Percent(e, nameof(i.DefaultRate90Pct), "Historical 90+ DPD default rate", i.DefaultRate90Pct);
        Percent(e, nameof(i.SystemAvailabilityPct), "System availability", i.SystemAvailabilityPct);
        if (i.YearsOperating is < 0 or > 200)
        {
            e[nameof(i.YearsOperating)] = "Years operating must be between 0 and 200.";
        }

        if (i.ActiveBorrowers < 0)
        {
            e[nameof(i.ActiveBorrowers)] = "Active borrowers cannot be negative.";
        }

        if (i.RiskControlStaff < 0)
        {
            e[nameof(i.RiskControlStaff)] = "Risk-control staff cannot be negative.";
        }

        if (i.ComplaintsPer10kBorrowers is < 0 or > 10_000)
        {
            e[nameof(i.ComplaintsPer10kBorrowers)] = "Complaints per 10,000 borrowers must be between 0 and 10,000.";
        }

        if ((i.BusinessPlan?.Length ?? 0) > MaxBusinessPlanLength)
        {
            e[nameof(i.BusinessPlan)] = $"The business plan can have at most {MaxBusinessPlanLength:#,##0} characters.";
        }

        return e;
    }

    /// <summary>Everything a submitted application must hold: a complete funding mix and a business plan.</summary>
    public static Dictionary<string, string> ValidateForSubmission(ApplicationInputs i)
    {
        var e = Validate(i);
        var total = ScoringInputsTotal(i);
        if (total != 100m)
        {
            e["FundingMix"] = $"The funding shares must total 100 %; they total {total:0.##} %.";
        }

        if (i.RegisteredCapital <= 0)
        {
            e.TryAdd(nameof(i.RegisteredCapital), "Registered capital must be greater than zero.");
        }

        if (i.NetAssets <= 0)
        {
            e.TryAdd(nameof(i.NetAssets), "Net assets must be greater than zero.");
        }

        if (i.ActiveBorrowers <= 0)
        {
            e.TryAdd(nameof(i.ActiveBorrowers), "Give the number of active borrowers.");
        }

        if (string.IsNullOrWhiteSpace(i.BusinessPlan) || i.BusinessPlan.Trim().Length < 50)
        {
            e.TryAdd(nameof(i.BusinessPlan), "Describe the business plan (at least 50 characters).");
        }

        return e;
    }

    private static decimal ScoringInputsTotal(ApplicationInputs i) =>
        i.FundingOwnFundsPct + i.FundingBankCoLendingPct + i.FundingAbsPct + i.FundingOtherInstitutionsPct + i.FundingOtherPct;

    private static void Percent(Dictionary<string, string> e, string field, string label, decimal value)
    {
        if (value is < 0 or > 100)
        {
            e[field] = $"{label} is a percentage between 0 and 100.";
        }
        else if (decimal.Round(value, 2) != value)
        {
            e[field] = $"{label} can have at most two decimal places.";
        }
    }
}

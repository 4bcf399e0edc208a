namespace FinancePortal.Application.Domain;

/// <summary>
/// What an operator submits in a market-access application (DOMAIN.md §3). RMB amounts are decimals with two
/// places; percentages are numbers of percent (30 means 30 %).
/// </summary>
public sealed class ApplicationInputs
{
    /// <summary>RMB.</summary>
    public decimal RegisteredCapital { get; set; }

    /// <summary>RMB.</summary>
    public decimal PaidInCapital { get; set; }

    /// <summary>RMB.</summary>
    public decimal NetAssets { get; set; }

    /// <summary>Bank and shareholder loans, RMB.</summary>
    public decimal NonStandardFinancing { get; set; }

    /// <summary>Bonds and ABS outstanding, RMB.</summary>
    public decimal BondsAndAbsOutstanding { get; set; }

    public bool LendsOutsideHomeProvince { get; set; }

    /// <summary>Largest loan to one individual borrower, RMB.</summary>
    public decimal MaxLoanPerBorrower { get; set; }

    /// <summary>Funding mix by channel, % of funding; the five shares total 100.</summary>
    public decimal FundingOwnFundsPct { get; set; }

    public decimal FundingBankCoLendingPct { get; set; }

    public decimal FundingAbsPct { get; set; }

    public decimal FundingOtherInstitutionsPct { get; set; }

    public decimal FundingOtherPct { get; set; }

    /// <summary>The platform's own share of each co-lent loan, %.</summary>
    public decimal OwnShareOfCoLentLoansPct { get; set; }

    public int YearsOperating { get; set; }

    public int ActiveBorrowers { get; set; }

    /// <summary>Loan balance at the application date, RMB.</summary>
    public decimal LoanBalance { get; set; }

    /// <summary>Loan balance twelve months earlier, RMB (for the balance-growth rule of the business-situation criterion).</summary>
    public decimal LoanBalancePriorYear { get; set; }

    /// <summary>Historical 90+ DPD default rate, %.</summary>
    public decimal DefaultRate90Pct { get; set; }

    public int RiskControlStaff { get; set; }

    public bool CreditReportingConnected { get; set; }

    /// <summary>Information-security certification, e.g. MLPS level 3.</summary>
    public bool SecurityCertified { get; set; }

    public decimal ComplaintsPer10kBorrowers { get; set; }

    /// <summary>System availability over the last 12 months, %.</summary>
    public decimal SystemAvailabilityPct { get; set; }

    /// <summary>A consumer risk-education programme is in place (§4.3).</summary>
    public bool RiskEducationProgramme { get; set; }

    public string BusinessPlan { get; set; } = "";

    public ApplicationInputs Clone() => (ApplicationInputs)MemberwiseClone();
}

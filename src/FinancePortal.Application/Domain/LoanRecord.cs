namespace FinancePortal.Application.Domain;

/// <summary>
/// One loan of one signed submission (one row of the loan tape, DOMAIN.md §4). Rows of earlier versions stay;
/// metrics read the latest signed version of each month. Enumerations keep the file's codes (e.g. DEFAULTED).
/// </summary>
public sealed class LoanRecord : IPlatformOwned
{
    public long Id { get; set; }

    public long SubmissionId { get; set; }

    public int PlatformId { get; set; }

    /// <summary><c>YYYY-MM</c>.</summary>
    public string Period { get; set; } = "";

    public string LoanId { get; set; } = "";

    public string BorrowerRef { get; set; } = "";

    public string ProductType { get; set; } = "";

    public string Scenario { get; set; } = "";

    public DateOnly OriginationDate { get; set; }

    public decimal Principal { get; set; }

    public decimal CreditLimit { get; set; }

    public int TermMonths { get; set; }

    public decimal AnnualRatePct { get; set; }

    public decimal OutstandingPrincipal { get; set; }

    public int DaysPastDue { get; set; }

    public string Status { get; set; } = "";

    public decimal ChargeOffAmount { get; set; }

    public decimal RecoveryAmount { get; set; }

    public string FundingSource { get; set; } = "";
}

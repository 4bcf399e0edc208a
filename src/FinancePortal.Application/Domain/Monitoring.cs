namespace FinancePortal.Application.Domain;

/// <summary>
/// Additive sums over the loans of one signed loan tape (DOMAIN.md §5). Every metric is a ratio of these sums, so
/// products, platforms and the industry add up by summing before dividing. Balances are RMB.
/// </summary>
public sealed class PortfolioFigures
{
    /// <summary>Rows in the tape (every loan alive at some time in the month).</summary>
    public long Loans { get; set; }

    /// <summary>Loans with status not REPAID or CHARGED_OFF.</summary>
    public long ActiveLoans { get; set; }

    /// <summary>OB: outstanding principal of loans with status not in {REPAID, CHARGED_OFF}.</summary>
    public decimal Outstanding { get; set; }

    /// <summary>OB with days past due &gt; 30 (PAR30 numerator).</summary>
    public decimal Dpd30 { get; set; }

    /// <summary>OB with days past due &gt; 60.</summary>
    public decimal Dpd60 { get; set; }

    /// <summary>OB with days past due &gt; 90.</summary>
    public decimal Dpd90 { get; set; }

    /// <summary>OB with days past due &gt;= 90 or status DEFAULTED (default-rate numerator).</summary>
    public decimal Defaulted { get; set; }

    /// <summary>Five-category classification: special mention, DPD 1–90.</summary>
    public decimal SpecialMention { get; set; }

    /// <summary>Substandard, DPD 91–120.</summary>
    public decimal Substandard { get; set; }

    /// <summary>Doubtful, DPD 121–180.</summary>
    public decimal Doubtful { get; set; }

    /// <summary>Loss, DPD &gt; 180.</summary>
    public decimal Loss { get; set; }

    public decimal ChargeOffs { get; set; }

    public decimal Recoveries { get; set; }

    /// <summary>
    /// Average of OB in the month and the month before (the denominator of the net charge-off rate); OB of the month
    /// alone when the month before was not reported. Additive, so sums over platforms stay exact.
    /// </summary>
    public decimal AverageOutstanding { get; set; }

    public decimal OwnFunds { get; set; }

    public decimal BankCoLending { get; set; }

    public decimal Abs { get; set; }

    public decimal OtherInstitution { get; set; }

    public decimal OtherFunding { get; set; }

    /// <summary>Principal of the loans originated in the month (the month's vintage cohort).</summary>
    public decimal Originated { get; set; }
}

/// <summary>The stored monthly aggregate of one platform x product x month, built from the latest signed version.</summary>
public sealed class MonthlyAggregate : IPlatformOwned
{
    public long Id { get; set; }

    public int PlatformId { get; set; }

    public string Period { get; set; } = "";

    public string ProductType { get; set; } = "";

    /// <summary>The signed submission (data version) the figures come from.</summary>
    public long SubmissionId { get; set; }

    public int Version { get; set; }

    public PortfolioFigures Figures { get; set; } = new();

    public DateTime BuiltUtc { get; set; }
}

/// <summary>
/// Industry-wide sums of one month and product (<see cref="Products.All"/> for every product), over every reporting
/// platform, with the peer medians. Not platform-owned: operators compare themselves with it.
/// </summary>
public sealed class IndustryAggregate
{
    public long Id { get; set; }

    public string Period { get; set; } = "";

    public string ProductType { get; set; } = "";

    /// <summary>Platforms with data in the month.</summary>
    public int Platforms { get; set; }

    /// <summary>Licensed platforms in the peer group (medians and percentiles are over them).</summary>
    public int Peers { get; set; }

    public PortfolioFigures Figures { get; set; } = new();

    public decimal? MedianDefaultRate { get; set; }

    public decimal? MedianPar30 { get; set; }

    public decimal? MedianNetChargeOffRate { get; set; }

    public DateTime BuiltUtc { get; set; }
}

/// <summary>A platform's position among licensed peers in one month and product: value and percentile rank (0–100).</summary>
public sealed class PeerRank : IPlatformOwned
{
    public long Id { get; set; }

    public int PlatformId { get; set; }

    public string Period { get; set; } = "";

    public string ProductType { get; set; } = "";

    public decimal? DefaultRate { get; set; }

    public decimal? DefaultRatePercentile { get; set; }

    public decimal? Par30 { get; set; }

    public decimal? Par30Percentile { get; set; }

    public decimal? NetChargeOffRate { get; set; }

    public decimal? NetChargeOffPercentile { get; set; }
}

/// <summary>One cell of a roll-rate matrix: OB at t-1 of loans in bucket From at t-1 that are in bucket To at t.</summary>
public sealed class RollRateCell : IPlatformOwned
{
    public long Id { get; set; }

    public int PlatformId { get; set; }

    /// <summary>The month t (the transition is from the month before to this one).</summary>
    public string Period { get; set; } = "";

    /// <summary>The product of the loan at t-1.</summary>
    public string ProductType { get; set; } = "";

    public DelinquencyBucket From { get; set; }

    public DelinquencyBucket To { get; set; }

    public long Loans { get; set; }

    /// <summary>OB at t-1 (the weight of the transition), RMB.</summary>
    public decimal Balance { get; set; }
}

/// <summary>Per cohort (origination month) and observation month: principal originated, and OB newly defaulted.</summary>
public sealed class VintageCell : IPlatformOwned
{
    public long Id { get; set; }

    public int PlatformId { get; set; }

    public string ProductType { get; set; } = "";

    /// <summary>The origination month of the cohort.</summary>
    public string Cohort { get; set; } = "";

    /// <summary>The observation month.</summary>
    public string Period { get; set; } = "";

    /// <summary>Principal originated in the cohort (only on the row where <see cref="Period"/> equals <see cref="Cohort"/>).</summary>
    public decimal Originated { get; set; }

    /// <summary>Original principal of loans that reached DPD &gt;= 90 or DEFAULTED for the first time in <see cref="Period"/>.</summary>
    public decimal NewlyDefaulted { get; set; }
}

/// <summary>
/// A durable request to rebuild a platform's aggregates from a month on, written in the signing transaction
/// (an outbox): it cannot be lost, and a worker completes it.
/// </summary>
public sealed class MetricsRebuildJob : IPlatformOwned
{
    public long Id { get; set; }

    public int PlatformId { get; set; }

    public string Period { get; set; } = "";

    public long SubmissionId { get; set; }

    public DateTime RequestedUtc { get; set; }

    /// <summary>Set when a worker claims the job; a claim older than the lease may be taken over.</summary>
    public DateTime? ClaimedUtc { get; set; }

    public Guid? ClaimToken { get; set; }

    public DateTime? CompletedUtc { get; set; }

    public int Attempts { get; set; }

    public string? LastError { get; set; }
}

/// <summary>The buckets of the roll-rate matrix (DOMAIN.md §5), plus loans that were not reported at t.</summary>
public enum DelinquencyBucket
{
    Current = 0,
    Dpd1To29 = 1,
    Dpd30To59 = 2,
    Dpd60To89 = 3,
    Dpd90Plus = 4,
    ChargedOff = 5,
    Repaid = 6,
    NotReported = 7,
}

/// <summary>Loan-tape code lists used by the metrics.</summary>
public static class Products
{
    /// <summary>The product key of rows that cover every product.</summary>
    public const string All = "ALL";

    public static readonly IReadOnlyList<string> Types = ["INSTALLMENT", "CREDIT_LINE", "CASH_LOAN"];
}

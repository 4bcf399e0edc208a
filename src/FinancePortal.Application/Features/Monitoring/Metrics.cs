using FinancePortal.Application.Domain;

namespace FinancePortal.Application.Features.Monitoring;

/// <summary>
/// The formulas of DOMAIN.md §5 over <see cref="PortfolioFigures"/>. Rates are fractions (0.05 = 5 %); a rate whose
/// denominator is zero is null ("no outstanding balance"), never zero.
/// </summary>
public static class Metrics
{
    public static decimal? Ratio(decimal numerator, decimal denominator) => denominator == 0 ? null : numerator / denominator;

    /// <summary>PARk = OB with DPD &gt; k / OB, k = 30, 60 or 90.</summary>
    public static decimal? Par(PortfolioFigures f, int days) => days switch
    {
        30 => Ratio(f.Dpd30, f.Outstanding),
        60 => Ratio(f.Dpd60, f.Outstanding),
        90 => Ratio(f.Dpd90, f.Outstanding),
        _ => throw new ArgumentOutOfRangeException(nameof(days), days, "PAR is defined for 30, 60 and 90 days."),
    };

    /// <summary>OB with DPD &gt;= 90 or DEFAULTED / OB.</summary>
    public static decimal? DefaultRate(PortfolioFigures f) => Ratio(f.Defaulted, f.Outstanding);

    /// <summary>(substandard + doubtful + loss) / OB.</summary>
    public static decimal? NplRatio(PortfolioFigures f) => Ratio(f.Substandard + f.Doubtful + f.Loss, f.Outstanding);

    /// <summary>12 x (charge-offs - recoveries in the month) / average OB of the month and the one before.</summary>
    public static decimal? NetChargeOffRate(PortfolioFigures f) => f.AverageOutstanding == 0 ? null : 12m * (f.ChargeOffs - f.Recoveries) / f.AverageOutstanding;

    public static decimal? OwnFundsShare(PortfolioFigures f) => Ratio(f.OwnFunds, f.Outstanding);

    public static decimal? AbsShare(PortfolioFigures f) => Ratio(f.Abs, f.Outstanding);

    /// <summary>
    /// The platform's own share of its co-lent book: own funds / (own funds + bank co-lending). Null when the platform
    /// does not co-lend (no bank co-lending balance).
    /// </summary>
    public static decimal? OwnShareOfCoLending(PortfolioFigures f) => f.BankCoLending == 0 ? null : Ratio(f.OwnFunds, f.OwnFunds + f.BankCoLending);

    /// <summary>Cure rate = OB at t-1 of loans 1–89 DPD at t-1 that are Current at t / all OB 1–89 DPD at t-1.</summary>
    public static decimal? CureRate(IEnumerable<RollRateCell> cells)
    {
        var delinquent = cells.Where(c => c.From is DelinquencyBucket.Dpd1To29 or DelinquencyBucket.Dpd30To59 or DelinquencyBucket.Dpd60To89).ToList();
        return Ratio(delinquent.Where(c => c.To == DelinquencyBucket.Current).Sum(c => c.Balance), delinquent.Sum(c => c.Balance));
    }

    /// <summary>The median of the values (the mean of the middle two for an even count); null for none.</summary>
    public static decimal? Median(IEnumerable<decimal> values)
    {
        var sorted = values.Order().ToList();
        if (sorted.Count == 0)
        {
            return null;
        }

        var mid = sorted.Count / 2;
        return sorted.Count % 2 == 1 ? sorted[mid] : (sorted[mid - 1] + sorted[mid]) / 2m;
    }

    /// <summary>
    /// Percent rank (0–100) of <paramref name="value"/> among <paramref name="peers"/> (which include it): the share of
    /// the other peers with a strictly lower value; a high percentile means riskier than most peers. 0 for a single peer.
    /// </summary>
    public static decimal PercentRank(decimal value, IReadOnlyCollection<decimal> peers)
    {
        if (peers.Count <= 1)
        {
            return 0m;
        }

        var lower = peers.Count(p => p < value);
        return Math.Round(100m * lower / (peers.Count - 1), 2, MidpointRounding.AwayFromZero);
    }

    /// <summary>Adds <paramref name="other"/> to <paramref name="total"/> field by field.</summary>
    public static PortfolioFigures Add(PortfolioFigures total, PortfolioFigures other)
    {
        total.Loans += other.Loans;
        total.ActiveLoans += other.ActiveLoans;
        total.Outstanding += other.Outstanding;
        total.Dpd30 += other.Dpd30;
        total.Dpd60 += other.Dpd60;
        total.Dpd90 += other.Dpd90;
        total.Defaulted += other.Defaulted;
        total.SpecialMention += other.SpecialMention;
        total.Substandard += other.Substandard;
        total.Doubtful += other.Doubtful;
        total.Loss += other.Loss;
        total.ChargeOffs += other.ChargeOffs;
        total.Recoveries += other.Recoveries;
        total.AverageOutstanding += other.AverageOutstanding;
        total.OwnFunds += other.OwnFunds;
        total.BankCoLending += other.BankCoLending;
        total.Abs += other.Abs;
        total.OtherInstitution += other.OtherInstitution;
        total.OtherFunding += other.OtherFunding;
        total.Originated += other.Originated;
        return total;
    }

    public static PortfolioFigures Sum(IEnumerable<PortfolioFigures> figures) => figures.Aggregate(new PortfolioFigures(), Add);

    /// <summary>The roll-rate bucket of a loan in one month: status first (charged off, repaid), then days past due.</summary>
    public static DelinquencyBucket Bucket(string status, int daysPastDue) => status switch
    {
        "CHARGED_OFF" => DelinquencyBucket.ChargedOff,
        "REPAID" => DelinquencyBucket.Repaid,
        _ when daysPastDue <= 0 => DelinquencyBucket.Current,
        _ when daysPastDue < 30 => DelinquencyBucket.Dpd1To29,
        _ when daysPastDue < 60 => DelinquencyBucket.Dpd30To59,
        _ when daysPastDue < 90 => DelinquencyBucket.Dpd60To89,
        _ => DelinquencyBucket.Dpd90Plus,
    };
}

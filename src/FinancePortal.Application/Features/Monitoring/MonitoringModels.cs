using FinancePortal.Application.Domain;

namespace FinancePortal.Application.Features.Monitoring;

/// <summary>Dashboard filters: one platform or all in scope, one product or all, a month range (at most 24 months).</summary>
public sealed record DashboardFilter(int? PlatformId = null, string? Product = null, string? From = null, string? To = null);

/// <summary>The metrics of DOMAIN.md §5 over one set of figures; rates are fractions, null when OB is zero.</summary>
public sealed record MetricSet(
    long Loans,
    decimal Outstanding,
    decimal? DefaultRate,
    decimal? Par30,
    decimal? Par60,
    decimal? Par90,
    decimal? NplRatio,
    decimal? NetChargeOffRate,
    decimal? OwnFundsShare,
    decimal? AbsShare)
{
    public static MetricSet Of(PortfolioFigures f) => new(
        f.Loans, f.Outstanding, Metrics.DefaultRate(f), Metrics.Par(f, 30), Metrics.Par(f, 60), Metrics.Par(f, 90),
        Metrics.NplRatio(f), Metrics.NetChargeOffRate(f), Metrics.OwnFundsShare(f), Metrics.AbsShare(f));
}

public sealed record Kpis(
    string Period,
    MetricSet Current,
    MetricSet? Previous,
    MetricSet? Industry,
    int OpenAlerts,
    int LateSubmissions,
    int MissingSubmissions);

public sealed record PlatformMonth(string Period, MetricSet Metrics);

/// <summary>One platform's months in the range (trend lines, the platforms x months table).</summary>
public sealed record PlatformSeries(int PlatformId, string Code, string Name, bool Watched, int OpenAlerts, IReadOnlyList<PlatformMonth> Months);

public sealed record IndustryPoint(string Period, decimal? MedianDefaultRate, decimal? MedianPar30, decimal? IndustryDefaultRate);

/// <summary>A vintage curve: cumulative defaulted share of the cohort's principal at months-on-book 0, 1, 2…</summary>
public sealed record VintageCurve(string Cohort, decimal Originated, IReadOnlyList<decimal> Cumulative);

/// <summary>One row of the roll-rate matrix: OB at t-1 in <see cref="From"/> and the share that moved to each bucket.</summary>
public sealed record RollRow(DelinquencyBucket From, decimal Balance, IReadOnlyDictionary<DelinquencyBucket, decimal> Shares);

public sealed record RollMatrix(string Period, IReadOnlyList<RollRow> Rows, decimal? CureRate);

public sealed record FundingMix(decimal OwnFunds, decimal BankCoLending, decimal Abs, decimal OtherInstitution, decimal Other)
{
    public decimal Total => OwnFunds + BankCoLending + Abs + OtherInstitution + Other;
}

public sealed record PeerRow(
    int PlatformId,
    string Code,
    decimal? DefaultRate,
    decimal? DefaultRatePercentile,
    decimal? Par30,
    decimal? Par30Percentile,
    decimal? NetChargeOffRate,
    decimal? NetChargeOffPercentile);

public sealed record DashboardData(
    DashboardFilter Filter,
    IReadOnlyList<string> Periods,
    Kpis? Kpis,
    IReadOnlyList<PlatformSeries> Platforms,
    IReadOnlyList<IndustryPoint> Industry,
    IReadOnlyList<VintageCurve> Vintages,
    RollMatrix? Roll,
    FundingMix? Funding,
    IReadOnlyList<PeerRow> Peers,
    IndustryPeerMedians? Medians,
    decimal DefaultRateLimitPct,
    decimal Par30LimitPct,
    bool RebuildPending)
{
    public bool IsEmpty => Kpis is null;

    /// <summary>The latest closed month when the dashboard was read; later months are provisional.</summary>
    public string? LatestClosed { get; init; }

    /// <summary>The shown month (<see cref="Kpis"/>' period): closed or provisional, and how many platforms owing it filed.</summary>
    public FinancePortal.Application.Features.LoanTapes.MonthFiling? Filing { get; init; }

    /// <summary>Whether a month of the range is provisional (its filing deadline had not passed).</summary>
    public bool IsProvisional(string period) => LatestClosed is not null && string.CompareOrdinal(period, LatestClosed) > 0;
}

public sealed record IndustryPeerMedians(decimal? DefaultRate, decimal? Par30, decimal? NetChargeOffRate, int Peers);

public sealed record PlatformOption(int Id, string Code, string Name);

using FinancePortal.Application.Domain;

namespace FinancePortal.Application.Features.Scorecards;

/// <summary>A named number a factor rule can score, with its label and unit.</summary>
public sealed record ScoringInput(string Key, string Label, string Unit, Func<ApplicationInputs, decimal> Read);

/// <summary>The inputs factor rules may use: raw application fields and a few derived ratios.</summary>
public static class ScoringInputs
{
    public const string DefaultRate = "DefaultRate90Pct";
    public const string RiskStaffPer100k = "RiskStaffPer100kBorrowers";
    public const string Years = "YearsOperating";
    public const string Availability = "SystemAvailabilityPct";
    public const string Complaints = "ComplaintsPer10kBorrowers";
    public const string BalanceGrowth = "LoanBalanceGrowthPct";
    public const string NetAssets = "NetAssets";
    public const string ActiveBorrowers = "ActiveBorrowers";
    public const string CreditReporting = "CreditReportingConnected";
    public const string SecurityCertified = "SecurityCertified";
    public const string ChannelCount = "FundingChannels";
    public const string LargestChannel = "LargestFundingChannelPct";
    public const string RiskEducation = "RiskEducationProgramme";

    /// <summary>A funding channel counts when it provides at least this share of funding.</summary>
    public const decimal ChannelThresholdPct = 5m;

    public static readonly IReadOnlyList<ScoringInput> All =
    [
        new(DefaultRate, "Historical 90+ DPD default rate", "%", i => i.DefaultRate90Pct),
        new(RiskStaffPer100k, "Risk-control staff per 100,000 active borrowers", "staff", i => i.ActiveBorrowers <= 0 ? 0m : Math.Round(i.RiskControlStaff * 100_000m / i.ActiveBorrowers, 2)),
        new(Years, "Years operating", "years", i => i.YearsOperating),
        new(Availability, "System availability", "%", i => i.SystemAvailabilityPct),
        new(Complaints, "Complaints per 10,000 borrowers", "complaints", i => i.ComplaintsPer10kBorrowers),
        new(BalanceGrowth, "Loan balance growth over 12 months", "%", i => i.LoanBalancePriorYear <= 0 ? 0m : Math.Round((i.LoanBalance - i.LoanBalancePriorYear) * 100m / i.LoanBalancePriorYear, 2)),
        new(NetAssets, "Net assets", "RMB", i => i.NetAssets),
        new(ActiveBorrowers, "Active borrowers", "borrowers", i => i.ActiveBorrowers),
        new(CreditReporting, "Connected to credit reporting (1 = yes)", "", i => i.CreditReportingConnected ? 1m : 0m),
        new(SecurityCertified, "Information-security certification (1 = yes)", "", i => i.SecurityCertified ? 1m : 0m),
        new(ChannelCount, $"Funding channels with at least {ChannelThresholdPct}% share", "channels", i => Shares(i).Count(s => s >= ChannelThresholdPct)),
        new(LargestChannel, "Largest funding channel's share", "%", i => Shares(i).Max()),
        new(RiskEducation, "Consumer risk-education programme (1 = yes)", "", i => i.RiskEducationProgramme ? 1m : 0m),
    ];

    public static ScoringInput Get(string key) =>
        All.FirstOrDefault(i => i.Key == key) ?? throw new KeyNotFoundException($"Unknown scoring input '{key}'.");

    public static bool Exists(string key) => All.Any(i => i.Key == key);

    public static decimal[] Shares(ApplicationInputs i) =>
        [i.FundingOwnFundsPct, i.FundingBankCoLendingPct, i.FundingAbsPct, i.FundingOtherInstitutionsPct, i.FundingOtherPct];
}

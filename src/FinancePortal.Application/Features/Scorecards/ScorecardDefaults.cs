using FinancePortal.Application.Domain;

namespace FinancePortal.Application.Features.Scorecards;

/// <summary>
/// The default scorecard (version 1). Knock-outs follow the 2020 draft Interim Measures for Online Small Loan
/// Business (CBIRC/PBOC); weights follow DOMAIN.md §3. Curves are documented in docs/scorecard.md.
/// </summary>
public static class ScorecardDefaults
{
    public const string RiskControl = "RiskControl";
    public const string OperatingStability = "OperatingStability";
    public const string BusinessSituation = "BusinessSituation";
    public const string CoreCompetitiveness = "CoreCompetitiveness";
    public const string FundingDiversity = "FundingDiversity";
    public const string ConsumerProtection = "ConsumerProtection";

    private static Breakpoint[] Curve(params (decimal X, decimal Points)[] points) => points.Select(p => new Breakpoint(p.X, p.Points)).ToArray();

    private static readonly Breakpoint[] YesNo = Curve((0, 0), (1, 100));

    public static ScorecardDefinition Definition { get; } = new()
    {
        Knockouts = new KnockoutRules(),
        BandAMin = 80m,
        BandBMin = 60m,
        Criteria =
        [
            new(RiskControl, 25m,
            [
                new(ScoringInputs.DefaultRate, 60m, Curve((0, 100), (2, 80), (5, 40), (10, 0))),
                new(ScoringInputs.RiskStaffPer100k, 40m, Curve((0, 0), (5, 50), (20, 100))),
            ]),
            new(OperatingStability, 20m,
            [
                new(ScoringInputs.Years, 40m, Curve((0, 0), (3, 60), (8, 100))),
                new(ScoringInputs.Availability, 30m, Curve((99, 0), (99.9m, 80), (99.99m, 100))),
                new(ScoringInputs.Complaints, 30m, Curve((0, 100), (5, 60), (20, 0))),
            ]),
            new(BusinessSituation, 15m,
            [
                new(ScoringInputs.BalanceGrowth, 50m, Curve((-20, 0), (0, 40), (15, 80), (40, 100), (100, 60))),
                new(ScoringInputs.NetAssets, 50m, Curve((0, 0), (1_000_000_000, 50), (5_000_000_000, 100))),
            ]),
            new(CoreCompetitiveness, 15m,
            [
                new(ScoringInputs.ActiveBorrowers, 60m, Curve((0, 0), (1_000_000, 50), (10_000_000, 100))),
                new(ScoringInputs.CreditReporting, 20m, YesNo),
                new(ScoringInputs.SecurityCertified, 20m, YesNo),
            ]),
            new(FundingDiversity, 15m,
            [
                new(ScoringInputs.ChannelCount, 50m, Curve((1, 0), (2, 40), (3, 70), (4, 100))),
                new(ScoringInputs.LargestChannel, 50m, Curve((40, 100), (60, 60), (80, 20), (100, 0))),
            ]),
            new(ConsumerProtection, 10m,
            [
                new(ScoringInputs.RiskEducation, 50m, YesNo),
                new(ScoringInputs.Complaints, 50m, Curve((0, 100), (5, 60), (20, 0))),
            ]),
        ],
    };
}

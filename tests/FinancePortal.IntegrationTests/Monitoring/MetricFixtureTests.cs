using FinancePortal.Application;
using FinancePortal.Application.Domain;
using FinancePortal.Application.Features.Monitoring;
using FinancePortal.Application.Security;
using FinancePortal.TestSupport;
using Microsoft.EntityFrameworkCore;
using static FinancePortal.Application.Domain.DelinquencyBucket;

namespace FinancePortal.IntegrationTests.Monitoring;

/// <summary>
/// Every metric of DOMAIN.md §5 against tapes small enough to compute by hand (the arithmetic is in the comments):
/// stored aggregates from <see cref="MetricsRebuilder"/> and what <see cref="MonitoringService"/> reads from them.
/// Edge cases: zero OB, cured loans, repaid and charged-off loans, a loan missing for a month, DPD boundaries, a loan
/// originated in a month but first reported the next, a resubmitted month (the latest signed version counts, an
/// unsigned later upload does not), a gap month, and peers of every licence status.
/// </summary>
public class MetricFixtureTests : IAsyncLifetime
{
    private const string Inst = "INSTALLMENT";
    private const string Cash = "CASH_LOAN";
    private const string Line = "CREDIT_LINE";

    private PortalServices _portal = default!;

    public async Task InitializeAsync() => _portal = await PortalServices.CreateAsync(seedDemo: false);

    public async Task DisposeAsync() => await _portal.DisposeAsync();

    private static DateOnly D(int year, int month, int day) => new(year, month, day);

    // January 2026: first month reported, so the net charge-off average is January's OB alone.
    private static readonly TapeRow[] Jan =
    [
        new("A1", Inst, D(2025, 10, 5), 1000m, 800m, 0, "CURRENT", "OWN_FUNDS"),
        new("A2", Inst, D(2025, 11, 10), 2000m, 1500m, 30, "DELINQUENT", "BANK_COLENDING"),   // DPD 30: not PAR30, bucket 30-59
        new("A3", Inst, D(2025, 12, 1), 1200m, 1000m, 60, "DELINQUENT", "ABS"),               // DPD 60: PAR30 not PAR60
        new("A4", Inst, D(2025, 9, 1), 900m, 600m, 89, "DELINQUENT", "OTHER_INSTITUTION"),    // DPD 89: PAR60, not default
        new("A5", Inst, D(2025, 6, 1), 3000m, 2000m, 90, "DEFAULTED", "OTHER"),               // DPD 90: default, not PAR90, special mention
        new("A6", Inst, D(2026, 1, 15), 500m, 500m, 0, "CURRENT", "OWN_FUNDS"),               // originated in January
        new("A7", Inst, D(2025, 5, 1), 700m, 0m, 0, "REPAID", "OWN_FUNDS"),                   // repaid: a row, no OB
        new("A11", Inst, D(2025, 7, 1), 1100m, 700m, 120, "DEFAULTED", "ABS"),                // 120: substandard
        new("A12", Inst, D(2025, 4, 1), 1300m, 900m, 121, "DEFAULTED", "OWN_FUNDS"),          // 121: doubtful
        new("A8", Cash, D(2025, 8, 1), 400m, 300m, 181, "DEFAULTED", "OWN_FUNDS"),            // 181: loss
        new("A9", Cash, D(2026, 1, 31), 600m, 600m, 0, "CURRENT", "BANK_COLENDING"),          // originated on the month's last day
        new("A10", Cash, D(2025, 3, 1), 800m, 0m, 200, "CHARGED_OFF", "OWN_FUNDS", ChargeOff: 250m),
        new("C1", Line, D(2025, 2, 1), 5000m, 0m, 0, "REPAID", "OWN_FUNDS"),                  // CREDIT_LINE: rows but zero OB
    ];

    // February 2026, version 1: superseded by version 2; if it counted, every February figure, March's average, March's
    // roll rates and March's first defaults (A4 would already be defaulted) would differ.
    private static readonly TapeRow[] FebV1 =
    [
        new("A1", Inst, D(2025, 10, 5), 1000m, 100m, 0, "CURRENT", "OWN_FUNDS"),
        new("A2", Inst, D(2025, 11, 10), 2000m, 100m, 0, "CURRENT", "BANK_COLENDING"),
        new("A3", Inst, D(2025, 12, 1), 1200m, 100m, 0, "CURRENT", "ABS"),
        new("A4", Inst, D(2025, 9, 1), 900m, 600m, 120, "DEFAULTED", "OTHER_INSTITUTION"),
        new("X1", Inst, D(2026, 2, 1), 9000m, 9000m, 0, "CURRENT", "OWN_FUNDS"),
    ];

    // February 2026, version 2 (the one that counts). A4 and A7 are not reported; A14 was originated in January but
    // first reported now.
    private static readonly TapeRow[] FebV2 =
    [
        new("A1", Inst, D(2025, 10, 5), 1000m, 750m, 0, "CURRENT", "OWN_FUNDS"),
        new("A2", Inst, D(2025, 11, 10), 2000m, 1450m, 0, "CURRENT", "BANK_COLENDING"),     // cured from 30-59
        new("A3", Inst, D(2025, 12, 1), 1200m, 1000m, 91, "DEFAULTED", "ABS"),              // first default (original principal 1200)
        new("A5", Inst, D(2025, 6, 1), 3000m, 0m, 120, "CHARGED_OFF", "OTHER", ChargeOff: 2000m),
        new("A6", Inst, D(2026, 1, 15), 500m, 450m, 10, "DELINQUENT", "OWN_FUNDS"),
        new("A11", Inst, D(2025, 7, 1), 1100m, 700m, 150, "DEFAULTED", "ABS"),
        new("A12", Inst, D(2025, 4, 1), 1300m, 0m, 0, "REPAID", "OWN_FUNDS"),
        new("A13", Inst, D(2026, 2, 3), 2000m, 2000m, 0, "CURRENT", "OWN_FUNDS"),
        new("A14", Inst, D(2026, 1, 25), 300m, 300m, 0, "CURRENT", "OTHER"),
        new("A8", Cash, D(2025, 8, 1), 400m, 300m, 212, "DEFAULTED", "OWN_FUNDS"),
        new("A9", Cash, D(2026, 1, 31), 600m, 550m, 61, "DELINQUENT", "BANK_COLENDING"),
        new("A10", Cash, D(2025, 3, 1), 800m, 0m, 231, "CHARGED_OFF", "OWN_FUNDS", Recovery: 50m),
    ];

    // A later February upload that was never signed: it must not count.
    private static readonly TapeRow[] FebUnsigned =
    [
        new("A1", Inst, D(2025, 10, 5), 1000m, 99_999m, 200, "DEFAULTED", "OWN_FUNDS"),
    ];

    // March 2026. A4 reappears, defaulted for the first time; A10 and A12 are gone.
    private static readonly TapeRow[] Mar =
    [
        new("A1", Inst, D(2025, 10, 5), 1000m, 700m, 0, "CURRENT", "OWN_FUNDS"),
        new("A2", Inst, D(2025, 11, 10), 2000m, 1400m, 0, "CURRENT", "BANK_COLENDING"),
        new("A3", Inst, D(2025, 12, 1), 1200m, 950m, 45, "DELINQUENT", "ABS"),              // back from 90+ to 30-59
        new("A4", Inst, D(2025, 9, 1), 900m, 600m, 95, "DEFAULTED", "OTHER_INSTITUTION"),
        new("A6", Inst, D(2026, 1, 15), 500m, 400m, 0, "CURRENT", "OWN_FUNDS"),            // cured from 1-29
        new("A11", Inst, D(2025, 7, 1), 1100m, 0m, 180, "CHARGED_OFF", "ABS", ChargeOff: 700m),
        new("A13", Inst, D(2026, 2, 3), 2000m, 1900m, 0, "CURRENT", "OWN_FUNDS"),
        new("A14", Inst, D(2026, 1, 25), 300m, 280m, 35, "DELINQUENT", "OTHER"),
        new("A15", Inst, D(2026, 3, 1), 1000m, 1000m, 0, "CURRENT", "ABS"),                // originated on the month's first day
        new("A8", Cash, D(2025, 8, 1), 400m, 0m, 240, "CHARGED_OFF", "OWN_FUNDS", ChargeOff: 300m, Recovery: 20m),
        new("A9", Cash, D(2026, 1, 31), 600m, 500m, 92, "DEFAULTED", "BANK_COLENDING"),    // January cohort's first default
    ];

    private async Task<IPortalDb> SystemDbAsync()
    {
        var scope = _portal.As(UserContext.System);
        return await scope.Get<IPortalDbFactory>().CreateAsync();
    }

    /// <summary>January, February v1 and March signed and built; then February v2 signed (and a v3 left unsigned) and rebuilt.</summary>
    private async Task<(int PlatformId, long FebV1, long FebV2)> ArrangeAsync(Func<int, long, Task>? beforeResubmission = null)
    {
        await using var db = await SystemDbAsync();
        var id = await MetricTestData.PlatformAsync(db, "FXA", LicenceStatus.Licensed);
        await MetricTestData.TapeAsync(db, id, "2026-01", 1, Jan);
        var v1 = await MetricTestData.TapeAsync(db, id, "2026-02", 1, FebV1);
        await MetricTestData.TapeAsync(db, id, "2026-03", 1, Mar);
        Assert.Equal(["2026-01", "2026-02", "2026-03"], await new MetricsRebuilder().RebuildAsync(db, id, "2026-01", CancellationToken.None));
        if (beforeResubmission is not null)
        {
            await beforeResubmission(id, v1);
        }

        var v2 = await MetricTestData.TapeAsync(db, id, "2026-02", 2, FebV2);
        await MetricTestData.TapeAsync(db, id, "2026-02", null, FebUnsigned);
        Assert.Equal(["2026-02", "2026-03"], await new MetricsRebuilder().RebuildAsync(db, id, "2026-02", CancellationToken.None));
        return (id, v1, v2);
    }

    private async Task<Dictionary<(string Period, string Product), MonthlyAggregate>> AggregatesAsync(int platformId)
    {
        await using var db = await SystemDbAsync();
        return await db.MonthlyAggregates.AsNoTracking().Where(a => a.PlatformId == platformId).ToDictionaryAsync(a => (a.Period, a.ProductType));
    }

    private static void AssertFigures(PortfolioFigures expected, PortfolioFigures actual, string what)
    {
        foreach (var p in typeof(PortfolioFigures).GetProperties())
        {
            Assert.True(Equals(p.GetValue(expected), p.GetValue(actual)), $"{what} {p.Name}: expected {p.GetValue(expected)}, stored {p.GetValue(actual)}");
        }
    }

    [Fact]
    public async Task Stored_figures_of_each_product_and_month_equal_the_hand_computed_sums()
    {
        var (id, _, febV2) = await ArrangeAsync();
        var stored = await AggregatesAsync(id);

        // February has no CREDIT_LINE rows, so no CREDIT_LINE aggregate.
        Assert.Equal(
            new[] { ("2026-01", Cash), ("2026-01", Line), ("2026-01", Inst), ("2026-02", Cash), ("2026-02", Inst), ("2026-03", Cash), ("2026-03", Inst) },
            stored.Keys.Order().ToArray());

        // January INSTALLMENT: 9 rows, A7 repaid -> 8 active.
        // OB = 800 + 1500 + 1000 + 600 + 2000 + 500 + 700 + 900 = 8000
        // DPD > 30: A3 1000 + A4 600 + A5 2000 + A11 700 + A12 900 = 5200; > 60: 5200 - A3 = 4200; > 90: A11 + A12 = 1600
        // default (>= 90 or DEFAULTED): A5 + A11 + A12 = 3600; special mention (1-90): A2 + A3 + A4 + A5 = 5100
        // funding: own A1 800 + A6 500 + A12 900 = 2200 (A7 repaid is not OB); ABS A3 + A11 = 1700
        AssertFigures(new PortfolioFigures
        {
            Loans = 9, ActiveLoans = 8, Outstanding = 8000m, Dpd30 = 5200m, Dpd60 = 4200m, Dpd90 = 1600m, Defaulted = 3600m,
            SpecialMention = 5100m, Substandard = 700m, Doubtful = 900m, Loss = 0m, AverageOutstanding = 8000m,
            OwnFunds = 2200m, BankCoLending = 1500m, Abs = 1700m, OtherInstitution = 600m, OtherFunding = 2000m, Originated = 500m,
        }, stored[("2026-01", Inst)].Figures, "Jan INSTALLMENT");

        // January CASH_LOAN: A8 300 (181 DPD: loss), A9 600 current (originated 31 Jan), A10 charged off 250.
        AssertFigures(new PortfolioFigures
        {
            Loans = 3, ActiveLoans = 2, Outstanding = 900m, Dpd30 = 300m, Dpd60 = 300m, Dpd90 = 300m, Defaulted = 300m, Loss = 300m,
            ChargeOffs = 250m, AverageOutstanding = 900m, OwnFunds = 300m, BankCoLending = 600m, Originated = 600m,
        }, stored[("2026-01", Cash)].Figures, "Jan CASH_LOAN");

        // January CREDIT_LINE: one repaid loan, zero OB: every rate is null, not zero.
        var line = stored[("2026-01", Line)].Figures;
        AssertFigures(new PortfolioFigures { Loans = 1 }, line, "Jan CREDIT_LINE");
        Assert.Equal(new MetricSet(1, 0m, null, null, null, null, null, null, null, null), MetricSet.Of(line));

        // February INSTALLMENT (version 2): 9 rows; A5 charged off, A12 repaid -> 7 active.
        // OB = 750 + 1450 + 1000 + 450 + 700 + 2000 + 300 = 6650; DPD > 30 = > 60 = > 90 = A3 1000 + A11 700 = 1700
        // special mention: A6 450; substandard A3 (91) 1000; doubtful A11 (150) 700; charge-off A5 2000
        // average = (6650 + 8000) / 2 = 7325; own A1 750 + A6 450 + A13 2000 = 3200; other A14 300 (A5 charged off)
        // originated: A13 2000 (A14 was originated in January, not February, and January's tape did not hold it)
        var feb = stored[("2026-02", Inst)];
        Assert.Equal((febV2, 2), (feb.SubmissionId, feb.Version));
        AssertFigures(new PortfolioFigures
        {
            Loans = 9, ActiveLoans = 7, Outstanding = 6650m, Dpd30 = 1700m, Dpd60 = 1700m, Dpd90 = 1700m, Defaulted = 1700m,
            SpecialMention = 450m, Substandard = 1000m, Doubtful = 700m, ChargeOffs = 2000m, AverageOutstanding = 7325m,
            OwnFunds = 3200m, BankCoLending = 1450m, Abs = 1700m, OtherFunding = 300m, Originated = 2000m,
        }, feb.Figures, "Feb INSTALLMENT");

        // February CASH_LOAN: A8 300 (212), A9 550 (61), A10 recovery 50. OB 850; DPD > 30 = > 60 = 850; > 90 = 300.
        // average = (850 + 900) / 2 = 875
        AssertFigures(new PortfolioFigures
        {
            Loans = 3, ActiveLoans = 2, Outstanding = 850m, Dpd30 = 850m, Dpd60 = 850m, Dpd90 = 300m, Defaulted = 300m,
            SpecialMention = 550m, Loss = 300m, Recoveries = 50m, AverageOutstanding = 875m, OwnFunds = 300m, BankCoLending = 550m,
        }, stored[("2026-02", Cash)].Figures, "Feb CASH_LOAN");
        Assert.Equal(-600m / 875m, Metrics.NetChargeOffRate(stored[("2026-02", Cash)].Figures)); // 12 x (0 - 50) / 875

        // March INSTALLMENT: 9 rows, A11 charged off (700) -> 8 active.
        // OB = 700 + 1400 + 950 + 600 + 400 + 1900 + 280 + 1000 = 7230
        // DPD > 30: A3 (45) 950 + A4 (95) 600 + A14 (35) 280 = 1830; > 60 = > 90 = default = A4 600
        // special mention: A3 950 + A14 280 = 1230; substandard A4 600; average = (7230 + 6650) / 2 = 6940
        // own A1 700 + A6 400 + A13 1900 = 3000; ABS A3 950 + A15 1000 = 1950; originated A15 1000
        AssertFigures(new PortfolioFigures
        {
            Loans = 9, ActiveLoans = 8, Outstanding = 7230m, Dpd30 = 1830m, Dpd60 = 600m, Dpd90 = 600m, Defaulted = 600m,
            SpecialMention = 1230m, Substandard = 600m, ChargeOffs = 700m, AverageOutstanding = 6940m,
            OwnFunds = 3000m, BankCoLending = 1400m, Abs = 1950m, OtherInstitution = 600m, OtherFunding = 280m, Originated = 1000m,
        }, stored[("2026-03", Inst)].Figures, "Mar INSTALLMENT");
        Assert.Equal(8400m / 6940m, Metrics.NetChargeOffRate(stored[("2026-03", Inst)].Figures)); // 12 x 700 / 6940

        // March CASH_LOAN: A8 charged off 300, recovered 20; A9 500 at 92 DPD. Average = (500 + 850) / 2 = 675.
        AssertFigures(new PortfolioFigures
        {
            Loans = 2, ActiveLoans = 1, Outstanding = 500m, Dpd30 = 500m, Dpd60 = 500m, Dpd90 = 500m, Defaulted = 500m, Substandard = 500m,
            ChargeOffs = 300m, Recoveries = 20m, AverageOutstanding = 675m, BankCoLending = 500m,
        }, stored[("2026-03", Cash)].Figures, "Mar CASH_LOAN");
        Assert.Equal(3360m / 675m, Metrics.NetChargeOffRate(stored[("2026-03", Cash)].Figures)); // 12 x (300 - 20) / 675
    }

    private async Task<List<(string Period, string Product, DelinquencyBucket From, DelinquencyBucket To, long Loans, decimal Balance)>> RollCellsAsync(int platformId)
    {
        await using var db = await SystemDbAsync();
        var cells = await db.RollRateCells.AsNoTracking().Where(c => c.PlatformId == platformId).ToListAsync();
        return cells.Select(c => (c.Period, c.ProductType, c.From, c.To, c.Loans, c.Balance)).Order().ToList();
    }

    [Fact]
    public async Task Roll_rate_cells_weight_each_loan_by_its_balance_the_month_before_and_count_missing_loans_as_not_reported()
    {
        var (id, _, _) = await ArrangeAsync();

        var expected = new List<(string, string, DelinquencyBucket, DelinquencyBucket, long, decimal)>
        {
            // January -> February (version 2), by the January product and OB of each loan.
            ("2026-02", Inst, Current, Current, 1, 800m),           // A1
            ("2026-02", Inst, Dpd30To59, Current, 1, 1500m),        // A2 (DPD 30) cured
            ("2026-02", Inst, Dpd60To89, Dpd90Plus, 1, 1000m),      // A3 (DPD 60 -> 91)
            ("2026-02", Inst, Dpd60To89, NotReported, 1, 600m),     // A4 missing in February
            ("2026-02", Inst, Dpd90Plus, ChargedOff, 1, 2000m),     // A5
            ("2026-02", Inst, Current, Dpd1To29, 1, 500m),          // A6
            ("2026-02", Inst, Repaid, NotReported, 1, 0m),          // A7: repaid, weight 0
            ("2026-02", Inst, Dpd90Plus, Dpd90Plus, 1, 700m),       // A11
            ("2026-02", Inst, Dpd90Plus, Repaid, 1, 900m),          // A12
            ("2026-02", Cash, Dpd90Plus, Dpd90Plus, 1, 300m),       // A8
            ("2026-02", Cash, Current, Dpd60To89, 1, 600m),         // A9
            ("2026-02", Cash, ChargedOff, ChargedOff, 1, 0m),       // A10: charged off, weight 0
            ("2026-02", Line, Repaid, NotReported, 1, 0m),          // C1
            // February (version 2) -> March.
            ("2026-03", Inst, Current, Current, 3, 4200m),          // A1 750 + A2 1450 + A13 2000
            ("2026-03", Inst, Dpd90Plus, Dpd30To59, 1, 1000m),      // A3
            ("2026-03", Inst, ChargedOff, NotReported, 1, 0m),      // A5
            ("2026-03", Inst, Dpd1To29, Current, 1, 450m),          // A6 cured
            ("2026-03", Inst, Dpd90Plus, ChargedOff, 1, 700m),      // A11
            ("2026-03", Inst, Repaid, NotReported, 1, 0m),          // A12
            ("2026-03", Inst, Current, Dpd30To59, 1, 300m),         // A14
            ("2026-03", Cash, Dpd90Plus, ChargedOff, 1, 300m),      // A8
            ("2026-03", Cash, Dpd60To89, Dpd90Plus, 1, 550m),       // A9
            ("2026-03", Cash, ChargedOff, NotReported, 1, 0m),      // A10
        };
        Assert.Equal(expected.Order().ToList(), await RollCellsAsync(id));

        // Cure rate February: 1-89 OB in January = A2 1500 + A3 1000 + A4 600 (not reported) = 3100; current now: A2 1500.
        // Cure rate March: A6 450 (cured) + A9 550 (rolled to 90+) = 1000 -> 450 / 1000.
        await using var db = await SystemDbAsync();
        var cells = await db.RollRateCells.AsNoTracking().Where(c => c.PlatformId == id).ToListAsync();
        Assert.Equal(1500m / 3100m, Metrics.CureRate(cells.Where(c => c.Period == "2026-02")));
        Assert.Equal(0.45m, Metrics.CureRate(cells.Where(c => c.Period == "2026-03")));
    }

    private async Task<List<(string Period, string Product, string Cohort, decimal Originated, decimal NewlyDefaulted)>> VintageCellsAsync(int platformId)
    {
        await using var db = await SystemDbAsync();
        var cells = await db.VintageCells.AsNoTracking().Where(c => c.PlatformId == platformId).ToListAsync();
        return cells.Select(c => (c.Period, c.ProductType, c.Cohort, c.Originated, c.NewlyDefaulted)).Order().ToList();
    }

    [Fact]
    public async Task Vintage_cells_hold_each_cohorts_originated_principal_and_each_loans_first_default_once()
    {
        var (id, _, _) = await ArrangeAsync();

        var expected = new List<(string, string, string, decimal, decimal)>
        {
            // January: originated A6 500, A9 600; first defaults (original principal) A5, A11, A12, A8, and A10 (charged off at 200 DPD).
            ("2026-01", Inst, "2026-01", 500m, 0m),
            ("2026-01", Inst, "2025-06", 0m, 3000m),
            ("2026-01", Inst, "2025-07", 0m, 1100m),
            ("2026-01", Inst, "2025-04", 0m, 1300m),
            ("2026-01", Cash, "2026-01", 600m, 0m),
            ("2026-01", Cash, "2025-08", 0m, 400m),
            ("2026-01", Cash, "2025-03", 0m, 800m),
            // February: originated A13 2000 (not A14, a January loan first reported in February); first default A3 1200
            // (its principal, not its 1000 OB). A5, A8, A10 and A11 defaulted before and do not count again.
            ("2026-02", Inst, "2026-02", 2000m, 0m),
            ("2026-02", Inst, "2025-12", 0m, 1200m),
            // March: originated A15 2000; A4 (89 DPD in January, missing in February) defaults for the first time;
            // A9 of the January cohort defaults. A3 is back at 45 DPD and A11 is charged off: neither counts again.
            ("2026-03", Inst, "2026-03", 1000m, 0m),
            ("2026-03", Inst, "2025-09", 0m, 900m),
            ("2026-03", Cash, "2026-01", 0m, 600m),
        };
        Assert.Equal(expected.Order().ToList(), await VintageCellsAsync(id));
    }

    [Fact]
    public async Task A_resubmitted_month_counts_only_its_latest_signed_version_and_later_months_follow_it()
    {
        var (id, febV1, febV2) = await ArrangeAsync(async (platformId, versionOne) =>
        {
            // Before version 2: February is version 1. INSTALLMENT OB = 100 + 100 + 100 + 600 + 9000 = 9900;
            // March's average = (7230 + 9900) / 2 = 8565, and A4 (defaulted in version 1) is no first default in March.
            var before = await AggregatesAsync(platformId);
            Assert.Equal((versionOne, 1, 9900m, 600m, 9000m),
                (before[("2026-02", Inst)].SubmissionId, before[("2026-02", Inst)].Version, before[("2026-02", Inst)].Figures.Outstanding,
                 before[("2026-02", Inst)].Figures.Defaulted, before[("2026-02", Inst)].Figures.Originated));
            // Version 1 has no cash loans: the product keeps a row of zeros averaging half January's cash OB (900).
            Assert.Equal((0L, 0m, 450m), (before[("2026-02", Cash)].Figures.Loans, before[("2026-02", Cash)].Figures.Outstanding, before[("2026-02", Cash)].Figures.AverageOutstanding));
            Assert.Equal(8565m, before[("2026-03", Inst)].Figures.AverageOutstanding);
            Assert.DoesNotContain(await VintageCellsAsync(platformId), v => v.Period == "2026-03" && v.Cohort == "2025-09");
        });

        // After version 2 (and an unsigned version 3): one aggregate per product and month, all from version 2.
        var after = await AggregatesAsync(id);
        Assert.Equal(2, after.Keys.Count(k => k.Period == "2026-02"));
        Assert.All(after.Where(kv => kv.Key.Period == "2026-02").Select(kv => kv.Value), a => Assert.Equal((febV2, 2), (a.SubmissionId, a.Version)));
        Assert.Equal(6650m, after[("2026-02", Inst)].Figures.Outstanding);
        Assert.Equal(6940m, after[("2026-03", Inst)].Figures.AverageOutstanding);   // (7230 + 6650) / 2
        var vintages = await VintageCellsAsync(id);
        Assert.Contains(vintages, v => v == ("2026-03", Inst, "2025-09", 0m, 900m));
        Assert.DoesNotContain(vintages, v => v.Period == "2026-02" && (v.Cohort == "2025-09" || v.Originated == 9000m));
        Assert.DoesNotContain(await RollCellsAsync(id), c => c.Balance == 100m);   // nothing weighted by version 1's balances

        await using var db = await SystemDbAsync();
        Assert.Equal(7, await db.MonthlyAggregates.CountAsync(a => a.PlatformId == id));
        Assert.Equal(3, await db.IndustryAggregates.CountAsync(a => a.Period == "2026-02"));   // ALL, CASH_LOAN, INSTALLMENT
    }

    [Fact]
    public async Task The_dashboard_reads_the_hand_computed_metrics_roll_matrix_vintages_and_funding_mix()
    {
        var (id, _, _) = await ArrangeAsync();
        await using var system = _portal.As(UserContext.System);
        var service = system.Get<MonitoringService>();

        var data = await service.GetDashboardAsync(new DashboardFilter(PlatformId: id, From: "2026-01", To: "2026-03"));

        Assert.Equal(["2026-01", "2026-02", "2026-03"], data.Periods);
        // March, all products: OB 7230 + 500 = 7730; default A4 600 + A9 500 = 1100; DPD > 30: 1830 + 500 = 2330;
        // NPL: substandard 600 + 500; net charge-off 12 x (700 + 300 - 20) / (6940 + 675) = 11760 / 7615;
        // own funds 3000, ABS 1950.
        Assert.Equal(new MetricSet(11, 7730m, 1100m / 7730m, 2330m / 7730m, 1100m / 7730m, 1100m / 7730m, 1100m / 7730m, 11760m / 7615m, 3000m / 7730m, 1950m / 7730m),
            data.Kpis!.Current);
        // February: OB 6650 + 850 = 7500; default 1700 + 300 = 2000; net charge-off 12 x (2000 - 50) / (7325 + 875).
        Assert.Equal((12L, 7500m, 2000m / 7500m, 23400m / 8200m),
            (data.Kpis.Previous!.Loans, data.Kpis.Previous.Outstanding, data.Kpis.Previous.DefaultRate, data.Kpis.Previous.NetChargeOffRate));
        Assert.Equal(data.Kpis.Current, data.Kpis.Industry);   // the only platform is the industry

        // January, all products: 13 rows; OB 8000 + 900 + 0 = 8900; default 3600 + 300 = 3900; NCO 12 x 250 / 8900.
        var january = Assert.Single(data.Platforms).Months[0];
        Assert.Equal(("2026-01", 13L, 8900m, 3900m / 8900m, 3000m / 8900m),
            (january.Period, january.Metrics.Loans, january.Metrics.Outstanding, january.Metrics.DefaultRate, january.Metrics.NetChargeOffRate));

        // Roll matrix February -> March, all products: Current 4200 + 300 = 4500; 1-29 450; 60-89 550; 90+ 1000 + 700 + 300 = 2000.
        var roll = data.Roll!;
        Assert.Equal("2026-03", roll.Period);
        Assert.Equal(0.45m, roll.CureRate);
        var rows = roll.Rows.ToDictionary(r => r.From);
        Assert.Equal((4500m, 4200m / 4500m, 300m / 4500m), (rows[Current].Balance, rows[Current].Shares[Current], rows[Current].Shares[Dpd30To59]));
        Assert.Equal((450m, 1m), (rows[Dpd1To29].Balance, rows[Dpd1To29].Shares[Current]));
        Assert.Equal((0m, 0m), (rows[Dpd30To59].Balance, rows[Dpd30To59].Shares.Values.Sum()));
        Assert.Equal((550m, 1m), (rows[Dpd60To89].Balance, rows[Dpd60To89].Shares[Dpd90Plus]));
        Assert.Equal((2000m, 0.5m, 0.5m), (rows[Dpd90Plus].Balance, rows[Dpd90Plus].Shares[Dpd30To59], rows[Dpd90Plus].Shares[ChargedOff]));

        // Vintages: January cohort originated A6 500 + A9 600 = 1100, A9 (600) defaults in March -> 0, 0, 600 / 1100.
        Assert.Equal(["2026-01", "2026-02", "2026-03"], data.Vintages.Select(v => v.Cohort));
        Assert.Equal([1100m, 2000m, 1000m], data.Vintages.Select(v => v.Originated));
        Assert.Equal([0m, 0m, 600m / 1100m], data.Vintages[0].Cumulative);
        Assert.Equal([0m, 0m], data.Vintages[1].Cumulative);
        Assert.Equal([0m], data.Vintages[2].Cumulative);

        // Funding mix in March: own 3000; bank 1400 + 500; ABS 1950; other institutions 600; other 280.
        Assert.Equal(new FundingMix(3000m, 1900m, 1950m, 600m, 280m), data.Funding);
        Assert.Equal(7730m, data.Funding!.Total);

        // One licensed platform: it is its own median, at percentile 0.
        var peer = Assert.Single(data.Peers);
        Assert.Equal((1100m / 7730m, 0m, 2330m / 7730m, 0m), (peer.DefaultRate, peer.DefaultRatePercentile, peer.Par30, peer.Par30Percentile));
        Assert.Equal(new IndustryPeerMedians(1100m / 7730m, 2330m / 7730m, 11760m / 7615m, 1), data.Medians);

        // CASH_LOAN only: March OB 500 all defaulted; the only 1-89 loan in February (A9) rolled to 90+: cure rate 0;
        // the January cohort is A9 alone: 600 originated, 600 defaulted in March.
        var cash = await service.GetDashboardAsync(new DashboardFilter(PlatformId: id, Product: Cash, From: "2026-01", To: "2026-03"));
        Assert.Equal((500m, 1m, 3360m / 675m), (cash.Kpis!.Current.Outstanding, cash.Kpis.Current.DefaultRate, cash.Kpis.Current.NetChargeOffRate));
        Assert.Equal(0m, cash.Roll!.CureRate);
        var cashCohort = Assert.Single(cash.Vintages);
        Assert.Equal(("2026-01", 600m), (cashCohort.Cohort, cashCohort.Originated));
        Assert.Equal([0m, 0m, 1m], cashCohort.Cumulative);
    }

    [Fact]
    public async Task A_product_with_no_rows_in_a_month_keeps_half_of_its_previous_balance_in_the_charge_off_average()
    {
        await using var db = await SystemDbAsync();
        var id = await MetricTestData.PlatformAsync(db, "WND", LicenceStatus.Licensed);
        await MetricTestData.TapeAsync(db, id, "2026-01", 1,
        [
            new("W1", Inst, D(2025, 5, 1), 1500m, 1000m, 0, "CURRENT", "OWN_FUNDS"),
            new("W2", Cash, D(2025, 6, 1), 800m, 600m, 0, "CURRENT", "OWN_FUNDS"),
        ]);
        // February: the cash product is gone (no rows at all); an instalment loan is charged off.
        await MetricTestData.TapeAsync(db, id, "2026-02", 1,
        [
            new("W1", Inst, D(2025, 5, 1), 1500m, 1000m, 0, "CURRENT", "OWN_FUNDS"),
            new("W3", Inst, D(2025, 1, 1), 700m, 0m, 200, "CHARGED_OFF", "OWN_FUNDS", ChargeOff: 130m),
        ]);

        await new MetricsRebuilder().RebuildAsync(db, id, "2026-01", CancellationToken.None);

        var february = await db.MonthlyAggregates.AsNoTracking().Where(a => a.PlatformId == id && a.Period == "2026-02").ToDictionaryAsync(a => a.ProductType);
        Assert.Equal([Cash, Inst], february.Keys.Order(StringComparer.Ordinal));
        // Cash: no loans, no balance, average (0 + 600) / 2 = 300. Instalments: (1000 + 1000) / 2 = 1000.
        Assert.Equal((0L, 0m, 300m), (february[Cash].Figures.Loans, february[Cash].Figures.Outstanding, february[Cash].Figures.AverageOutstanding));
        Assert.Equal(1000m, february[Inst].Figures.AverageOutstanding);
        // The platform: 12 x 130 / 1300 = 1.2 (without the cash product's average it would be 12 x 130 / 1000 = 1.56).
        var platform = Metrics.Sum(february.Values.Select(a => a.Figures));
        Assert.Equal(1.2m, Metrics.NetChargeOffRate(platform));
        Assert.Null(Metrics.DefaultRate(february[Cash].Figures));

        // A product whose balance was already zero the month before gets no row.
        await MetricTestData.TapeAsync(db, id, "2026-03", 1, [new("W1", Inst, D(2025, 5, 1), 1500m, 900m, 0, "CURRENT", "OWN_FUNDS")]);
        await new MetricsRebuilder().RebuildAsync(db, id, "2026-03", CancellationToken.None);
        Assert.Equal([Inst], await db.MonthlyAggregates.AsNoTracking().Where(a => a.PlatformId == id && a.Period == "2026-03").Select(a => a.ProductType).ToListAsync());
    }

    [Fact]
    public async Task A_month_after_a_gap_averages_its_own_outstanding_has_no_roll_rates_and_still_knows_earlier_defaults()
    {
        await using var db = await SystemDbAsync();
        var id = await MetricTestData.PlatformAsync(db, "GAP", LicenceStatus.Licensed);
        await MetricTestData.TapeAsync(db, id, "2026-01", 1,
        [
            new("G1", Inst, D(2025, 5, 1), 1500m, 1000m, 100, "DEFAULTED", "OWN_FUNDS"),
            new("G2", Inst, D(2025, 6, 1), 1500m, 1000m, 0, "CURRENT", "OWN_FUNDS"),
        ]);
        // February is not reported.
        await MetricTestData.TapeAsync(db, id, "2026-03", 1,
        [
            new("G1", Inst, D(2025, 5, 1), 1500m, 1000m, 160, "DEFAULTED", "OWN_FUNDS"),
            new("G2", Inst, D(2025, 6, 1), 1500m, 500m, 0, "CURRENT", "OWN_FUNDS"),
            new("G3", Inst, D(2025, 1, 1), 700m, 0m, 200, "CHARGED_OFF", "OWN_FUNDS", ChargeOff: 150m),
        ]);

        Assert.Equal(["2026-01", "2026-03"], await new MetricsRebuilder().RebuildAsync(db, id, "2026-01", CancellationToken.None));

        // March OB = 1000 + 500 = 1500; February was not reported, so the average is March's OB alone (not (1500 + 2000) / 2).
        // Net charge-off = 12 x 150 / 1500 = 1.2.
        var march = await db.MonthlyAggregates.AsNoTracking().SingleAsync(a => a.PlatformId == id && a.Period == "2026-03");
        Assert.Equal((1500m, 1500m, 1.2m), (march.Figures.Outstanding, march.Figures.AverageOutstanding, Metrics.NetChargeOffRate(march.Figures)));
        Assert.False(await db.RollRateCells.AnyAsync(c => c.PlatformId == id));
        // G1 first defaulted in January, so March's only first default is G3 (charged off at 200 DPD, principal 700).
        var vintages = await db.VintageCells.AsNoTracking().Where(v => v.PlatformId == id && v.Period == "2026-03").ToListAsync();
        Assert.Equal(("2025-01", 0m, 700m), Assert.Single(vintages.Select(v => (v.Cohort, v.Originated, v.NewlyDefaulted))));
    }

    [Fact]
    public async Task Industry_sums_every_platform_and_peer_medians_and_percentiles_cover_licence_holders_only()
    {
        var ids = new Dictionary<string, int>();
        await using (var db = await SystemDbAsync())
        {
            async Task PlatformAsync(string code, LicenceStatus status, params TapeRow[] rows)
            {
                ids[code] = await MetricTestData.PlatformAsync(db, code, status);
                await MetricTestData.TapeAsync(db, ids[code], "2026-05", 1, rows);
            }

            // B1: OB 1000; default 100 / 1000 = 0.1; PAR30 (40 and 120 DPD) 200 / 1000 = 0.2; NCO 12 x 60 / 1000 = 0.72.
            await PlatformAsync("B1", LicenceStatus.Licensed,
                new TapeRow("L1", Inst, D(2025, 1, 1), 1000m, 800m, 0, "CURRENT", "OWN_FUNDS"),
                new TapeRow("L2", Inst, D(2025, 1, 1), 1000m, 100m, 40, "DELINQUENT", "OWN_FUNDS"),
                new TapeRow("L3", Inst, D(2025, 1, 1), 1000m, 100m, 120, "DEFAULTED", "OWN_FUNDS"),
                new TapeRow("L4", Inst, D(2025, 1, 1), 1000m, 0m, 200, "CHARGED_OFF", "OWN_FUNDS", ChargeOff: 60m));
            // B2: 200 / 1000 = 0.2 default and PAR30; NCO 0.
            await PlatformAsync("B2", LicenceStatus.ConditionallyLicensed,
                new TapeRow("L1", Inst, D(2025, 1, 1), 1000m, 800m, 0, "CURRENT", "OWN_FUNDS"),
                new TapeRow("L2", Inst, D(2025, 1, 1), 1000m, 200m, 120, "DEFAULTED", "OWN_FUNDS"));
            // B3 (suspended: still a peer): 600 / 2000 = 0.3.
            await PlatformAsync("B3", LicenceStatus.Suspended,
                new TapeRow("L1", Inst, D(2025, 1, 1), 2000m, 1400m, 0, "CURRENT", "OWN_FUNDS"),
                new TapeRow("L2", Inst, D(2025, 1, 1), 2000m, 600m, 120, "DEFAULTED", "OWN_FUNDS"));
            // B4, cash loans only: 400 / 1000 = 0.4.
            await PlatformAsync("B4", LicenceStatus.Licensed,
                new TapeRow("L1", Cash, D(2025, 1, 1), 1000m, 600m, 0, "CURRENT", "OWN_FUNDS"),
                new TapeRow("L2", Cash, D(2025, 1, 1), 1000m, 400m, 120, "DEFAULTED", "OWN_FUNDS"));
            // B5, revoked: in the industry sums, not a peer. 900 / 1000 = 0.9.
            await PlatformAsync("B5", LicenceStatus.Revoked,
                new TapeRow("L1", Inst, D(2025, 1, 1), 1000m, 100m, 0, "CURRENT", "OWN_FUNDS"),
                new TapeRow("L2", Inst, D(2025, 1, 1), 1000m, 900m, 120, "DEFAULTED", "OWN_FUNDS"));
            // B6, a licensed peer with zero OB: no rates, so in no median and with no percentile.
            await PlatformAsync("B6", LicenceStatus.Licensed,
                new TapeRow("L1", Inst, D(2025, 1, 1), 1000m, 0m, 0, "REPAID", "OWN_FUNDS"));

            foreach (var id in ids.Values)
            {
                await new MetricsRebuilder().RebuildAsync(db, id, "2026-05", CancellationToken.None);
            }

            var industry = await db.IndustryAggregates.AsNoTracking().Where(i => i.Period == "2026-05").ToDictionaryAsync(i => i.ProductType);
            Assert.Equal([Products.All, Cash, Inst], industry.Keys.Order());   // no CREDIT_LINE rows anywhere

            // All products: 6 reporting platforms, 5 licence holders. Rows 4 + 2 + 2 + 2 + 2 + 1 = 13;
            // OB 1000 + 1000 + 2000 + 1000 + 1000 + 0 = 6000; defaulted 100 + 200 + 600 + 400 + 900 = 2200;
            // DPD > 30: 200 + 200 + 600 + 400 + 900 = 2300.
            // Peer default rates 0.1 0.2 0.3 0.4 -> median (0.2 + 0.3) / 2 = 0.25; PAR30 0.2 0.2 0.3 0.4 -> 0.25;
            // NCO 0.72 0 0 0 -> (0 + 0) / 2 = 0.
            var all = industry[Products.All];
            Assert.Equal((6, 5, 13L, 6000m, 2200m, 2300m, 60m), (all.Platforms, all.Peers, all.Figures.Loans, all.Figures.Outstanding, all.Figures.Defaulted, all.Figures.Dpd30, all.Figures.ChargeOffs));
            Assert.Equal((0.25m, 0.25m, 0m), (all.MedianDefaultRate, all.MedianPar30, all.MedianNetChargeOffRate));
            // INSTALLMENT: B1 B2 B3 B5 B6 report it, B1 B2 B3 B6 are peers; rates 0.1 0.2 0.3 -> median 0.2 (odd count).
            Assert.Equal((5, 4, 0.2m, 0.2m, 0m), (industry[Inst].Platforms, industry[Inst].Peers, industry[Inst].MedianDefaultRate, industry[Inst].MedianPar30, industry[Inst].MedianNetChargeOffRate));
            // CASH_LOAN: B4 alone.
            Assert.Equal((1, 1, 0.4m, 1000m), (industry[Cash].Platforms, industry[Cash].Peers, industry[Cash].MedianDefaultRate, industry[Cash].Figures.Outstanding));

            var ranks = await db.PeerRanks.AsNoTracking().Where(r => r.Period == "2026-05").ToListAsync();
            (decimal?, decimal?, decimal?, decimal?, decimal?, decimal?) Rank(string code, string product)
            {
                var r = ranks.Single(r => r.PlatformId == ids[code] && r.ProductType == product);
                return (r.DefaultRate, r.DefaultRatePercentile, r.Par30, r.Par30Percentile, r.NetChargeOffRate, r.NetChargeOffPercentile);
            }

            // Percentile = 100 x (peers strictly lower) / (n - 1), n = 4 peers with a rate.
            Assert.Equal((0.1m, 0m, 0.2m, 0m, 0.72m, 100m), Rank("B1", Products.All));
            Assert.Equal((0.2m, 33.33m, 0.2m, 0m, 0m, 0m), Rank("B2", Products.All));      // PAR30 ties with B1: neither is lower
            Assert.Equal((0.3m, 66.67m, 0.3m, 66.67m, 0m, 0m), Rank("B3", Products.All));
            Assert.Equal((0.4m, 100m, 0.4m, 100m, 0m, 0m), Rank("B4", Products.All));
            Assert.Equal((0.9m, null, 0.9m, null, 0m, null), Rank("B5", Products.All));     // not a peer: value, no percentile
            Assert.Equal((null, null, null, null, null, null), Rank("B6", Products.All));   // zero OB
            // INSTALLMENT, n = 3: B1 0, B2 100 x 1 / 2 = 50, B3 100.
            Assert.Equal((0.1m, 0m, 0.2m, 0m, 0.72m, 100m), Rank("B1", Inst));
            Assert.Equal((0.2m, 50m, 0.2m, 0m, 0m, 0m), Rank("B2", Inst));
            Assert.Equal((0.3m, 100m, 0.3m, 100m, 0m, 0m), Rank("B3", Inst));
            Assert.Equal((0.4m, 0m, 0.4m, 0m, 0m, 0m), Rank("B4", Cash));                  // a single peer: 0
            Assert.Equal(6 + 5 + 1, ranks.Count);
        }

        await using var system = _portal.As(UserContext.System);
        var service = system.Get<MonitoringService>();
        var data = await service.GetDashboardAsync(new DashboardFilter(To: "2026-05"));
        Assert.Equal(new IndustryPeerMedians(0.25m, 0.25m, 0m, 5), data.Medians);
        Assert.Equal((6000m, 2200m / 6000m), (data.Kpis!.Industry!.Outstanding, data.Kpis.Industry.DefaultRate));
        Assert.Equal((0.25m, 0.25m, 2200m / 6000m), (data.Industry[^1].MedianDefaultRate, data.Industry[^1].MedianPar30, data.Industry[^1].IndustryDefaultRate));
        Assert.Equal(["B1", "B2", "B3", "B4", "B5", "B6"], data.Peers.Select(p => p.Code));
        Assert.Equal(new decimal?[] { 0m, 33.33m, 66.67m, 100m, null, null }, data.Peers.Select(p => p.DefaultRatePercentile).ToArray());
        var installments = await service.GetDashboardAsync(new DashboardFilter(Product: Inst, To: "2026-05"));
        Assert.Equal(new IndustryPeerMedians(0.2m, 0.2m, 0m, 4), installments.Medians);
        Assert.Equal(new decimal?[] { 0m, 50m, 100m, null, null }, installments.Peers.Select(p => p.DefaultRatePercentile).ToArray());
    }
}

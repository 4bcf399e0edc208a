using System.Globalization;
using FinancePortal.Application;
using FinancePortal.Application.Domain;
using FinancePortal.Application.Features.Monitoring;
using FinancePortal.Application.Security;
using FinancePortal.TestSupport;
using Microsoft.EntityFrameworkCore;

namespace FinancePortal.IntegrationTests.Monitoring;

/// <summary>
/// Property: on random tapes (several platforms and months, every status, product and funding source, loans that
/// vanish and reappear, resubmitted months, an unsigned upload, a month not reported), every stored figure, roll-rate
/// cell, vintage cell, industry sum, peer median and percentile equals a direct computation from the latest signed
/// rows, written here loan by loan without the production folding code.
/// </summary>
public class MetricPropertyTests : IAsyncLifetime
{
    private static readonly string[] Months = ["2026-01", "2026-02", "2026-03", "2026-04"];
    private static readonly string[] ProductTypes = ["INSTALLMENT", "CREDIT_LINE", "CASH_LOAN"];
    private static readonly string[] Funding = ["OWN_FUNDS", "BANK_COLENDING", "ABS", "OTHER_INSTITUTION", "OTHER"];
    private static readonly int[] DpdValues = [0, 0, 0, 0, 0, 1, 15, 29, 30, 31, 45, 59, 60, 61, 75, 89, 90, 91, 120, 121, 150, 180, 181, 300];
    private static readonly int[] ChargeOffDpd = [0, 45, 90, 120, 200, 365];

    private PortalServices _portal = default!;

    public async Task InitializeAsync() => _portal = await PortalServices.CreateAsync(seedDemo: false);

    public async Task DisposeAsync() => await _portal.DisposeAsync();

    private sealed record PlatformSpec(string Code, LicenceStatus Status, int LoanCount, string[] Products, string? SkippedMonth);

    private static readonly PlatformSpec[] Platforms =
    [
        new("PA", LicenceStatus.Licensed, 160, ProductTypes, null),
        new("PB", LicenceStatus.ConditionallyLicensed, 120, ProductTypes, null),
        new("PC", LicenceStatus.Suspended, 60, ["INSTALLMENT", "CASH_LOAN"], null),
        new("PD", LicenceStatus.Applicant, 50, ProductTypes, "2026-03"),   // not a peer; does not report March
    ];

    private sealed record LoanSeed(string LoanId, string Product, string Funding, decimal Principal, DateOnly Originated, int FirstMonth);

    private static decimal Money(Random random, decimal max) => Math.Round((decimal)random.NextDouble() * max, 2);

    private static DateOnly First(string period) => DateOnly.ParseExact(period + "-01", "yyyy-MM-dd", CultureInfo.InvariantCulture);

    private static string PeriodOf(DateOnly day) => day.ToString("yyyy-MM", CultureInfo.InvariantCulture);

    /// <summary>Loan ids repeat across platforms on purpose: nothing may match loans of another platform.</summary>
    private static List<LoanSeed> Loans(Random random, PlatformSpec spec)
    {
        var loans = new List<LoanSeed>();
        for (var i = 0; i < spec.LoanCount; i++)
        {
            var firstMonth = random.Next(4) == 0 ? random.Next(1, Months.Length) : 0;
            var monthStart = First(Months[firstMonth]);
            var days = monthStart.AddMonths(1).DayNumber - monthStart.DayNumber;
            var originated = random.Next(10) switch
            {
                < 6 => monthStart.AddDays(random.Next(5) == 0 ? (random.Next(2) == 0 ? 0 : days - 1) : random.Next(days)), // in its first month, edges included
                < 8 => monthStart.AddDays(-1 - random.Next(60)),                                                              // a month or two before first reported
                _ => new DateOnly(2024, 6, 1).AddDays(random.Next(500)),
            };
            loans.Add(new LoanSeed($"L{i:D4}", spec.Products[random.Next(spec.Products.Length)], Funding[random.Next(Funding.Length)],
                100m + Money(random, 50_000m), originated, firstMonth));
        }

        return loans;
    }

    private static TapeRow Row(Random random, LoanSeed loan)
    {
        var roll = random.Next(100);
        if (roll < 8)
        {
            return new(loan.LoanId, loan.Product, loan.Originated, loan.Principal, 0m, 0, "REPAID", loan.Funding, Recovery: random.Next(10) == 0 ? Money(random, 50m) : 0m);
        }

        if (roll < 16)
        {
            return new(loan.LoanId, loan.Product, loan.Originated, loan.Principal, 0m, ChargeOffDpd[random.Next(ChargeOffDpd.Length)], "CHARGED_OFF", loan.Funding,
                ChargeOff: Money(random, loan.Principal), Recovery: random.Next(2) == 0 ? Money(random, 500m) : 0m);
        }

        var dpd = DpdValues[random.Next(DpdValues.Length)];
        var status = dpd == 0 ? "CURRENT" : dpd < 90 ? "DELINQUENT" : "DEFAULTED";
        var outstanding = random.Next(30) == 0 ? 0m : random.Next(40) == 0 ? loan.Principal * 1.1m : Money(random, loan.Principal);
        return new(loan.LoanId, loan.Product, loan.Originated, loan.Principal, Math.Round(outstanding, 2), dpd, status, loan.Funding,
            Recovery: random.Next(25) == 0 ? Money(random, 100m) : 0m);
    }

    /// <summary>One month's tape: every loan alive from its first month on, each missing with probability 1/8.</summary>
    private static List<TapeRow> Tape(Random random, List<LoanSeed> loans, int month) =>
        loans.Where(l => l.FirstMonth <= month && random.Next(8) != 0).Select(l => Row(random, l)).ToList();

    [Theory]
    [InlineData(1)]
    [InlineData(20260)]
    [InlineData(424242)]
    public async Task Stored_aggregates_equal_a_direct_computation_from_the_latest_signed_rows(int seed)
    {
        var random = new Random(seed);
        var ids = new Dictionary<string, int>();
        var latest = new Dictionary<(string Code, string Period), List<TapeRow>>();
        var late = new List<(string Code, string Period, int Version, List<TapeRow> Rows)>();
        var rebuilder = new MetricsRebuilder();

        await using (var scope = _portal.As(UserContext.System))
        await using (var db = await scope.Get<IPortalDbFactory>().CreateAsync())
        {
            foreach (var spec in Platforms)
            {
                ids[spec.Code] = await MetricTestData.PlatformAsync(db, spec.Code, spec.Status);
                var loans = Loans(random, spec);
                for (var m = 0; m < Months.Length; m++)
                {
                    if (Months[m] == spec.SkippedMonth)
                    {
                        continue;
                    }

                    var rows = Tape(random, loans, m);
                    // PA resubmits February, PB resubmits March (a third upload of PB's March is never signed): version 1
                    // is built first, version 2 is signed later and rebuilt from its month on.
                    if ((spec.Code, Months[m]) is ("PA", "2026-02") or ("PB", "2026-03"))
                    {
                        await MetricTestData.TapeAsync(db, ids[spec.Code], Months[m], 1, Tape(random, loans, m));
                        late.Add((spec.Code, Months[m], 2, rows));
                    }
                    else
                    {
                        await MetricTestData.TapeAsync(db, ids[spec.Code], Months[m], 1, rows);
                    }

                    latest[(spec.Code, Months[m])] = rows;
                }

                await rebuilder.RebuildAsync(db, ids[spec.Code], Months[0], CancellationToken.None);
            }

            foreach (var (code, period, version, rows) in late)
            {
                await MetricTestData.TapeAsync(db, ids[code], period, version, rows);
                if (code == "PB")
                {
                    await MetricTestData.TapeAsync(db, ids[code], period, null, Tape(random, Loans(random, Platforms[1]), 3));
                }

                await rebuilder.RebuildAsync(db, ids[code], period, CancellationToken.None);
            }
        }

        var expected = Expected(latest);
        Assert.True(latest.Values.Sum(r => r.Count) > 1000, "a few hundred loans over four months");

        await using var system = _portal.As(UserContext.System);
        await using (var db = await system.Get<IPortalDbFactory>().CreateAsync())
        {
            var code = ids.ToDictionary(kv => kv.Value, kv => kv.Key);

            var aggregates = await db.MonthlyAggregates.AsNoTracking().ToListAsync();
            Assert.Equal(expected.Figures.Keys.Order(), aggregates.Select(a => (code[a.PlatformId], a.Period, a.ProductType)).Order());
            foreach (var a in aggregates)
            {
                AssertFigures(expected.Figures[(code[a.PlatformId], a.Period, a.ProductType)], a.Figures, $"{code[a.PlatformId]} {a.Period} {a.ProductType}");
            }

            // Resubmitted months point at version 2.
            Assert.All(aggregates.Where(a => (code[a.PlatformId], a.Period) is ("PA", "2026-02") or ("PB", "2026-03")), a => Assert.Equal(2, a.Version));

            var roll = await db.RollRateCells.AsNoTracking().ToListAsync();
            Assert.Equal(expected.Roll.Order(), roll.Select(c => (code[c.PlatformId], c.Period, c.ProductType, c.From, c.To, c.Loans, c.Balance)).Order());

            var vintages = await db.VintageCells.AsNoTracking().ToListAsync();
            Assert.Equal(expected.Vintages.Order(), vintages.Select(v => (code[v.PlatformId], v.Period, v.ProductType, v.Cohort, v.Originated, v.NewlyDefaulted)).Order());

            var industry = await db.IndustryAggregates.AsNoTracking().ToListAsync();
            Assert.Equal(expected.Industry.Keys.Order(), industry.Select(i => (i.Period, i.ProductType)).Order());
            foreach (var i in industry)
            {
                var e = expected.Industry[(i.Period, i.ProductType)];
                Assert.Equal((e.Platforms, e.Peers, e.MedianDefaultRate, e.MedianPar30, e.MedianNetChargeOff), (i.Platforms, i.Peers, i.MedianDefaultRate, i.MedianPar30, i.MedianNetChargeOffRate));
                AssertFigures(e.Figures, i.Figures, $"industry {i.Period} {i.ProductType}");
            }

            var ranks = await db.PeerRanks.AsNoTracking().ToListAsync();
            Assert.Equal(expected.Ranks.Order(), ranks.Select(r => (code[r.PlatformId], r.Period, r.ProductType, r.DefaultRate, r.DefaultRatePercentile, r.Par30, r.Par30Percentile, r.NetChargeOffRate, r.NetChargeOffPercentile)).Order());
        }

        // The dashboard over the aggregates: each platform, and the whole industry.
        var service = system.Get<MonitoringService>();
        foreach (var (platformCode, platformId) in ids.Append(new("", 0)))
        {
            int? filter = platformId == 0 ? null : platformId;
            var data = await service.GetDashboardAsync(new DashboardFilter(PlatformId: filter, From: Months[0], To: Months[^1]));
            var codes = filter is null ? Platforms.Select(p => p.Code).ToList() : [platformCode];
            var current = SumOf(expected.Figures.Where(kv => codes.Contains(kv.Key.Code) && kv.Key.Period == Months[^1]).Select(kv => kv.Value));
            Assert.Equal(SetOf(current), data.Kpis!.Current);
            var before = SumOf(expected.Figures.Where(kv => codes.Contains(kv.Key.Code) && kv.Key.Period == Months[^2]).Select(kv => kv.Value));
            Assert.Equal(before.Loans == 0 ? null : SetOf(before), data.Kpis.Previous);
            Assert.Equal(new FundingMix(current.OwnFunds, current.BankCoLending, current.Abs, current.OtherInstitution, current.OtherFunding), data.Funding);

            var cells = expected.Roll.Where(c => codes.Contains(c.Code) && c.Period == Months[^1]).ToList();
            var delinquent = cells.Where(c => c.From is DelinquencyBucket.Dpd1To29 or DelinquencyBucket.Dpd30To59 or DelinquencyBucket.Dpd60To89).ToList();
            var delinquentOb = delinquent.Sum(c => c.Balance);
            Assert.Equal(delinquentOb == 0 ? null : delinquent.Where(c => c.To == DelinquencyBucket.Current).Sum(c => c.Balance) / delinquentOb, data.Roll?.CureRate);

            var curves = new List<(string Cohort, decimal Originated, decimal[] Cumulative)>();
            foreach (var cohort in Months)
            {
                var cohortCells = expected.Vintages.Where(v => codes.Contains(v.Code) && v.Cohort == cohort).ToList();
                var originated = cohortCells.Sum(v => v.Originated);
                if (originated > 0)
                {
                    var cumulative = Months.Where(p => string.CompareOrdinal(p, cohort) >= 0)
                        .Select(p => cohortCells.Where(v => string.CompareOrdinal(v.Period, p) <= 0).Sum(v => v.NewlyDefaulted) / originated).ToArray();
                    curves.Add((cohort, originated, cumulative));
                }
            }

            Assert.Equal(curves.Select(c => c.Cohort), data.Vintages.Select(v => v.Cohort));
            Assert.Equal(curves.Select(c => c.Originated), data.Vintages.Select(v => v.Originated));
            Assert.Equal(curves.SelectMany(c => c.Cumulative), data.Vintages.SelectMany(v => v.Cumulative));
        }
    }

    private sealed record ExpectedIndustry(int Platforms, int Peers, PortfolioFigures Figures, decimal? MedianDefaultRate, decimal? MedianPar30, decimal? MedianNetChargeOff);

    private sealed record ExpectedState(
        Dictionary<(string Code, string Period, string Product), PortfolioFigures> Figures,
        List<(string Code, string Period, string Product, DelinquencyBucket From, DelinquencyBucket To, long Loans, decimal Balance)> Roll,
        List<(string Code, string Period, string Product, string Cohort, decimal Originated, decimal NewlyDefaulted)> Vintages,
        Dictionary<(string Period, string Product), ExpectedIndustry> Industry,
        List<(string Code, string Period, string Product, decimal? DefaultRate, decimal? DefaultPct, decimal? Par30, decimal? Par30Pct, decimal? Nco, decimal? NcoPct)> Ranks);

    private static bool Active(TapeRow r) => r.Status is not ("REPAID" or "CHARGED_OFF");

    private static bool InDefault(TapeRow r) => r.Dpd >= 90 || r.Status == "DEFAULTED";

    private static DelinquencyBucket BucketOf(TapeRow r) =>
        r.Status == "CHARGED_OFF" ? DelinquencyBucket.ChargedOff
        : r.Status == "REPAID" ? DelinquencyBucket.Repaid
        : r.Dpd == 0 ? DelinquencyBucket.Current
        : r.Dpd <= 29 ? DelinquencyBucket.Dpd1To29
        : r.Dpd <= 59 ? DelinquencyBucket.Dpd30To59
        : r.Dpd <= 89 ? DelinquencyBucket.Dpd60To89
        : DelinquencyBucket.Dpd90Plus;

    /// <summary>The figures of one product's rows, loan by loan; <paramref name="previousOb"/> is null when the month before was not reported.</summary>
    private static PortfolioFigures Direct(List<TapeRow> rows, string period, decimal? previousOb)
    {
        var f = new PortfolioFigures();
        foreach (var r in rows)
        {
            f.Loans++;
            f.ChargeOffs += r.ChargeOff;
            f.Recoveries += r.Recovery;
            if (PeriodOf(r.Originated) == period)
            {
                f.Originated += r.Principal;
            }

            if (!Active(r))
            {
                continue;
            }

            var ob = r.Outstanding;
            f.ActiveLoans++;
            f.Outstanding += ob;
            if (r.Dpd > 30) f.Dpd30 += ob;
            if (r.Dpd > 60) f.Dpd60 += ob;
            if (r.Dpd > 90) f.Dpd90 += ob;
            if (InDefault(r)) f.Defaulted += ob;
            if (r.Dpd is >= 1 and <= 90) f.SpecialMention += ob;
            if (r.Dpd is >= 91 and <= 120) f.Substandard += ob;
            if (r.Dpd is >= 121 and <= 180) f.Doubtful += ob;
            if (r.Dpd > 180) f.Loss += ob;
            if (r.Funding == "OWN_FUNDS") f.OwnFunds += ob;
            if (r.Funding == "BANK_COLENDING") f.BankCoLending += ob;
            if (r.Funding == "ABS") f.Abs += ob;
            if (r.Funding == "OTHER_INSTITUTION") f.OtherInstitution += ob;
            if (r.Funding == "OTHER") f.OtherFunding += ob;
        }

        f.AverageOutstanding = previousOb is decimal before ? (f.Outstanding + before) / 2m : f.Outstanding;
        return f;
    }

    private static PortfolioFigures SumOf(IEnumerable<PortfolioFigures> figures)
    {
        var total = new PortfolioFigures();
        foreach (var f in figures)
        {
            foreach (var p in typeof(PortfolioFigures).GetProperties())
            {
                p.SetValue(total, p.PropertyType == typeof(long) ? (long)p.GetValue(total)! + (long)p.GetValue(f)! : (object)((decimal)p.GetValue(total)! + (decimal)p.GetValue(f)!));
            }
        }

        return total;
    }

    private static decimal? Rate(decimal numerator, decimal denominator) => denominator == 0 ? null : numerator / denominator;

    private static decimal? Nco(PortfolioFigures f) => f.AverageOutstanding == 0 ? null : 12m * (f.ChargeOffs - f.Recoveries) / f.AverageOutstanding;

    private static MetricSet SetOf(PortfolioFigures f) => new(
        f.Loans, f.Outstanding, Rate(f.Defaulted, f.Outstanding), Rate(f.Dpd30, f.Outstanding), Rate(f.Dpd60, f.Outstanding), Rate(f.Dpd90, f.Outstanding),
        Rate(f.Substandard + f.Doubtful + f.Loss, f.Outstanding), Nco(f), Rate(f.OwnFunds, f.Outstanding), Rate(f.Abs, f.Outstanding));

    private static decimal? MedianOf(List<decimal> values)
    {
        var sorted = values.OrderBy(v => v).ToArray();
        return sorted.Length == 0 ? null : sorted.Length % 2 == 1 ? sorted[sorted.Length / 2] : (sorted[sorted.Length / 2 - 1] + sorted[sorted.Length / 2]) / 2m;
    }

    private static decimal? PercentileOf(decimal? value, List<decimal> peers, bool isPeer) =>
        !isPeer || value is not decimal v ? null
        : peers.Count <= 1 ? 0m
        : Math.Round(100m * peers.Count(p => p < v) / (peers.Count - 1), 2, MidpointRounding.AwayFromZero);

    private static ExpectedState Expected(Dictionary<(string Code, string Period), List<TapeRow>> latest)
    {
        var figures = new Dictionary<(string, string, string), PortfolioFigures>();
        var roll = new List<(string, string, string, DelinquencyBucket, DelinquencyBucket, long, decimal)>();
        var vintages = new List<(string, string, string, string, decimal, decimal)>();
        foreach (var spec in Platforms)
        {
            var reported = Months.Where(m => latest.ContainsKey((spec.Code, m))).ToList();
            foreach (var period in reported)
            {
                var rows = latest[(spec.Code, period)];
                var previousPeriod = PeriodOf(First(period).AddMonths(-1));
                latest.TryGetValue((spec.Code, previousPeriod), out var previous);
                var carried = previous?.Where(Active).GroupBy(r => r.Product).Where(g => g.Sum(r => r.Outstanding) != 0).Select(g => g.Key) ?? [];
                foreach (var product in rows.Select(r => r.Product).Union(carried).Distinct())
                {
                    decimal? previousOb = previous?.Where(r => r.Product == product && Active(r)).Sum(r => r.Outstanding);
                    figures[(spec.Code, period, product)] = Direct(rows.Where(r => r.Product == product).ToList(), period, previousOb);
                }

                if (previous is not null)
                {
                    var now = rows.ToDictionary(r => r.LoanId);
                    roll.AddRange(previous
                        .Select(p => (p.Product, From: BucketOf(p), To: now.TryGetValue(p.LoanId, out var c) ? BucketOf(c) : DelinquencyBucket.NotReported, Balance: Active(p) ? p.Outstanding : 0m))
                        .GroupBy(x => (x.Product, x.From, x.To))
                        .Select(g => (spec.Code, period, g.Key.Product, g.Key.From, g.Key.To, (long)g.Count(), g.Sum(x => x.Balance))));
                }

                var defaultedBefore = reported.Where(m => string.CompareOrdinal(m, period) < 0)
                    .SelectMany(m => latest[(spec.Code, m)]).Where(InDefault).Select(r => r.LoanId).ToHashSet();
                var cells = new Dictionary<(string Product, string Cohort), (decimal Originated, decimal NewlyDefaulted)>();
                foreach (var r in rows.Where(r => InDefault(r) && !defaultedBefore.Contains(r.LoanId)))
                {
                    var key = (r.Product, PeriodOf(r.Originated));
                    var cell = cells.GetValueOrDefault(key);
                    cells[key] = (cell.Originated, cell.NewlyDefaulted + r.Principal);
                }

                foreach (var r in rows.Where(r => PeriodOf(r.Originated) == period))
                {
                    var key = (r.Product, period);
                    var cell = cells.GetValueOrDefault(key);
                    cells[key] = (cell.Originated + r.Principal, cell.NewlyDefaulted);
                }

                vintages.AddRange(cells.Select(kv => (spec.Code, period, kv.Key.Product, kv.Key.Cohort, kv.Value.Originated, kv.Value.NewlyDefaulted)));
            }
        }

        var industry = new Dictionary<(string, string), ExpectedIndustry>();
        var ranks = new List<(string, string, string, decimal?, decimal?, decimal?, decimal?, decimal?, decimal?)>();
        var peerCodes = Platforms.Where(p => p.Status is LicenceStatus.Licensed or LicenceStatus.ConditionallyLicensed or LicenceStatus.Suspended).Select(p => p.Code).ToHashSet();
        foreach (var period in Months)
        {
            foreach (var product in ProductTypes.Append(Products.All))
            {
                var byPlatform = Platforms
                    .Select(p => (p.Code, Rows: figures.Where(kv => kv.Key.Item1 == p.Code && kv.Key.Item2 == period && (product == Products.All || kv.Key.Item3 == product)).Select(kv => kv.Value).ToList()))
                    .Where(x => x.Rows.Count > 0)
                    .Select(x => (x.Code, Figures: SumOf(x.Rows)))
                    .ToList();
                if (byPlatform.Count == 0)
                {
                    continue;
                }

                var peers = byPlatform.Where(x => peerCodes.Contains(x.Code)).ToList();
                var defaultRates = peers.Select(x => Rate(x.Figures.Defaulted, x.Figures.Outstanding)).OfType<decimal>().ToList();
                var par30s = peers.Select(x => Rate(x.Figures.Dpd30, x.Figures.Outstanding)).OfType<decimal>().ToList();
                var ncos = peers.Select(x => Nco(x.Figures)).OfType<decimal>().ToList();
                industry[(period, product)] = new ExpectedIndustry(byPlatform.Count, peers.Count, SumOf(byPlatform.Select(x => x.Figures)),
                    MedianOf(defaultRates), MedianOf(par30s), MedianOf(ncos));
                foreach (var (code, f) in byPlatform)
                {
                    var isPeer = peerCodes.Contains(code);
                    var defaultRate = Rate(f.Defaulted, f.Outstanding);
                    var par30 = Rate(f.Dpd30, f.Outstanding);
                    var nco = Nco(f);
                    ranks.Add((code, period, product, defaultRate, PercentileOf(defaultRate, defaultRates, isPeer), par30, PercentileOf(par30, par30s, isPeer), nco, PercentileOf(nco, ncos, isPeer)));
                }
            }
        }

        return new ExpectedState(figures, roll, vintages, industry, ranks);
    }

    private static void AssertFigures(PortfolioFigures expected, PortfolioFigures actual, string what)
    {
        foreach (var p in typeof(PortfolioFigures).GetProperties())
        {
            Assert.True(Equals(p.GetValue(expected), p.GetValue(actual)), $"{what} {p.Name}: expected {p.GetValue(expected)}, stored {p.GetValue(actual)}");
        }
    }
}

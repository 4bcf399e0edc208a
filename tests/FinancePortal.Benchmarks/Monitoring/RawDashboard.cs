using FinancePortal.Application;
using FinancePortal.Application.Domain;
using FinancePortal.Application.Features.Monitoring;
using FinancePortal.Application.Features.LoanTapes;
using Microsoft.EntityFrameworkCore;

namespace FinancePortal.Benchmarks.Monitoring;

/// <summary>
/// The numbers of the all-platforms, all-products dashboard computed straight from the loan rows, without the stored
/// aggregates: the figures of every platform-month's latest signed version (<see cref="FigureQueries.FiguresAsync"/>
/// per submission, GROUP BY in the database), the industry sums, medians and percentiles, the roll-rate matrix of the
/// last month (loan-id join of t-1 and t per platform) and the vintage curves (each loan's first month at DPD &gt;= 90 or
/// DEFAULTED). The baseline the aggregates must beat by &gt;= 20x; <see cref="Compare"/> checks that both give the same numbers.
/// </summary>
public static class RawDashboard
{
    public sealed record Result(
        IReadOnlyDictionary<(int PlatformId, string Period), MetricSet> Series,
        IReadOnlyList<IndustryPoint> Industry,
        MetricSet Current,
        MetricSet? Previous,
        FundingMix Funding,
        IReadOnlyList<(int PlatformId, decimal? DefaultRate, decimal? Percentile)> Peers,
        IReadOnlyList<RollRow> Roll,
        decimal? CureRate,
        IReadOnlyList<VintageCurve> Vintages);

    public static async Task<Result> ComputeAsync(IPortalDbFactory factory, string from, string to, CancellationToken ct)
    {
        await using var db = await factory.CreateAsync(ct);
        var months = Periods.Range(from, to);
        var previous = Periods.Previous(to);

        // The latest signed version of every platform-month up to the end of the range.
        var signed = await db.LoanSubmissions.AsNoTracking()
            .Where(s => s.Status == SubmissionStatus.Signed && s.Version != null && string.Compare(s.Period, to) <= 0)
            .Select(s => new { s.Id, s.PlatformId, s.Period, Version = s.Version!.Value })
            .ToListAsync(ct);
        var latest = signed.GroupBy(s => (s.PlatformId, s.Period)).ToDictionary(g => g.Key, g => g.MaxBy(s => s.Version)!.Id);

        // Figures per platform, month and product from the rows; the average OB needs the month before.
        var byProduct = new Dictionary<(int PlatformId, string Period), Dictionary<string, PortfolioFigures>>();
        var needed = Periods.Range(Periods.Previous(from), to).ToHashSet(StringComparer.Ordinal);
        foreach (var ((platformId, period), submissionId) in latest.Where(kv => needed.Contains(kv.Key.Period)).OrderBy(kv => kv.Key.Period, StringComparer.Ordinal))
        {
            var last = Periods.LastDay(period);
            var figures = await FigureQueries.FiguresAsync(db.LoanRecords.Where(r => r.SubmissionId == submissionId), last.AddDays(1 - last.Day), last, ct);
            var lastMonth = byProduct.GetValueOrDefault((platformId, Periods.Previous(period)));
            foreach (var (product, _) in lastMonth?.Where(kv => kv.Value.Outstanding != 0 && !figures.ContainsKey(kv.Key)) ?? [])
            {
                figures[product] = new PortfolioFigures();
            }

            foreach (var (product, f) in figures)
            {
                f.AverageOutstanding = lastMonth is null ? f.Outstanding : (f.Outstanding + (lastMonth.TryGetValue(product, out var b) ? b.Outstanding : 0m)) / 2m;
            }

            byProduct[(platformId, period)] = figures;
        }

        var totals = byProduct.ToDictionary(kv => kv.Key, kv => Metrics.Sum(kv.Value.Values));
        var series = totals.Where(kv => months.Contains(kv.Key.Period)).ToDictionary(kv => kv.Key, kv => MetricSet.Of(kv.Value));

        // Industry per month: sums over platforms, medians over licence holders.
        var licensed = (await db.Platforms.AsNoTracking().Where(Peers.LicenceHolders).Select(p => p.Id).ToListAsync(ct)).ToHashSet();
        var industry = months.Select(m =>
        {
            var platforms = totals.Where(kv => kv.Key.Period == m).ToList();
            if (platforms.Count == 0)
            {
                return new IndustryPoint(m, null, null, null);
            }

            var peers = platforms.Where(kv => licensed.Contains(kv.Key.PlatformId)).Select(kv => kv.Value).ToList();
            return new IndustryPoint(m,
                Metrics.Median(peers.Select(Metrics.DefaultRate).OfType<decimal>()),
                Metrics.Median(peers.Select(f => Metrics.Par(f, 30)).OfType<decimal>()),
                Metrics.DefaultRate(Metrics.Sum(platforms.Select(kv => kv.Value))));
        }).ToList();

        var current = Metrics.Sum(totals.Where(kv => kv.Key.Period == to).Select(kv => kv.Value));
        var before = totals.Where(kv => kv.Key.Period == previous).Select(kv => kv.Value).ToList();
        var peerRates = totals.Where(kv => kv.Key.Period == to && licensed.Contains(kv.Key.PlatformId))
            .Select(kv => Metrics.DefaultRate(kv.Value)).OfType<decimal>().ToList();
        var ranks = totals.Where(kv => kv.Key.Period == to).OrderBy(kv => kv.Key.PlatformId)
            .Select(kv => (kv.Key.PlatformId, Metrics.DefaultRate(kv.Value),
                licensed.Contains(kv.Key.PlatformId) && Metrics.DefaultRate(kv.Value) is decimal d ? Metrics.PercentRank(d, peerRates) : (decimal?)null))
            .ToList();

        var pairs = new List<(long Previous, long Current)>();
        foreach (var ((platformId, period), submissionId) in latest.Where(kv => kv.Key.Period == to))
        {
            if (latest.TryGetValue((platformId, previous), out var previousId))
            {
                pairs.Add((previousId, submissionId));
            }
        }

        var (roll, cure) = await RollMatrixAsync(db, pairs, ct);
        var vintages = await VintagesAsync(db, latest.Values.ToList(), byProduct, from, to, ct);

        return new Result(series, industry, MetricSet.Of(current), before.Count == 0 ? null : MetricSet.Of(Metrics.Sum(before)),
            new FundingMix(current.OwnFunds, current.BankCoLending, current.Abs, current.OtherInstitution, current.OtherFunding),
            ranks, roll, cure, vintages);
    }

    /// <summary>Balance-weighted transitions of the same loan ids from t-1 to t, summed over platforms.</summary>
    private static async Task<(IReadOnlyList<RollRow> Rows, decimal? Cure)> RollMatrixAsync(IPortalDb db, List<(long Previous, long Current)> pairs, CancellationToken ct)
    {
        var sums = new Dictionary<(DelinquencyBucket From, DelinquencyBucket To), decimal>();
        foreach (var (previousId, currentId) in pairs)
        {
            var transitions =
                from p in db.LoanRecords.Where(r => r.SubmissionId == previousId)
                join c in db.LoanRecords.Where(r => r.SubmissionId == currentId) on p.LoanId equals c.LoanId into matched
                from c in matched.DefaultIfEmpty()
                select new
                {
                    FromStatus = p.Status,
                    FromDpd = p.DaysPastDue,
                    ToStatus = c == null ? null : c.Status,
                    ToDpd = c == null ? 0 : c.DaysPastDue,
                    p.OutstandingPrincipal,
                };
            await foreach (var t in transitions.AsAsyncEnumerable().WithCancellation(ct))
            {
                var key = (Metrics.Bucket(t.FromStatus, t.FromDpd), t.ToStatus is null ? DelinquencyBucket.NotReported : Metrics.Bucket(t.ToStatus, t.ToDpd));
                var balance = t.FromStatus is "REPAID" or "CHARGED_OFF" ? 0m : t.OutstandingPrincipal;
                sums[key] = sums.GetValueOrDefault(key) + balance;
            }
        }

        var rows = new List<RollRow>();
        foreach (var from in new[] { DelinquencyBucket.Current, DelinquencyBucket.Dpd1To29, DelinquencyBucket.Dpd30To59, DelinquencyBucket.Dpd60To89, DelinquencyBucket.Dpd90Plus })
        {
            var total = sums.Where(s => s.Key.From == from).Sum(s => s.Value);
            var shares = Enum.GetValues<DelinquencyBucket>().ToDictionary(to => to, to => total == 0 ? 0m : sums.GetValueOrDefault((from, to)) / total);
            rows.Add(new RollRow(from, total, shares));
        }

        var cure = Metrics.CureRate(sums.Select(s => new RollRateCell { From = s.Key.From, To = s.Key.To, Balance = s.Value }));
        return (rows, cure);
    }

    /// <summary>
    /// Cumulative share of each cohort's originated principal that reached DPD &gt;= 90 or DEFAULTED, by the first month
    /// it did so in a latest signed version.
    /// </summary>
    private static async Task<IReadOnlyList<VintageCurve>> VintagesAsync(
        IPortalDb db, List<long> latestIds, Dictionary<(int PlatformId, string Period), Dictionary<string, PortfolioFigures>> figures,
        string from, string to, CancellationToken ct)
    {
        var defaulted = db.LoanRecords.AsNoTracking()
            .Where(r => latestIds.Contains(r.SubmissionId) && (r.DaysPastDue >= 90 || r.Status == "DEFAULTED"))
            .Select(r => new { r.PlatformId, r.LoanId, r.Period, r.OriginationDate, r.Principal });
        var first = new Dictionary<(int, string), (string Period, DateOnly Originated, decimal Principal)>();
        await foreach (var r in defaulted.AsAsyncEnumerable().WithCancellation(ct))
        {
            var key = (r.PlatformId, r.LoanId);
            if (!first.TryGetValue(key, out var seen) || string.CompareOrdinal(r.Period, seen.Period) < 0)
            {
                first[key] = (r.Period, r.OriginationDate, r.Principal);
            }
        }

        var newlyDefaulted = first.Values
            .GroupBy(v => (Cohort: Periods.Of(v.Originated), v.Period))
            .ToDictionary(g => g.Key, g => g.Sum(v => v.Principal));
        var curves = new List<VintageCurve>();
        foreach (var cohort in Periods.Range(from, to))
        {
            var originated = figures.Where(kv => kv.Key.Period == cohort).SelectMany(kv => kv.Value.Values).Sum(f => f.Originated);
            if (originated <= 0)
            {
                continue;
            }

            var cumulative = new List<decimal>();
            var total = 0m;
            foreach (var period in Periods.Range(cohort, to))
            {
                total += newlyDefaulted.GetValueOrDefault((cohort, period));
                cumulative.Add(total / originated);
            }

            curves.Add(new VintageCurve(cohort, originated, cumulative));
        }

        return curves;
    }

    /// <summary>Throws when the dashboard (from the aggregates) and the raw computation disagree on any number.</summary>
    public static void Compare(DashboardData dashboard, Result raw)
    {
        var problems = new List<string>();
        void Check(bool same, string what)
        {
            if (!same && problems.Count < 10)
            {
                problems.Add(what);
            }
        }

        var stored = dashboard.Platforms.SelectMany(p => p.Months.Select(m => ((p.PlatformId, m.Period), m.Metrics))).ToDictionary(x => x.Item1, x => x.Metrics);
        Check(stored.Count == raw.Series.Count, $"platform-months: {stored.Count} from aggregates, {raw.Series.Count} from rows");
        foreach (var (key, metrics) in raw.Series)
        {
            Check(stored.TryGetValue(key, out var s) && s == metrics, $"platform {key.PlatformId} {key.Period}: {(stored.TryGetValue(key, out var x) ? x : null)} vs {metrics}");
        }

        Check(dashboard.Industry.SequenceEqual(raw.Industry), "industry medians / default rate per month");
        Check(dashboard.Kpis?.Current == raw.Current, $"KPIs of the last month: {dashboard.Kpis?.Current} vs {raw.Current}");
        Check(dashboard.Kpis?.Previous == raw.Previous, "KPIs of the month before");
        Check(dashboard.Funding == raw.Funding, $"funding mix: {dashboard.Funding} vs {raw.Funding}");
        Check(dashboard.Peers.Select(p => (p.PlatformId, p.DefaultRate, p.DefaultRatePercentile)).OrderBy(p => p.PlatformId).SequenceEqual(raw.Peers), "peer default rates and percentiles");
        Check(dashboard.Roll is { } roll && roll.CureRate == raw.CureRate
            && roll.Rows.Zip(raw.Roll).All(r => r.First.From == r.Second.From && r.First.Balance == r.Second.Balance && r.First.Shares.OrderBy(s => s.Key).SequenceEqual(r.Second.Shares.OrderBy(s => s.Key))),
            $"roll-rate matrix / cure rate ({dashboard.Roll?.CureRate} vs {raw.CureRate})");
        Check(dashboard.Vintages.Count == raw.Vintages.Count
            && dashboard.Vintages.Zip(raw.Vintages).All(v => v.First.Cohort == v.Second.Cohort && v.First.Originated == v.Second.Originated && v.First.Cumulative.SequenceEqual(v.Second.Cumulative)),
            $"vintage curves ({dashboard.Vintages.Count} vs {raw.Vintages.Count})");
        if (problems.Count > 0)
        {
            throw new InvalidOperationException("The dashboard from the aggregates and the computation from the rows differ: " + string.Join("; ", problems));
        }
    }
}

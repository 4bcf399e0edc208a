using FinancePortal.Application.Domain;
using FinancePortal.Application.Features.LoanTapes;
using Microsoft.EntityFrameworkCore;

namespace FinancePortal.Application.Features.Monitoring;

/// <summary>
/// Builds the stored aggregates (monthly figures, roll rates, vintages, industry sums, peer ranks) from the latest signed
/// version of each month. All loan-level work is GROUP BY in the database; only the aggregate rows come back.
/// Run it on a system-scoped unit of work: industry figures and peer ranks span every platform.
/// </summary>
public sealed class MetricsRebuilder
{
    /// <summary>
    /// Rebuilds <paramref name="platformId"/> from <paramref name="fromPeriod"/> to its latest signed month (later months
    /// depend on earlier ones: roll rates, the net charge-off average, first defaults for vintages), then the industry
    /// figures of each month touched. Returns the months rebuilt.
    /// </summary>
    public async Task<IReadOnlyList<string>> RebuildAsync(IPortalDb db, int platformId, string fromPeriod, CancellationToken ct, bool industry = true)
    {
        var latest = await LatestSignedAsync(db, platformId, ct);
        var months = latest.Keys.Where(p => string.CompareOrdinal(p, fromPeriod) >= 0).ToList();
        foreach (var period in months)
        {
            await RebuildMonthAsync(db, platformId, period, latest, ct);
        }

        foreach (var period in industry ? months : [])
        {
            await RebuildIndustryAsync(db, period, ct);
        }

        return months;
    }

    /// <summary>The latest signed submission of each month of a platform, oldest month first.</summary>
    public static async Task<SortedDictionary<string, (long Id, int Version)>> LatestSignedAsync(IPortalDb db, int platformId, CancellationToken ct)
    {
        var signed = await db.LoanSubmissions.AsNoTracking()
            .Where(s => s.PlatformId == platformId && s.Status == SubmissionStatus.Signed && s.Version != null)
            .Select(s => new { s.Id, s.Period, Version = s.Version!.Value })
            .ToListAsync(ct);
        var latest = new SortedDictionary<string, (long Id, int Version)>(StringComparer.Ordinal);
        foreach (var s in signed.OrderBy(s => s.Version))
        {
            latest[s.Period] = (s.Id, s.Version);
        }

        return latest;
    }

    private static async Task RebuildMonthAsync(IPortalDb db, int platformId, string period, SortedDictionary<string, (long Id, int Version)> latest, CancellationToken ct)
    {
        var (submissionId, version) = latest[period];
        var previousPeriod = Periods.Previous(period);
        long? previousId = latest.TryGetValue(previousPeriod, out var prev) ? prev.Id : null;
        var first = Periods.LastDay(period).AddDays(1).AddMonths(-1);
        var last = Periods.LastDay(period);
        var now = db.UtcNow;

        await db.MonthlyAggregates.Where(a => a.PlatformId == platformId && a.Period == period).ExecuteDeleteAsync(ct);
        await db.RollRateCells.Where(a => a.PlatformId == platformId && a.Period == period).ExecuteDeleteAsync(ct);
        await db.VintageCells.Where(a => a.PlatformId == platformId && a.Period == period).ExecuteDeleteAsync(ct);

        var figures = await FigureQueries.FiguresAsync(db.LoanRecords.Where(r => r.SubmissionId == submissionId), first, last, ct);
        var previousOutstanding = previousId is null
            ? new Dictionary<string, decimal>()
            : await db.MonthlyAggregates.AsNoTracking().Where(a => a.PlatformId == platformId && a.Period == previousPeriod)
                .ToDictionaryAsync(a => a.ProductType, a => a.Figures.Outstanding, ct);
        // A product with balances last month but no rows this month (wound down, or its loans sold) still had an
        // average balance over the month: it gets a row of zeros whose average is half last month's OB, so the
        // charge-off rate of the platform and of the industry keeps the whole average.
        foreach (var (product, _) in previousOutstanding.Where(kv => kv.Value != 0 && !figures.ContainsKey(kv.Key)))
        {
            figures[product] = new PortfolioFigures();
        }

        foreach (var (product, f) in figures)
        {
            f.AverageOutstanding = previousId is null ? f.Outstanding : (f.Outstanding + previousOutstanding.GetValueOrDefault(product)) / 2m;
            db.MonthlyAggregates.Add(new MonthlyAggregate
            {
                PlatformId = platformId, Period = period, ProductType = product, SubmissionId = submissionId, Version = version, Figures = f, BuiltUtc = now,
            });
        }

        if (previousId is long previousSubmission)
        {
            foreach (var cell in await FigureQueries.RollRatesAsync(db, previousSubmission, submissionId, ct))
            {
                cell.PlatformId = platformId;
                cell.Period = period;
                db.RollRateCells.Add(cell);
            }
        }

        var earlier = latest.Where(kv => string.CompareOrdinal(kv.Key, period) < 0).Select(kv => kv.Value.Id).ToList();
        var vintages = await FigureQueries.NewlyDefaultedAsync(db, submissionId, earlier, ct);
        foreach (var (product, f) in figures.Where(kv => kv.Value.Originated > 0))
        {
            var key = (product, period);
            vintages[key] = (f.Originated, vintages.TryGetValue(key, out var v) ? v.NewlyDefaulted : 0m);
        }

        foreach (var ((product, cohort), (originated, newlyDefaulted)) in vintages)
        {
            db.VintageCells.Add(new VintageCell
            {
                PlatformId = platformId, ProductType = product, Cohort = cohort, Period = period, Originated = originated, NewlyDefaulted = newlyDefaulted,
            });
        }

        await db.SaveChangesAsync(ct);
        db.ChangeTracker.Clear();
    }

    /// <summary>Industry sums per product and for all products, peer medians over licensed platforms, and each platform's percentile.</summary>
    public static async Task RebuildIndustryAsync(IPortalDb db, string period, CancellationToken ct)
    {
        var now = db.UtcNow;
        var licensed = await db.Platforms.AsNoTracking().Where(Peers.LicenceHolders).Select(p => p.Id).ToListAsync(ct);
        var peers = licensed.ToHashSet();

        // One row per platform and product of this month: bounded by the number of platforms, not by loans.
        var rows = await db.MonthlyAggregates.AsNoTracking().Where(a => a.Period == period)
            .Select(a => new { a.PlatformId, a.ProductType, a.Figures }).ToListAsync(ct);

        await db.IndustryAggregates.Where(a => a.Period == period).ExecuteDeleteAsync(ct);
        await db.PeerRanks.Where(a => a.Period == period).ExecuteDeleteAsync(ct);

        foreach (var product in Products.Types.Append(Products.All))
        {
            var byPlatform = rows.Where(r => product == Products.All || r.ProductType == product)
                .GroupBy(r => r.PlatformId)
                .ToDictionary(g => g.Key, g => Metrics.Sum(g.Select(r => r.Figures)));
            if (byPlatform.Count == 0)
            {
                continue;
            }

            var peerFigures = byPlatform.Where(kv => peers.Contains(kv.Key)).ToList();
            var defaultRates = peerFigures.Select(kv => Metrics.DefaultRate(kv.Value)).OfType<decimal>().ToList();
            var par30s = peerFigures.Select(kv => Metrics.Par(kv.Value, 30)).OfType<decimal>().ToList();
            var ncos = peerFigures.Select(kv => Metrics.NetChargeOffRate(kv.Value)).OfType<decimal>().ToList();
            db.IndustryAggregates.Add(new IndustryAggregate
            {
                Period = period,
                ProductType = product,
                Platforms = byPlatform.Count,
                Peers = peerFigures.Count,
                Figures = Metrics.Sum(byPlatform.Values),
                MedianDefaultRate = Metrics.Median(defaultRates),
                MedianPar30 = Metrics.Median(par30s),
                MedianNetChargeOffRate = Metrics.Median(ncos),
                BuiltUtc = now,
            });
            foreach (var (platformId, f) in byPlatform)
            {
                var defaultRate = Metrics.DefaultRate(f);
                var par30 = Metrics.Par(f, 30);
                var nco = Metrics.NetChargeOffRate(f);
                var isPeer = peers.Contains(platformId);
                db.PeerRanks.Add(new PeerRank
                {
                    PlatformId = platformId,
                    Period = period,
                    ProductType = product,
                    DefaultRate = defaultRate,
                    Par30 = par30,
                    NetChargeOffRate = nco,
                    DefaultRatePercentile = isPeer && defaultRate is decimal d ? Metrics.PercentRank(d, defaultRates) : null,
                    Par30Percentile = isPeer && par30 is decimal p ? Metrics.PercentRank(p, par30s) : null,
                    NetChargeOffPercentile = isPeer && nco is decimal n ? Metrics.PercentRank(n, ncos) : null,
                });
            }
        }

        await db.SaveChangesAsync(ct);
        db.ChangeTracker.Clear();
    }
}

using FinancePortal.Application.Domain;
using FinancePortal.Application.Features.Alerts;
using FinancePortal.Application.Features.LoanTapes;
using Microsoft.EntityFrameworkCore;

namespace FinancePortal.Application.Features.Monitoring;

/// <summary>
/// Dashboard reads (DOMAIN.md §5). Reads ONLY the stored aggregates, never loan rows; sums happen in the database.
/// The data scope limits platform rows, so an Operator's dashboard holds their own platform and the industry
/// benchmarks (medians and totals) only — never another platform's figures.
/// Every default month is the latest CLOSED month (<see cref="FilingCalendar"/>): a tape filed early for a month still
/// open never moves national figures; a provisional month is shown only when asked for, and labelled.
public sealed class MonitoringService(IPortalDbFactory dbFactory, FilingCalendar calendar)
{
    public static readonly string[] Readers = [Roles.RiskOfficer, Roles.Analyst, Roles.Approver, Roles.Admin, Roles.Operator];

    /// <summary>The longest month range a dashboard shows.</summary>
    public const int MaxMonths = 24;

    public async Task<IReadOnlyList<PlatformOption>> GetPlatformsAsync(CancellationToken ct = default)
    {
        await using var db = await dbFactory.BeginAsync(Readers, ct);
        var reporting = db.MonthlyAggregates.Select(a => a.PlatformId).Distinct();
        return await db.Platforms.AsNoTracking().Where(p => reporting.Contains(p.Id)).OrderBy(p => p.Code)
            .Select(p => new PlatformOption(p.Id, p.Code, p.LegalName)).ToListAsync(ct);
    }

    /// <summary>The months with stored aggregates in the user's scope, newest first (provisional ones too: <see cref="DashboardData.LatestClosed"/> tells them apart).</summary>
    public async Task<IReadOnlyList<string>> GetMonthsAsync(CancellationToken ct = default)
    {
        await using var db = await dbFactory.BeginAsync(Readers, ct);
        return await db.MonthlyAggregates.AsNoTracking().Select(a => a.Period).Distinct().OrderByDescending(p => p).Take(60).ToListAsync(ct);
    }

    public async Task<DashboardData> GetDashboardAsync(DashboardFilter filter, CancellationToken ct = default)
    {
        await using var db = await dbFactory.BeginAsync(Readers, ct);
        var thresholds = await AlertEvaluator.CurrentThresholdsAsync(db, ct);
        var product = string.IsNullOrWhiteSpace(filter.Product) || filter.Product == Products.All ? null : filter.Product;
        if (product is not null && !Products.Types.Contains(product))
        {
            throw new ValidationFailedException("Product", $"Unknown product \"{product}\".");
        }

        var aggregates = db.MonthlyAggregates.AsNoTracking();
        if (filter.PlatformId is int platformId)
        {
            aggregates = aggregates.Where(a => a.PlatformId == platformId);
        }

        if (product is not null)
        {
            aggregates = aggregates.Where(a => a.ProductType == product);
        }

        // The default month is the latest CLOSED month with figures: a month whose deadline has not passed is only shown
        // when asked for (an early tape must never become the national default).
        var latestClosed = calendar.LatestClosed(db.UtcNow);
        var to = filter.To is { } t && Periods.TryParse(t, out _)
            ? t
            : await aggregates.Where(a => string.Compare(a.Period, latestClosed) <= 0).MaxAsync(a => (string?)a.Period, ct);
        var pending = await db.MetricsRebuildJobs.AnyAsync(j => j.CompletedUtc == null && (filter.PlatformId == null || j.PlatformId == filter.PlatformId), ct);
        var resolvedEmpty = filter with { Product = product ?? Products.All };
        if (to is null)
        {
            return new DashboardData(resolvedEmpty, [], null, [], [], [], null, null, [], null, thresholds.DefaultRateLimitPct, thresholds.Par30LimitPct, pending)
            {
                LatestClosed = latestClosed,
            };
        }

        var from = filter.From is { } f && Periods.TryParse(f, out _) && string.CompareOrdinal(f, to) <= 0 ? f : Periods.Of(Periods.LastDay(to).AddDays(1).AddMonths(-12));
        var months = Periods.Range(from, to);
        if (months.Count > MaxMonths)
        {
            months = months.Skip(months.Count - MaxMonths).ToList();
            from = months[0];
        }

        var resolved = filter with { Product = product ?? Products.All, From = from, To = to };
        var previous = Periods.Previous(to);
        var rangeStart = string.CompareOrdinal(previous, from) < 0 ? previous : from;

        // Platform x month sums (one GROUP BY over at most platforms x months x products stored rows).
        var sums = await aggregates
            .Where(a => string.Compare(a.Period, rangeStart) >= 0 && string.Compare(a.Period, to) <= 0)
            .GroupBy(a => new { a.PlatformId, a.Period })
            .Select(g => new
            {
                g.Key.PlatformId,
                g.Key.Period,
                Figures = new PortfolioFigures
                {
                    Loans = g.Sum(a => a.Figures.Loans),
                    ActiveLoans = g.Sum(a => a.Figures.ActiveLoans),
                    Outstanding = g.Sum(a => a.Figures.Outstanding),
                    Dpd30 = g.Sum(a => a.Figures.Dpd30),
                    Dpd60 = g.Sum(a => a.Figures.Dpd60),
                    Dpd90 = g.Sum(a => a.Figures.Dpd90),
                    Defaulted = g.Sum(a => a.Figures.Defaulted),
                    SpecialMention = g.Sum(a => a.Figures.SpecialMention),
                    Substandard = g.Sum(a => a.Figures.Substandard),
                    Doubtful = g.Sum(a => a.Figures.Doubtful),
                    Loss = g.Sum(a => a.Figures.Loss),
                    ChargeOffs = g.Sum(a => a.Figures.ChargeOffs),
                    Recoveries = g.Sum(a => a.Figures.Recoveries),
                    AverageOutstanding = g.Sum(a => a.Figures.AverageOutstanding),
                    OwnFunds = g.Sum(a => a.Figures.OwnFunds),
                    BankCoLending = g.Sum(a => a.Figures.BankCoLending),
                    Abs = g.Sum(a => a.Figures.Abs),
                    OtherInstitution = g.Sum(a => a.Figures.OtherInstitution),
                    OtherFunding = g.Sum(a => a.Figures.OtherFunding),
                    Originated = g.Sum(a => a.Figures.Originated),
                },
            })
            .ToListAsync(ct);

        var platformIds = sums.Select(s => s.PlatformId).Distinct().ToList();
        var platforms = await db.Platforms.AsNoTracking().Where(p => platformIds.Contains(p.Id))
            .Select(p => new { p.Id, p.Code, p.LegalName }).ToListAsync(ct);
        var isRegulator = db.User.IsRegulator;
        var watched = isRegulator
            ? (await db.WatchList.AsNoTracking().Where(w => w.RemovedUtc == null).Select(w => w.PlatformId).ToListAsync(ct)).ToHashSet()
            : [];
        var alertCounts = isRegulator
            ? await db.Alerts.AsNoTracking().Where(a => a.State != AlertState.Closed && (filter.PlatformId == null || a.PlatformId == filter.PlatformId))
                .GroupBy(a => a.PlatformId).Select(g => new { PlatformId = g.Key, Count = g.Count() }).ToDictionaryAsync(g => g.PlatformId, g => g.Count, ct)
            : [];

        var byPlatformMonth = sums.ToDictionary(s => (s.PlatformId, s.Period), s => s.Figures);
        var series = platforms.OrderBy(p => p.Code).Select(p => new PlatformSeries(
            p.Id, p.Code, p.LegalName, watched.Contains(p.Id), alertCounts.GetValueOrDefault(p.Id),
            months.Select(m => byPlatformMonth.TryGetValue((p.Id, m), out var f) ? new PlatformMonth(m, MetricSet.Of(f)) : null)
                .OfType<PlatformMonth>().ToList())).ToList();

        var current = Metrics.Sum(sums.Where(s => s.Period == to).Select(s => s.Figures));
        var before = sums.Where(s => s.Period == previous).Select(s => s.Figures).ToList();
        var productKey = product ?? Products.All;
        var industryRows = await db.IndustryAggregates.AsNoTracking()
            .Where(i => i.ProductType == productKey && string.Compare(i.Period, from) >= 0 && string.Compare(i.Period, to) <= 0)
            .ToListAsync(ct);
        var industryNow = industryRows.FirstOrDefault(i => i.Period == to);
        var obligations = await calendar.LoadAsync(db, ct);
        var filing = await calendar.MonthFilingAsync(db, obligations, to, filter.PlatformId, ct);
        var (late, missing) = await SubmissionTimelinessAsync(db, calendar, obligations, to, filter.PlatformId, ct);
        var kpis = new Kpis(to, MetricSet.Of(current), before.Count == 0 ? null : MetricSet.Of(Metrics.Sum(before)),
            industryNow is null ? null : MetricSet.Of(industryNow.Figures), alertCounts.Values.Sum(), late, missing);

        var industry = months.Select(m => industryRows.FirstOrDefault(i => i.Period == m) is { } i
            ? new IndustryPoint(m, i.MedianDefaultRate, i.MedianPar30, Metrics.DefaultRate(i.Figures))
            : new IndustryPoint(m, null, null, null)).ToList();

        var peers = await (from r in db.PeerRanks.AsNoTracking()
                           join p in db.Platforms on r.PlatformId equals p.Id
                           where r.Period == to && r.ProductType == productKey && (filter.PlatformId == null || r.PlatformId == filter.PlatformId)
                           orderby p.Code
                           select new PeerRow(p.Id, p.Code, r.DefaultRate, r.DefaultRatePercentile, r.Par30, r.Par30Percentile, r.NetChargeOffRate, r.NetChargeOffPercentile))
            .ToListAsync(ct);

        return new DashboardData(
            resolved,
            months,
            kpis,
            series,
            industry,
            await VintagesAsync(db, filter.PlatformId, product, from, to, ct),
            await RollMatrixAsync(db, filter.PlatformId, product, to, ct),
            new FundingMix(current.OwnFunds, current.BankCoLending, current.Abs, current.OtherInstitution, current.OtherFunding),
            peers,
            industryNow is null ? null : new IndustryPeerMedians(industryNow.MedianDefaultRate, industryNow.MedianPar30, industryNow.MedianNetChargeOffRate, industryNow.Peers),
            thresholds.DefaultRateLimitPct,
            thresholds.Par30LimitPct,
            pending)
        {
            LatestClosed = latestClosed,
            Filing = filing,
        };
    }

    /// <summary>Vintage curves of the cohorts originated in the range, observed up to <paramref name="to"/>.</summary>
    private static async Task<IReadOnlyList<VintageCurve>> VintagesAsync(IPortalDb db, int? platformId, string? product, string from, string to, CancellationToken ct)
    {
        var cells = db.VintageCells.AsNoTracking().Where(v => string.Compare(v.Cohort, from) >= 0 && string.Compare(v.Period, to) <= 0);
        if (platformId is int id)
        {
            cells = cells.Where(v => v.PlatformId == id);
        }

        if (product is not null)
        {
            cells = cells.Where(v => v.ProductType == product);
        }

        var sums = await cells.GroupBy(v => new { v.Cohort, v.Period })
            .Select(g => new { g.Key.Cohort, g.Key.Period, Originated = g.Sum(v => v.Originated), NewlyDefaulted = g.Sum(v => v.NewlyDefaulted) })
            .ToListAsync(ct);
        var curves = new List<VintageCurve>();
        foreach (var cohort in sums.Select(s => s.Cohort).Distinct().Order(StringComparer.Ordinal))
        {
            var originated = sums.Where(s => s.Cohort == cohort).Sum(s => s.Originated);
            if (originated <= 0)
            {
                continue;
            }

            var cumulative = new List<decimal>();
            var total = 0m;
            foreach (var period in Periods.Range(cohort, to))
            {
                total += sums.Where(s => s.Cohort == cohort && s.Period == period).Sum(s => s.NewlyDefaulted);
                cumulative.Add(total / originated);
            }

            curves.Add(new VintageCurve(cohort, originated, cumulative));
        }

        return curves;
    }

    private static async Task<RollMatrix?> RollMatrixAsync(IPortalDb db, int? platformId, string? product, string period, CancellationToken ct)
    {
        var cells = db.RollRateCells.AsNoTracking().Where(c => c.Period == period);
        if (platformId is int id)
        {
            cells = cells.Where(c => c.PlatformId == id);
        }

        if (product is not null)
        {
            cells = cells.Where(c => c.ProductType == product);
        }

        var sums = await cells.GroupBy(c => new { c.From, c.To })
            .Select(g => new { g.Key.From, g.Key.To, Balance = g.Sum(c => c.Balance) })
            .ToListAsync(ct);
        if (sums.Count == 0)
        {
            return null;
        }

        var rows = new List<RollRow>();
        foreach (var from in new[] { DelinquencyBucket.Current, DelinquencyBucket.Dpd1To29, DelinquencyBucket.Dpd30To59, DelinquencyBucket.Dpd60To89, DelinquencyBucket.Dpd90Plus })
        {
            var total = sums.Where(s => s.From == from).Sum(s => s.Balance);
            var shares = Enum.GetValues<DelinquencyBucket>().ToDictionary(
                to => to,
                to => total == 0 ? 0m : sums.Where(s => s.From == from && s.To == to).Sum(s => s.Balance) / total);
            rows.Add(new RollRow(from, total, shares));
        }

        var cure = Metrics.CureRate(sums.Select(s => new RollRateCell { From = s.From, To = s.To, Balance = s.Balance }));
        return new RollMatrix(period, rows, cure);
    }

    /// <summary>
    /// Platforms in view that owe the month (filing calendar) and signed it late, or have not signed it although it is
    /// closed. A month not yet closed has no missing tapes.
    /// </summary>
    private static async Task<(int Late, int Missing)> SubmissionTimelinessAsync(
        IPortalDb db, FilingCalendar calendar, FilingObligations obligations, string period, int? platformId, CancellationToken ct)
    {
        var required = obligations.RequiredIn(period).Where(id => platformId is null || id == platformId).ToList();
        var firstSigned = await db.LoanSubmissions.AsNoTracking()
            .Where(s => required.Contains(s.PlatformId) && s.Period == period && s.Status == SubmissionStatus.Signed)
            .GroupBy(s => s.PlatformId).Select(g => new { PlatformId = g.Key, First = g.Min(s => s.SignedUtc) })
            .ToListAsync(ct);
        var late = firstSigned.Count(s => s.First is not { } first || !calendar.IsOnTime(first, period));
        var missing = calendar.IsClosed(period, db.UtcNow) ? required.Count - firstSigned.Count : 0;
        return (late, missing);
    }
}

using System.Globalization;
using FinancePortal.Application.Domain;
using FinancePortal.Application.Features.Monitoring;
using FinancePortal.Application.Features.LoanTapes;
using Microsoft.EntityFrameworkCore;

namespace FinancePortal.Application.Features.Reports;

public sealed partial class ReportService
{
    private static decimal? Pct(decimal? fraction) => fraction is decimal f ? Math.Round(f * 100m, 2, MidpointRounding.AwayFromZero) : null;

    private static bool DefaultBreach(decimal? rate, AlertThresholds t) => Pct(rate) > t.DefaultRateLimitPct;

    private static bool Par30Breach(decimal? rate, AlertThresholds t) => Pct(rate) > t.Par30LimitPct;

    private ReportTable Summary(IReadOnlyList<SelectedPlatform> platforms, Dictionary<(int, string), PortfolioFigures> figures, string period, string previous,
        IReadOnlyList<Alert> alerts, AlertThresholds thresholds, CultureInfo culture)
    {
        var columns = new ReportColumn[]
        {
            new("Platform", ReportColumnKind.Text, 10),
            new("Legal name", ReportColumnKind.Text, 40),
            new("Outstanding balance", ReportColumnKind.Money, 22),
            new("Loans", ReportColumnKind.Integer, 12),
            new("Active loans", ReportColumnKind.Integer, 14),
            new("Default rate", ReportColumnKind.Rate, 14),
            new("PAR30", ReportColumnKind.Rate, 12),
            new("Default rate previous month", ReportColumnKind.Rate, 16),
            new("Default rate change (pp)", ReportColumnKind.Rate, 16),
            new("Alert flags", ReportColumnKind.Text, 40),
        };
        var rows = new List<ReportRow>();
        foreach (var p in platforms)
        {
            var now = figures.GetValueOrDefault((p.Id, period));
            var before = figures.GetValueOrDefault((p.Id, previous));
            var rate = now is null ? null : Metrics.DefaultRate(now);
            var par30 = now is null ? null : Metrics.Par(now, 30);
            var prior = before is null ? null : Metrics.DefaultRate(before);
            var flags = new List<string>();
            var breaches = new List<int>();
            if (DefaultBreach(rate, thresholds))
            {
                breaches.Add(5);
                flags.Add(text.Format(culture, "Default rate above {0}%", thresholds.DefaultRateLimitPct.ToString("0.##", CultureInfo.InvariantCulture)));
            }

            if (Par30Breach(par30, thresholds))
            {
                breaches.Add(6);
                flags.Add(text.Format(culture, "PAR30 above {0}%", thresholds.Par30LimitPct.ToString("0.##", CultureInfo.InvariantCulture)));
            }

            flags.AddRange(alerts.Where(a => a.PlatformId == p.Id).Select(a => $"{text.Words(a.Rule, culture)} ({text.Words(a.Severity, culture)})").Distinct());
            rows.Add(new ReportRow(
            [
                p.Code, p.LegalName, now?.Outstanding, now?.Loans, now?.ActiveLoans, rate, par30, prior,
                rate is decimal r && prior is decimal b ? r - b : null,
                string.Join("; ", flags),
            ], breaches));
        }

        return new ReportTable("Summary", columns, rows);
    }

    private static ReportTable Trends(IReadOnlyList<SelectedPlatform> platforms, Dictionary<(int, string), PortfolioFigures> figures, IReadOnlyList<string> months, AlertThresholds thresholds)
    {
        var columns = new List<ReportColumn> { new("Platform", ReportColumnKind.Text, 10), new("Legal name", ReportColumnKind.Text, 40) };
        columns.AddRange(months.Select(m => new ReportColumn(m, ReportColumnKind.Rate, 11)));
        var rows = platforms.Select(p =>
        {
            var values = new List<object?> { p.Code, p.LegalName };
            var breaches = new List<int>();
            foreach (var m in months)
            {
                var rate = figures.TryGetValue((p.Id, m), out var f) ? Metrics.DefaultRate(f) : null;
                if (DefaultBreach(rate, thresholds))
                {
                    breaches.Add(values.Count);
                }

                values.Add(rate);
            }

            return new ReportRow(values, breaches);
        }).ToList();
        return new ReportTable("Trends", columns, rows);
    }

    private static async Task<ReportTable> VintagesAsync(IPortalDb db, IReadOnlyList<SelectedPlatform> platforms, string from, string period, CancellationToken ct)
    {
        var ids = platforms.Select(p => p.Id).ToList();
        var sums = await db.VintageCells.AsNoTracking()
            .Where(v => ids.Contains(v.PlatformId) && string.Compare(v.Cohort, from) >= 0 && string.Compare(v.Period, period) <= 0)
            .GroupBy(v => new { v.PlatformId, v.Cohort, v.Period })
            .Select(g => new { g.Key.PlatformId, g.Key.Cohort, g.Key.Period, Originated = g.Sum(v => v.Originated), NewlyDefaulted = g.Sum(v => v.NewlyDefaulted) })
            .ToListAsync(ct);
        var columns = new List<ReportColumn>
        {
            new("Platform", ReportColumnKind.Text, 10),
            new("Cohort", ReportColumnKind.Text, 10),
            new("Originated", ReportColumnKind.Money, 22),
        };
        columns.AddRange(Enumerable.Range(0, TrendMonths).Select(m => new ReportColumn($"MOB {m}", ReportColumnKind.Rate, 10)));
        var rows = new List<ReportRow>();
        foreach (var p in platforms)
        {
            var own = sums.Where(s => s.PlatformId == p.Id).ToList();
            foreach (var cohort in own.Select(s => s.Cohort).Distinct().Order(StringComparer.Ordinal))
            {
                var originated = own.Where(s => s.Cohort == cohort).Sum(s => s.Originated);
                if (originated <= 0)
                {
                    continue;
                }

                var values = new List<object?> { p.Code, cohort, originated };
                var total = 0m;
                foreach (var month in Periods.Range(cohort, period).Take(TrendMonths))
                {
                    total += own.Where(s => s.Cohort == cohort && s.Period == month).Sum(s => s.NewlyDefaulted);
                    values.Add(total / originated);
                }

                while (values.Count < columns.Count)
                {
                    values.Add(null);
                }

                rows.Add(new ReportRow(values, []));
            }
        }

        return new ReportTable("Vintages", columns, rows);
    }

    /// <summary>The sentence an empty section shows instead of a bare header.</summary>
    private string EmptySection(string sheet, string period, DateTime asOf, CultureInfo culture) => sheet switch
    {
        "Access decisions" => text.Format(culture, "No access decisions in {0}.", period),
        "Alerts and actions" => text.Format(culture, "No alerts open at {0} (UTC) and no alerts or supervisory actions for {1}.", asOf.ToString("yyyy-MM-dd HH:mm", CultureInfo.InvariantCulture), period),
        "Data quality" => text.Format(culture, "No platform was expected to file for {0}.", period),
        "Vintages" => text.Format(culture, "No vintage data up to {0}.", period),
        _ => text.Format(culture, "No signed loan data for {0}.", period),
    };
}

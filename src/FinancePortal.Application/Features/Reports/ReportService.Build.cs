using System.Globalization;
using FinancePortal.Application.Domain;
using FinancePortal.Application.Features.Monitoring;
using FinancePortal.Application.Features.LoanTapes;
using Microsoft.EntityFrameworkCore;

namespace FinancePortal.Application.Features.Reports;

public sealed partial class ReportService
{
    /// <summary>What a report was asked for; <see cref="Sections"/> is empty (or absent in older reports) for all sections.</summary>
    private sealed record ReportParameters(string Kind, string Period, string Platforms, IReadOnlyList<string> PlatformCodes, IReadOnlyList<string>? Sections = null,
        DateTime? AsOfUtc = null, string? Language = null);

    /// <summary>The chosen sections in workbook order; empty means all. Unknown names are refused, not ignored.</summary>
    private static IReadOnlyList<string> ChosenSections(IReadOnlyList<string>? requested)
    {
        if (requested is null || requested.Count == 0)
        {
            return [];
        }

        var unknown = requested.Where(r => !Sections.Contains(r, StringComparer.Ordinal)).ToList();
        if (unknown.Count > 0)
        {
            throw new ValidationFailedException("Sections", $"Unknown report section: {string.Join(", ", unknown)}. Choose from: {string.Join(", ", Sections)}.");
        }

        var chosen = Sections.Where(requested.Contains).ToList();
        return chosen.Count == Sections.Length ? [] : chosen;
    }

    private sealed record SelectedPlatform(int Id, string Code, string LegalName, LicenceStatus Licence);

    private async Task<(ReportDocument Document, IReadOnlyList<int> PlatformIds, ReportParameters Parameters)> BuildAsync(
        IPortalDb db, ReportRequest request, IProgress<int>? progress, CancellationToken ct)
    {
        var period = request.Period;
        if (!Periods.TryParse(period, out var firstDay))
        {
            throw new ValidationFailedException("Period", "Choose a month (YYYY-MM).");
        }

        var inScope = await db.Platforms.AsNoTracking().OrderBy(p => p.Code)
            .Select(p => new SelectedPlatform(p.Id, p.Code, p.LegalName, p.LicenceStatus)).ToListAsync(ct);
        var all = request.PlatformIds is null || request.PlatformIds.Count == 0;
        List<SelectedPlatform> selected;
        if (all)
        {
            selected = inScope;
        }
        else
        {
            var wanted = request.PlatformIds!.Distinct().ToList();
            selected = inScope.Where(p => wanted.Contains(p.Id)).ToList();
            if (selected.Count != wanted.Count)
            {
                throw new ValidationFailedException("Platforms", "One or more of the chosen platforms do not exist or are outside your scope.");
            }
        }

        var sections = ChosenSections(request.Sections);
        bool Wanted(string section) => sections.Count == 0 || sections.Contains(section);
        var culture = DomainText.CultureOf(request.Language);
        var asOf = request.AsOfUtc?.ToUniversalTime() ?? db.UtcNow;
        if (asOf > db.UtcNow)
        {
            throw new ValidationFailedException("AsOfUtc", "A report cannot be made as of a time in the future.");
        }

        var ids = selected.Select(p => p.Id).ToList();
        var byId = selected.ToDictionary(p => p.Id);
        var thresholds = await ThresholdsAsOfAsync(db, asOf, ct);
        var months = Periods.Range(Periods.Of(firstDay.AddMonths(-(TrendMonths - 1))), period);
        var from = months[0];
        var previous = Periods.Previous(period);
        var rangeStart = string.CompareOrdinal(previous, from) < 0 ? previous : from;

        var aggregates = await db.MonthlyAggregates.AsNoTracking()
            .Where(a => ids.Contains(a.PlatformId) && string.Compare(a.Period, rangeStart) >= 0 && string.Compare(a.Period, period) <= 0)
            .Select(a => new { a.PlatformId, a.Period, a.SubmissionId, a.Version, a.Figures })
            .ToListAsync(ct);
        progress?.Report(20);
        var figures = aggregates.GroupBy(a => (a.PlatformId, a.Period)).ToDictionary(g => g.Key, g => Metrics.Sum(g.Select(a => a.Figures)));
        var versions = aggregates.Where(a => string.CompareOrdinal(a.Period, from) >= 0)
            .Select(a => new ReportDataVersion(a.PlatformId, byId[a.PlatformId].Code, a.Period, a.SubmissionId, a.Version))
            .Distinct()
            .OrderBy(v => v.PlatformCode, StringComparer.Ordinal).ThenBy(v => v.Period, StringComparer.Ordinal).ThenBy(v => v.SubmissionId)
            .ToList();
        var reporting = selected.Where(p => months.Any(m => figures.ContainsKey((p.Id, m)))).ToList();

        var monthStart = firstDay.ToDateTime(TimeOnly.MinValue, DateTimeKind.Utc);
        var monthEnd = firstDay.AddMonths(1).ToDateTime(TimeOnly.MinValue, DateTimeKind.Utc);
        var alerts = await AlertsAsOfAsync(db, ids, period, asOf, ct);
        var periodAlerts = alerts.Where(a => a.Period == period).ToList();

        var tables = new List<ReportTable>();
        if (Wanted("Summary"))
        {
            tables.Add(Summary(reporting, figures, period, previous, periodAlerts, thresholds, culture));
        }

        if (Wanted("Trends"))
        {
            tables.Add(Trends(reporting, figures, months, thresholds));
        }

        if (Wanted("Vintages"))
        {
            tables.Add(await VintagesAsync(db, reporting, from, period, ct));
        }

        progress?.Report(40);
        var decisions = await DecisionsAsync(db, ids, monthStart, monthEnd < asOf ? monthEnd : asOf, asOf, ct);
        if (Wanted("Access decisions"))
        {
            tables.Add(AccessDecisions(decisions, byId, culture));
        }

        if (Wanted("Alerts and actions"))
        {
            tables.Add(await AlertsAndActionsAsync(db, ids, byId, alerts, monthStart, monthEnd, asOf, culture, ct));
        }

        var obligations = await calendar.LoadAsync(db, ct);
        if (Wanted("Data quality"))
        {
            tables.Add(await DataQualityAsync(db, obligations, selected, period, asOf, culture, ct));
        }

        tables = tables.Select(t => t.Rows.Count > 0 ? t : t with { Rows = [ReportRow.Of(EmptySection(t.SheetName, period, asOf, culture))] }).ToList();

        progress?.Report(60);
        var filing = await calendar.MonthFilingAsync(db, obligations, period, null, ct, asOf);
        var status = text.Format(culture, filing.Closed
                ? "Closed: filing deadline {0} passed; {1} of {2} platforms filed"
                : "Provisional: filing deadline {0} not yet passed; {1} of {2} platforms filed",
            filing.Deadline.ToString("yyyy-MM-dd", CultureInfo.InvariantCulture), filing.Filed, filing.Required);

        var label = all ? "All platforms in scope" : string.Join(", ", selected.Select(p => p.Code));
        var cover = new ReportCover("Monthly supervision report", period, db.User.UserName, db.UtcNow, label,
            thresholds.Version, thresholds.DefaultRateLimitPct, thresholds.Par30LimitPct, versions, sections.Count == 0 ? AllSections : string.Join(", ", sections), status,
            asOf, culture.Name, new ReportDecisionCounts(decisions.Count, decisions.Count(d => d.IsOverride)));
        var document = new ReportDocument(cover, tables);
        if (document.CellCount > ReportDocument.MaxCells)
        {
            throw new ReportTooLargeException(document.CellCount);
        }

        var parameters = new ReportParameters(MonthlySupervision, period, label, all ? [] : selected.Select(p => p.Code).ToList(), sections.Count == 0 ? null : sections,
            asOf, culture.Name);
        return (document, ids, parameters);
    }
}

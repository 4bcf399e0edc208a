using System.Globalization;
using System.Text.Json;
using FinancePortal.Application.Domain;
using FinancePortal.Application.Features.Alerts;
using FinancePortal.Application.Features.Monitoring;
using FinancePortal.Application.Features.Submissions;
using FinancePortal.Application.Diagnostics;
using Microsoft.EntityFrameworkCore;
using Microsoft.Extensions.Logging;

namespace FinancePortal.Application.Features.Reports;

/// <summary>
/// The monthly supervision report (DOMAIN.md §6) for analysts and risk officers. Built from the STORED monitoring
/// aggregates (never loan rows), the access decisions, alerts, supervisory actions and submissions of the month.
/// Every generated workbook is kept in the file store and recorded with the exact data versions it used; apart from
/// the Cover's generation time, the same parameters over the same data versions give the same cell values.
/// </summary>
public sealed class ReportService(
    IPortalDbFactory dbFactory,
    IReportWorkbookWriter writer,
    IFileStore files,
    IDomainText text,
    PortalMetrics metrics,
    TimeProvider time,
    FilingCalendar calendar,
    ILogger<ReportService> logger)
{
    /// <summary>The <c>kind</c> tag of the supervision report in metrics and logs.</summary>
    public const string ExportKind = "supervision_report";

    public static readonly string[] Builders = [Roles.Analyst, Roles.RiskOfficer];

    public const string MonthlySupervision = "MonthlySupervision";

    /// <summary>Months shown on the Trends sheet (the period and the 11 before it).</summary>
    public const int TrendMonths = 12;

    /// <summary>The sections a user can choose, in workbook order (each is one sheet).</summary>
    public static readonly string[] Sections = ["Summary", "Trends", "Vintages", "Access decisions", "Alerts and actions", "Data quality"];

    /// <summary>Every sheet of a full report: the Cover, then every section.</summary>
    public static readonly string[] SheetNames = ["Cover", .. Sections];

    /// <summary>How the history and the Cover name a report with every section.</summary>
    public const string AllSections = "All sections";

    private static readonly JsonSerializerOptions Json = new(JsonSerializerDefaults.Web);

    /// <summary>Platforms the user may put in a report (everything in their data scope).</summary>
    public async Task<IReadOnlyList<PlatformOption>> GetPlatformsAsync(CancellationToken ct = default)
    {
        await using var db = await dbFactory.BeginAsync(Builders, ct);
        return await db.Platforms.AsNoTracking().OrderBy(p => p.Code).Select(p => new PlatformOption(p.Id, p.Code, p.LegalName)).ToListAsync(ct);
    }

    /// <summary>
    /// Closed months with stored aggregates, newest first: the first is the page's default. A provisional month (its
    /// filing deadline not passed) is not offered; asked for explicitly, its report says so on the Cover.
    /// </summary>
    public async Task<IReadOnlyList<string>> GetPeriodsAsync(CancellationToken ct = default)
    {
        await using var db = await dbFactory.BeginAsync(Builders, ct);
        var latestClosed = calendar.LatestClosed(db.UtcNow);
        return await db.MonthlyAggregates.AsNoTracking().Where(a => string.Compare(a.Period, latestClosed) <= 0)
            .Select(a => a.Period).Distinct().OrderByDescending(p => p).Take(60).ToListAsync(ct);
    }

    /// <summary>Builds the report, stores the workbook, records it and audits the export. Progress is 0–100.</summary>
    public async Task<GeneratedReportItem> GenerateAsync(ReportRequest request, IProgress<int>? progress = null, CancellationToken ct = default)
    {
        await using var db = await dbFactory.BeginAsync(Builders, ct);
        var started = time.GetTimestamp();
        progress?.Report(5);
        var (document, platformIds, parameters) = await BuildAsync(db, request, progress, ct);

        using var buffer = new MemoryStream();
        writer.Write(document, buffer);
        progress?.Report(85);
        buffer.Position = 0;
        var (sha, size) = await files.SaveAsync(buffer, ct);

        var report = new GeneratedReport
        {
            Kind = MonthlySupervision,
            Period = document.Cover.Period,
            ParametersJson = JsonSerializer.Serialize(parameters, Json),
            DataVersionsJson = JsonSerializer.Serialize(document.Cover.DataVersions, Json),
            PlatformIdsJson = JsonSerializer.Serialize(platformIds, Json),
            AuthorScopeIsAll = db.Scope.IsAll,
            FileName = $"supervision-report-{document.Cover.Period}.xlsx",
            Sha256 = sha,
            SizeBytes = size,
            GeneratedById = db.User.UserId ?? "system",
            GeneratedBy = db.User.UserName,
            GeneratedUtc = document.Cover.GeneratedUtc,
            AsOfUtc = document.Cover.AsOfUtc ?? document.Cover.GeneratedUtc,
            ThresholdsVersion = document.Cover.ThresholdsVersion,
            Language = document.Cover.Language,
        };
        db.GeneratedReports.Add(report);
        await db.SaveChangesAsync(ct);
        // The entry without a platform is read by every audit reader, whatever their scope: it names no platform. Each
        // chosen platform gets an entry of its own, scoped like the platform's data (a reader limited to some provinces
        // sees only the platforms of their provinces).
        var reportId = report.Id.ToString(CultureInfo.InvariantCulture);
        var chosen = parameters.PlatformCodes.Count == 0 ? parameters.Platforms : $"{parameters.PlatformCodes.Count} chosen platforms";
        db.Audit(AuditActions.Exported, nameof(GeneratedReport), reportId, null,
            $"Generated the supervision report for {report.Period} ({chosen}; {document.Cover.DataVersions.Count} data versions; SHA-256 {sha}).");
        foreach (var (platformId, code) in platformIds.Zip(parameters.PlatformCodes))
        {
            db.Audit(AuditActions.Exported, nameof(GeneratedReport), reportId, platformId, $"{code} is in the supervision report for {report.Period}.");
        }

        await db.SaveChangesAsync(ct);
        var elapsed = time.GetElapsedTime(started);
        var rows = document.Tables.Sum(t => (long)t.Rows.Count);
        metrics.RecordExport(ExportKind, "xlsx", rows, size, elapsed);
        PortalLog.ExportGenerated(logger, ExportKind, "xlsx", db.User.UserName, rows, size, Math.Round(elapsed.TotalMilliseconds, 1), report.Id);
        progress?.Report(100);
        return ToItem(report);
    }

    /// <summary>Only the report content (no file, no record): what <see cref="GenerateAsync"/> writes.</summary>
    public async Task<ReportDocument> BuildDocumentAsync(ReportRequest request, CancellationToken ct = default)
    {
        await using var db = await dbFactory.BeginAsync(Builders, ct);
        return (await BuildAsync(db, request, null, ct)).Document;
    }

    /// <summary>
    /// The report history. National users see every report; users with a narrower scope see only their own reports
    /// (which cover only platforms of their scope).
    /// </summary>
    public async Task<PagedResult<GeneratedReportItem>> GetHistoryAsync(PageRequest page, CancellationToken ct = default)
    {
        await using var db = await dbFactory.BeginAsync(Builders, ct);
        var reports = Visible(db);
        var total = await reports.CountAsync(ct);
        reports = (page.SortBy, page.Descending) switch
        {
            ("Period", false) => reports.OrderBy(r => r.Period).ThenBy(r => r.Id),
            ("Period", true) => reports.OrderByDescending(r => r.Period).ThenByDescending(r => r.Id),
            ("GeneratedUtc", false) => reports.OrderBy(r => r.Id),
            _ => reports.OrderByDescending(r => r.Id),
        };
        var rows = await reports.Skip(page.Skip).Take(page.SafePageSize).ToListAsync(ct);
        return new PagedResult<GeneratedReportItem>(rows.Select(ToItem).ToList(), total);
    }

    public async Task<GeneratedReportDetail> GetAsync(long id, CancellationToken ct = default)
    {
        await using var db = await dbFactory.BeginAsync(Builders, ct);
        var report = await Visible(db).SingleOrDefaultAsync(r => r.Id == id, ct) ?? throw new NotFoundException("Report not found.");
        return new GeneratedReportDetail(ToItem(report), JsonSerializer.Deserialize<List<ReportDataVersion>>(report.DataVersionsJson, Json) ?? [], report.ParametersJson);
    }

    /// <summary>Opens the stored workbook of a visible report; the download is audited.</summary>
    public async Task<ReportFile> OpenFileAsync(long id, CancellationToken ct = default)
    {
        await using var db = await dbFactory.BeginAsync(Builders, ct);
        var report = await Visible(db).SingleOrDefaultAsync(r => r.Id == id, ct) ?? throw new NotFoundException("Report not found.");
        var stream = files.OpenRead(report.Sha256);
        db.Audit(AuditActions.Exported, nameof(GeneratedReport), report.Id.ToString(CultureInfo.InvariantCulture), null, $"Downloaded the supervision report for {report.Period}.");
        await db.SaveChangesAsync(ct);
        metrics.RecordDownload(ExportKind, "xlsx", report.SizeBytes);
        PortalLog.ReportDownloaded(logger, report.Id, db.User.UserName);
        return new ReportFile(report.FileName, report.Sha256, stream);
    }

    private static IQueryable<GeneratedReport> Visible(IPortalDb db)
    {
        var reports = db.GeneratedReports.AsNoTracking();
        if (!db.Scope.IsAll)
        {
            var me = db.User.UserId ?? "";
            reports = reports.Where(r => r.GeneratedById == me);
        }

        return reports;
    }

    private static GeneratedReportItem ToItem(GeneratedReport r)
    {
        var parameters = JsonSerializer.Deserialize<ReportParameters>(r.ParametersJson, Json);
        var versions = JsonSerializer.Deserialize<List<ReportDataVersion>>(r.DataVersionsJson, Json) ?? [];
        var sections = parameters?.Sections is { Count: > 0 } chosen ? string.Join(", ", chosen) : AllSections;
        return new GeneratedReportItem(r.Id, r.Period, parameters?.Platforms ?? "", sections, r.GeneratedBy, r.GeneratedUtc, r.FileName, r.Sha256, r.SizeBytes, versions.Count);
    }

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

    private static readonly ApplicationState[] Decisions = [ApplicationState.Approved, ApplicationState.ConditionallyApproved, ApplicationState.Rejected];

    private sealed record DecisionRow(long Id, string Reference, int PlatformId, ApplicationState State, DateTime TimeUtc, string Actor, Band? Band, decimal? Score,
        bool IsOverride, string Comment, string? Reasons, string? Conditions);

    /// <summary>Decisions that took effect from <paramref name="start"/> to before <paramref name="end"/>, with the scoring latest at <paramref name="asOf"/>.</summary>
    private static async Task<List<DecisionRow>> DecisionsAsync(IPortalDb db, IReadOnlyList<int> ids, DateTime start, DateTime end, DateTime asOf, CancellationToken ct)
    {
        var rows = await (from t in db.ApplicationTransitions.AsNoTracking()
                          join a in db.AccessApplications.AsNoTracking() on t.ApplicationId equals a.Id
                          where ids.Contains(t.PlatformId) && Decisions.Contains(t.ToState) && t.TimeUtc >= start && t.TimeUtc < end
                          orderby t.TimeUtc, t.Id
                          select new
                          {
                              t.Id, a.Reference, a.PlatformId, t.ToState, t.TimeUtc, t.Actor, t.Comment, a.DecisionReasons, a.DecisionConditions,
                              // An override is confirmed out of OverridePending; the application's flag can only be set later than that.
                              IsOverride = t.FromState == ApplicationState.OverridePending,
                              Scoring = db.Scorings.Where(s => s.ApplicationId == a.Id && s.ScoredUtc <= asOf).OrderByDescending(s => s.Id)
                                  .Select(s => new { s.Band, s.TotalScore }).FirstOrDefault(),
                          })
            .ToListAsync(ct);
        return rows.Select(d => new DecisionRow(d.Id, d.Reference, d.PlatformId, d.ToState, d.TimeUtc, d.Actor, d.Scoring?.Band, d.Scoring?.TotalScore, d.IsOverride,
            d.Comment, d.DecisionReasons, d.DecisionConditions)).ToList();
    }

    private ReportTable AccessDecisions(IReadOnlyList<DecisionRow> decisions, Dictionary<int, SelectedPlatform> byId, CultureInfo culture)
    {
        var columns = new ReportColumn[]
        {
            new("Reference", ReportColumnKind.Text, 16),
            new("Platform", ReportColumnKind.Text, 10),
            new("Legal name", ReportColumnKind.Text, 40),
            new("Decision", ReportColumnKind.Text, 22),
            new("Override", ReportColumnKind.Text, 10),
            new("Decided (UTC)", ReportColumnKind.DateTimeUtc, 20),
            new("Decided by", ReportColumnKind.Text, 28),
            new("Band", ReportColumnKind.Text, 8),
            new("Score", ReportColumnKind.Number, 10),
            new("Comment", ReportColumnKind.Text, 50),
            new("Reasons", ReportColumnKind.Text, 50),
            new("Conditions", ReportColumnKind.Text, 50),
        };
        var rows = decisions.Select(d => ReportRow.Of(
            d.Reference, byId[d.PlatformId].Code, byId[d.PlatformId].LegalName, text.Words(d.State, culture), text.Get(d.IsOverride ? "Yes" : "No", culture),
            d.TimeUtc, d.Actor, d.Band is { } band ? text.Words(band, culture) : null, d.Score, d.Comment, d.Reasons, d.Conditions)).ToList();
        return new ReportTable("Access decisions", columns, rows);
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

    /// <summary>The alert-thresholds version in force at <paramref name="asOf"/>.</summary>
    private static async Task<AlertThresholds> ThresholdsAsOfAsync(IPortalDb db, DateTime asOf, CancellationToken ct) =>
        await db.AlertThresholds.AsNoTracking().Where(t => t.CreatedUtc <= asOf).OrderByDescending(t => t.Version).FirstOrDefaultAsync(ct)
        ?? new AlertThresholds { Version = 0, Reason = "Defaults", CreatedBy = "system" };

    /// <summary>
    /// The alerts of the report: raised by <paramref name="asOf"/>, either for the period or still open at <paramref name="asOf"/>
    /// whatever month raised them, each with its state, severity and owner as they were at <paramref name="asOf"/> (from the alert history).
    /// </summary>
    private static async Task<List<Alert>> AlertsAsOfAsync(IPortalDb db, IReadOnlyList<int> ids, string period, DateTime asOf, CancellationToken ct)
    {
        var raised = await db.Alerts.AsNoTracking()
            .Where(a => ids.Contains(a.PlatformId) && a.RaisedUtc <= asOf)
            .Select(a => new
            {
                Alert = a,
                Step = db.AlertStateChanges.Where(h => h.AlertId == a.Id && h.TimeUtc <= asOf).OrderByDescending(h => h.TimeUtc).ThenByDescending(h => h.Id)
                    .Select(h => new { h.ToState, h.Severity, h.OwnerName }).FirstOrDefault(),
            })
            .ToListAsync(ct);
        var alerts = new List<Alert>();
        foreach (var r in raised)
        {
            if (r.Step is { } step)
            {
                r.Alert.State = step.ToState;
                r.Alert.Severity = step.Severity;
                r.Alert.OwnerName = step.OwnerName;
            }

            if (r.Alert.Period == period || r.Alert.State != AlertState.Closed)
            {
                alerts.Add(r.Alert);
            }
        }

        return alerts.OrderBy(a => a.Id).ToList();
    }

    private async Task<ReportTable> AlertsAndActionsAsync(IPortalDb db, IReadOnlyList<int> ids, Dictionary<int, SelectedPlatform> byId, IReadOnlyList<Alert> alerts,
        DateTime start, DateTime end, DateTime asOf, CultureInfo culture, CancellationToken ct)
    {
        var alertIds = alerts.Select(a => a.Id).ToList();
        var actions = await db.SupervisoryActions.AsNoTracking()
            .Where(a => ids.Contains(a.PlatformId) && a.CreatedUtc <= asOf && ((a.AlertId != null && alertIds.Contains(a.AlertId.Value)) || (a.CreatedUtc >= start && a.CreatedUtc < end)))
            .OrderBy(a => a.Id)
            .ToListAsync(ct);
        var columns = new ReportColumn[]
        {
            new("Type", ReportColumnKind.Text, 10),
            new("Id", ReportColumnKind.Integer, 8),
            new("Platform", ReportColumnKind.Text, 10),
            new("Month", ReportColumnKind.Text, 10),
            new("Rule or action", ReportColumnKind.Text, 24),
            new("Severity", ReportColumnKind.Text, 10),
            new("State", ReportColumnKind.Text, 14),
            new("Value", ReportColumnKind.Number, 10),
            new("Limit", ReportColumnKind.Number, 10),
            new("Unit", ReportColumnKind.Text, 7),
            new("Alert id", ReportColumnKind.Integer, 10),
            new("Time (UTC)", ReportColumnKind.DateTimeUtc, 20),
            new("By", ReportColumnKind.Text, 24),
            new("Text", ReportColumnKind.Text, 60),
        };
        var rows = new List<ReportRow>();
        foreach (var a in alerts.OrderBy(a => byId[a.PlatformId].Code, StringComparer.Ordinal).ThenBy(a => a.Id))
        {
            rows.Add(ReportRow.Of(text.Get("Alert", culture), a.Id, byId[a.PlatformId].Code, a.Period, text.Words(a.Rule, culture), text.Words(a.Severity, culture),
                text.Words(a.State, culture), a.Value, a.Limit, AlertUnits.Of(a.Rule), null, a.RaisedUtc, a.OwnerName, a.Message));
        }

        foreach (var a in actions.OrderBy(a => byId[a.PlatformId].Code, StringComparer.Ordinal).ThenBy(a => a.Id))
        {
            rows.Add(ReportRow.Of(text.Get("Action", culture), a.Id, byId[a.PlatformId].Code, null, text.Words(a.Kind, culture), null, null,
                null, null, null, a.AlertId, a.CreatedUtc, a.ActorName, a.Text));
        }

        return new ReportTable("Alerts and actions", columns, rows);
    }

    /// <summary>
    /// Per platform of the selection that owes the month, filed for it or holds a licence now: on time / late / missing /
    /// not yet due / not required, exactly as the Loan tapes grid (the same <see cref="FilingCalendar"/>), as of the report's time.
    /// </summary>
    private async Task<ReportTable> DataQualityAsync(
        IPortalDb db, FilingObligations obligations, IReadOnlyList<SelectedPlatform> platforms, string period, DateTime asOf, CultureInfo culture, CancellationToken ct)
    {
        var ids = platforms.Select(p => p.Id).ToList();
        // As of the report's time: uploads made later do not exist yet, and a version signed later is not yet signed.
        var submissions = await db.LoanSubmissions.AsNoTracking()
            .Where(s => ids.Contains(s.PlatformId) && s.Period == period && s.UploadedUtc <= asOf)
            .Select(s => new
            {
                s.Id, s.PlatformId, Status = s.SignedUtc != null && s.SignedUtc > asOf ? SubmissionStatus.ReadyToSign : s.Status,
                Version = s.SignedUtc != null && s.SignedUtc > asOf ? null : s.Version,
                SignedUtc = s.SignedUtc != null && s.SignedUtc > asOf ? null : s.SignedUtc,
                s.LoanCount, s.BlockingFindings, s.WarningFindings,
            })
            .ToListAsync(ct);
        var deadline = calendar.DeadlineUtc(period);
        var closed = calendar.IsClosed(period, asOf);
        var holders = platforms.Where(p => p.Licence is LicenceStatus.Licensed or LicenceStatus.ConditionallyLicensed or LicenceStatus.Suspended).Select(p => p.Id).ToHashSet();
        var columns = new ReportColumn[]
        {
            new("Platform", ReportColumnKind.Text, 10),
            new("Legal name", ReportColumnKind.Text, 40),
            new("Timeliness", ReportColumnKind.Text, 14),
            new("Deadline (UTC)", ReportColumnKind.DateTimeUtc, 20),
            new("First signed (UTC)", ReportColumnKind.DateTimeUtc, 20),
            new("Signed versions", ReportColumnKind.Integer, 10),
            new("Latest version", ReportColumnKind.Integer, 10),
            new("Loans reported", ReportColumnKind.Integer, 14),
            new("Submissions with edits outstanding", ReportColumnKind.Integer, 16),
            new("Blocking findings outstanding", ReportColumnKind.Integer, 16),
            new("Warning findings outstanding", ReportColumnKind.Integer, 16),
        };
        var rows = new List<ReportRow>();
        foreach (var p in platforms)
        {
            var own = submissions.Where(s => s.PlatformId == p.Id).ToList();
            var required = obligations.IsRequired(p.Id, period);
            if (!holders.Contains(p.Id) && !required && own.Count == 0)
            {
                continue;
            }

            var signed = own.Where(s => s.Status == SubmissionStatus.Signed).OrderBy(s => s.Version).ToList();
            var first = signed.Count == 0 ? null : signed.Min(s => s.SignedUtc);
            var latest = signed.LastOrDefault();
            var outstanding = own.Where(s => s.Status != SubmissionStatus.Signed && s.Status != SubmissionStatus.Failed && (s.BlockingFindings > 0 || s.WarningFindings > 0)).ToList();
            var timeliness = first is DateTime f ? (calendar.IsOnTime(f, period) ? "On time" : "Late")
                : !required ? "Not required"
                : closed ? "Missing"
                : "Not yet due";
            rows.Add(ReportRow.Of(p.Code, p.LegalName, text.Get(timeliness, culture), deadline, first, signed.Count, latest?.Version, latest?.LoanCount,
                outstanding.Count, outstanding.Sum(s => s.BlockingFindings), outstanding.Sum(s => s.WarningFindings)));
        }

        return new ReportTable("Data quality", columns, rows);
    }
}

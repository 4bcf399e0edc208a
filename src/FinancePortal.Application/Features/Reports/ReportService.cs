using System.Globalization;
using System.Text.Json;
using FinancePortal.Application.Domain;
using FinancePortal.Application.Features.Monitoring;
using FinancePortal.Application.Features.LoanTapes;
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
public sealed partial class ReportService(
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
}

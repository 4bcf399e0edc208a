namespace FinancePortal.Application.Features.Reports;

/// <summary>
/// Generate the monthly supervision report of <see cref="Period"/> for some platforms (null or empty: all in scope)
/// and some sections (sheet names of <see cref="ReportService.Sections"/>; null or empty: all). The Cover is always
/// included: it records who, when and which data versions.
/// </summary>
/// <see cref="AsOfUtc"/> (default: now, never later) is the time of every time-dependent read: alert states, timeliness,
/// the latest scoring; the same request with the same as-of time gives the same cells. <see cref="Language"/> (en or
/// zh-CN; default en) is the language the report writes stored codes in.
public sealed record ReportRequest(string Period, IReadOnlyList<int>? PlatformIds = null, IReadOnlyList<string>? Sections = null, DateTime? AsOfUtc = null, string? Language = null);

/// <summary>One data version a report used: the signed submission behind a platform's month.</summary>
public sealed record ReportDataVersion(int PlatformId, string PlatformCode, string Period, long SubmissionId, int Version);

public enum ReportColumnKind
{
    Text,
    Integer,
    Money,
    Rate,
    Number,
    DateTimeUtc,
}

public sealed record ReportColumn(string Header, ReportColumnKind Kind, double Width);

/// <summary>One table row; <see cref="Breaches"/> holds the indexes of cells above a threshold (highlighted).</summary>
public sealed record ReportRow(IReadOnlyList<object?> Values, IReadOnlyList<int> Breaches)
{
    public static ReportRow Of(params object?[] values) => new(values, []);
}

/// <summary>One sheet: a header row (frozen, autofiltered) and rows.</summary>
public sealed record ReportTable(string SheetName, IReadOnlyList<ReportColumn> Columns, IReadOnlyList<ReportRow> Rows)
{
    public long CellCount => (long)Columns.Count * (Rows.Count + 1);
}

/// <summary>The Cover sheet: what the report is, who made it and when, and which data versions it used.</summary>
public sealed record ReportCover(
    string Title,
    string Period,
    string Author,
    DateTime GeneratedUtc,
    string Platforms,
    int ThresholdsVersion,
    decimal DefaultRateLimitPct,
    decimal Par30LimitPct,
    IReadOnlyList<ReportDataVersion> DataVersions,
    string Sections = ReportService.AllSections,
    string MonthStatus = "",
    DateTime? AsOfUtc = null,
    string Language = "en",
    ReportDecisionCounts? Decisions = null);

/// <summary>Access decisions that took effect in the period and how many of them were overrides of the scorecard.</summary>
public sealed record ReportDecisionCounts(int Decisions, int Overrides)
{
    /// <summary>Overrides / decisions; null without decisions.</summary>
    public decimal? OverrideRate => Decisions == 0 ? null : (decimal)Overrides / Decisions;
}

/// <summary>The whole report, ready for a workbook writer.</summary>
public sealed record ReportDocument(ReportCover Cover, IReadOnlyList<ReportTable> Tables)
{
    /// <summary>ClosedXML keeps every cell in memory: a report is limited to this many cells.</summary>
    public const long MaxCells = 200_000;

    public long CellCount => 24 + 2L * 5 * (Cover.DataVersions.Count + 1) + Tables.Sum(t => t.CellCount);
}

/// <summary>Writes a <see cref="ReportDocument"/> as an XLSX workbook.</summary>
public interface IReportWorkbookWriter
{
    /// <summary>Writes the workbook; throws <see cref="ReportTooLargeException"/> beyond <see cref="ReportDocument.MaxCells"/>.</summary>
    void Write(ReportDocument document, Stream target);
}

public sealed class ReportTooLargeException(long cells)
    : Exception($"The report would hold {cells:N0} cells, more than the limit of {ReportDocument.MaxCells:N0}. Choose fewer platforms.")
{
    public long Cells { get; } = cells;
}

/// <summary>A row of the report history.</summary>
public sealed record GeneratedReportItem(
    long Id,
    string Period,
    string Platforms,
    string Sections,
    string GeneratedBy,
    DateTime GeneratedUtc,
    string FileName,
    string Sha256,
    long SizeBytes,
    int DataVersions);

public sealed record GeneratedReportDetail(GeneratedReportItem Item, IReadOnlyList<ReportDataVersion> DataVersions, string ParametersJson);

public sealed record ReportFile(string FileName, string Sha256, Stream Content);

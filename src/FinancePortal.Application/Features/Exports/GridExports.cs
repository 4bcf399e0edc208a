using System.Runtime.CompilerServices;
using FinancePortal.Application.Domain;
using FinancePortal.Application.Features.Alerts;
using FinancePortal.Application.Features.Applications;
using FinancePortal.Application.Features.Audit;
using FinancePortal.Application.Features.Monitoring;
using FinancePortal.Application.Features.LoanTapes;

namespace FinancePortal.Application.Features.Exports;

/// <summary>One row of the platforms x months table of the risk dashboard.</summary>
public sealed record PlatformMonthRow(string PlatformCode, string PlatformName, string Period, MetricSet Metrics);

/// <summary>One row of the dashboard's peer-position table: a platform, or (last) the industry median.</summary>
public sealed record PeerExportRow(string Platform, decimal? DefaultRate, decimal? DefaultRatePercentile, decimal? Par30, decimal? Par30Percentile,
    decimal? NetChargeOffRate, decimal? NetChargeOffPercentile);

/// <summary>One row of the dashboard's roll-rate matrix: the bucket at the month before and where its balance went.</summary>
public sealed record RollExportRow(string Period, DelinquencyBucket From, decimal Balance, IReadOnlyDictionary<DelinquencyBucket, decimal> Shares, decimal? CureRate);

/// <summary>
/// The grids users take to Excel, each as columns plus the feature service's own streamed query (same filters, sort
/// and scope as the page, every page). Nothing here writes a file: <see cref="ExportService"/> does, for all of them.
/// </summary>
public sealed class GridExports(
    ExportService exports,
    ApplicationService applications,
    SubmissionService submissions,
    AlertService alerts,
    AuditService audit,
    MonitoringService monitoring)
{
    /// <summary>The grid names of <c>/exports/{grid}</c>.</summary>
    public static readonly IReadOnlyList<string> Grids = ["applications", "findings", "alerts", "audit", "dashboard", "peers", "roll-rates"];

    public static IReadOnlyList<ExportColumn<ApplicationListItem>> ApplicationColumns { get; } =
    [
        ExportColumn.Text<ApplicationListItem>("Reference", a => a.Reference),
        ExportColumn.Text<ApplicationListItem>("Platform", a => a.PlatformCode, 10),
        ExportColumn.Text<ApplicationListItem>("Platform name", a => a.PlatformName, 36),
        ExportColumn.Text<ApplicationListItem>("State", a => a.State.ToString(), 20),
        ExportColumn.Time<ApplicationListItem>("Submitted (UTC)", a => a.SubmittedUtc),
        ExportColumn.Text<ApplicationListItem>("Reviewer", a => a.ReviewerName, 22),
        ExportColumn.Text<ApplicationListItem>("Band", a => a.LatestBand?.ToString(), 6),
        ExportColumn.Number<ApplicationListItem>("Score", a => a.LatestScore, 8),
        ExportColumn.Time<ApplicationListItem>("Updated (UTC)", a => a.UpdatedUtc),
    ];

    public static IReadOnlyList<ExportColumn<FindingItem>> FindingColumns { get; } =
    [
        ExportColumn.Text<FindingItem>("Edit code", f => f.Code, 10),
        ExportColumn.Text<FindingItem>("Blocking", f => f.Blocking ? "yes" : "no", 9),
        ExportColumn.Integer<FindingItem>("Row", f => f.Row, 9),
        ExportColumn.Text<FindingItem>("Loan id", f => f.LoanId, 18),
        ExportColumn.Text<FindingItem>("Column", f => f.Column, 22),
        ExportColumn.Text<FindingItem>("Value", f => f.Value, 22),
        ExportColumn.Text<FindingItem>("Message", f => f.Message, 60),
    ];

    public static IReadOnlyList<ExportColumn<AlertListItem>> AlertColumns { get; } =
    [
        ExportColumn.Integer<AlertListItem>("Alert", a => a.Id, 8),
        ExportColumn.Text<AlertListItem>("Platform", a => a.PlatformCode, 10),
        ExportColumn.Text<AlertListItem>("Platform name", a => a.PlatformName, 36),
        ExportColumn.Text<AlertListItem>("Rule", a => a.Rule.ToString(), 20),
        ExportColumn.Text<AlertListItem>("Month", a => a.Period, 9),
        ExportColumn.Text<AlertListItem>("Severity", a => a.Severity.ToString(), 10),
        ExportColumn.Text<AlertListItem>("State", a => a.State.ToString(), 13),
        ExportColumn.Number<AlertListItem>("Value", a => a.Value),
        ExportColumn.Number<AlertListItem>("Limit", a => a.Limit),
        ExportColumn.Text<AlertListItem>("Unit", a => AlertUnits.Of(a.Rule), 7),
        ExportColumn.Text<AlertListItem>("Message", a => a.Message, 60),
        ExportColumn.Text<AlertListItem>("Owner", a => a.OwnerName, 22),
        ExportColumn.Time<AlertListItem>("Raised (UTC)", a => a.RaisedUtc),
        ExportColumn.Time<AlertListItem>("Updated (UTC)", a => a.UpdatedUtc),
        ExportColumn.Text<AlertListItem>("Month status", a => a.Provisional ? "Provisional" : "Closed", 12),
    ];

    public static IReadOnlyList<ExportColumn<AuditItem>> AuditColumns { get; } =
    [
        ExportColumn.Integer<AuditItem>("Id", a => a.Id, 9),
        ExportColumn.Time<AuditItem>("Time (UTC)", a => a.TimeUtc),
        ExportColumn.Text<AuditItem>("Actor", a => a.Actor, 30),
        ExportColumn.Text<AuditItem>("Role", a => a.Role, 16),
        ExportColumn.Text<AuditItem>("Action", a => a.Action, 24),
        ExportColumn.Text<AuditItem>("Entity", a => a.EntityType, 18),
        ExportColumn.Text<AuditItem>("Entity id", a => a.EntityId, 12),
        ExportColumn.Text<AuditItem>("Platform", a => a.PlatformCode, 10),
        ExportColumn.Text<AuditItem>("Summary", a => a.Summary, 80),
    ];

    public static IReadOnlyList<ExportColumn<PlatformMonthRow>> DashboardColumns { get; } =
    [
        ExportColumn.Text<PlatformMonthRow>("Platform", r => r.PlatformCode, 10),
        ExportColumn.Text<PlatformMonthRow>("Platform name", r => r.PlatformName, 36),
        ExportColumn.Text<PlatformMonthRow>("Month", r => r.Period, 9),
        ExportColumn.Integer<PlatformMonthRow>("Loans", r => r.Metrics.Loans),
        ExportColumn.Money<PlatformMonthRow>("Outstanding balance", r => r.Metrics.Outstanding, 20),
        ExportColumn.Rate<PlatformMonthRow>("Default rate (90+)", r => r.Metrics.DefaultRate, 12),
        ExportColumn.Rate<PlatformMonthRow>("PAR30", r => r.Metrics.Par30),
        ExportColumn.Rate<PlatformMonthRow>("PAR60", r => r.Metrics.Par60),
        ExportColumn.Rate<PlatformMonthRow>("PAR90", r => r.Metrics.Par90),
        ExportColumn.Rate<PlatformMonthRow>("NPL ratio", r => r.Metrics.NplRatio),
        ExportColumn.Rate<PlatformMonthRow>("Net charge-off rate", r => r.Metrics.NetChargeOffRate, 12),
        ExportColumn.Rate<PlatformMonthRow>("Own-funds share", r => r.Metrics.OwnFundsShare, 12),
    ];

    public static IReadOnlyList<ExportColumn<PeerExportRow>> PeerColumns { get; } =
    [
        ExportColumn.Text<PeerExportRow>("Platform", r => r.Platform, 28),
        ExportColumn.Rate<PeerExportRow>("Default rate (90+)", r => r.DefaultRate, 12),
        ExportColumn.Number<PeerExportRow>("Default rate percentile", r => r.DefaultRatePercentile, 12),
        ExportColumn.Rate<PeerExportRow>("PAR30", r => r.Par30),
        ExportColumn.Number<PeerExportRow>("PAR30 percentile", r => r.Par30Percentile, 12),
        ExportColumn.Rate<PeerExportRow>("Net charge-off rate", r => r.NetChargeOffRate, 12),
        ExportColumn.Number<PeerExportRow>("Net charge-off percentile", r => r.NetChargeOffPercentile, 12),
    ];

    /// <summary>The buckets' names as the dashboard shows them (English; the export is a regulatory record).</summary>
    public static string BucketName(DelinquencyBucket bucket) => bucket switch
    {
        DelinquencyBucket.Current => "Current",
        DelinquencyBucket.Dpd1To29 => "1–29 DPD",
        DelinquencyBucket.Dpd30To59 => "30–59 DPD",
        DelinquencyBucket.Dpd60To89 => "60–89 DPD",
        DelinquencyBucket.Dpd90Plus => "90+ DPD",
        DelinquencyBucket.ChargedOff => "Charged off",
        DelinquencyBucket.Repaid => "Repaid",
        _ => "Not reported",
    };

    public static IReadOnlyList<ExportColumn<RollExportRow>> RollColumns { get; } =
    [
        ExportColumn.Text<RollExportRow>("Month", r => r.Period, 9),
        ExportColumn.Text<RollExportRow>("From (month before)", r => BucketName(r.From), 18),
        .. Enum.GetValues<DelinquencyBucket>().Select(to => ExportColumn.Rate<RollExportRow>($"To {BucketName(to)}", r => r.Balance == 0 ? null : r.Shares.GetValueOrDefault(to), 12)),
        ExportColumn.Money<RollExportRow>("Balance at the month before", r => r.Balance, 20),
        ExportColumn.Rate<RollExportRow>("Cure rate", r => r.CureRate),
    ];

    public Task<IPreparedExport> ApplicationsAsync(ApplicationQuery query, string filters, CancellationToken ct) =>
        exports.PrepareAsync(new ExportDefinition<ApplicationListItem>("applications", "Application queue", ApplicationColumns,
            applications.StreamQueueAsync(query), "AccessApplication", null, query.PlatformId, filters), ct);

    /// <summary>A submission's findings (all of them: the error report; or one edit code); audited under the submission's platform.</summary>
    public async Task<IPreparedExport> FindingsAsync(long submissionId, FindingQuery query, string filters, CancellationToken ct)
    {
        var platformId = await submissions.PlatformOfAsync(submissionId, ct);
        return await exports.PrepareAsync(new ExportDefinition<FindingItem>($"submission-{submissionId}-findings", "Submission edit findings", FindingColumns,
            submissions.StreamFindingItemsAsync(submissionId, query), "LoanSubmission", submissionId.ToString(System.Globalization.CultureInfo.InvariantCulture), platformId, filters), ct);
    }

    public Task<IPreparedExport> AlertsAsync(AlertQuery query, string filters, CancellationToken ct) =>
        exports.PrepareAsync(new ExportDefinition<AlertListItem>("alerts", "Alert inbox", AlertColumns,
            alerts.StreamAsync(query), "Alert", null, query.PlatformId, filters), ct);

    public Task<IPreparedExport> AuditAsync(AuditQuery query, string filters, CancellationToken ct) =>
        exports.PrepareAsync(new ExportDefinition<AuditItem>("audit-log", "Audit log", AuditColumns,
            audit.StreamAsync(query), "AuditEntry", null, query.PlatformId, filters), ct);

    public Task<IPreparedExport> DashboardAsync(DashboardFilter filter, string filters, CancellationToken ct) =>
        exports.PrepareAsync(new ExportDefinition<PlatformMonthRow>("dashboard-platform-months", "Platforms x months", DashboardColumns,
            DashboardRowsAsync(filter), "MonthlyAggregate", null, filter.PlatformId, filters), ct);

    public Task<IPreparedExport> PeersAsync(DashboardFilter filter, string filters, CancellationToken ct) =>
        exports.PrepareAsync(new ExportDefinition<PeerExportRow>("dashboard-peer-position", "Peer position", PeerColumns,
            PeerRowsAsync(filter), "MonthlyAggregate", null, filter.PlatformId, filters), ct);

    public Task<IPreparedExport> RollRatesAsync(DashboardFilter filter, string filters, CancellationToken ct) =>
        exports.PrepareAsync(new ExportDefinition<RollExportRow>("dashboard-roll-rates", "Roll rates", RollColumns,
            RollRowsAsync(filter), "MonthlyAggregate", null, filter.PlatformId, filters), ct);

    /// <summary>The dashboard's peer table: each platform in view, then the industry median (as the page shows it).</summary>
    private async IAsyncEnumerable<PeerExportRow> PeerRowsAsync(DashboardFilter filter, [EnumeratorCancellation] CancellationToken ct = default)
    {
        var data = await monitoring.GetDashboardAsync(filter, ct);
        foreach (var p in data.Peers)
        {
            yield return new PeerExportRow(p.Code, p.DefaultRate, p.DefaultRatePercentile, p.Par30, p.Par30Percentile, p.NetChargeOffRate, p.NetChargeOffPercentile);
        }

        if (data.Medians is { } m)
        {
            yield return new PeerExportRow($"Industry median ({m.Peers} peers)", m.DefaultRate, 50, m.Par30, 50, m.NetChargeOffRate, 50);
        }
    }

    /// <summary>The dashboard's roll-rate matrix, one row per bucket of the month before (none without two consecutive months).</summary>
    private async IAsyncEnumerable<RollExportRow> RollRowsAsync(DashboardFilter filter, [EnumeratorCancellation] CancellationToken ct = default)
    {
        var data = await monitoring.GetDashboardAsync(filter, ct);
        foreach (var row in data.Roll?.Rows ?? [])
        {
            yield return new RollExportRow(data.Roll!.Period, row.From, row.Balance, row.Shares, data.Roll.CureRate);
        }
    }

    /// <summary>The dashboard's platforms x months table as rows (bounded: platforms in scope x at most 24 months).</summary>
    private async IAsyncEnumerable<PlatformMonthRow> DashboardRowsAsync(DashboardFilter filter, [EnumeratorCancellation] CancellationToken ct = default)
    {
        var data = await monitoring.GetDashboardAsync(filter, ct);
        foreach (var platform in data.Platforms)
        {
            foreach (var month in platform.Months)
            {
                yield return new PlatformMonthRow(platform.Code, platform.Name, month.Period, month.Metrics);
            }
        }
    }
}

using System.Globalization;
using FinancePortal.Application.Domain;
using FinancePortal.Application.Features.LoanTapes;
using Microsoft.EntityFrameworkCore;

namespace FinancePortal.Application.Features.Reports;

public sealed partial class ReportService
{
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

using FinancePortal.Application.Domain;
using FinancePortal.Application.Features.Submissions;
using Microsoft.EntityFrameworkCore;

namespace FinancePortal.Application.Features.Alerts;

/// <summary>
/// The alert inbox and supervisory work of risk officers (DOMAIN.md §5): acknowledge, escalate, close, assign, record
/// actions, keep the watch list; admins version the thresholds. Every change is audited. Operators see only the
/// rectification requests addressed to their own platform.
/// </summary>
public sealed partial class AlertService(IPortalDbFactory dbFactory, FilingCalendar calendar)
{
    public static readonly string[] Readers = [Roles.RiskOfficer, Roles.Analyst, Roles.Approver, Roles.Admin];

    public async Task<PagedResult<AlertListItem>> GetPageAsync(AlertQuery query, CancellationToken ct = default)
    {
        await using var db = await dbFactory.BeginAsync(Readers, ct);
        var alerts = Filter(db, query);
        var total = await alerts.CountAsync(ct);
        var items = await Project(Sort(alerts, query).Skip(query.Skip).Take(query.SafePageSize), calendar.LatestClosed(db.UtcNow)).ToListAsync(ct);
        return new PagedResult<AlertListItem>(items, total);
    }

    /// <summary>Every alert of the inbox with the page's filters and sort, streamed (the grid's export).</summary>
    public async IAsyncEnumerable<AlertListItem> StreamAsync(AlertQuery query, [System.Runtime.CompilerServices.EnumeratorCancellation] CancellationToken ct = default)
    {
        await using var db = await dbFactory.BeginAsync(Readers, ct);
        await foreach (var item in Project(Sort(Filter(db, query), query), calendar.LatestClosed(db.UtcNow)).AsAsyncEnumerable().WithCancellation(ct))
        {
            yield return item;
        }
    }

    private static IQueryable<Alert> Filter(IPortalDb db, AlertQuery query)
    {
        var alerts = db.Alerts.AsNoTracking();
        if (query.State is AlertState state)
        {
            alerts = alerts.Where(a => a.State == state);
        }
        else if (query.OpenOnly)
        {
            alerts = alerts.Where(a => a.State != AlertState.Closed);
        }

        if (query.Rule is AlertRule rule)
        {
            alerts = alerts.Where(a => a.Rule == rule);
        }

        if (query.Severity is AlertSeverity severity)
        {
            alerts = alerts.Where(a => a.Severity == severity);
        }

        if (query.PlatformId is int platformId)
        {
            alerts = alerts.Where(a => a.PlatformId == platformId);
        }

        if (query.AssignedToMe)
        {
            var me = db.User.UserId;
            alerts = alerts.Where(a => a.OwnerId == me);
        }

        return alerts;
    }

    private static IQueryable<Alert> Sort(IQueryable<Alert> alerts, AlertQuery query) => (query.SortBy, query.Descending) switch
    {
        ("Platform", false) => alerts.OrderBy(a => a.Platform!.Code).ThenByDescending(a => a.Id),
        ("Platform", true) => alerts.OrderByDescending(a => a.Platform!.Code).ThenByDescending(a => a.Id),
        ("Period", false) => alerts.OrderBy(a => a.Period).ThenBy(a => a.Id),
        ("Period", true) => alerts.OrderByDescending(a => a.Period).ThenByDescending(a => a.Id),
        ("Severity", false) => alerts.OrderBy(a => a.Severity == AlertSeverity.Critical ? 3 : a.Severity == AlertSeverity.High ? 2 : a.Severity == AlertSeverity.Medium ? 1 : 0).ThenBy(a => a.Id),
        ("Severity", true) => alerts.OrderByDescending(a => a.Severity == AlertSeverity.Critical ? 3 : a.Severity == AlertSeverity.High ? 2 : a.Severity == AlertSeverity.Medium ? 1 : 0).ThenByDescending(a => a.Id),
        ("State", false) => alerts.OrderBy(a => a.State).ThenByDescending(a => a.Id),
        ("State", true) => alerts.OrderByDescending(a => a.State).ThenByDescending(a => a.Id),
        ("Raised", false) => alerts.OrderBy(a => a.RaisedUtc).ThenBy(a => a.Id),
        _ => alerts.OrderByDescending(a => a.UpdatedUtc).ThenByDescending(a => a.Id),
    };

    public async Task<AlertDetail> GetAsync(long id, CancellationToken ct = default)
    {
        await using var db = await dbFactory.BeginAsync(Readers, ct);
        var item = await Project(db.Alerts.AsNoTracking().Where(a => a.Id == id), calendar.LatestClosed(db.UtcNow)).SingleOrDefaultAsync(ct) ?? throw new NotFoundException("Alert not found.");
        var raw = await db.Alerts.AsNoTracking().Where(a => a.Id == id)
            .Select(a => new { a.SubmissionId, a.ThresholdsVersion, a.OwnerId, a.ConcurrencyStamp }).SingleAsync(ct);
        var actions = await ProjectActions(db.SupervisoryActions.AsNoTracking().Where(a => a.AlertId == id)
            .OrderByDescending(a => a.CreatedUtc).ThenByDescending(a => a.Id)).ToListAsync(ct);
        var key = id.ToString();
        var history = await db.AuditEntries.AsNoTracking()
            .Where(e => e.EntityType == nameof(Alert) && e.EntityId == key)
            .OrderByDescending(e => e.TimeUtc).ThenByDescending(e => e.Id).Take(200)
            .Select(e => new AlertHistoryItem(e.TimeUtc, e.Actor, e.Action, e.Summary))
            .ToListAsync(ct);
        // The history starts where the alert was raised: the first state row, written with the alert itself.
        var raised = await db.AlertStateChanges.AsNoTracking()
            .Where(h => h.AlertId == id && h.FromState == null)
            .OrderBy(h => h.TimeUtc).ThenBy(h => h.Id)
            .Select(h => new AlertHistoryItem(h.TimeUtc, h.Actor, AuditActions.AlertRaised, h.Alert!.Message))
            .FirstOrDefaultAsync(ct);
        if (raised is not null)
        {
            history.Add(raised);
        }

        return new AlertDetail(item, raw.SubmissionId, raw.ThresholdsVersion, raw.OwnerId, raw.ConcurrencyStamp, actions, history);
    }

    private static async Task<Alert> LoadAsync(IPortalDb db, long id, Guid stamp, CancellationToken ct)
    {
        var alert = await db.Alerts.SingleOrDefaultAsync(a => a.Id == id, ct) ?? throw new NotFoundException("Alert not found.");
        db.ExpectConcurrencyStamp(alert, stamp);
        return alert;
    }

    /// <summary>
    /// An alert on a month later than <paramref name="latestClosed"/> is provisional (<see cref="AlertEvaluator.IsProvisional"/>):
    /// raised on figures of a month whose filing deadline has not passed. Missing-tape alerts are only raised on closed months.
    /// </summary>
    private static IQueryable<AlertListItem> Project(IQueryable<Alert> alerts, string latestClosed) =>
        alerts.Select(a => new AlertListItem(a.Id, a.PlatformId, a.Platform!.Code, a.Platform.LegalName, a.Rule, a.Period, a.Severity, a.State,
            a.Value, a.Limit, a.Message, a.OwnerName, a.RaisedUtc, a.UpdatedUtc,
            a.Rule != AlertRule.SubmissionMissing && string.Compare(a.Period, latestClosed) > 0));
}

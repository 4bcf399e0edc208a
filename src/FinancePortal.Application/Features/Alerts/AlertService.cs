using FinancePortal.Application.Domain;
using FinancePortal.Application.Features.Rectifications;
using FinancePortal.Application.Features.LoanTapes;
using Microsoft.EntityFrameworkCore;

namespace FinancePortal.Application.Features.Alerts;

/// <summary>
/// The alert inbox and supervisory work of risk officers (DOMAIN.md §5): acknowledge, escalate, close, assign, record
/// actions (the watch list is <see cref="WatchListService"/>, the thresholds <see cref="AlertThresholdService"/>). Every
/// change is audited. Operators see only the rectification requests addressed to their own platform.
/// </summary>
public sealed class AlertService(IPortalDbFactory dbFactory, FilingCalendar calendar)
{
    public static readonly string[] Readers = [Roles.RiskOfficer, Roles.Analyst, Roles.Approver, Roles.Admin];

    public async Task<PagedResult<AlertListItem>> GetPageAsync(AlertQuery query, CancellationToken ct = default)
    {
        await using var db = await dbFactory.BeginAsync(Readers, ct);
        var alerts = AlertListQuery.Filter(db, query);
        var total = await alerts.CountAsync(ct);
        var items = await Project(AlertListQuery.Sort(alerts, query).Skip(query.Skip).Take(query.SafePageSize), calendar.LatestClosed(db.UtcNow)).ToListAsync(ct);
        return new PagedResult<AlertListItem>(items, total);
    }

    /// <summary>Every alert of the inbox with the page's filters and sort, streamed (the grid's export).</summary>
    public async IAsyncEnumerable<AlertListItem> StreamAsync(AlertQuery query, [System.Runtime.CompilerServices.EnumeratorCancellation] CancellationToken ct = default)
    {
        await using var db = await dbFactory.BeginAsync(Readers, ct);
        await foreach (var item in Project(AlertListQuery.Sort(AlertListQuery.Filter(db, query), query), calendar.LatestClosed(db.UtcNow)).AsAsyncEnumerable().WithCancellation(ct))
        {
            yield return item;
        }
    }

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

    public Task AcknowledgeAsync(long id, Guid stamp, CancellationToken ct = default) =>
        ChangeStateAsync(id, stamp, AlertState.Acknowledged, null, ct);

    public Task EscalateAsync(long id, Guid stamp, string? note, CancellationToken ct = default) =>
        ChangeStateAsync(id, stamp, AlertState.Escalated, note, ct);

    public Task CloseAsync(long id, Guid stamp, string reason, CancellationToken ct = default)
    {
        if (string.IsNullOrWhiteSpace(reason) || reason.Trim().Length < 5)
        {
            throw new ValidationFailedException("Reason", "Say why the alert is closed (at least 5 characters).");
        }

        return ChangeStateAsync(id, stamp, AlertState.Closed, reason.Trim(), ct);
    }

    /// <summary>Allowed moves: Open → Acknowledged/Escalated/Closed; Acknowledged → Escalated/Closed; Escalated → Closed. Closed is final.</summary>
    public static bool CanMove(AlertState from, AlertState to) => (from, to) switch
    {
        (AlertState.Open, AlertState.Acknowledged or AlertState.Escalated or AlertState.Closed) => true,
        (AlertState.Acknowledged, AlertState.Escalated or AlertState.Closed) => true,
        (AlertState.Escalated, AlertState.Closed) => true,
        _ => false,
    };

    private async Task ChangeStateAsync(long id, Guid stamp, AlertState to, string? note, CancellationToken ct)
    {
        await using var db = await dbFactory.BeginAsync(Roles.RiskOfficer, ct);
        var alert = await LoadAsync(db, id, stamp, ct);
        if (!CanMove(alert.State, to))
        {
            throw new ValidationFailedException("State", $"An alert that is {alert.State} cannot be moved to {to}.");
        }

        var from = alert.State;
        alert.State = to;
        alert.UpdatedUtc = db.UtcNow;
        var me = await db.DisplayNameAsync(ct);
        if (alert.OwnerId is null)
        {
            alert.OwnerId = db.User.UserId;
            alert.OwnerName = me;
        }

        if (!string.IsNullOrWhiteSpace(note))
        {
            db.SupervisoryActions.Add(NewAction(db, me, alert.PlatformId, alert.Id, SupervisoryActionKind.Note, $"{to}: {note.Trim()}", null));
        }

        db.Audit(AuditActions.AlertStateChanged, nameof(Alert), id.ToString(), alert.PlatformId,
            $"{from} → {to}" + (string.IsNullOrWhiteSpace(note) ? "" : $": {note.Trim()}"));
        await db.SaveChangesAsync(ct);
    }

    public async Task AssignAsync(long id, Guid stamp, string userId, CancellationToken ct = default)
    {
        await using var db = await dbFactory.BeginAsync(Roles.RiskOfficer, ct);
        var alert = await LoadAsync(db, id, stamp, ct);
        if (alert.State == AlertState.Closed)
        {
            throw new ValidationFailedException("State", "A closed alert cannot be assigned.");
        }

        var officer = await Officers(db).Where(u => u.Id == userId).Select(u => new OfficerOption(u.Id, u.DisplayName)).SingleOrDefaultAsync(ct)
            ?? throw new ValidationFailedException("Owner", "Choose a risk officer.");
        alert.OwnerId = officer.UserId;
        alert.OwnerName = officer.Name;
        alert.UpdatedUtc = db.UtcNow;
        db.Audit(AuditActions.AlertAssigned, nameof(Alert), id.ToString(), alert.PlatformId, $"Assigned to {officer.Name}.");
        await db.SaveChangesAsync(ct);
    }

    public async Task<IReadOnlyList<OfficerOption>> GetOfficersAsync(CancellationToken ct = default)
    {
        await using var db = await dbFactory.BeginAsync(Readers, ct);
        return await Officers(db).OrderBy(u => u.DisplayName).Select(u => new OfficerOption(u.Id, u.DisplayName)).ToListAsync(ct);
    }

    /// <summary>Users holding the RiskOfficer role. Filter and sort on the entity: EF cannot translate members of a record built by its constructor.</summary>
    private static IQueryable<PortalUser> Officers(IPortalDb db) =>
        from u in db.Users
        join ur in db.UserRoles on u.Id equals ur.UserId
        join r in db.Roles on ur.RoleId equals r.Id
        where r.Name == Roles.RiskOfficer
        select u;

    /// <summary>Records a supervisory action on a platform, optionally on one of its alerts.</summary>
    public async Task<long> RecordActionAsync(NewSupervisoryAction action, CancellationToken ct = default)
    {
        await using var db = await dbFactory.BeginAsync(Roles.RiskOfficer, ct);
        var text = action.Text?.Trim() ?? "";
        if (text.Length < 5)
        {
            throw new ValidationFailedException("Text", "Describe the action (at least 5 characters).");
        }

        if (text.Length > 4000)
        {
            throw new ValidationFailedException("Text", "Keep the text under 4,000 characters.");
        }

        if (action.Kind == SupervisoryActionKind.RectificationRequest && action.DueDate is null)
        {
            throw new ValidationFailedException("DueDate", "A rectification request needs a due date.");
        }

        if (action.DueDate is DateOnly due && due <= DateOnly.FromDateTime(db.UtcNow))
        {
            throw new ValidationFailedException("DueDate", "The due date must be in the future.");
        }

        if (!await db.Platforms.AnyAsync(p => p.Id == action.PlatformId, ct))
        {
            throw new NotFoundException("Platform not found.");
        }

        if (action.AlertId is long alertId && !await db.Alerts.AnyAsync(a => a.Id == alertId && a.PlatformId == action.PlatformId, ct))
        {
            throw new NotFoundException("Alert not found.");
        }

        var actor = await db.DisplayNameAsync(ct);
        var recorded = await db.InTransactionAsync(async ct =>
        {
            var entity = NewAction(db, actor, action.PlatformId, action.AlertId, action.Kind, text, action.Kind == SupervisoryActionKind.RectificationRequest ? action.DueDate : null);
            db.SupervisoryActions.Add(entity);
            if (action.AlertId is long touched)
            {
                await db.Alerts.Where(a => a.Id == touched).ExecuteUpdateAsync(s => s.SetProperty(a => a.UpdatedUtc, db.UtcNow), ct);
            }

            await db.SaveChangesAsync(ct);
            db.Audit(AuditActions.SupervisoryActionRecorded, nameof(SupervisoryAction), entity.Id.ToString(), action.PlatformId,
                $"{action.Kind}{(action.AlertId is long a ? $" on alert {a}" : "")}: {UseCase.Shorten(text)}");
            if (action.Kind == SupervisoryActionKind.RectificationRequest)
            {
                // The two-way workflow (RectificationService) starts here; the action stays as the append-only record.
                var request = RectificationService.Open(db, entity);
                await db.SaveChangesAsync(ct);
                db.Audit(RectificationAuditActions.Requested, nameof(RectificationRequest), request.Id.ToString(), action.PlatformId,
                    $"Requested{(action.AlertId is long r ? $" on alert {r}" : "")}, due {request.DueDate:yyyy-MM-dd}: {UseCase.Shorten(text)}");
            }

            await db.SaveChangesAsync(ct);
            return entity;
        }, ct);
        return recorded.Id;
    }

    /// <summary>
    /// Supervisory actions of a platform, newest first. Regulators see every kind; an Operator sees only the rectification
    /// requests to their own platform (the data scope adds the platform limit).
    /// </summary>
    public async Task<PagedResult<SupervisoryActionItem>> GetActionsAsync(int? platformId, PageRequest page, CancellationToken ct = default)
    {
        await using var db = await dbFactory.BeginAsync([.. Readers, Roles.Operator], ct);
        var actions = db.SupervisoryActions.AsNoTracking();
        if (!db.User.IsRegulator)
        {
            actions = actions.Where(a => a.Kind == SupervisoryActionKind.RectificationRequest);
        }

        if (platformId is int id)
        {
            actions = actions.Where(a => a.PlatformId == id);
        }

        var total = await actions.CountAsync(ct);
        var items = await ProjectActions(actions.OrderByDescending(a => a.CreatedUtc).ThenByDescending(a => a.Id)
            .Skip(page.Skip).Take(page.SafePageSize)).ToListAsync(ct);
        return new PagedResult<SupervisoryActionItem>(items, total);
    }

    private static SupervisoryAction NewAction(IPortalDb db, string actorName, int platformId, long? alertId, SupervisoryActionKind kind, string text, DateOnly? due) => new()
    {
        PlatformId = platformId,
        AlertId = alertId,
        Kind = kind,
        Text = text,
        DueDate = due,
        ActorId = db.User.UserId ?? "system",
        ActorName = actorName,
        CreatedUtc = db.UtcNow,
    };

    private static IQueryable<SupervisoryActionItem> ProjectActions(IQueryable<SupervisoryAction> actions) =>
        actions.Select(a => new SupervisoryActionItem(a.Id, a.PlatformId,
            a.Platform!.Code, a.AlertId, a.Kind, a.Text, a.DueDate, a.ActorName, a.CreatedUtc));
}

using FinancePortal.Application.Domain;
using Microsoft.EntityFrameworkCore;

namespace FinancePortal.Application.Features.Alerts;

public sealed partial class AlertService
{
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
}

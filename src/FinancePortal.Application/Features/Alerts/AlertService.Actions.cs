using FinancePortal.Application.Domain;
using FinancePortal.Application.Features.Rectifications;
using Microsoft.EntityFrameworkCore;

namespace FinancePortal.Application.Features.Alerts;

public sealed partial class AlertService
{
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

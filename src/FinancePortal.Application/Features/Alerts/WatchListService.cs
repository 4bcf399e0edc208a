using FinancePortal.Application.Domain;
using Microsoft.EntityFrameworkCore;

namespace FinancePortal.Application.Features.Alerts;

/// <summary>The watch list: platforms risk officers follow closely, with who added them and why.</summary>
public sealed class WatchListService(IPortalDbFactory dbFactory)
{
    public async Task<IReadOnlyList<WatchListItem>> GetWatchListAsync(CancellationToken ct = default)
    {
        await using var db = await dbFactory.BeginAsync(AlertService.Readers, ct);
        return await (from w in db.WatchList.AsNoTracking()
                      join p in db.Platforms on w.PlatformId equals p.Id
                      where w.RemovedUtc == null
                      orderby p.Code
                      select new WatchListItem(p.Id, p.Code, p.LegalName, w.Reason, w.AddedBy, w.AddedUtc)).ToListAsync(ct);
    }

    public async Task WatchAsync(int platformId, string reason, CancellationToken ct = default)
    {
        await using var db = await dbFactory.BeginAsync(Roles.RiskOfficer, ct);
        if (string.IsNullOrWhiteSpace(reason) || reason.Trim().Length < 5)
        {
            throw new ValidationFailedException("Reason", "Say why the platform is watched (at least 5 characters).");
        }

        var code = await db.Platforms.Where(p => p.Id == platformId).Select(p => p.Code).SingleOrDefaultAsync(ct) ?? throw new NotFoundException("Platform not found.");
        if (await db.WatchList.AnyAsync(w => w.PlatformId == platformId && w.RemovedUtc == null, ct))
        {
            throw new ValidationFailedException("Platform", $"{code} is already on the watch list.");
        }

        db.WatchList.Add(new WatchListEntry { PlatformId = platformId, Reason = reason.Trim(), AddedBy = db.User.UserName, AddedUtc = db.UtcNow });
        db.Audit(AuditActions.WatchListChanged, nameof(Platform), platformId.ToString(), platformId, $"{code} added to the watch list: {UseCase.Shorten(reason.Trim())}");
        await db.SaveChangesAsync(ct);
    }

    public async Task UnwatchAsync(int platformId, CancellationToken ct = default)
    {
        await using var db = await dbFactory.BeginAsync(Roles.RiskOfficer, ct);
        var entry = await db.WatchList.SingleOrDefaultAsync(w => w.PlatformId == platformId && w.RemovedUtc == null, ct)
            ?? throw new NotFoundException("The platform is not on the watch list.");
        entry.RemovedBy = db.User.UserName;
        entry.RemovedUtc = db.UtcNow;
        db.Audit(AuditActions.WatchListChanged, nameof(Platform), platformId.ToString(), platformId, "Removed from the watch list.");
        await db.SaveChangesAsync(ct);
    }

    public async Task<bool> IsWatchedAsync(int platformId, CancellationToken ct = default)
    {
        await using var db = await dbFactory.BeginAsync(AlertService.Readers, ct);
        return await db.WatchList.AnyAsync(w => w.PlatformId == platformId && w.RemovedUtc == null, ct);
    }
}
